package provider

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

// hardeningHost is a name that resolves nowhere (.test is reserved); only a
// proxy that ignores it and dials the fake can reach the fake under it.
const hardeningHost = "confluence.hardening.test"

func tlsProviderBlock(url, extra string) string {
	return fmt.Sprintf(`
provider "securityforconfluence" {
  url                     = %q
  username                = "admin"
  password                = "admin"
  max_retries             = 0
  request_timeout_seconds = 5
  %s
}

data "securityforconfluence_rules" "all" {}
`, url, extra)
}

// A self-signed Confluence fails with the CA setting named; the CA bundle
// and insecure_skip_verify each make it work; a certificate for another
// host name fails the same clear way.
func TestAccHardeningTLS_selfSigned(t *testing.T) {
	srv := fake.New()
	url, caPEM := srv.StartTLS(hardeningHost)
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	hardeningWriteFile(t, caFile, string(caPEM))
	localhostURL := strings.Replace(url, "127.0.0.1", "localhost", 1)
	untrusted := regexp.MustCompile(`(?s)List Rules Error.*TLS\s+certificate\s+is\s+not\s+trusted.*ca_cert_file.*CONFLUENCE_CA_CERT_FILE`)
	listed := resource.TestCheckResourceAttrSet("data.securityforconfluence_rules.all", "rules.0.name")

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: tlsProviderBlock(url, ""), ExpectError: untrusted},
			{Config: tlsProviderBlock(url, fmt.Sprintf("ca_cert_file = %q", caFile)), Check: listed},
			{Config: tlsProviderBlock(url, "insecure_skip_verify = true"), Check: listed},
			{
				Config:      tlsProviderBlock(localhostURL, fmt.Sprintf("ca_cert_file = %q", caFile)),
				ExpectError: regexp.MustCompile(`(?s)not\s+trusted.*not\s+localhost.*host\s+name\s+the\s+certificate\s+was\s+issued\s+for`),
			},
		},
	})
}

// countingProxy is a forward proxy on loopback: CONNECT tunnels for https
// and absolute-form requests for http, every one sent to the fake whatever
// host it names, and counted by that host.
type countingProxy struct {
	target string // host:port of the fake

	mu       sync.Mutex
	tunnels  map[string]int
	forwards map[string]int
}

func startCountingProxy(t *testing.T, targetURL string) (*countingProxy, string) {
	t.Helper()
	parsed, err := url.Parse(targetURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &countingProxy{target: parsed.Host, tunnels: map[string]int{}, forwards: map[string]int{}}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := &http.Server{Handler: p}
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(func() { _ = server.Close() })
	return p, "http://" + listener.Addr().String()
}

func (p *countingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.count(p.tunnels, r.Host)
		p.tunnel(w)
		return
	}
	p.count(p.forwards, r.URL.Host)
	p.forward(w, r)
}

func (p *countingProxy) count(counts map[string]int, host string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	counts[host]++
}

func (p *countingProxy) counts(host string) (tunnels, forwards int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tunnels[host], p.forwards[host]
}

func (p *countingProxy) tunnel(w http.ResponseWriter) {
	upstream, err := net.Dial("tcp", p.target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		_ = upstream.Close()
		http.Error(w, "cannot tunnel", http.StatusInternalServerError)
		return
	}
	client, _, err := hijacker.Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	_, _ = io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n")
	go func() { _, _ = io.Copy(upstream, client); _ = upstream.Close() }()
	go func() { _, _ = io.Copy(client, upstream); _ = client.Close() }()
}

func (p *countingProxy) forward(w http.ResponseWriter, r *http.Request) {
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host = "http", p.target
	resp, err := (&http.Transport{}).RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	for key, values := range resp.Header {
		w.Header()[key] = values
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// HTTPS_PROXY and HTTP_PROXY must be honored in every TLS mode. Go reads
// them once per process and never for a loopback address, so an in-process
// test could prove neither: this one runs the built provider under the
// terraform CLI with a fresh environment, against the fake under a name that
// resolves nowhere. The plan can only succeed through the proxy, and the
// proxy counts the connections made to that name. With NO_PROXY naming the
// host the same plan fails, which shows there is no other way in.
func TestAccHardeningTLS_proxyFromEnvironment(t *testing.T) {
	hardeningNeedsTerraform(t)
	binDir := hardeningBuildProvider(t)
	tlsFake := fake.New()
	tlsURL, caPEM := tlsFake.StartTLS(hardeningHost)
	t.Cleanup(tlsFake.Close)
	plainFake := newTestFake(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	hardeningWriteFile(t, caFile, string(caPEM))

	named := func(raw string) (string, string) {
		parsed, _ := url.Parse(raw)
		host := hardeningHost + ":" + parsed.Port()
		return parsed.Scheme + "://" + host, host
	}
	cases := []struct {
		name, extra, proxyVar, noProxy string
		fakeURL                        string
		wantOK, tunneled               bool
		wantOutput                     string
	}{
		{name: "https with a CA bundle", extra: fmt.Sprintf("ca_cert_file = %q", caFile), proxyVar: "HTTPS_PROXY",
			fakeURL: tlsURL, wantOK: true, tunneled: true},
		{name: "https without verification", extra: "insecure_skip_verify = true", proxyVar: "HTTPS_PROXY",
			fakeURL: tlsURL, wantOK: true, tunneled: true, wantOutput: "TLS Certificate Verification Disabled"},
		{name: "plain http", proxyVar: "HTTP_PROXY", fakeURL: plainFake.Start(), wantOK: true},
		{name: "https with the host in NO_PROXY", extra: fmt.Sprintf("ca_cert_file = %q", caFile), proxyVar: "HTTPS_PROXY",
			noProxy: hardeningHost, fakeURL: tlsURL, wantOutput: "no answer from Confluence"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			proxy, proxyURL := startCountingProxy(t, tc.fakeURL)
			baseURL, host := named(tc.fakeURL)
			env := []string{tc.proxyVar + "=" + proxyURL, "NO_PROXY=" + tc.noProxy}
			tf := newHardeningTerraform(t, binDir, tlsProviderBlock(baseURL, tc.extra), env...)

			code, output := tf.run("plan")
			tunnels, forwards := proxy.counts(host)

			if (code == 0) != tc.wantOK {
				t.Fatalf("terraform plan exited %d, want success %v:\n%s", code, tc.wantOK, output)
			}
			if tc.wantOutput != "" && !strings.Contains(strings.Join(strings.Fields(output), " "), tc.wantOutput) {
				t.Errorf("the output does not say %q:\n%s", tc.wantOutput, output)
			}
			switch {
			case !tc.wantOK && tunnels+forwards != 0:
				t.Errorf("NO_PROXY named the host, yet the proxy saw %d connections", tunnels+forwards)
			case tc.wantOK && tc.tunneled && tunnels == 0:
				t.Errorf("the proxy tunneled no connection to %s", host)
			case tc.wantOK && !tc.tunneled && forwards == 0:
				t.Errorf("the proxy forwarded no request to %s", host)
			}
		})
	}
}
