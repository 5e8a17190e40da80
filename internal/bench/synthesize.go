package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// Terraform's own apply of thousands of resources takes far longer than the
// provider's share of it on a small machine (at N = 1000 terraform_data alone
// took one to two minutes), so above the apply limit the state is built
// instead of applied: one review per space is applied for real, every other
// instance is a copy of its space's instance with the text and its hash
// replaced, and the fake gets the reviews behind Terraform's back. The
// refresh then reads exactly what an applied state would hold.

// synthesizeState leaves dir with the full configuration of w and a state
// holding every resource of it. applyConfig writes the configuration of a
// workload into dir.
func synthesizeState(ctx context.Context, tf Terraform, dir string, w Workload, applyConfig func(Workload) error) error {
	template := Workload{Spaces: w.Spaces, Reviews: w.Reviews[:min(len(w.Reviews), len(w.Spaces))]}
	if err := applyConfig(template); err != nil {
		return err
	}
	m, err := tf.Run(ctx, dir, nil, "apply", "-auto-approve", "-input=false")
	if err != nil {
		return err
	}
	if m.ExitCode != 0 {
		return fmt.Errorf("applying one review per space exited %d:\n%s", m.ExitCode, Tail(m.Output, 30))
	}
	if err := expandState(filepath.Join(dir, "terraform.tfstate"), template, w); err != nil {
		return err
	}
	return applyConfig(w)
}

// seedReviews marks every review of w reviewed without going through the
// API, as the apply would have.
func seedReviews(server *fake.Server, w Workload) {
	for _, r := range w.Reviews {
		server.AddReview(r.SpaceKey, ReviewRule, r.MatchText)
	}
}

// expandState copies the instance of resource r<i mod S> to r<i> for every
// review beyond the template, swapping the template's text and its SHA-256
// for the new ones wherever they occur (attributes, id, output).
func expandState(file string, template, w Workload) error {
	content, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var state map[string]any
	if err := json.Unmarshal(content, &state); err != nil {
		return err
	}
	resources, _ := state["resources"].([]any)
	byName := map[string]any{}
	for _, r := range resources {
		if resource, ok := r.(map[string]any); ok {
			byName[fmt.Sprint(resource["name"])] = resource
		}
	}

	for i := len(template.Reviews); i < len(w.Reviews); i++ {
		source := template.Reviews[i%len(template.Reviews)]
		original, ok := byName[fmt.Sprintf("r%d", i%len(template.Reviews))]
		if !ok {
			return fmt.Errorf("state %s has no resource r%d to copy", file, i%len(template.Reviews))
		}
		raw, err := json.Marshal(original)
		if err != nil {
			return err
		}
		copied := strings.NewReplacer(
			source.MatchText, w.Reviews[i].MatchText,
			sha256Hex(source.MatchText), sha256Hex(w.Reviews[i].MatchText),
		).Replace(string(raw))
		var resource map[string]any
		if err := json.Unmarshal([]byte(copied), &resource); err != nil {
			return err
		}
		resource["name"] = fmt.Sprintf("r%d", i)
		resources = append(resources, resource)
	}
	state["resources"] = resources
	state["serial"] = jsonNumber(state["serial"]) + 1

	out, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, out, 0o600)
}

func jsonNumber(v any) float64 {
	n, _ := v.(float64)
	return n
}

func sha256Hex(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}
