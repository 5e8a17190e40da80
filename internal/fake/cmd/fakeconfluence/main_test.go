package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeWritesURLAndStopsCleanly(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	var out lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, "127.0.0.1:0", urlFile, &out) }()

	baseURL := waitForFile(t, urlFile)
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") || strings.HasSuffix(baseURL, ":0") {
		t.Fatalf("URL file holds %q, want the picked port", baseURL)
	}
	r, _ := http.NewRequest(http.MethodGet, baseURL+"/rest/security/latest/scan/space/DEMO", nil)
	r.SetBasicAuth("admin", "admin")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("findings of the demo: status %d", resp.StatusCode)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after a stop", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	lines := strings.Split(out.String(), "\n")
	if lines[0] != "fake Confluence listening on "+baseURL+" (admin/admin)" {
		t.Fatalf("startup line %q", lines[0])
	}
	for _, want := range []string{"space DEMO", "space OPS", "space ~jdoe", "GET /rest/security/latest/scan/space/DEMO 200 ", "fake Confluence stopped"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "Basic ") || strings.Contains(out.String(), "AKIA") {
		t.Fatalf("output leaks a credential or a match text:\n%s", out.String())
	}
}

func TestServeRejectsABusyAddress(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	go func() { _ = serve(ctx, "127.0.0.1:0", urlFile, &out) }()
	taken := strings.TrimPrefix(waitForFile(t, urlFile), "http://")
	if err := serve(ctx, taken, "", &lockedBuffer{}); err == nil || !strings.Contains(err.Error(), "cannot listen on "+taken) {
		t.Fatalf("serving on a busy address returned %v", err)
	}
}

func TestRunReadsEnvironment(t *testing.T) {
	t.Setenv("FAKE_ADDR", "not-an-address")
	err := run(nil, &lockedBuffer{})
	if err == nil || !strings.Contains(err.Error(), "not-an-address") {
		t.Fatalf("run with a bad FAKE_ADDR returned %v", err)
	}
	if err := run([]string{"-no-such-flag"}, &lockedBuffer{}); err == nil {
		t.Fatal("an unknown flag was accepted")
	}
}

func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil {
			return string(data)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s was not written", path)
	return ""
}
