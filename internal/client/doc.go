// Package client is the only code in the provider that speaks HTTP. It wraps
// the REST API of Security for Confluence (under rest/security/latest) and the
// few calls of Confluence's own REST API (under rest/api) that the provider
// needs, one method per documented call.
//
// What every call guarantees:
//
//   - Paths are built from escaped segments under the configured base URL,
//     context path included, so a space key such as ~jdoe or a rule name with
//     a slash or a space reaches the server as one segment, and no path ever
//     holds an empty segment.
//   - Every attempt carries the credentials, X-Atlassian-Token: no-check and
//     the configured User-Agent. Connection errors, 429 and 502/503/504 are
//     retried with exponential backoff; Retry-After is honored, but no wait
//     exceeds RetryWaitMax, and a canceled context stops at once.
//   - Failures come back as *APIError, which matches the sentinel errors
//     (ErrNotFound, ErrUnauthorized and the others) with errors.Is and says
//     what to check. A login page, a redirect to one, or a body that is not
//     the JSON expected is ErrUnexpectedContent, never a silent success.
//   - Every attempt is logged through tflog at debug level with method, path,
//     status, attempt and duration_ms. Bodies are never logged, and the
//     password, the token, the encoded basic credentials and any match text
//     are masked in logs and scrubbed from every error, even when the server
//     echoes them.
package client
