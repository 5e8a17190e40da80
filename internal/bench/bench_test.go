package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// The benchmark is only meaningful if every generated text really is one
// finding of ReviewRule in the space the configuration names.
func TestSeedCreatesOneFindingPerReview(t *testing.T) {
	workload := NewWorkload(120, 3)
	server := fake.New()
	workload.Seed(server)
	baseURL := server.Start()
	t.Cleanup(server.Close)
	api, err := client.New(client.Config{BaseURL: baseURL, Username: "admin", Password: "admin"})
	if err != nil {
		t.Fatal(err)
	}

	want := map[string]bool{}
	for _, r := range workload.Reviews {
		want[r.SpaceKey+"/"+r.MatchText] = true
	}
	for _, key := range workload.Spaces {
		findings, _, err := api.ListSpaceFindings(t.Context(), key, client.FindingsQuery{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(findings) != workload.PerSpace()[key] {
			t.Errorf("space %s lists %d findings, want %d", key, len(findings), workload.PerSpace()[key])
		}
		for _, f := range findings {
			if f.RuleName != ReviewRule || !want[key+"/"+f.MatchText] {
				t.Errorf("space %s lists an unexpected finding of rule %s", key, f.RuleName)
			}
		}
	}
}

func TestStoredReviewsCountsOnlyTheWorkloadsRule(t *testing.T) {
	workload := NewWorkload(4, 2)
	server := fake.New()
	workload.Seed(server)
	server.AddReview("BENCH0", ReviewRule, workload.Reviews[0].MatchText)
	server.AddReview("BENCH1", "JWT", workload.Reviews[1].MatchText)
	if got := storedReviews(server, workload); got != 1 {
		t.Errorf("storedReviews = %d, want 1", got)
	}
}

func TestSecretTextsAreUniqueAndTokenShaped(t *testing.T) {
	seen := map[string]bool{}
	for i := range 1000 {
		text := secretText(i)
		if len(text) != len("ghp_")+36 || !strings.HasPrefix(text, "ghp_") {
			t.Fatalf("secretText(%d) = %q, not a GitHub token shape", i, text)
		}
		if seen[text] {
			t.Fatalf("secretText(%d) repeats %q", i, text)
		}
		seen[text] = true
	}
}

func TestWorkloadSpreadsReviewsRoundRobin(t *testing.T) {
	counts := NewWorkload(10, 3).PerSpace()
	want := map[string]int{"BENCH0": 4, "BENCH1": 3, "BENCH2": 3}
	for key, n := range want {
		if counts[key] != n {
			t.Errorf("%s holds %d reviews, want %d", key, counts[key], n)
		}
	}
}

func TestRefreshBound(t *testing.T) {
	tests := []struct {
		name     string
		perSpace map[string]int
		pageSize int
		want     int
	}{
		{"short pages", map[string]int{"A": 20, "B": 20, "C": 20}, 100, 3 + 1},
		{"a full last page needs an empty one", map[string]int{"A": 100}, 100, 2 + 1},
		{"several pages", map[string]int{"A": 250, "B": 0}, 100, 3 + 1 + 1},
		{"server default page size", map[string]int{"A": 30}, 0, 2 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RefreshBound(tt.perSpace, tt.pageSize); got != tt.want {
				t.Errorf("RefreshBound = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestParseVmHWM(t *testing.T) {
	status := []byte("Name:\tterraform-provider\nVmPeak:\t  900000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40000 kB\n")
	got, ok := ParseVmHWM(status)
	if !ok || got != 51200*1024 {
		t.Errorf("ParseVmHWM = %d, %t; want %d, true", got, ok, 51200*1024)
	}
	if _, ok := ParseVmHWM([]byte("Name:\tkthreadd\n")); ok {
		t.Error("ParseVmHWM found a peak in a status without VmHWM")
	}
}

// The sampler must see this very test process, whose peak is certainly
// above zero, when told to watch its executable.
func TestPeakSamplerSeesARunningProcess(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sampler := StartPeakSampler(self, 5e6)
	sampler.sample()
	peak, processes := sampler.Stop()
	if peak <= 0 || processes < 1 {
		t.Errorf("sampler saw peak %d bytes in %d processes, want both above zero", peak, processes)
	}
}

func TestCountRequestsClassifies(t *testing.T) {
	requests := []fake.RecordedRequest{
		{Method: "GET", RawPath: "/rest/security/latest/rules"},
		{Method: "PUT", RawPath: "/rest/security/latest/rules/built-in/JWT"},
		{Method: "GET", RawPath: "/rest/security/latest/scan/space/BENCH0", Query: map[string][]string{"size": {"100"}}},
		{Method: "POST", RawPath: "/rest/security/latest/review/space/BENCH0/create"},
		{Method: "GET", RawPath: "/rest/api/space/BENCH0"},
		{Method: "POST", RawPath: "/rest/security/latest/scan/space"},
	}
	got := CountRequests(requests)
	want := RequestCounts{Total: 6, Rules: 1, RuleWrites: 1, FindingsPages: 1, ReviewCreates: 1, SpaceLookups: 1, Other: 1, LargestPageAsk: 100}
	if got != want {
		t.Errorf("CountRequests = %+v, want %+v", got, want)
	}
}

func TestConfigsHoldEveryReview(t *testing.T) {
	for _, shape := range Shapes {
		t.Run(string(shape), func(t *testing.T) { testConfigsHoldEveryReview(t, shape) })
	}
}

// With S space resources each space's reviews sit in its own resource and
// nowhere else.
func TestSpacesShapeWritesOneResourcePerSpace(t *testing.T) {
	dir := t.TempDir()
	workload := NewWorkload(5, 2)
	if err := WriteProviderConfig(dir, "http://127.0.0.1:1", workload, ShapeSpaces); err != nil {
		t.Fatal(err)
	}
	config := readFile(t, filepath.Join(dir, "main.tf"))
	if got := strings.Count(config, `resource "securityforconfluence_space_reviewed_findings"`); got != 2 {
		t.Errorf("%d space resources, want 2:\n%s", got, config)
	}
	if strings.Contains(config, "securityforconfluence_reviewed_finding\"") {
		t.Errorf("the spaces shape also writes reviewed_finding resources:\n%s", config)
	}
	blocks := strings.Split(config, `resource "securityforconfluence_space_reviewed_findings"`)[1:]
	for s, block := range blocks {
		for _, r := range workload.Reviews {
			inBlock := strings.Contains(block, r.MatchText)
			if inBlock != (r.SpaceKey == workload.Spaces[s]) || !strings.Contains(block, `space_key = "`+workload.Spaces[s]+`"`) {
				t.Errorf("review of %s in resource %d of space %s: %t", r.SpaceKey, s, workload.Spaces[s], inBlock)
			}
		}
	}
}

// With fewer reviews than spaces, a space without reviews gets no resource,
// since the request bound counts only spaces that hold reviews.
func TestSpacesShapeSkipsEmptySpaces(t *testing.T) {
	dir := t.TempDir()
	workload := NewWorkload(1, 3)
	if err := WriteProviderConfig(dir, "http://127.0.0.1:1", workload, ShapeSpaces); err != nil {
		t.Fatal(err)
	}
	config := readFile(t, filepath.Join(dir, "main.tf"))
	if got := strings.Count(config, `resource "securityforconfluence_space_reviewed_findings"`); got != len(workload.PerSpace()) || got != 1 {
		t.Errorf("%d space resources for reviews in %d space(s):\n%s", got, len(workload.PerSpace()), config)
	}
}

// The plan-time target is held against terraform_data by the spaces shape
// only; every other comparison is printed and never fails the run.
func TestRatioVerdictsDependOnTheShape(t *testing.T) {
	phase := Phase{Name: PhasePlanRefresh, HasBaseline: true, HasNull: true,
		Provider: Measurement{Wall: 20}, Baseline: Measurement{Wall: 10}, Null: Measurement{Wall: 11}}
	for _, tt := range []struct {
		shape    Shape
		runFails bool
	}{{ShapeSpaces, true}, {ShapeBlocks, false}, {ShapeForEach, false}} {
		verdicts := ratioVerdicts(Result{N: PlanRatioAtN, Shape: tt.shape}, phase)
		if len(verdicts) != 2 {
			t.Fatalf("%s: %d verdicts, want 2", tt.shape, len(verdicts))
		}
		againstBaseline, againstNull := verdicts[0], verdicts[1]
		if againstBaseline.Met || againstNull.Met {
			t.Errorf("%s: 2.0x terraform_data met=%t, 1.8x null met=%t", tt.shape, againstBaseline.Met, againstNull.Met)
		}
		if againstBaseline.Informational == tt.runFails || !againstNull.Informational {
			t.Errorf("%s: informational against terraform_data %t, against null %t", tt.shape,
				againstBaseline.Informational, againstNull.Informational)
		}
		lines, allMet := Verdicts(verdicts)
		if allMet == tt.runFails {
			t.Errorf("%s: the run passes = %t, want %t:\n%s", tt.shape, allMet, !tt.runFails, lines)
		}
	}
}

func testConfigsHoldEveryReview(t *testing.T, shape Shape) {
	dir := t.TempDir()
	workload := NewWorkload(3, 2)
	if err := WriteProviderConfig(filepath.Join(dir, "p"), "http://127.0.0.1:1", workload, shape); err != nil {
		t.Fatal(err)
	}
	if err := WriteBaselineConfig(filepath.Join(dir, "b"), workload, shape); err != nil {
		t.Fatal(err)
	}
	if err := WriteNullConfig(filepath.Join(dir, "n"), workload, shape); err != nil {
		t.Fatal(err)
	}
	provider := readFile(t, filepath.Join(dir, "p", "main.tf"))
	baseline := readFile(t, filepath.Join(dir, "b", "main.tf"))
	null := readFile(t, filepath.Join(dir, "n", "main.tf"))
	for _, r := range workload.Reviews {
		if !strings.Contains(provider, r.MatchText) || !strings.Contains(baseline, r.MatchText) || !strings.Contains(null, r.MatchText) {
			t.Errorf("text %d is missing from a configuration", len(r.MatchText))
		}
	}
	if !strings.Contains(null, `source = "secconf/benchnull"`) || !strings.Contains(null, `resource "benchnull_item"`) {
		t.Error("the null configuration does not use the null provider's resource")
	}
	if !strings.Contains(provider, `resource "securityforconfluence_builtin_rules"`) {
		t.Error("the provider configuration has no built-in rule policy")
	}
	if strings.Contains(baseline, "securityforconfluence") {
		t.Error("the baseline configuration uses the provider")
	}
}

func TestCLIConfigOverridesBothProviders(t *testing.T) {
	file := filepath.Join(t.TempDir(), "dev.tfrc")
	if err := WriteCLIConfig(file, "/plugins"); err != nil {
		t.Fatal(err)
	}
	content := readFile(t, file)
	for _, address := range []string{ProviderAddress, NullProviderAddress} {
		if !strings.Contains(content, fmt.Sprintf("%q = \"/plugins\"", address)) {
			t.Errorf("the CLI configuration does not point %s at the plugin directory:\n%s", address, content)
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	content, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(content)
}

func TestExpandStateCopiesTheTemplateInstancePerReview(t *testing.T) {
	workload := NewWorkload(5, 2)
	template := Workload{Spaces: workload.Spaces, Reviews: workload.Reviews[:2]}
	var resources []map[string]any
	for i, r := range template.Reviews {
		resources = append(resources, map[string]any{
			"name": fmt.Sprintf("r%d", i),
			"instances": []any{map[string]any{"attributes": map[string]any{
				"match_text": r.MatchText,
				"id":         r.SpaceKey + "/" + ReviewRule + "/sha256:" + sha256Hex(r.MatchText),
			}}},
		})
	}
	file := filepath.Join(t.TempDir(), "terraform.tfstate")
	raw, _ := json.Marshal(map[string]any{"version": 4, "serial": 3, "resources": resources})
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	if err := expandState(file, template, workload); err != nil {
		t.Fatal(err)
	}
	expanded := readFile(t, file)
	for i, r := range workload.Reviews {
		if !strings.Contains(expanded, `"name": "r`+fmt.Sprint(i)+`"`) {
			t.Errorf("no resource r%d in the expanded state", i)
		}
		wantID := r.SpaceKey + "/" + ReviewRule + "/sha256:" + sha256Hex(r.MatchText)
		if !strings.Contains(expanded, wantID) {
			t.Errorf("no id %s in the expanded state", wantID)
		}
	}
	if !strings.Contains(expanded, `"serial": 4`) {
		t.Error("the serial was not raised")
	}
}
