package provider

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// Fifty reviews and fourteen rule toggles at Terraform's default parallelism
// of ten, while the fake answers a run of requests with 429: every write
// lands once, and the plan after each apply is empty. AWS_CLIENT_ID, the
// rule of the reviews, stays enabled so that the reviewed findings stay
// listed; the fake has fifteen built-in rules, so fourteen are toggled off
// and back on, twenty-eight toggles in all.
func TestAccHardeningConcurrency_rateLimited(t *testing.T) {
	const reviews = 50
	srv := hardeningFake(t, reviews)
	var toggled []string
	for _, name := range srv.BuiltInRuleNames() {
		if name != hardeningRule {
			toggled = append(toggled, name)
		}
	}
	// Ten retries: the 429s go to whichever requests come first, and one
	// request may meet several of them in a row.
	block := fmt.Sprintf(`
provider "securityforconfluence" {
  url                    = %q
  username               = "admin"
  password               = "admin"
  max_retries            = 10
  max_retry_wait_seconds = 1
}
`, srv.Start())
	// The writes are where the parallelism is: the shared read cache folds
	// the reads of a refresh into one or two requests, which a long run of
	// 429s would only hold up in turn.
	rateLimit := func(method, path string, times int) func() {
		return func() {
			srv.QueueFault(fake.Fault{Method: http.MethodGet, Status: http.StatusTooManyRequests, Header: retryAfter("1"), Times: 3})
			srv.QueueFault(fake.Fault{Method: method, PathContains: path, Status: http.StatusTooManyRequests, Header: retryAfter("1"), Times: times})
		}
	}
	rules := func(enabled bool) string {
		var b strings.Builder
		for _, name := range toggled {
			fmt.Fprintf(&b, "\nresource \"securityforconfluence_builtin_rule\" %q {\n  name    = %q\n  enabled = %v\n}\n",
				strings.ToLower(name), name, enabled)
		}
		return b.String()
	}
	rulesAre := func(enabled bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			for _, name := range toggled {
				if srv.RuleEnabled(name) != enabled {
					return fmt.Errorf("rule %s enabled = %v, want %v", name, !enabled, enabled)
				}
			}
			return nil
		}
	}
	served := func(*terraform.State) error {
		if pending := srv.PendingFaults(); pending != 0 {
			return fmt.Errorf("%d of the 429s were never served, so the step proves less than it claims", pending)
		}
		return nil
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectReviewCount(srv, 0),
		Steps: []resource.TestStep{
			{
				PreConfig: rateLimit(http.MethodPost, "/create", 20),
				Config:    block + hardeningReviews(reviews) + rules(false),
				Check:     resource.ComposeTestCheckFunc(expectReviewCount(srv, reviews), rulesAre(false), served),
			},
			{
				PreConfig: rateLimit(http.MethodPut, "/rules/built-in/", 10),
				Config:    block + hardeningReviews(reviews) + rules(true),
				Check:     resource.ComposeTestCheckFunc(expectReviewCount(srv, reviews), rulesAre(true), served),
			},
		},
	})
}

// hardeningTerraform runs the terraform CLI against the provider binary built
// from this module, through dev_overrides, in a process group of its own so
// that a provider orphaned by a killed terraform can be cleaned up.
type hardeningTerraform struct {
	t       *testing.T
	workDir string
	env     []string
}

// hardeningBuildProvider builds the provider binary from this module into a
// directory of the test's own.
func hardeningBuildProvider(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-securityforconfluence"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return dir
}

// hardeningNeedsTerraform skips a test that runs the terraform CLI itself
// unless acceptance tests are enabled with a terraform binary.
func hardeningNeedsTerraform(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" || os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("needs TF_ACC and TF_ACC_TERRAFORM_PATH: the test runs the terraform CLI against the built provider")
	}
}

// newHardeningTerraform prepares a working directory for mainTF that uses the
// provider binary in binDir.
func newHardeningTerraform(t *testing.T, binDir, mainTF string, extraEnv ...string) *hardeningTerraform {
	t.Helper()

	workDir := t.TempDir()
	cliConfig := filepath.Join(workDir, "dev.tfrc")
	hardeningWriteFile(t, cliConfig, devOverridesConfig(binDir))
	hardeningWriteFile(t, filepath.Join(workDir, "main.tf"), `
terraform {
  required_providers {
    securityforconfluence = { source = "secconf/securityforconfluence" }
  }
}
`+mainTF)

	env := []string{"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "PATH=" + os.Getenv("PATH"), "HOME=" + workDir}
	return &hardeningTerraform{t: t, workDir: workDir, env: append(env, extraEnv...)}
}

func hardeningWriteFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// start begins a terraform command; its output collects in the returned
// buffer once the command has exited.
func (e *hardeningTerraform) start(args ...string) (*exec.Cmd, *bytes.Buffer) {
	e.t.Helper()
	var output bytes.Buffer
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), append(args, "-no-color", "-input=false")...)
	cmd.Dir, cmd.Env = e.workDir, e.env
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		e.t.Fatalf("starting terraform %s: %v", args[0], err)
	}
	e.t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	return cmd, &output
}

// run runs a terraform command to its end and returns its exit code.
func (e *hardeningTerraform) run(args ...string) (int, string) {
	e.t.Helper()
	cmd, output := e.start(args...)
	err := cmd.Wait()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return exitErr.ExitCode(), output.String()
	}
	if err != nil {
		e.t.Fatalf("terraform %s: %v", args[0], err)
	}
	return 0, output.String()
}

// hardeningWaitFor polls until done reports true, or fails the test after limit.
func hardeningWaitFor(t *testing.T, limit time.Duration, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func hardeningExternalConfig(url string, reviews int) string {
	return fmt.Sprintf(`
provider "securityforconfluence" {
  url                    = %q
  username               = "admin"
  password               = "admin"
  max_retry_wait_seconds = 1
}
`, url) + hardeningReviews(reviews)
}

// SIGINT, as Ctrl-C sends it, makes Terraform ask the provider to stop; the
// provider cancels the request the fake is holding and the apply ends at
// once with the cancellation, not after the request timeout.
func TestAccHardeningInterrupt_sigint(t *testing.T) {
	srv := hardeningFake(t, 1)
	hardeningNeedsTerraform(t)
	tf := newHardeningTerraform(t, hardeningBuildProvider(t), hardeningExternalConfig(srv.Start(), 1))
	srv.QueueFault(fake.Fault{Method: http.MethodPost, PathContains: "/create", Delay: time.Minute})

	cmd, output := tf.start("apply", "-auto-approve")
	hardeningWaitFor(t, time.Minute, "the create request", func() bool {
		return hardeningRequestCount(srv, http.MethodPost, "/create") == 1
	})
	interrupted := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	stopped := time.Since(interrupted)

	if err == nil {
		t.Errorf("the interrupted apply exited 0; output:\n%s", output)
	}
	if stopped > 3*time.Second {
		t.Errorf("terraform took %s to stop after SIGINT, want about a second", stopped)
	}
	t.Logf("terraform stopped %s after SIGINT", stopped.Round(time.Millisecond))
	for _, want := range []string{"Interrupt received", "canceled"} {
		if !strings.Contains(output.String(), want) {
			t.Errorf("the output does not say %q:\n%s", want, output)
		}
	}
	if n := len(srv.ReviewedTexts(hardeningSpace)); n != 0 {
		t.Errorf("the canceled create was stored anyway: %d reviews", n)
	}
}

// A terraform killed with SIGKILL halfway through an apply loses track of
// writes that landed: the local state holds at most the creates it saw
// finish. Applying again re-sends every create the state lacks; the server
// answers 200 for the reviews it already holds, so the apply converges with
// each review stored once and no create sent twice.
func TestAccHardeningInterrupt_sigkillThenReapply(t *testing.T) {
	const reviews = 10
	srv := hardeningFake(t, reviews)
	hardeningNeedsTerraform(t)
	tf := newHardeningTerraform(t, hardeningBuildProvider(t), hardeningExternalConfig(srv.Start(), reviews))
	srv.QueueFault(fake.Fault{Method: http.MethodPost, PathContains: "/create", Times: reviews / 2})
	srv.QueueFault(fake.Fault{Method: http.MethodPost, PathContains: "/create", Delay: time.Minute, Times: reviews / 2})

	cmd, output := tf.start("apply", "-auto-approve")
	hardeningWaitFor(t, time.Minute, "every create to be sent", func() bool {
		return hardeningRequestCount(srv, http.MethodPost, "/create") == reviews
	})
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	landed := srv.ReviewedTexts(hardeningSpace)
	if len(landed) != reviews/2 {
		t.Fatalf("%d reviews landed before the kill, want %d; output:\n%s", len(landed), reviews/2, output)
	}

	srv.ResetRequests()
	if code, out := tf.run("apply", "-auto-approve"); code != 0 {
		t.Fatalf("the apply after the kill exited %d:\n%s", code, out)
	}
	if code, out := tf.run("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan after the re-apply exited %d, want 0 (no changes):\n%s", code, out)
	}
	if err := expectReviewCount(srv, reviews)(nil); err != nil {
		t.Error(err)
	}
	resentLanded := 0
	defer func() {
		t.Logf("the re-apply re-created %d of the %d reviews that had landed", resentLanded, len(landed))
	}()
	for i := 1; i <= reviews; i++ {
		sent := 0
		for _, r := range srv.Requests() {
			if r.Method == http.MethodPost && strings.Contains(string(r.Body), hardeningKey(i)) {
				sent++
			}
		}
		_, wasStored := landed[hardeningKey(i)]
		if wasStored && sent == 1 {
			resentLanded++
		}
		switch {
		case sent > 1:
			t.Errorf("the re-apply sent review %d %d times, want at most once", i, sent)
		case sent == 0 && !wasStored:
			t.Errorf("the re-apply never sent review %d, which had not landed", i)
		}
	}
}
