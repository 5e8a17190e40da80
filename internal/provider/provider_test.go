package provider

import (
	"context"
	"encoding/pem"
	"fmt"
	"math"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Secrets used by the tests below; no diagnostic may contain them.
const (
	testPassword = "s3cr3t-Passw0rd"
	testToken    = "pat-Tok3n-value"
)

// configureWith runs the provider's Configure on a provider block holding
// values (every other attribute null) and an environment holding env.
func configureWith(t *testing.T, values map[string]tftypes.Value, env map[string]string, deferralAllowed bool) provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	p := newWithEnv("test", func(name string) string { return env[name] })()

	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("provider schema type is %T, want tftypes.Object", schemaResp.Schema.Type().TerraformType(ctx))
	}

	attrs := map[string]tftypes.Value{}
	for name, attrType := range objectType.AttributeTypes {
		attrs[name] = tftypes.NewValue(attrType, nil)
	}
	for name, value := range values {
		if _, known := attrs[name]; !known {
			t.Fatalf("test sets %q, which the provider schema does not have", name)
		}
		attrs[name] = value
	}

	req := provider.ConfigureRequest{
		Config:             tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, attrs)},
		ClientCapabilities: provider.ConfigureProviderClientCapabilities{DeferralAllowed: deferralAllowed},
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, req, &resp)
	return resp
}

func str(v string) tftypes.Value   { return tftypes.NewValue(tftypes.String, v) }
func num(v int64) tftypes.Value    { return tftypes.NewValue(tftypes.Number, v) }
func boolean(v bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, v) }

func TestConfigureUnknownValues(t *testing.T) {
	unknownString := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	cases := map[string]map[string]tftypes.Value{
		"url":      {"url": unknownString, "username": str("admin"), "password": str(testPassword)},
		"password": {"url": str("https://confluence.example.com"), "username": str("admin"), "password": unknownString},
		"token":    {"url": str("https://confluence.example.com"), "token": unknownString},
		"max_retries": {"url": str("https://confluence.example.com"), "token": str(testToken),
			"max_retries": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)},
		// An unknown value excuses what would otherwise be an error.
		"url with credentials missing": {"url": unknownString},
	}
	for name, values := range cases {
		t.Run(name, func(t *testing.T) {
			resp := configureWith(t, values, nil, false)
			if resp.Diagnostics.HasError() {
				t.Fatalf("Configure with an unknown %s failed: %v", name, resp.Diagnostics)
			}
			if resp.ResourceData != nil || resp.DataSourceData != nil {
				t.Errorf("Configure with an unknown %s handed out provider data", name)
			}
			if resp.Deferred != nil {
				t.Errorf("Configure deferred although the client did not allow it")
			}

			deferred := configureWith(t, values, nil, true)
			if deferred.Deferred == nil || deferred.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown {
				t.Errorf("Configure with deferral allowed: Deferred = %+v, want provider config unknown", deferred.Deferred)
			}
		})
	}
}

func TestConfigureSuccess(t *testing.T) {
	cases := map[string]struct {
		values map[string]tftypes.Value
		env    map[string]string
	}{
		"basic auth in the block": {values: map[string]tftypes.Value{
			"url": str("https://example.com/confluence/"), "username": str("admin"), "password": str(testPassword)}},
		"token from the environment": {
			values: map[string]tftypes.Value{"url": str("http://localhost:8090")},
			env:    map[string]string{envToken: testToken}},
		"everything from the environment": {env: map[string]string{
			envURL: "https://confluence.example.com", envUsername: "admin", envPassword: testPassword,
			envRequestTimeoutSeconds: "5", envMaxRetries: "0", envMaxRetryWaitSeconds: "2", envInsecureSkipVerify: "false"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resp := configureWith(t, tc.values, tc.env, false)
			if resp.Diagnostics.HasError() {
				t.Fatalf("Configure failed: %v", resp.Diagnostics)
			}
			data, ok := resp.ResourceData.(*providerData)
			if !ok || data.client == nil || data.reads == nil {
				t.Fatalf("ResourceData = %#v, want *providerData with a client and a read cache", resp.ResourceData)
			}
			if resp.DataSourceData != resp.ResourceData {
				t.Error("data sources and resources were given different provider data")
			}
		})
	}
}

func TestResolveSettingsPrecedenceAndDefaults(t *testing.T) {
	env := map[string]string{
		envURL: "https://from-env.example.com", envUsername: "env-user", envPassword: "env-password",
		envMaxRetries: "7",
	}
	config := providerModel{}
	config.URL = typesString("https://from-block.example.com")
	config.Username = typesString("block-user")
	config.Password = typesString(testPassword)

	var diags diag.Diagnostics
	s := resolveSettings(config, func(name string) string { return env[name] }, &diags)
	if diags.HasError() {
		t.Fatalf("resolveSettings: %v", diags)
	}
	if s.baseURL != "https://from-block.example.com" || s.username.value != "block-user" || s.password.value != testPassword {
		t.Errorf("the provider block did not win: url=%q username=%q", s.baseURL, s.username.value)
	}
	if s.maxRetries != 7 {
		t.Errorf("maxRetries = %d, want 7 from %s", s.maxRetries, envMaxRetries)
	}
	if s.requestTimeout.Seconds() != defaultRequestTimeoutSeconds || s.maxRetryWait.Seconds() != defaultMaxRetryWaitSeconds {
		t.Errorf("defaults not applied: timeout %s, max wait %s", s.requestTimeout, s.maxRetryWait)
	}
}

func TestConfigureErrors(t *testing.T) {
	okURL := str("https://confluence.example.com")
	cases := []struct {
		name    string
		values  map[string]tftypes.Value
		env     map[string]string
		summary string
		attr    string // "" for a diagnostic without an attribute path
		detail  string // regular expression
	}{
		{
			name:    "missing url",
			values:  map[string]tftypes.Value{"token": str(testToken)},
			summary: "Missing Confluence URL", attr: "url", detail: `Set url in the provider block or the CONFLUENCE_URL environment variable`,
		},
		{
			name:    "missing credentials",
			values:  map[string]tftypes.Value{"url": okURL},
			summary: "Missing Confluence Credentials", detail: `Set either token \(or the CONFLUENCE_TOKEN environment variable\).*both username and password \(or CONFLUENCE_USERNAME and CONFLUENCE_PASSWORD\)`,
		},
		{
			name:    "username without password",
			values:  map[string]tftypes.Value{"url": okURL, "username": str("admin")},
			summary: "Missing Confluence Password", attr: "password", detail: `username is set by the provider block's username, but no password is set.*CONFLUENCE_PASSWORD`,
		},
		{
			name:    "password without username",
			values:  map[string]tftypes.Value{"url": okURL},
			env:     map[string]string{envPassword: testPassword},
			summary: "Missing Confluence Username", attr: "username", detail: `password is set by the CONFLUENCE_PASSWORD environment variable, but no username is set`,
		},
		{
			name:    "token and basic auth",
			values:  map[string]tftypes.Value{"url": okURL, "username": str("admin"), "password": str(testPassword)},
			env:     map[string]string{envToken: testToken},
			summary: "Conflicting Confluence Credentials", attr: "token",
			detail: `token is set by the CONFLUENCE_TOKEN environment variable and basic authentication by the provider block's username\. Use one method only`,
		},
		{
			name:    "blank token in the block",
			values:  map[string]tftypes.Value{"url": okURL, "token": str("   ")},
			summary: "Blank Confluence Token", attr: "token",
			detail: `token is set by the provider block's token, but it holds only white space\. Set token in the provider block or the CONFLUENCE_TOKEN environment variable`,
		},
		{
			name:    "blank token in the environment",
			values:  map[string]tftypes.Value{"url": okURL},
			env:     map[string]string{envToken: " \t\n"},
			summary: "Blank Confluence Token", attr: "token",
			detail: `token is set by the CONFLUENCE_TOKEN environment variable, but it holds only white space`,
		},
		{
			name:    "blank username in the block",
			values:  map[string]tftypes.Value{"url": okURL, "username": str("  "), "password": str(testPassword)},
			summary: "Blank Confluence Username", attr: "username",
			detail: `username is set by the provider block's username, but it holds only white space\. Set username in the provider block or the CONFLUENCE_USERNAME environment variable`,
		},
		{
			name:    "blank username in the environment",
			values:  map[string]tftypes.Value{"url": okURL},
			env:     map[string]string{envUsername: "\t", envPassword: testPassword},
			summary: "Blank Confluence Username", attr: "username",
			detail: `username is set by the CONFLUENCE_USERNAME environment variable, but it holds only white space`,
		},
		{
			name:    "ftp scheme",
			values:  map[string]tftypes.Value{"url": str("ftp://confluence.example.com"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `uses the scheme "ftp"; only https and http are supported`,
		},
		{
			name:    "no scheme",
			values:  map[string]tftypes.Value{"url": str("confluence.example.com"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `has no scheme`,
		},
		{
			name:    "url with a trailing line break",
			values:  map[string]tftypes.Value{"url": str("https://confluence.example.com\n"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `begins or ends with white space.*trimspace\(\)`,
		},
		{
			name:    "url with a leading space",
			values:  map[string]tftypes.Value{"url": str(" https://confluence.example.com"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `begins or ends with white space`,
		},
		{
			name:    "url with a line break inside",
			values:  map[string]tftypes.Value{"url": str("https://confluence\n.example.com"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `contains a line break, tab or other control character; remove it`,
		},
		{
			name:    "url with a space inside",
			values:  map[string]tftypes.Value{"url": str("https://example.com/my confluence"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `contains a space; remove it, or write it as %20`,
		},
		{
			name:    "address and port without scheme",
			values:  map[string]tftypes.Value{"url": str("127.0.0.1:8090"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `has no scheme; it must start with https:// or http://`,
		},
		{
			name:    "host and port without scheme",
			values:  map[string]tftypes.Value{"url": str("localhost:8090"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `has no scheme`,
		},
		{
			name:    "bad percent escape",
			values:  map[string]tftypes.Value{"url": str("https://example.com/conf%zluence"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `has a % that is not followed by two hexadecimal digits; write a literal % as %25`,
		},
		{
			name:    "port without host",
			values:  map[string]tftypes.Value{"url": str("http://:18391"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `has no host name; put the host between the scheme and any port`,
		},
		{
			name:    "credentials in the url",
			values:  map[string]tftypes.Value{"url": str("https://admin:" + testPassword + "@confluence.example.com"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `contains credentials; set them with username and password or token instead`,
		},
		{
			name:    "query in the url",
			values:  map[string]tftypes.Value{"url": str("https://confluence.example.com/?os_authType=basic"), "token": str(testToken)},
			summary: "Invalid Confluence URL", attr: "url", detail: `has a query string or fragment`,
		},
		{
			name:    "unparsable number in the environment",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken)},
			env:     map[string]string{envMaxRetries: "four"},
			summary: "Invalid Environment Variable", attr: "max_retries", detail: `The CONFLUENCE_MAX_RETRIES environment variable must be a whole number, but "four" is not`,
		},
		{
			name:    "negative number in the block",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken), "max_retries": num(-1)},
			summary: "Value Out of Range", attr: "max_retries", detail: `The provider block's max_retries is -1, but it must be at least 0`,
		},
		{
			name:    "fraction in the block",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken), "max_retries": tftypes.NewValue(tftypes.Number, 2.5)},
			summary: "Value Out of Range", attr: "max_retries",
			detail: `The provider block's max_retries is 2\.5, but it must be at least 0 and at most 20\. ` +
				`Set max_retries in the provider block or the CONFLUENCE_MAX_RETRIES environment variable to a whole number`,
		},
		{
			name: "number beyond int64 in the block",
			values: map[string]tftypes.Value{"url": okURL, "token": str(testToken),
				"request_timeout_seconds": tftypes.NewValue(tftypes.Number, big.NewFloat(1e20))},
			summary: "Value Out of Range", attr: "request_timeout_seconds",
			detail: `The provider block's request_timeout_seconds is 100000000000000000000, but it must be at least 1 and at most 3600\. ` +
				`Set request_timeout_seconds in the provider block or the CONFLUENCE_REQUEST_TIMEOUT_SECONDS environment variable`,
		},
		{
			name:    "too many retries in the block",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken), "max_retries": num(21)},
			summary: "Value Out of Range", attr: "max_retries", detail: `The provider block's max_retries is 21, but it must be at least 0 and at most 20`,
		},
		{
			name:    "too many retries in the environment",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken)},
			env:     map[string]string{envMaxRetries: "1000"},
			summary: "Value Out of Range", attr: "max_retries", detail: `The CONFLUENCE_MAX_RETRIES environment variable is 1000, but it must be at least 0 and at most 20`,
		},
		{
			name:    "zero timeout in the environment",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken)},
			env:     map[string]string{envRequestTimeoutSeconds: "0"},
			summary: "Value Out of Range", attr: "request_timeout_seconds", detail: `The CONFLUENCE_REQUEST_TIMEOUT_SECONDS environment variable is 0, but it must be at least 1`,
		},
		{
			name:    "timeout overflowing a duration in the block",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken), "request_timeout_seconds": num(math.MaxInt64)},
			summary: "Value Out of Range", attr: "request_timeout_seconds",
			detail: `The provider block's request_timeout_seconds is 9223372036854775807, but it must be at least 1 and at most 3600\. ` +
				`Set request_timeout_seconds in the provider block or the CONFLUENCE_REQUEST_TIMEOUT_SECONDS environment variable`,
		},
		{
			name:    "retry wait overflowing a duration in the environment",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken)},
			env:     map[string]string{envMaxRetryWaitSeconds: "9223372036854775807"},
			summary: "Value Out of Range", attr: "max_retry_wait_seconds",
			detail: `The CONFLUENCE_MAX_RETRY_WAIT_SECONDS environment variable is 9223372036854775807, but it must be at least 1 and at most 3600`,
		},
		{
			name:    "unparsable boolean in the environment",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken)},
			env:     map[string]string{envInsecureSkipVerify: "sometimes"},
			summary: "Invalid Environment Variable", attr: "insecure_skip_verify", detail: `CONFLUENCE_INSECURE_SKIP_VERIFY environment variable must be true or false`,
		},
		{
			name:    "missing ca file",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken), "ca_cert_file": str("/nonexistent/ca.pem")},
			summary: "Unreadable CA Certificate File", attr: "ca_cert_file", detail: `could not read the CA certificate file "/nonexistent/ca.pem"`,
		},
		{
			name:    "ca file without pem",
			values:  map[string]tftypes.Value{"url": okURL, "token": str(testToken), "ca_cert_file": str(writeTempFile(t, "not a certificate"))},
			summary: "Invalid CA Certificate File", attr: "ca_cert_file", detail: `holds no PEM-encoded certificate`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := configureWith(t, tc.values, tc.env, false)
			if resp.ResourceData != nil {
				t.Error("Configure handed out provider data despite an error")
			}
			errs := resp.Diagnostics.Errors()
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want exactly 1: %v", len(errs), resp.Diagnostics)
			}
			got := errs[0]
			if got.Summary() != tc.summary {
				t.Errorf("summary = %q, want %q", got.Summary(), tc.summary)
			}
			if !regexp.MustCompile(tc.detail).MatchString(got.Detail()) {
				t.Errorf("detail = %q, want a match for %q", got.Detail(), tc.detail)
			}
			assertAttributePath(t, got, tc.attr)
			assertNoSecrets(t, resp.Diagnostics)
		})
	}
}

// TestConfigureDurationBounds checks both ends of the duration settings, in
// the block and in the environment, up to values that would overflow a
// time.Duration.
func TestConfigureDurationBounds(t *testing.T) {
	settings := []struct {
		attr, env string
		got       func(providerSettings) time.Duration
	}{
		{"request_timeout_seconds", envRequestTimeoutSeconds, func(s providerSettings) time.Duration { return s.requestTimeout }},
		{"max_retry_wait_seconds", envMaxRetryWaitSeconds, func(s providerSettings) time.Duration { return s.maxRetryWait }},
	}
	cases := []struct {
		block int64  // 0 leaves the attribute unset
		env   string // "" leaves the variable unset
		want  time.Duration
		found string // start of the error detail; "" when the value is accepted
	}{
		{block: 1, want: time.Second},
		{block: 3600, want: time.Hour},
		{env: "3600", want: time.Hour},
		{env: " 3600\n", want: time.Hour},
		{block: 3601, found: "The provider block's %[1]s is 3601"},
		{block: math.MaxInt64, found: "The provider block's %[1]s is 9223372036854775807"},
		{env: "3601", found: "The %[2]s environment variable is 3601"},
		{env: "9223372036854775807", found: "The %[2]s environment variable is 9223372036854775807"},
		{env: "9223372036854775808", found: "The %[2]s environment variable is 9223372036854775808"},
		{block: 3601, env: "5", found: "The provider block's %[1]s is 3601"},
	}
	for _, setting := range settings {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/block=%d/env=%q", setting.attr, tc.block, tc.env), func(t *testing.T) {
				config := providerModel{URL: typesString("https://confluence.example.com"), Token: typesString(testToken)}
				config.RequestTimeoutSeconds, config.MaxRetryWaitSeconds = types.NumberNull(), types.NumberNull()
				config.MaxRetries = types.NumberNull()
				if tc.block != 0 {
					value := types.NumberValue(new(big.Float).SetInt64(tc.block))
					if setting.attr == "request_timeout_seconds" {
						config.RequestTimeoutSeconds = value
					} else {
						config.MaxRetryWaitSeconds = value
					}
				}
				env := map[string]string{setting.env: tc.env}

				var diags diag.Diagnostics
				s := resolveSettings(config, func(name string) string { return env[name] }, &diags)
				if tc.found == "" {
					if diags.HasError() || setting.got(s) != tc.want {
						t.Fatalf("got %s and %v, want %s without errors", setting.got(s), diags, tc.want)
					}
					return
				}
				assertRangeError(t, diags, setting.attr, fmt.Sprintf(tc.found, setting.attr, setting.env), setting.env)
			})
		}
	}
}

func assertRangeError(t *testing.T, diags diag.Diagnostics, attr, found, env string) {
	t.Helper()
	errs := diags.Errors()
	if len(errs) != 1 || errs[0].Summary() != "Value Out of Range" {
		t.Fatalf("errors = %v, want one Value Out of Range", diags)
	}
	assertAttributePath(t, errs[0], attr)
	want := found + ", but it must be at least 1 and at most 3600. Set " + attr +
		" in the provider block or the " + env + " environment variable"
	if !strings.HasPrefix(errs[0].Detail(), want) {
		t.Errorf("detail = %q, want it to start with %q", errs[0].Detail(), want)
	}
}

// TestConfigureReportsEveryNumberProblemAtOnce sets all three numbers wrong
// in one block: each must get its own error in the same run.
func TestConfigureReportsEveryNumberProblemAtOnce(t *testing.T) {
	resp := configureWith(t, map[string]tftypes.Value{
		"url": str("https://confluence.example.com"), "token": str(testToken),
		"request_timeout_seconds": tftypes.NewValue(tftypes.Number, big.NewFloat(1e20)),
		"max_retries":             tftypes.NewValue(tftypes.Number, 2.5),
		"max_retry_wait_seconds":  num(0),
	}, nil, false)
	got := map[string]bool{}
	for _, d := range resp.Diagnostics.Errors() {
		if d.Summary() != "Value Out of Range" {
			t.Errorf("unexpected error %q: %s", d.Summary(), d.Detail())
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			got[withPath.Path().String()] = true
		}
	}
	for _, attr := range []string{"request_timeout_seconds", "max_retries", "max_retry_wait_seconds"} {
		if !got[attr] {
			t.Errorf("no error on %s; errors: %v", attr, resp.Diagnostics)
		}
	}
}

func TestConfigureReportsEveryProblemAtOnce(t *testing.T) {
	resp := configureWith(t, map[string]tftypes.Value{"url": str("ftp://x"), "max_retries": num(-2)}, nil, false)
	var summaries []string
	for _, d := range resp.Diagnostics.Errors() {
		summaries = append(summaries, d.Summary())
	}
	want := "Invalid Confluence URL,Missing Confluence Credentials,Value Out of Range"
	if strings.Join(summaries, ",") != want {
		t.Errorf("errors = %q, want %s", summaries, want)
	}
}

func TestConfigureInsecureSkipVerifyWarns(t *testing.T) {
	resp := configureWith(t, map[string]tftypes.Value{
		"url": str("https://confluence.example.com"), "token": str(testToken), "insecure_skip_verify": boolean(true),
	}, nil, false)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure failed: %v", resp.Diagnostics)
	}
	warnings := resp.Diagnostics.Warnings()
	if len(warnings) != 1 || warnings[0].Summary() != "TLS Certificate Verification Disabled" {
		t.Fatalf("warnings = %v, want one TLS Certificate Verification Disabled", warnings)
	}
	assertAttributePath(t, warnings[0], "insecure_skip_verify")
	if resp.ResourceData == nil {
		t.Error("a warning must not stop Configure from handing out provider data")
	}
}

func TestUserAgentCarriesVersion(t *testing.T) {
	s := providerSettings{baseURL: "https://confluence.example.com", token: setting{value: testToken}}
	var diags diag.Diagnostics
	cfg := s.clientConfig("1.2.3", &diags)
	if cfg.UserAgent != "terraform-provider-securityforconfluence/1.2.3" {
		t.Errorf("UserAgent = %q", cfg.UserAgent)
	}
}

// The fake served over TLS with a certificate only ca_cert_file vouches for:
// trusted with the file, refused without it, accepted with insecure_skip_verify.
func TestAccProvider_caCertFile(t *testing.T) {
	srv := newTestFake(t)
	tlsServer := httptest.NewTLSServer(srv)
	t.Cleanup(tlsServer.Close)
	caFile := writeTempFile(t, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsServer.Certificate().Raw})))

	config := func(extra string) string {
		return `
provider "securityforconfluence" {
  url         = "` + tlsServer.URL + `"
  username    = "admin"
  password    = "admin"
  max_retries = 0
` + extra + `
}

data "securityforconfluence_rules" "all" {}
`
	}
	rulesListed := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.securityforconfluence_rules.all", tfjsonpath.New("rules"),
			knownvalue.ListSizeExact(len(srv.BuiltInRuleNames()))),
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(`ca_cert_file = "` + caFile + `"`), ConfigStateChecks: rulesListed},
			{Config: config(""), ExpectError: regexp.MustCompile(`(?s)List Rules Error.*certificate`)},
			{Config: config(`insecure_skip_verify = true`), ConfigStateChecks: rulesListed},
		},
	})
}

func TestAccProvider_configErrors(t *testing.T) {
	srv := newTestFake(t)
	dataSource := "\ndata \"securityforconfluence_rules\" \"all\" {}\n"
	cases := []struct {
		name   string
		config string
		env    map[string]string
		want   *regexp.Regexp
	}{
		{
			name:   "missing credentials",
			config: `provider "securityforconfluence" { url = "` + srv.Start() + `" }`,
			want:   regexp.MustCompile(`(?s)Missing Confluence Credentials.*CONFLUENCE_TOKEN.*CONFLUENCE_USERNAME`),
		},
		{
			name:   "conflicting credentials",
			config: providerConfig(srv.Start(), "admin", testPassword),
			env:    map[string]string{envToken: testToken},
			want:   regexp.MustCompile(`(?s)Conflicting Confluence Credentials.*CONFLUENCE_TOKEN\s+environment\s+variable`),
		},
		{
			name:   "bad url scheme",
			config: providerConfig("ftp://confluence.example.com", "admin", "admin"),
			want:   regexp.MustCompile(`(?s)Invalid Confluence URL.*scheme\s+"ftp"`),
		},
		{
			name: "numbers that are not whole or too large",
			config: `provider "securityforconfluence" {
  url                     = "` + srv.Start() + `"
  token                   = "` + testToken + `"
  request_timeout_seconds = 1e20
  max_retries             = 2.5
}`,
			want: regexp.MustCompile(`(?s)Value Out of Range.*request_timeout_seconds is 100000000000000000000.*` +
				`CONFLUENCE_REQUEST_TIMEOUT_SECONDS.*Value Out of Range.*max_retries is 2\.5.*at\s+most\s+20`),
		},
		{
			name:   "port without host",
			config: providerConfig("http://:18391", "admin", "admin"),
			want:   regexp.MustCompile(`(?s)Invalid Confluence URL.*has no host name`),
		},
		{
			name:   "missing url",
			config: `provider "securityforconfluence" { token = "` + testToken + `" }`,
			want:   regexp.MustCompile(`(?s)Missing Confluence URL.*CONFLUENCE_URL`),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccFactoriesWithEnv(tc.env),
				Steps: []resource.TestStep{
					{Config: tc.config + dataSource, ExpectError: tc.want},
				},
			})
		})
	}
	if srv.RequestCount() != 0 {
		t.Errorf("a misconfigured provider sent %d requests", srv.RequestCount())
	}
}

// A data source cannot keep prior state the way a resource can, so an
// unknown provider value has to fail its read with an explanation.
func TestAccProvider_unknownConfigDataSource(t *testing.T) {
	srv := newTestFake(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
resource "terraform_data" "url" {
  input = "` + srv.Start() + `"
}

provider "securityforconfluence" {
  url      = terraform_data.url.output
  username = "admin"
  password = "admin"
}

data "securityforconfluence_rules" "all" {}
`,
				ExpectError: regexp.MustCompile(`(?s)Provider Not Configured.*unknown\s+values.*depends_on`),
			},
		},
	})
}

func assertAttributePath(t *testing.T, d diag.Diagnostic, attr string) {
	t.Helper()
	withPath, ok := d.(diag.DiagnosticWithPath)
	switch {
	case attr == "" && ok:
		t.Errorf("diagnostic is on %s, want no attribute path", withPath.Path())
	case attr != "" && !ok:
		t.Errorf("diagnostic has no attribute path, want %s", attr)
	case attr != "" && !withPath.Path().Equal(path.Root(attr)):
		t.Errorf("diagnostic is on %s, want %s", withPath.Path(), attr)
	}
}

func assertNoSecrets(t *testing.T, diags diag.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		for _, secret := range []string{testPassword, testToken} {
			if strings.Contains(d.Summary()+d.Detail(), secret) {
				t.Errorf("diagnostic %q reveals a secret: %s", d.Summary(), d.Detail())
			}
		}
	}
}

func writeTempFile(t *testing.T, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func typesString(v string) types.String { return types.StringValue(v) }
