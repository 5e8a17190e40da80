package fake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"strings"
	"testing"
)

// The certificate must verify for 127.0.0.1 and every host name asked for,
// with its own PEM as the only root, or the provider's TLS tests prove
// nothing.
func TestStartTLSCertificateVerifies(t *testing.T) {
	s := New()
	baseURL, caPEM := s.StartTLS("confluence.fake.test")
	defer s.Close()
	if !strings.HasPrefix(baseURL, "https://127.0.0.1:") {
		t.Fatalf("base URL = %q, want https on 127.0.0.1", baseURL)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatal("the CA PEM holds no certificate")
	}
	port := strings.TrimPrefix(baseURL, "https://127.0.0.1:")

	for _, host := range []string{"127.0.0.1", "confluence.fake.test"} {
		transport := &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: host, MinVersion: tls.VersionTLS12},
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, "127.0.0.1:"+port)
			},
		}
		resp, err := (&http.Client{Transport: transport}).Get("https://" + host + ":" + port + "/rest/api/space/NONE")
		if err != nil {
			t.Fatalf("GET as %s: %v", host, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET as %s answered %d, want 401 from the fake itself", host, resp.StatusCode)
		}
	}

	resp, err := (&http.Client{}).Get(baseURL + "/rest/api/space/NONE")
	if err == nil {
		_ = resp.Body.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("a client without the CA got %v, want a certificate error", err)
	}
}
