package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

const (
	securityAPI   = "rest/security/latest"
	confluenceAPI = "rest/api"

	mediaJSON = "application/json"
	mediaCSV  = "text/csv"

	// maxBodyBytes bounds what one answer may hold; an export of every
	// space is the largest answer the provider asks for.
	maxBodyBytes = 64 << 20

	maxMessageRunes = 300
)

// call describes one API request. segments are unescaped; each becomes
// exactly one path segment. secrets are masked in logs and errors on top of
// the credentials.
type call struct {
	method   string
	api      string
	segments []string
	query    url.Values
	body     any
	accept   string
	secrets  []string
}

// do sends the call with retries and decodes a 2xx answer into out: JSON into
// a pointer, or the raw bytes into a *[]byte for CSV. A nil out still checks
// that the answer is not a web page.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	if cl.accept == "" {
		cl.accept = mediaJSON
	}
	ctx = withLogMasks(ctx, c.secretsFor(cl.secrets...))
	// Errors mask the caller's secrets too; they are expanded only when an
	// error is built, which keeps a successful call cheap.
	secrets := sync.OnceValue(func() []string {
		return c.secretsFor(append(slices.Clone(cl.secrets), contextSecrets(ctx)...)...)
	})
	ctx, attempts := withAttemptCounter(ctx)
	ctx, bodyFailed := withBodyFailureFlag(ctx)

	target, err := c.endpoint(cl.api, cl.segments, cl.query)
	if err != nil {
		return err
	}
	apiErr := &APIError{Method: cl.method, Path: target.RequestURI()}

	req, err := c.newRequest(ctx, cl, target)
	if err != nil {
		return err
	}

	resp, err := c.http.Do(req)
	apiErr.attempts = int(attempts.Load())
	if err != nil {
		if bodyFailed.Load() && ctx.Err() == nil && isTimeout(err) {
			return bodyTimeoutError(apiErr, err, c.http.HTTPClient.Timeout)
		}
		return transportError(ctx, apiErr, err, secrets(), c.http.HTTPClient.Timeout)
	}
	defer func() { _ = resp.Body.Close() }()

	return c.readAnswer(resp, cl, apiErr, secrets, out)
}

func (c *Client) newRequest(ctx context.Context, cl call, target *url.URL) (*retryablehttp.Request, error) {
	var body any
	if cl.body != nil {
		// retryablehttp keeps the bytes and replays them on every attempt.
		encoded, err := json.Marshal(cl.body)
		if err != nil {
			return nil, fmt.Errorf("encoding the body of %s %s: %w", cl.method, target.Path, err)
		}
		body = encoded
	}

	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, target.String(), body)
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", cl.method, target.Path, err)
	}
	req.URL = target

	req.Header.Set("Accept", cl.accept)
	req.Header.Set("User-Agent", c.userAgent)
	// Confluence refuses changes from outside its own pages without it.
	req.Header.Set("X-Atlassian-Token", "no-check")
	if c.authorization != "" {
		req.Header.Set("Authorization", c.authorization)
	}
	if cl.body != nil {
		req.Header.Set("Content-Type", mediaJSON)
	}
	return req, nil
}

// endpoint escapes every segment on its own, so a "/" or "?" inside a space
// key or rule name is sent as %2F or %3F rather than changing the path.
func (c *Client) endpoint(api string, segments []string, query url.Values) (*url.URL, error) {
	escaped := make([]string, 0, len(segments))
	for _, segment := range segments {
		if segment == "" {
			return nil, fmt.Errorf("cannot call %s/%s: a space key, content id or rule name is empty",
				api, strings.Join(segments, "/"))
		}
		escaped = append(escaped, escapeSegment(segment))
	}

	rawPath := c.basePath + "/" + api + "/" + strings.Join(escaped, "/")
	path, err := url.PathUnescape(rawPath)
	if err != nil {
		return nil, fmt.Errorf("cannot build the request path %s: %w", rawPath, err)
	}

	target := &url.URL{Scheme: c.scheme, Host: c.host, Path: path, RawPath: rawPath, RawQuery: query.Encode()}
	// net/http sends RawPath only when it is a valid encoding of Path; were
	// it not, a %2F would silently go out as "/" and change the path.
	if target.EscapedPath() != rawPath {
		return nil, fmt.Errorf("cannot build the request path %s: it would not be sent as escaped", rawPath)
	}
	return target, nil
}

// escapeSegment also escapes the dots of a "." or ".." segment, which a
// server or proxy would otherwise resolve as a relative path.
func escapeSegment(segment string) string {
	if strings.Trim(segment, ".") == "" && len(segment) <= 2 {
		return strings.Repeat("%2E", len(segment))
	}
	return url.PathEscape(segment)
}

// transportError names the kind of failure where the user can act on it: an
// untrusted certificate needs the CA setting, a timeout a longer limit.
func transportError(ctx context.Context, apiErr *APIError, err error, secrets []string, timeout time.Duration) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		apiErr.Err = ctxErr
		apiErr.problem = "the call was canceled (" + ctxErr.Error() + ")"
		return apiErr
	}
	apiErr.Err = err
	apiErr.problem = "no answer from Confluence: " + scrub(err.Error(), secrets)
	apiErr.hint = hintTransport

	var netErr net.Error
	switch {
	case isCertificateError(err):
		apiErr.problem = "Confluence's TLS certificate is not trusted: " + scrub(err.Error(), secrets)
		apiErr.hint = hintCertificate
	case errors.As(err, &netErr) && netErr.Timeout():
		apiErr.problem = fmt.Sprintf("no answer from Confluence within the request timeout of %s: %s",
			timeout, scrub(err.Error(), secrets))
		apiErr.hint = hintTimeout
	}
	return apiErr
}

// bodyTimeoutError reports an answer whose headers came in time but whose
// body did not; the server's words never reach the error, so no body text
// can leak into it.
func bodyTimeoutError(apiErr *APIError, err error, timeout time.Duration) error {
	apiErr.Err = err
	apiErr.problem = fmt.Sprintf("the answer did not arrive in full within the request timeout of %s: "+
		"Confluence sent the headers, then the body too slowly", timeout)
	apiErr.hint = hintTimeout
	return apiErr
}

func (c *Client) readAnswer(resp *http.Response, cl call, apiErr *APIError, secrets func() []string, out any) error {
	apiErr.StatusCode = resp.StatusCode
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if hint, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			apiErr.RetryAfter = hint
		}
		return classifyStatus(apiErr, describeFailure(resp, body, secrets()))
	}

	if problem := bodyProblem(readErr, body); problem != "" {
		return unexpected(apiErr, problem, "")
	}
	if problem, title := contentProblem(cl.accept, resp.Header, body); problem != "" {
		return unexpected(apiErr, problem, scrubMessage(title, secrets()))
	}
	return decodeInto(apiErr, cl.accept, body, out)
}

func bodyProblem(readErr error, body []byte) string {
	switch {
	case errors.Is(readErr, io.ErrUnexpectedEOF):
		return "the response body was cut short before its announced length"
	case readErr != nil:
		return "the response body could not be read (" + readErr.Error() + ")"
	case len(body) > maxBodyBytes:
		return fmt.Sprintf("the response body is larger than %d MiB", maxBodyBytes>>20)
	}
	return ""
}

// contentProblem spots answers that are not what the call asked for: a login
// or error page served with 200, or a body that is not JSON.
func contentProblem(accept string, header http.Header, body []byte) (problem, title string) {
	if looksLikeHTML(header, body) {
		return "the server answered with a web page instead of " + describeMedia(accept), pageTitle(body)
	}
	trimmed := bytes.TrimSpace(body)
	if accept == mediaJSON && len(trimmed) > 0 && !json.Valid(trimmed) {
		return "the response is not valid JSON", ""
	}
	return "", ""
}

func decodeInto(apiErr *APIError, accept string, body []byte, out any) error {
	if raw, ok := out.(*[]byte); ok {
		*raw = body
		return nil
	}
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return unexpected(apiErr, "the response body is empty where "+describeMedia(accept)+" was expected", "")
	}
	// Type errors name the field and the JSON kind, never the value.
	if err := json.Unmarshal(body, out); err != nil {
		return unexpected(apiErr, "the response JSON does not have the expected shape ("+err.Error()+")", "")
	}
	if checked, ok := out.(shapeChecker); ok {
		if problem := checked.shapeProblem(); problem != "" {
			return unexpected(apiErr, problem, "")
		}
	}
	return nil
}

// shapeChecker is an answer that can tell a real empty value from a body
// that merely decoded without error: JSON null, {} and an object of another
// kind all decode into zero values, which would read as "nothing found".
type shapeChecker interface {
	shapeProblem() string
}

func unexpected(apiErr *APIError, problem, message string) *APIError {
	apiErr.Err = ErrUnexpectedContent
	apiErr.problem = problem
	apiErr.Message = message
	apiErr.hint = hintUnexpected
	return apiErr
}

func describeMedia(accept string) string {
	if accept == mediaCSV {
		return "CSV"
	}
	return "JSON"
}

func describeFailure(resp *http.Response, body []byte, secrets []string) failedAnswer {
	return failedAnswer{
		message:  scrubMessage(serverMessage(resp.Header, body), secrets),
		location: scrubMessage(resp.Header.Get("Location"), secrets),
		isHTML:   looksLikeHTML(resp.Header, body),
		isXSRF:   isXSRFBody(body),
	}
}

// serverMessage finds what the server said: the message of a Confluence
// JSON error, the title of a web page, or a short plain-text body.
func serverMessage(header http.Header, body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ""
	}
	var errorBody ErrorBody
	if json.Unmarshal(trimmed, &errorBody) == nil && errorBody.Message != "" {
		return errorBody.Message
	}
	if looksLikeHTML(header, trimmed) {
		if title := pageTitle(trimmed); title != "" {
			return "a web page titled " + title
		}
		return "a web page"
	}
	return string(trimmed)
}

var titlePattern = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

func pageTitle(body []byte) string {
	match := titlePattern.FindSubmatch(body)
	if match == nil {
		return ""
	}
	return html.UnescapeString(string(match[1]))
}

func looksLikeHTML(header http.Header, body []byte) bool {
	mediaType, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if mediaType == "text/html" || mediaType == "application/xhtml+xml" {
		return true
	}
	return bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
}

// scrubMessage masks secrets before and after folding whitespace, and before
// shortening, so that a cut never leaves the start of a secret behind.
func scrubMessage(message string, secrets []string) string {
	message = scrub(collapseSpace(scrub(message, secrets)), secrets)
	runes := []rune(message)
	if len(runes) > maxMessageRunes {
		return string(runes[:maxMessageRunes]) + "…"
	}
	return message
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
