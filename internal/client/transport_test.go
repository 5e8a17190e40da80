package client

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func newTLSServer(t *testing.T) *httptest.Server {
	t.Helper()
	server := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, `[]`)
	}))
	t.Cleanup(server.Close)
	return server
}

func TestTLSSettings(t *testing.T) {
	server := newTLSServer(t)
	serverCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})

	tests := []struct {
		name     string
		set      func(*Config)
		wantErr  string
		wantText []string
	}{
		{name: "extra CA certificate", set: func(cfg *Config) { cfg.CACertPEM = serverCA }},
		{name: "insecure skip verify", set: func(cfg *Config) { cfg.InsecureSkipVerify = true }},
		{name: "base transport of the caller", set: func(cfg *Config) { cfg.HTTPClient = server.Client() }},
		{
			name:     "untrusted certificate is not retried",
			set:      func(*Config) {},
			wantErr:  "certificate",
			wantText: []string{"TLS certificate is not trusted", "ca_cert_file", "CONFLUENCE_CA_CERT_FILE", "insecure_skip_verify"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fastConfig(server.URL)
			tt.set(&cfg)
			c := newTestClient(t, cfg)

			_, err := c.ListRules(testContext(t))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ListRules: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one about the %s", err, tt.wantErr)
			}
			for _, text := range tt.wantText {
				if !strings.Contains(err.Error(), text) {
					t.Errorf("error %q does not contain %q", err, text)
				}
			}
			if strings.Contains(err.Error(), "attempts") {
				t.Errorf("error %q shows a retry of a certificate failure", err)
			}
		})
	}
}

func TestNewRejectsUnusableTransportSettings(t *testing.T) {
	tests := []struct {
		name string
		set  func(*Config)
		want string
	}{
		{"CA bundle without a certificate", func(cfg *Config) { cfg.CACertPEM = []byte("not a certificate") }, "holds no PEM certificate"},
		{"TLS settings on a custom round tripper", func(cfg *Config) {
			cfg.InsecureSkipVerify = true
			cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil })}
		}, "need an *http.Transport"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fastConfig("https://confluence.example.com")
			tt.set(&cfg)
			if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestProxiesComeFromTheEnvironment(t *testing.T) {
	server := newTLSServer(t)
	serverCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})
	configs := map[string]Config{
		"default transport":     fastConfig("https://confluence.example.com"),
		"with a CA certificate": {BaseURL: "https://confluence.example.com", CACertPEM: serverCA},
	}

	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, cfg)
			buffering, ok := c.http.HTTPClient.Transport.(*bufferingTransport)
			if !ok {
				t.Fatalf("transport is a %T, want the buffering transport", c.http.HTTPClient.Transport)
			}
			logging, ok := buffering.next.(*loggingTransport)
			if !ok {
				t.Fatalf("transport below the buffering one is a %T, want the logging transport", buffering.next)
			}
			transport, ok := logging.next.(*http.Transport)
			if !ok {
				t.Fatalf("base transport is a %T, want *http.Transport", logging.next)
			}
			if reflect.ValueOf(transport.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
				t.Error("the transport does not take its proxy from the environment")
			}
		})
	}
}
