// Command fakeconfluence runs the demo fake Confluence in the foreground, for
// `make fake` and `make demo` and for trying the provider by hand.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/fake"
)

const defaultAddr = "127.0.0.1:8090"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fakeconfluence:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	flags := flag.NewFlagSet("fakeconfluence", flag.ContinueOnError)
	addr := flags.String("addr", envOr("FAKE_ADDR", defaultAddr), "address to listen on; port 0 picks a free port (env FAKE_ADDR)")
	urlFile := flags.String("url-file", os.Getenv("FAKE_URL_FILE"), "file to write the base URL into once listening (env FAKE_URL_FILE)")
	if err := flags.Parse(args); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, *addr, *urlFile, out)
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

// serve listens before it announces anything, so the URL it prints and
// writes is one that already accepts connections.
func serve(ctx context.Context, addr, urlFile string, out io.Writer) error {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	baseURL := "http://" + listener.Addr().String()

	server := fake.NewDemo()
	server.SetRequestLog(out)
	httpServer := &http.Server{Handler: server, ReadHeaderTimeout: 10 * time.Second}

	fmt.Fprintf(out, "fake Confluence listening on %s (admin/admin)\n", baseURL)
	for _, line := range server.DemoSummary() {
		fmt.Fprintln(out, "  "+line)
	}
	if urlFile != "" {
		if err := writeURLFile(urlFile, baseURL); err != nil {
			_ = listener.Close()
			return fmt.Errorf("cannot write the URL file %s: %w", urlFile, err)
		}
	}

	errs := make(chan error, 1)
	go func() { errs <- httpServer.Serve(listener) }()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	fmt.Fprintln(out, "fake Confluence stopped")
	return nil
}

// writeURLFile renames a finished temporary file into place, so a script
// polling for the file never reads half a URL.
func writeURLFile(path, baseURL string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(baseURL), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
