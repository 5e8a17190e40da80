package provider

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// Defaults for the tuning attributes; the schema descriptions quote them.
const (
	defaultRequestTimeoutSeconds = 30
	defaultMaxRetries            = 4
	defaultMaxRetryWaitSeconds   = 30
)

// Upper bounds of the durations, in seconds. An attempt that gets no answer
// within an hour has hung, and a server that asks to wait longer than an hour
// between attempts is better answered by failing than by holding the apply.
// The bounds also keep seconds far below the roughly 292 years a
// time.Duration can hold, which a larger value would silently overflow.
const (
	maxRequestTimeoutSeconds = 3600
	maxMaxRetryWaitSeconds   = 3600
)

// maxMaxRetries keeps the worst case of one request finite and within a day
// even at the largest timeout and wait (21 attempts of an hour and 20 waits
// of an hour). Twenty retries already span over ten minutes of doubling
// waits; a Confluence still failing after that needs a person, not a retry.
const maxMaxRetries = 20

// Environment variables read when the provider block leaves an attribute unset.
const (
	envURL                   = "CONFLUENCE_URL"
	envUsername              = "CONFLUENCE_USERNAME"
	envPassword              = "CONFLUENCE_PASSWORD"
	envToken                 = "CONFLUENCE_TOKEN"
	envCACertFile            = "CONFLUENCE_CA_CERT_FILE"
	envInsecureSkipVerify    = "CONFLUENCE_INSECURE_SKIP_VERIFY"
	envRequestTimeoutSeconds = "CONFLUENCE_REQUEST_TIMEOUT_SECONDS"
	envMaxRetries            = "CONFLUENCE_MAX_RETRIES"
	envMaxRetryWaitSeconds   = "CONFLUENCE_MAX_RETRY_WAIT_SECONDS"
)

var _ provider.Provider = (*securityForConfluenceProvider)(nil)

type securityForConfluenceProvider struct {
	version string

	// getenv is swapped in tests so that the developer's own CONFLUENCE_*
	// variables cannot change what a test sees.
	getenv func(string) string
}

// New returns the constructor providerserver expects.
func New(version string) func() provider.Provider {
	return newWithEnv(version, os.Getenv)
}

func newWithEnv(version string, getenv func(string) string) func() provider.Provider {
	return func() provider.Provider {
		return &securityForConfluenceProvider{version: version, getenv: getenv}
	}
}

// providerModel reads the numbers as any number, so that 2.5 or 1e20 reaches
// the range check, which names the attribute and its variable, instead of
// failing the framework's conversion to int64 with an internal error.
type providerModel struct {
	URL                   types.String `tfsdk:"url"`
	Username              types.String `tfsdk:"username"`
	Password              types.String `tfsdk:"password"`
	Token                 types.String `tfsdk:"token"`
	CACertFile            types.String `tfsdk:"ca_cert_file"`
	InsecureSkipVerify    types.Bool   `tfsdk:"insecure_skip_verify"`
	RequestTimeoutSeconds types.Number `tfsdk:"request_timeout_seconds"`
	MaxRetries            types.Number `tfsdk:"max_retries"`
	MaxRetryWaitSeconds   types.Number `tfsdk:"max_retry_wait_seconds"`
}

func (p *securityForConfluenceProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *securityForConfluenceProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages [Security for Confluence](https://docs.soteri.io/security-for-confluence-dc/latest/), " +
			"the Confluence Data Center app that scans spaces and page histories for leaked secrets. " +
			"Every attribute can also be set by an environment variable; a value in the provider block wins over the variable. " +
			"Authenticate either with a personal access token or with a username and password, never both.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				MarkdownDescription: "Base URL of Confluence, including its context path if it has one, for example " +
					"`https://confluence.example.com` or `https://example.com/confluence`. Only `http` and `https` are accepted, " +
					"and the URL must not carry credentials. Can also be set with `" + envURL + "`.",
				Optional: true,
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Confluence username for HTTP basic authentication. Requires `password`; cannot be combined with `token`. " +
					"Can also be set with `" + envUsername + "`.",
				Optional: true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`. Requires `username`; cannot be combined with `token`. " +
					"Can also be set with `" + envPassword + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "Confluence personal access token, sent as a Bearer token. Cannot be combined with `username` and `password`. " +
					"Can also be set with `" + envToken + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM file of CA certificates to trust in addition to the system's, " +
					"for a Confluence behind a private certificate authority. Can also be set with `" + envCACertFile + "`.",
				Optional: true,
			},
			"insecure_skip_verify": schema.BoolAttribute{
				MarkdownDescription: "Skip verification of Confluence's TLS certificate. Meant for short-lived test instances only: " +
					"anyone on the network path can then read the credentials. The provider warns whenever it is `true`. " +
					"Defaults to `false`. Can also be set with `" + envInsecureSkipVerify + "`.",
				Optional: true,
			},
			"request_timeout_seconds": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("Time limit in seconds for each attempt of a request, from `1` to `%d`. "+
					"Defaults to `%d`. Can also be set with `%s`.",
					maxRequestTimeoutSeconds, defaultRequestTimeoutSeconds, envRequestTimeoutSeconds),
				Optional: true,
			},
			"max_retries": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a connection failure, a rate limit (429) "+
					"or a 502, 503 or 504 answer; other errors, 500 included, are never retried. From `0`, which disables retries, "+
					"to `%d`. Defaults to `%d`. Can also be set with `%s`.",
					maxMaxRetries, defaultMaxRetries, envMaxRetries),
				Optional: true,
			},
			"max_retry_wait_seconds": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("Longest wait in seconds between two attempts, from `1` to `%d`. Every wait is "+
					"capped at this value, including a `Retry-After` the server asks for. Defaults to `%d`. Can also be set with `%s`.",
					maxMaxRetryWaitSeconds, defaultMaxRetryWaitSeconds, envMaxRetryWaitSeconds),
				Optional: true,
			},
		},
	}
}

func (p *securityForConfluenceProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value that depends on a resource not created yet is unknown during
	// plan. Without ProviderData every resource keeps its state and skips
	// API calls; the apply then configures the provider with real values.
	if config.hasUnknown() {
		tflog.Debug(ctx, "Provider configuration has unknown values; the client is not built during this plan")
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		return
	}

	settings := resolveSettings(config, p.getenv, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	clientConfig := settings.clientConfig(p.version, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	apiClient, err := client.New(clientConfig)
	if err != nil {
		resp.Diagnostics.AddError("Create Confluence Client Error",
			"The provider could not build its HTTP client from the configuration.\n\nOriginal Error: "+err.Error())
		return
	}

	tflog.Debug(ctx, "Configured the Security for Confluence client", map[string]any{
		"auth_method": settings.authMethod(),
		"max_retries": settings.maxRetries,
	})

	data := newProviderData(apiClient)
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (m providerModel) hasUnknown() bool {
	return m.URL.IsUnknown() || m.Username.IsUnknown() || m.Password.IsUnknown() ||
		m.Token.IsUnknown() || m.CACertFile.IsUnknown() || m.InsecureSkipVerify.IsUnknown() ||
		m.RequestTimeoutSeconds.IsUnknown() || m.MaxRetries.IsUnknown() || m.MaxRetryWaitSeconds.IsUnknown()
}

func (p *securityForConfluenceProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newBuiltinRuleResource,
		newBuiltinRulesResource,
		newScanResource,
		newReviewedFindingResource,
		newSpaceReviewedFindingsResource,
	}
}

func (p *securityForConfluenceProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newRulesDataSource,
		newSpaceFindingsDataSource,
		newContentFindingsDataSource,
		newFindingsExportDataSource,
	}
}

// setting is one resolved string together with where it came from, so that
// error messages can point at the provider block or at the variable.
type setting struct {
	value  string
	source string
}

func (s setting) isSet() bool { return s.value != "" }

type providerSettings struct {
	baseURL            string
	username           setting
	password           setting
	token              setting
	caCertFile         string
	insecureSkipVerify bool
	requestTimeout     time.Duration
	maxRetries         int
	maxRetryWait       time.Duration
}

func (s providerSettings) authMethod() string {
	if s.token.isSet() {
		return "token"
	}
	return "basic"
}

// resolveSettings merges the provider block with the environment and checks
// every value, reporting all problems at once rather than one per run.
func resolveSettings(config providerModel, getenv func(string) string, diags *diag.Diagnostics) providerSettings {
	r := settingResolver{getenv: getenv, diags: diags}
	s := providerSettings{
		username:   r.str(config.Username, "username", envUsername),
		password:   r.str(config.Password, "password", envPassword),
		token:      r.str(config.Token, "token", envToken),
		caCertFile: r.str(config.CACertFile, "ca_cert_file", envCACertFile).value,
	}

	s.baseURL = r.baseURL(r.str(config.URL, "url", envURL))
	checkCredentials(s, diags)

	s.insecureSkipVerify = r.boolean(config.InsecureSkipVerify, "insecure_skip_verify", envInsecureSkipVerify)
	s.requestTimeout = time.Duration(r.integer(config.RequestTimeoutSeconds, "request_timeout_seconds",
		envRequestTimeoutSeconds, defaultRequestTimeoutSeconds, intRange{1, maxRequestTimeoutSeconds})) * time.Second
	s.maxRetries = int(r.integer(config.MaxRetries, "max_retries", envMaxRetries, defaultMaxRetries,
		intRange{0, maxMaxRetries}))
	s.maxRetryWait = time.Duration(r.integer(config.MaxRetryWaitSeconds, "max_retry_wait_seconds",
		envMaxRetryWaitSeconds, defaultMaxRetryWaitSeconds, intRange{1, maxMaxRetryWaitSeconds})) * time.Second

	if s.insecureSkipVerify {
		diags.AddAttributeWarning(path.Root("insecure_skip_verify"), "TLS Certificate Verification Disabled",
			"insecure_skip_verify is true, so the provider accepts any certificate Confluence presents. "+
				"Anyone on the network path could read the credentials. Use ca_cert_file to trust a private "+
				"certificate authority instead, and keep insecure_skip_verify for short-lived test instances.")
	}
	return s
}

func checkCredentials(s providerSettings, diags *diag.Diagnostics) {
	if blankCredentials(s, diags) {
		return
	}
	hasUser, hasPassword, hasToken := s.username.isSet(), s.password.isSet(), s.token.isSet()
	switch {
	case hasToken && (hasUser || hasPassword):
		basic := s.username
		if !hasUser {
			basic = s.password
		}
		diags.AddAttributeError(path.Root("token"), "Conflicting Confluence Credentials",
			fmt.Sprintf("A personal access token is set by %s and basic authentication by %s. "+
				"Use one method only: either token (%s), or username and password (%s and %s). "+
				"Remove the other from the provider block or unset its environment variables.",
				s.token.source, basic.source, envToken, envUsername, envPassword))
	case hasUser && !hasPassword:
		diags.AddAttributeError(path.Root("password"), "Missing Confluence Password",
			fmt.Sprintf("username is set by %s, but no password is set. Set password in the provider block "+
				"or the %s environment variable, or use a personal access token (token or %s) instead.",
				s.username.source, envPassword, envToken))
	case hasPassword && !hasUser:
		diags.AddAttributeError(path.Root("username"), "Missing Confluence Username",
			fmt.Sprintf("password is set by %s, but no username is set. Set username in the provider block "+
				"or the %s environment variable.", s.password.source, envUsername))
	case !hasToken && !hasUser:
		diags.AddError("Missing Confluence Credentials",
			fmt.Sprintf("The provider needs credentials of a Confluence user. Set either token (or the %s "+
				"environment variable) to a personal access token, or both username and password (or %s and %s).",
				envToken, envUsername, envPassword))
	}
}

// blankCredentials rejects a token or username of white space only, which
// Confluence could only reject at the first request, and then with a 401
// that does not say why. A password may legitimately hold any characters,
// so it is left alone. The value itself is never repeated.
func blankCredentials(s providerSettings, diags *diag.Diagnostics) bool {
	found := false
	for _, c := range []struct {
		value              setting
		attr, env, summary string
		expected           string
	}{
		{s.token, "token", envToken, "Blank Confluence Token", "a personal access token"},
		{s.username, "username", envUsername, "Blank Confluence Username", "the name of a Confluence user"},
	} {
		if !c.value.isSet() || strings.TrimSpace(c.value.value) != "" {
			continue
		}
		found = true
		diags.AddAttributeError(path.Root(c.attr), c.summary,
			fmt.Sprintf("%s is set by %s, but it holds only white space. Set %s in the provider block "+
				"or the %s environment variable to %s, or unset it.", c.attr, c.value.source, c.attr, c.env, c.expected))
	}
	return found
}

type settingResolver struct {
	getenv func(string) string
	diags  *diag.Diagnostics
}

func (r settingResolver) str(v types.String, attr, env string) setting {
	if value := v.ValueString(); value != "" {
		return setting{value: value, source: "the provider block's " + attr}
	}
	return setting{value: r.getenv(env), source: "the " + env + " environment variable"}
}

func (r settingResolver) baseURL(s setting) string {
	if !s.isSet() {
		r.diags.AddAttributeError(path.Root("url"), "Missing Confluence URL",
			fmt.Sprintf("The provider needs the base URL of Confluence. Set url in the provider block or the %s "+
				"environment variable, for example to https://confluence.example.com or https://example.com/confluence.", envURL))
		return ""
	}
	problem := urlProblem(s.value)
	if problem != "" {
		// The value is not repeated: a URL with user info carries a password.
		r.diags.AddAttributeError(path.Root("url"), "Invalid Confluence URL",
			fmt.Sprintf("The URL set by %s %s. Expected the base URL of Confluence, such as "+
				"https://confluence.example.com or https://example.com/confluence.", s.source, problem))
		return ""
	}
	return s.value
}

// urlProblem says what is wrong with a base URL and how to fix it, or
// returns "" when nothing is. It never quotes the URL or a part of it, which
// may carry a password.
func urlProblem(raw string) string {
	if problem := urlTextProblem(raw); problem != "" {
		return problem
	}
	parsed, err := url.Parse(raw)
	if err != nil {
		if strings.Contains(err.Error(), "invalid URL escape") {
			return "has a % that is not followed by two hexadecimal digits; write a literal % as %25"
		}
		return "cannot be parsed as a URL; check it for characters a URL cannot hold, such as a space, " +
			"a backslash or a bracket outside an IPv6 address"
	}
	switch {
	case parsed.User != nil:
		return "contains credentials; set them with username and password or token instead, never in the URL"
	case !strings.EqualFold(parsed.Scheme, "http") && !strings.EqualFold(parsed.Scheme, "https"):
		return fmt.Sprintf("uses the scheme %q; only https and http are supported", parsed.Scheme)
	case parsed.Hostname() == "":
		return "has no host name; put the host between the scheme and any port, " +
			"as in https://confluence.example.com:8443"
	case parsed.RawQuery != "" || parsed.Fragment != "" || parsed.ForceQuery:
		return "has a query string or fragment; only a scheme, host, port and context path are allowed"
	}
	return ""
}

// urlTextProblem catches the mistakes url.Parse reports only as a parse
// error, or not at all, before parsing.
func urlTextProblem(raw string) string {
	switch {
	case strings.TrimSpace(raw) != raw:
		return "begins or ends with white space, such as a space or a line break from a file or a heredoc; " +
			"remove it, for example with trimspace()"
	case strings.ContainsFunc(raw, unicode.IsControl):
		return "contains a line break, tab or other control character; remove it"
	case strings.ContainsFunc(raw, unicode.IsSpace):
		return "contains a space; remove it, or write it as %20 if the context path truly holds one"
	case !strings.Contains(raw, "://"):
		return "has no scheme; it must start with https:// or http://, as in https://confluence.example.com " +
			"or http://127.0.0.1:8090"
	}
	return ""
}

func (r settingResolver) boolean(v types.Bool, attr, env string) bool {
	if !v.IsNull() {
		return v.ValueBool()
	}
	raw := r.getenv(env)
	if raw == "" {
		return false
	}
	parsed, err := strconv.ParseBool(raw)
	if err != nil {
		r.diags.AddAttributeError(path.Root(attr), "Invalid Environment Variable",
			fmt.Sprintf("The %s environment variable must be true or false, but it could not be read as a boolean. "+
				"Set it to true or false, or set %s in the provider block.", env, attr))
	}
	return parsed
}

// intRange is the inclusive range of an integer setting.
type intRange struct{ min, max int64 }

func (b intRange) describe() string {
	return fmt.Sprintf("at least %d and at most %d", b.min, b.max)
}

// integer resolves a whole number within limits, falling back to def when
// neither the provider block nor the environment sets it.
func (r settingResolver) integer(v types.Number, attr, env string, def int64, limits intRange) int64 {
	value, source := def, ""
	switch {
	case !v.IsNull():
		source = "The provider block's " + attr
		number, ok := wholeNumberIn(v.ValueBigFloat(), limits)
		if !ok {
			r.outOfRange(attr, env, source+" is "+formatNumber(v.ValueBigFloat()), limits)
			return def
		}
		value = number
	case r.getenv(env) != "":
		raw := strings.TrimSpace(r.getenv(env))
		parsed, err := strconv.ParseInt(raw, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			r.outOfRange(attr, env, "The "+env+" environment variable is "+raw, limits)
			return def
		case err != nil:
			r.diags.AddAttributeError(path.Root(attr), "Invalid Environment Variable",
				fmt.Sprintf("The %s environment variable must be a whole number, but %q is not. "+
					"Set it to a whole number of %s, or set %s in the provider block.",
					env, r.getenv(env), limits.describe(), attr))
			return def
		}
		value, source = parsed, "The "+env+" environment variable"
	}
	if value < limits.min || value > limits.max {
		r.outOfRange(attr, env, fmt.Sprintf("%s is %d", source, value), limits)
		return def
	}
	return value
}

// wholeNumberIn converts a number only when it is whole and within limits,
// which also keeps it within int64.
func wholeNumberIn(number *big.Float, limits intRange) (int64, bool) {
	if number == nil || !number.IsInt() {
		return 0, false
	}
	if number.Cmp(big.NewFloat(float64(limits.min))) < 0 || number.Cmp(big.NewFloat(float64(limits.max))) > 0 {
		return 0, false
	}
	value, _ := number.Int64()
	return value, true
}

// formatNumber writes a whole number in full and any other in the shortest
// form that reads back the same, such as 2.5 or 1e+30.
func formatNumber(number *big.Float) string {
	if number.IsInt() && number.MinPrec() <= 64 {
		return number.Text('f', 0)
	}
	return number.Text('g', -1)
}

func (r settingResolver) outOfRange(attr, env, found string, limits intRange) {
	r.diags.AddAttributeError(path.Root(attr), "Value Out of Range",
		fmt.Sprintf("%s, but it must be %s. Set %s in the provider block or the %s environment variable "+
			"to a whole number in that range.", found, limits.describe(), attr, env))
}

func (s providerSettings) clientConfig(version string, diags *diag.Diagnostics) client.Config {
	cfg := client.Config{
		BaseURL:            s.baseURL,
		Username:           s.username.value,
		Password:           s.password.value,
		Token:              s.token.value,
		InsecureSkipVerify: s.insecureSkipVerify,
		RequestTimeout:     s.requestTimeout,
		MaxRetries:         s.maxRetries,
		RetryWaitMax:       s.maxRetryWait,
		UserAgent:          "terraform-provider-securityforconfluence/" + version,
	}
	if s.caCertFile != "" {
		cfg.CACertPEM = readCACertFile(s.caCertFile, diags)
	}
	return cfg
}

func readCACertFile(file string, diags *diag.Diagnostics) []byte {
	pemBytes, err := os.ReadFile(file)
	if err != nil {
		diags.AddAttributeError(path.Root("ca_cert_file"), "Unreadable CA Certificate File",
			fmt.Sprintf("The provider could not read the CA certificate file %q. Check that the path is right "+
				"and readable by the user running Terraform.\n\nOriginal Error: %s", file, err))
		return nil
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pemBytes) {
		diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA Certificate File",
			fmt.Sprintf("The file %q holds no PEM-encoded certificate. Expected one or more "+
				"\"-----BEGIN CERTIFICATE-----\" blocks, such as a CA bundle exported in PEM format.", file))
		return nil
	}
	return pemBytes
}
