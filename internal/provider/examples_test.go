package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// examplesRoot is examples/ at the module root, seen from this package.
const examplesRoot = "../../examples"

// providerModule is the module path go build is given, so the examples run
// against the provider built from this checkout.
const providerModule = "github.com/secconf/terraform-provider-securityforconfluence"

// The summary Terraform and OpenTofu give the warning that every command
// under dev_overrides prints; it says nothing about the example.
const devOverridesWarning = "Provider development overrides are in effect"

// writeOnlyArgument spots an argument such as match_text_wo, which a CLI
// older than 1.11 rejects however correct the example is.
var writeOnlyArgument = regexp.MustCompile(`(?m)^\s*[a-z0-9_]+_wo\s*=`)

// TestAccExamples checks every configuration under examples/, the ones the
// generated docs show: each must already be formatted, and each must
// validate against the provider built from this checkout, by the CLI the
// acceptance tests use. Nothing is stripped from an example before the check.
func TestAccExamples(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	cli := newExampleCLI(t)
	dirs := exampleDirs(t, examplesRoot)
	if len(dirs) == 0 {
		t.Fatalf("found no directory with .tf files under %s; the docs have no examples to show", examplesRoot)
	}

	for _, dir := range dirs {
		name := filepath.ToSlash(strings.TrimPrefix(dir, "../../"))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			t.Run("fmt", func(t *testing.T) {
				if problem := cli.fmtProblem(dir); problem != "" {
					t.Errorf("%s is not formatted; run make fmt:\n%s", name, problem)
				}
			})
			t.Run("validate", func(t *testing.T) {
				cli.checkValidates(t, name, dir)
			})
		})
	}
}

// TestAccExamples_brokenExampleFails proves both checks can fail: an example
// with a misspelled argument and loose formatting must be reported by each.
func TestAccExamples_brokenExampleFails(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	cli := newExampleCLI(t)
	dir := t.TempDir()
	broken := "resource \"securityforconfluence_builtin_rule\" \"x\" {\n  name = \"AWS_CLIENT_ID\"\n  enabeld = true\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "resource.tf"), []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}

	if problem := cli.fmtProblem(dir); !strings.Contains(problem, "enabeld") {
		t.Errorf("fmt check passed a misaligned example, or did not show the diff; got %q", problem)
	}
	result, err := cli.validate(dir)
	if err != nil {
		t.Fatal(err)
	}
	problems := result.problems()
	if result.Valid || !strings.Contains(strings.Join(problems, "\n"), "enabeld") {
		t.Errorf("validate passed an example with a misspelled argument, or did not name it; valid=%t, problems=%q",
			result.Valid, problems)
	}
}

// exampleCLI runs Terraform or OpenTofu with a CLI configuration whose
// dev_overrides point at a provider binary built for the test, so validate
// needs neither init nor a registry.
type exampleCLI struct {
	path       string
	version    [2]int
	configFile string
}

func newExampleCLI(t *testing.T) *exampleCLI {
	t.Helper()
	testAccPreCheck(t)
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		found, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatal("TF_ACC_TERRAFORM_PATH is not set and no terraform is on PATH; set it to a Terraform or OpenTofu binary, as make testacc does.")
		}
		path = found
	}

	dir := t.TempDir()
	cli := &exampleCLI{path: path, configFile: filepath.Join(dir, "dev.tfrc")}
	buildProvider(t, dir)
	writeDevOverrides(t, cli.configFile, dir)
	cli.version = cli.readVersion(t)
	return cli
}

func buildProvider(t *testing.T, dir string) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the examples are validated against a provider built with go build, but no go is on PATH: %v", err)
	}
	out, err := exec.Command(goBin, "build", "-o", filepath.Join(dir, "terraform-provider-securityforconfluence"), providerModule).CombinedOutput()
	if err != nil {
		t.Fatalf("go build of the provider failed: %v\n%s", err, out)
	}
}

// writeDevOverrides covers both registries, since Terraform and OpenTofu
// each assume their own host, and the hashicorp namespace too, which is what
// an example without a required_providers block implies.
func writeDevOverrides(t *testing.T, file, pluginDir string) {
	t.Helper()
	var lines strings.Builder
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		for _, namespace := range []string{"secconf", "hashicorp"} {
			fmt.Fprintf(&lines, "    %q = %q\n", host+"/"+namespace+"/securityforconfluence", pluginDir)
		}
	}
	config := "provider_installation {\n  dev_overrides {\n" + lines.String() + "  }\n  direct {}\n}\n"
	if err := os.WriteFile(file, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (c *exampleCLI) command(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(c.path, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+c.configFile, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return cmd
}

func (c *exampleCLI) readVersion(t *testing.T) [2]int {
	t.Helper()
	out, err := c.command("", "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json failed: %v", c.path, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json printed no JSON: %v\n%s", c.path, err, out)
	}
	parts := strings.SplitN(v.Version, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("cannot read the version %q of %s", v.Version, c.path)
	}
	major, errMajor := strconv.Atoi(parts[0])
	minor, errMinor := strconv.Atoi(parts[1])
	if errMajor != nil || errMinor != nil {
		t.Fatalf("cannot read the version %q of %s", v.Version, c.path)
	}
	return [2]int{major, minor}
}

func (c *exampleCLI) atLeast(major, minor int) bool {
	return c.version[0] > major || (c.version[0] == major && c.version[1] >= minor)
}

// fmtProblem returns the diff fmt would apply to the .tf files of dir, and
// an empty string when they are already formatted.
func (c *exampleCLI) fmtProblem(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err.Error()
	}
	out, err := c.command("", "fmt", "-check", "-diff", "-no-color", abs).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("%v\n%s", err, out)
	}
	return ""
}

func (c *exampleCLI) checkValidates(t *testing.T, name, dir string) {
	t.Helper()
	if usesWriteOnly(t, dir) && !c.atLeast(1, 11) {
		t.Skipf("%s sets a write-only argument, which needs Terraform or OpenTofu 1.11 or later; %s is %d.%d",
			name, c.path, c.version[0], c.version[1])
	}

	work := t.TempDir()
	copyFiles(t, dir, work)
	result, err := c.validate(work)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if problems := result.problems(); !result.Valid || len(problems) > 0 {
		t.Errorf("%s does not validate against the provider (valid=%t):\n%s", name, result.Valid, strings.Join(problems, "\n"))
	}
}

// copyFiles copies every file of an example, so validate sees exactly what
// the docs show and nothing is written into the checkout.
func copyFiles(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		if !entry.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, entry.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, entry.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func usesWriteOnly(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if writeOnlyArgument.Match(data) {
			return true
		}
	}
	return false
}

type validateResult struct {
	Valid       bool                 `json:"valid"`
	Diagnostics []validateDiagnostic `json:"diagnostics"`
}

type validateDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Range    *struct {
		Filename string `json:"filename"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
}

func (c *exampleCLI) validate(dir string) (validateResult, error) {
	var stdout, stderr bytes.Buffer
	cmd := c.command(dir, "validate", "-json", "-no-color")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	var result validateResult
	if err := json.Unmarshal(stdout.Bytes(), &result); err != nil {
		return result, fmt.Errorf("validate printed no JSON (%v, exit: %v):\n%s%s", err, runErr, stdout.String(), stderr.String())
	}
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		return result, fmt.Errorf("could not run %s validate: %w", c.path, runErr)
	}
	return result, nil
}

// problems lists every error and warning but the dev_overrides notice: a
// warning in an example, such as a deprecated argument, is a bug in the docs.
func (r validateResult) problems() []string {
	var problems []string
	for _, d := range r.Diagnostics {
		if d.Summary == devOverridesWarning {
			continue
		}
		where := ""
		if d.Range != nil {
			where = fmt.Sprintf(" (%s line %d)", d.Range.Filename, d.Range.Start.Line)
		}
		problems = append(problems, fmt.Sprintf("%s: %s%s: %s", d.Severity, d.Summary, where, d.Detail))
	}
	return problems
}

// exampleDirs lists every directory under root that holds a .tf file, in a
// stable order so that failures read the same on every run.
func exampleDirs(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// .terraform and other hidden directories hold no example.
		if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".tf") {
			seen[filepath.Dir(path)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("cannot list %s: %v", root, err)
	}
	dirs := make([]string, 0, len(seen))
	for dir := range seen {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	return dirs
}
