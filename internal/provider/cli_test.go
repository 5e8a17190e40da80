package provider

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// acceptanceCLI is the program the acceptance tests drive: Terraform or
// OpenTofu. The two differ in a few behaviors and messages the tests must
// expect, and in the registry host a bare provider source means.
type acceptanceCLI struct {
	path     string
	openTofu bool
}

var (
	detectCLIOnce sync.Once
	detectedCLI   acceptanceCLI
	detectCLIErr  string
)

// cliVersionLine is the first line of `version`, the only place that names
// the program: version -json says terraform_version under OpenTofu too.
var cliVersionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v\d`)

// testCLI asks the CLI of TF_ACC_TERRAFORM_PATH (or the terraform on PATH,
// which terraform-plugin-testing falls back to) what it is, once per run.
// Without TF_ACC the test skips here, as resource.Test would, instead of
// asking a CLI that may not be installed.
func testCLI(t *testing.T) acceptanceCLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	detectCLIOnce.Do(detectCLI)
	if detectCLIErr != "" {
		t.Fatal(detectCLIErr)
	}
	return detectedCLI
}

func detectCLI() {
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		found, err := exec.LookPath("terraform")
		if err != nil {
			detectCLIErr = "TF_ACC_TERRAFORM_PATH is not set and no terraform is on PATH; set it to a Terraform or OpenTofu binary, as make testacc does."
			return
		}
		path = found
	}
	cmd := exec.Command(path, "version")
	// An empty CLI configuration, because OpenTofu prints a warning ahead of
	// the version when TF_CLI_CONFIG_FILE names a missing file.
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull, "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		detectCLIErr = "running " + path + " version failed: " + err.Error()
		return
	}
	m := cliVersionLine.FindSubmatch(out)
	if m == nil {
		detectCLIErr = path + " version did not start with \"Terraform v\" or \"OpenTofu v\", so the tests cannot tell which CLI they drive; it printed:\n" + string(out)
		return
	}
	detectedCLI = acceptanceCLI{path: path, openTofu: string(m[1]) == "OpenTofu"}
}

// sensitiveImportIDRefused is OpenTofu's error for an import id derived from
// a sensitive value, where Terraform accepts the id and drops the mark.
var sensitiveImportIDRefused = regexp.MustCompile(`The\s+import\s+id\s+cannot\s+be\s+sensitive`)

// name is how the CLI calls itself in its logs and messages.
func (c acceptanceCLI) name() string {
	if c.openTofu {
		return "OpenTofu"
	}
	return "Terraform"
}

// versionLogMarker is the line a TRACE log of the CLI always holds, which
// shows the log caught the CLI's lines at all.
func (c acceptanceCLI) versionLogMarker() string {
	return c.name() + " version"
}

// testProviderAddress is the address the CLI gives the provider under test:
// terraform-plugin-testing names it after TF_ACC_PROVIDER_HOST and
// TF_ACC_PROVIDER_NAMESPACE, and make testacc-tofu sets the host to
// OpenTofu's registry.
func testProviderAddress() string {
	host, namespace := os.Getenv("TF_ACC_PROVIDER_HOST"), os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if host == "" {
		host = "registry.terraform.io"
	}
	if namespace == "" {
		namespace = "hashicorp"
	}
	return host + "/" + namespace + "/securityforconfluence"
}

// devOverridesConfig is a CLI configuration that serves source
// "secconf/securityforconfluence" from binDir under either CLI, since each
// resolves a source without a host to its own registry.
func devOverridesConfig(binDir string) string {
	var b strings.Builder
	b.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		fmt.Fprintf(&b, "    %q = %q\n", host+"/secconf/securityforconfluence", binDir)
	}
	b.WriteString("  }\n  direct {}\n}\n")
	return b.String()
}
