package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
)

// bufferingTransport reads each answer's body before handing the response
// up, so the body is read inside the attempt and its retry loop: a body that
// is still arriving when the per-attempt timeout ends is then a timeout like
// any other, retried and reported with the timeout setting to raise.
type bufferingTransport struct {
	next http.RoundTripper
}

type bodyFailureKey struct{}

// withBodyFailureFlag gives one call a flag the transport sets when the last
// attempt failed while reading the body, so that a timeout there can be
// reported as an answer that came too slowly rather than not at all.
func withBodyFailureFlag(ctx context.Context) (context.Context, *atomic.Bool) {
	flag := new(atomic.Bool)
	return context.WithValue(ctx, bodyFailureKey{}, flag), flag
}

func (t *bufferingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	flag, _ := req.Context().Value(bodyFailureKey{}).(*atomic.Bool)
	if flag != nil {
		flag.Store(false)
	}

	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}

	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	_ = resp.Body.Close()
	if readErr != nil && !errors.Is(readErr, io.ErrUnexpectedEOF) {
		if flag != nil {
			flag.Store(true)
		}
		return nil, fmt.Errorf("reading the answer to %s %s: %w", req.Method, req.URL.Path, readErr)
	}
	// A body cut short of its announced length stays with the response,
	// where it is classified as the broken answer it is.
	resp.Body = &bufferedBody{Reader: bytes.NewReader(body), err: readErr}
	return resp, nil
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout())
}

// bufferedBody replays a body read in full, then the error that ended the
// read, if any.
type bufferedBody struct {
	*bytes.Reader
	err error
}

func (b *bufferedBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if errors.Is(err, io.EOF) && b.err != nil {
		return n, b.err
	}
	return n, err
}

func (b *bufferedBody) Close() error { return nil }
