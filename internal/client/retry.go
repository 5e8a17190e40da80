package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

func newRetryingClient(cfg Config, httpClient *http.Client) *retryablehttp.Client {
	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = defaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = defaultRetryWaitMax
	}
	waitMin = min(waitMin, waitMax)

	// Logger stays nil: retryablehttp would otherwise write to stderr, and
	// the logging transport already records every attempt through tflog.
	return &retryablehttp.Client{
		HTTPClient:   httpClient,
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     max(cfg.MaxRetries, 0),
		CheckRetry:   retryPolicy,
		Backoff:      backoff,
		ErrorHandler: keepLastResponse,
	}
}

// retryPolicy retries only what a later attempt can fix. Other 4xx and
// 500/501 are answers, so they go back at once for classification.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return !isPermanentTransportError(err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// isPermanentTransportError spots failures that no retry can cure: a
// certificate the client does not trust, or a scheme it cannot speak.
func isPermanentTransportError(err error) bool {
	return isCertificateError(err) || strings.Contains(err.Error(), "unsupported protocol scheme")
}

func isCertificateError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var invalidCert x509.CertificateInvalidError
	var hostname x509.HostnameError
	var verification *tls.CertificateVerificationError
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification)
}

// keepLastResponse hands the last response to the caller once the retries
// are spent, so the error keeps its status and the server's message rather
// than only "giving up after N attempts".
func keepLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err == nil && resp != nil {
		return resp, nil
	}
	if resp != nil {
		_ = resp.Body.Close()
	}
	return nil, err
}

// backoff doubles the wait per attempt from waitMin and honors a
// Retry-After hint, but never waits longer than waitMax.
func backoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if hint, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(hint, waitMax)
		}
	}

	wait := waitMin
	for i := 0; i < attempt && wait < waitMax; i++ {
		wait *= 2
	}
	return min(wait, waitMax)
}

// parseRetryAfter reads delay-seconds or an HTTP date. Garbage, negative
// numbers and numbers too large for int64 are no hint at all; a delay too long
// to represent saturates, and the caller clamps it anyway.
func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}

	if isDigits(value) {
		seconds, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return 0, false
		}
		if seconds > int64(math.MaxInt64/time.Second) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(seconds) * time.Second, true
	}

	when, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return max(when.Sub(now), 0), true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
