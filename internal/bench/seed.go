// Package bench measures what the provider costs at scale: HTTP requests,
// wall time and the provider process's peak memory for plan and apply of a
// configuration with many reviewed findings, next to the cost of the same
// number of terraform_data resources, which is Terraform's own share.
package bench

import (
	"fmt"
	"strings"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// ReviewRule is the built-in rule every generated secret matches. Its
// pattern is plain enough that the generated text cannot match another rule.
const ReviewRule = "GITHUB_TOKEN"

// secretsPerPage keeps pages at a realistic size; the fake scans a page per
// version, so thousands of one-secret pages would only slow the seeding.
const secretsPerPage = 50

// Review is one finding the configuration marks reviewed.
type Review struct {
	SpaceKey  string
	MatchText string
}

// Workload is what one benchmark size seeds and configures.
type Workload struct {
	Reviews []Review
	Spaces  []string
}

// NewWorkload spreads n findings round-robin over spaces spaces.
func NewWorkload(n, spaces int) Workload {
	w := Workload{Reviews: make([]Review, 0, n)}
	for s := range spaces {
		w.Spaces = append(w.Spaces, fmt.Sprintf("BENCH%d", s))
	}
	for i := range n {
		w.Reviews = append(w.Reviews, Review{SpaceKey: w.Spaces[i%spaces], MatchText: secretText(i)})
	}
	return w
}

// secretText is a GitHub-token-shaped text, unique per index: "ghp_" and 36
// letters and digits.
func secretText(i int) string {
	return fmt.Sprintf("ghp_benchmarkfinding%020d", i)
}

// PerSpace counts the findings each space holds.
func (w Workload) PerSpace() map[string]int {
	counts := map[string]int{}
	for _, r := range w.Reviews {
		counts[r.SpaceKey]++
	}
	return counts
}

// Seed creates the spaces and pages holding every secret of the workload;
// the fake scans content as it is created, so the findings exist at once.
func (w Workload) Seed(server *fake.Server) {
	bySpace := map[string][]string{}
	for _, r := range w.Reviews {
		bySpace[r.SpaceKey] = append(bySpace[r.SpaceKey], r.MatchText)
	}
	for _, key := range w.Spaces {
		server.CreateSpace(key, "Benchmark space "+key)
		texts := bySpace[key]
		for page := 0; page*secretsPerPage < len(texts); page++ {
			chunk := texts[page*secretsPerPage : min(len(texts), (page+1)*secretsPerPage)]
			server.CreatePage(key, fmt.Sprintf("Tokens %d", page), pageBody(chunk))
		}
	}
}

func pageBody(texts []string) string {
	var b strings.Builder
	for _, text := range texts {
		fmt.Fprintf(&b, "<p>deploy key %s</p>\n", text)
	}
	return b.String()
}
