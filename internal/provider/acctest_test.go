package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// testAccProtoV6ProviderFactories serve the provider in-process. It sees an
// empty environment, so CONFLUENCE_* variables on the machine running the
// tests cannot change what a test configures.
var testAccProtoV6ProviderFactories = testAccFactoriesWithEnv(nil)

// testAccFactoriesWithEnv serves a provider that sees only env as its
// environment, through the same protocol server main.go serves.
func testAccFactoriesWithEnv(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	getenv := func(name string) string { return env[name] }
	serve := ProtocolServer(newWithEnv("test", getenv))
	return map[string]func() (tfprotov6.ProviderServer, error){
		"securityforconfluence": func() (tfprotov6.ProviderServer, error) { return serve(), nil },
	}
}

// testAccPreCheck turns a misconfigured terraform path into one clear
// failure instead of an error in every step.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	terraformPath := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraformPath == "" {
		return
	}
	if !filepath.IsAbs(terraformPath) {
		t.Fatalf("TF_ACC_TERRAFORM_PATH must be an absolute path, got %q", terraformPath)
	}
	if _, err := os.Stat(terraformPath); err != nil {
		t.Fatalf("TF_ACC_TERRAFORM_PATH does not point at a terraform binary: %v", err)
	}
}

// newTestFake starts an empty fake Confluence (admin/admin, the built-in
// rules, no spaces) for the length of the test. Its Start method returns the
// base URL again whenever a test needs it.
func newTestFake(t *testing.T) *fake.Server {
	t.Helper()
	srv := fake.New()
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// providerConfig is the provider block for a fake. Retry waits are capped at
// one second so that tests of server errors stay fast.
func providerConfig(url, user, password string) string {
	return fmt.Sprintf(`
provider "securityforconfluence" {
  url                    = %q
  username               = %q
  password               = %q
  max_retry_wait_seconds = 1
}
`, url, user, password)
}

// adminConfig is providerConfig for the fake's administrator.
func adminConfig(srv *fake.Server) string {
	return providerConfig(srv.Start(), "admin", "admin")
}
