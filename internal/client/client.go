package client

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

const (
	defaultRequestTimeout = 30 * time.Second
	defaultRetryWaitMin   = time.Second
	defaultRetryWaitMax   = 30 * time.Second
	defaultUserAgent      = "terraform-provider-securityforconfluence"
)

// Config holds everything New needs to reach one Confluence instance.
type Config struct {
	// BaseURL is the address of Confluence, with its context path if it has
	// one (https://host/confluence). Trailing slashes are ignored.
	BaseURL string

	// Username and Password authenticate with HTTP basic auth.
	Username, Password string

	// Token is a personal access token, sent as "Authorization: Bearer". It
	// takes precedence over Username and Password when both are set.
	Token string

	// CACertPEM is appended to the system's certificate pool.
	CACertPEM []byte

	InsecureSkipVerify bool

	// RequestTimeout bounds each attempt; 0 means 30s.
	RequestTimeout time.Duration

	// MaxRetries counts the retries after the first attempt.
	MaxRetries int

	// RetryWaitMin is the backoff floor; 0 means 1s.
	RetryWaitMin time.Duration

	// RetryWaitMax bounds every wait, Retry-After included; 0 means 30s.
	RetryWaitMax time.Duration

	UserAgent string

	// HTTPClient, when set, provides the base transport (tests use it to
	// trust an httptest TLS server). Its redirect policy and timeout are
	// replaced by the client's own.
	HTTPClient *http.Client
}

// Client calls the Security for Confluence and Confluence REST APIs. It is
// safe for concurrent use.
type Client struct {
	scheme, host string

	// basePath is the escaped context path without a trailing slash, or ""
	// when Confluence is served from the root.
	basePath string

	authorization string
	userAgent     string

	// secrets are scrubbed from every error and masked in every log line.
	secrets []string

	http *retryablehttp.Client
}

// New checks the configuration and builds a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}

	httpClient, err := newHTTPClient(cfg)
	if err != nil {
		return nil, err
	}

	c := &Client{
		scheme:    base.Scheme,
		host:      base.Host,
		basePath:  cleanBasePath(base.EscapedPath()),
		userAgent: cfg.UserAgent,
		http:      newRetryingClient(cfg, httpClient),
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	c.setCredentials(cfg)

	return c, nil
}

// setCredentials keeps every configured secret for scrubbing, including the
// password when a token takes precedence over it.
func (c *Client) setCredentials(cfg Config) {
	pair := cfg.Username + ":" + cfg.Password
	encoded := base64.StdEncoding.EncodeToString([]byte(pair))
	if cfg.Password != "" {
		c.secrets = []string{cfg.Password, pair, encoded}
	}
	c.secrets = append(c.secrets, nonEmpty(cfg.Token)...)

	switch {
	case cfg.Token != "":
		c.authorization = "Bearer " + cfg.Token
	case cfg.Username != "" || cfg.Password != "":
		c.authorization = "Basic " + encoded
		c.secrets = append(c.secrets, encoded)
	}
}

// parseBaseURL refuses anything but a plain http(s) address. The URL is never
// echoed whole, because a mistyped one may carry a password.
func parseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("the Confluence base URL is empty; set it to the address of Confluence, " +
			"for example https://confluence.example.com or https://example.com/confluence")
	}

	u, err := url.Parse(raw)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, fmt.Errorf("the Confluence base URL cannot be parsed (%v); "+
			"expected an address such as https://confluence.example.com/confluence", err)
	}

	if u.User != nil {
		return nil, errors.New("the Confluence base URL carries a username or password; " +
			"remove them from the URL and configure the credentials separately")
	}
	return u, checkBaseURLParts(u)
}

func checkBaseURLParts(u *url.URL) error {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return fmt.Errorf("the Confluence base URL %q must start with https:// or http://", u.Redacted())
	}
	u.Scheme = scheme

	// Host alone is not enough: "http://:8090" has a port and no host, which
	// Go would send to this machine.
	if u.Hostname() == "" {
		return fmt.Errorf("the Confluence base URL %q has no host name", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return fmt.Errorf("the Confluence base URL %q must not carry a query or fragment; "+
			"give only the address of Confluence and its context path", u.Redacted())
	}
	return nil
}

// cleanBasePath drops empty segments so that neither trailing slashes nor
// doubled ones in the configured URL produce "//" in a request path.
func cleanBasePath(escaped string) string {
	var kept []string
	for _, segment := range strings.Split(escaped, "/") {
		if segment != "" {
			kept = append(kept, segment)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return "/" + strings.Join(kept, "/")
}

func newHTTPClient(cfg Config) (*http.Client, error) {
	transport, err := baseTransport(cfg)
	if err != nil {
		return nil, err
	}

	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = defaultRequestTimeout
	}

	return &http.Client{
		Transport:     &bufferingTransport{next: &loggingTransport{next: transport}},
		Timeout:       timeout,
		CheckRedirect: stopAtLoginRedirect,
	}, nil
}

// baseTransport clones a pooled transport, which keeps proxies from the
// environment (HTTPS_PROXY, NO_PROXY), and applies the TLS settings.
func baseTransport(cfg Config) (http.RoundTripper, error) {
	var transport http.RoundTripper = cleanhttp.DefaultPooledTransport()
	if cfg.HTTPClient != nil {
		transport = cfg.HTTPClient.Transport
		if transport == nil {
			transport = http.DefaultTransport
		}
	}

	if len(cfg.CACertPEM) == 0 && !cfg.InsecureSkipVerify {
		return transport, nil
	}

	httpTransport, ok := transport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("the CA certificate and insecure settings need an *http.Transport, "+
			"but the configured HTTP client uses %T", transport)
	}
	httpTransport = httpTransport.Clone()

	tlsConfig, err := buildTLSConfig(httpTransport.TLSClientConfig, cfg)
	if err != nil {
		return nil, err
	}
	httpTransport.TLSClientConfig = tlsConfig
	return httpTransport, nil
}

func buildTLSConfig(existing *tls.Config, cfg Config) (*tls.Config, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if existing != nil {
		tlsConfig = existing.Clone()
	}
	tlsConfig.InsecureSkipVerify = cfg.InsecureSkipVerify //nolint:gosec // the user asked for it

	if len(cfg.CACertPEM) == 0 {
		return tlsConfig, nil
	}

	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(cfg.CACertPEM) {
		return nil, errors.New("the CA certificate bundle holds no PEM certificate; " +
			"expected one or more -----BEGIN CERTIFICATE----- blocks")
	}
	tlsConfig.RootCAs = pool
	return tlsConfig, nil
}

// stopAtLoginRedirect hands a redirect to a login page back as the response
// so that it becomes ErrUnexpectedContent. Other redirects are followed only
// for reads: net/http would turn a redirected POST into a GET.
func stopAtLoginRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return http.ErrUseLastResponse
	}
	if strings.Contains(strings.ToLower(req.URL.String()), "login") {
		return http.ErrUseLastResponse
	}
	if method := via[0].Method; method != http.MethodGet && method != http.MethodHead {
		return http.ErrUseLastResponse
	}
	return nil
}

func nonEmpty(values ...string) []string {
	var kept []string
	for _, v := range values {
		if v != "" {
			kept = append(kept, v)
		}
	}
	return kept
}
