package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors matched with errors.Is against the errors the client
// returns.
var (
	ErrNotFound          = errors.New("not found")
	ErrUnauthorized      = errors.New("authentication failed")
	ErrForbidden         = errors.New("permission denied")
	ErrXSRFRejected      = errors.New("XSRF check failed")
	ErrRateLimited       = errors.New("rate limited")
	ErrServer            = errors.New("server error")
	ErrUnexpectedContent = errors.New("unexpected content")
)

const (
	hintUnauthorized = "Check the username and password, or the personal access token, " +
		"and that the user is active and allowed to log in."
	hintForbidden = "The user must be an administrator of the space, or a Confluence " +
		"administrator for rules; check the user's permissions."
	hintXSRF = "The client sends X-Atlassian-Token: no-check on every request, so check " +
		"whether a proxy or load balancer in front of Confluence strips that header."
	hintNotFound = "Check that the space, content or rule exists and that its key or name " +
		"has the right case, and that the base URL includes any context path such as /confluence."
	hintRateLimited = "Confluence is rate limiting this user; wait and try again, or allow " +
		"more retries and longer retry waits in the provider configuration."
	hintServer = "Confluence failed to handle the request; try again later and check " +
		"the Confluence logs if it persists."
	hintUnexpected = "Check that the base URL points at Confluence itself, including any " +
		"context path such as /confluence, that Security for Confluence is installed, and " +
		"that no single sign-on or proxy login page sits in front of the REST API."
	hintRejected  = "Check the values sent in the request."
	hintTransport = "Check the base URL, the network and any proxy (HTTPS_PROXY, NO_PROXY), " +
		"and the CA certificate or TLS settings."
	hintCertificate = "Check the CA certificate or TLS settings: when a private certificate authority " +
		"signed Confluence's certificate, set ca_cert_file (or CONFLUENCE_CA_CERT_FILE) to that CA's PEM " +
		"certificate, and check that the base URL uses the host name the certificate was issued for. " +
		"insecure_skip_verify turns the check off and is meant for short-lived test instances only."
	hintTimeout = "Check that Confluence is reachable and not overloaded, and any proxy (HTTPS_PROXY, NO_PROXY); " +
		"a slow but healthy Confluence needs a longer request_timeout_seconds (or CONFLUENCE_REQUEST_TIMEOUT_SECONDS)."
)

// APIError describes a call that failed. Its message never holds a password,
// token, encoded credential or match text: the client scrubs them from the
// server's message before building it.
type APIError struct {
	// StatusCode is the HTTP status of the last attempt, 0 when no answer
	// came back.
	StatusCode int

	Method string

	// Path is the escaped request path with its query, as sent.
	Path string

	// Message is what the server said, with secrets masked.
	Message string

	// RetryAfter is the wait the server asked for, if it asked.
	RetryAfter time.Duration

	// Err is the matching sentinel error, or the transport error.
	Err error

	// problem says what went wrong when the status alone does not.
	problem  string
	hint     string
	attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", e.Method, e.Path, e.what())
	if e.attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.attempts)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (the server asked to wait %s)", e.RetryAfter)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, "; the server said: %s", e.Message)
	}
	if e.hint != "" {
		b.WriteString(sentenceEnd(b.String()) + e.hint)
	}
	return b.String()
}

// sentenceEnd avoids a doubled full stop after a server message that
// already ends its sentence.
func sentenceEnd(text string) string {
	if strings.HasSuffix(text, ".") || strings.HasSuffix(text, "!") || strings.HasSuffix(text, "?") {
		return " "
	}
	return ". "
}

func (e *APIError) what() string {
	status := ""
	if e.StatusCode != 0 {
		status = fmt.Sprintf("HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	switch {
	case e.problem != "" && status != "":
		return e.problem + " (" + status + ")"
	case e.problem != "":
		return e.problem
	default:
		return status
	}
}

func (e *APIError) Unwrap() error { return e.Err }

// failedAnswer is what the client learnt from a non-2xx answer. Message and
// location are already scrubbed.
type failedAnswer struct {
	message  string
	location string
	isHTML   bool
	isXSRF   bool
}

// classifyStatus fills in the sentinel, the problem and the hint of e from
// its status and the answer.
func classifyStatus(e *APIError, answer failedAnswer) *APIError {
	e.Message = answer.message
	switch code := e.StatusCode; {
	case code >= 300 && code < 400:
		classifyRedirect(e, answer.location)
	case code == http.StatusUnauthorized:
		e.Err, e.problem, e.hint = ErrUnauthorized, "Confluence rejected the credentials", hintUnauthorized
	case code == http.StatusForbidden && answer.isXSRF:
		e.Err, e.problem, e.hint = ErrXSRFRejected, "Confluence refused the request: XSRF check failed", hintXSRF
	case code == http.StatusForbidden:
		e.Err, e.problem, e.hint = ErrForbidden, "the user may not do this", hintForbidden
	case code == http.StatusNotFound && answer.isHTML:
		e.Err, e.problem, e.hint = ErrUnexpectedContent, "the server answered with a web page instead of the REST API", hintUnexpected
	case code == http.StatusNotFound:
		e.Err, e.problem, e.hint = ErrNotFound, "not found", hintNotFound
	case code == http.StatusTooManyRequests:
		e.Err, e.problem, e.hint = ErrRateLimited, "rate limited", hintRateLimited
	case code >= 500:
		e.Err, e.problem, e.hint = ErrServer, "server error", hintServer
	default:
		e.problem, e.hint = "the request was rejected", hintRejected
	}
	return e
}

func classifyRedirect(e *APIError, location string) {
	e.Err, e.hint = ErrUnexpectedContent, hintUnexpected
	switch {
	case strings.Contains(strings.ToLower(location), "login"):
		e.problem = "the server redirected to a login page (" + location + ") instead of answering"
	case location != "":
		e.problem = "the server redirected to " + location + " instead of answering"
	default:
		e.problem = "the server redirected instead of answering"
	}
}

func isXSRFBody(body []byte) bool {
	return strings.Contains(strings.ToLower(string(body)), "xsrf check failed")
}
