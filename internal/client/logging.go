package client

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

type attemptsKey struct{}

// withAttemptCounter gives one call its own counter, so the log lines and the
// final error can say which attempt they are about.
func withAttemptCounter(ctx context.Context) (context.Context, *atomic.Int32) {
	counter := new(atomic.Int32)
	return context.WithValue(ctx, attemptsKey{}, counter), counter
}

func nextAttempt(ctx context.Context) int {
	counter, ok := ctx.Value(attemptsKey{}).(*atomic.Int32)
	if !ok {
		return 0
	}
	return int(counter.Add(1))
}

// withLogMasks masks the secrets of one call in every log line written with
// its context, whatever field or message they might end up in.
func withLogMasks(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)
	return tflog.MaskMessageStrings(ctx, secrets...)
}

// loggingTransport sits below retryablehttp and the redirect logic, so it
// sees, and logs, every attempt. It never touches bodies.
type loggingTransport struct {
	next http.RoundTripper
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	attempt := nextAttempt(ctx)
	start := time.Now()

	resp, err := t.next.RoundTrip(req)

	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.RequestURI(),
		"attempt":     attempt,
		"duration_ms": time.Since(start).Milliseconds(),
		"status":      0,
	}
	if err != nil {
		fields["error"] = err.Error()
	} else {
		fields["status"] = resp.StatusCode
	}
	tflog.Debug(ctx, "Confluence API request", fields)

	return resp, err
}
