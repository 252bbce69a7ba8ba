package symphony

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrorClass says what to do about an error.
type ErrorClass int

const (
	ClassPermanent ErrorClass = iota // 400, 403, 404: record and move on
	ClassRetry                       // 429, 5xx, timeouts, connection errors
	ClassReauth                      // 401
)

func (c ErrorClass) String() string {
	switch c {
	case ClassRetry:
		return "retry"
	case ClassReauth:
		return "reauth"
	default:
		return "permanent"
	}
}

// APIError is every error a pod call returns (network errors included, with Status 0).
type APIError struct {
	Op         string // e.g. "POST /pod/v1/room/{id}/membership/add"
	Status     int    // HTTP status, 0 for a network error
	Code       int    // Symphony's "code"
	Message    string // Symphony's "message" (or the network error's text)
	Class      ErrorClass
	RetryAfter time.Duration // from Retry-After, 0 if none
	Err        error         // underlying cause, if any

	// DownFor, for a failure with no reply, is how long the pod has given
	// no answer to any call of this client, this attempt included.
	DownFor time.Duration
}

// Error is the message, with the HTTP status added when the message does
// not give it, so that no caller needs to add it.
func (e *APIError) Error() string {
	switch {
	case e.Message == "" && e.Status != 0:
		return fmt.Sprintf("%s: HTTP %d %s", e.Op, e.Status, http.StatusText(e.Status))
	case e.Message == "":
		return e.Op + ": failed"
	case e.Status != 0 && !strings.Contains(e.Message, "HTTP "+strconv.Itoa(e.Status)):
		return fmt.Sprintf("%s (HTTP %d)", e.Message, e.Status)
	}
	return e.Message
}

func (e *APIError) Unwrap() error { return e.Err }

// ErrAuthFailed is in the chain of every error caused by a refused login
// (bad key, unknown user, certificate not accepted): nothing can succeed
// until the configuration is fixed.
var ErrAuthFailed = errors.New("authentication failed")

// ClassOf returns the class of err: an *APIError's own, ClassPermanent for
// anything else.
func ClassOf(err error) ErrorClass {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Class
	}
	return ClassPermanent
}

// classForStatus maps an HTTP status to what the caller should do.
func classForStatus(status int) ErrorClass {
	switch {
	case status == http.StatusUnauthorized:
		return ClassReauth
	case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout, status >= 500:
		return ClassRetry
	default:
		return ClassPermanent
	}
}

// symphonyError is Symphony's error body, {"code": 400, "message": "..."}.
type symphonyError struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
}

// httpError builds the error for a non-2xx reply from its status, headers and body.
func httpError(op string, resp *http.Response, body []byte, now time.Time) *APIError {
	e := &APIError{
		Op:         op,
		Status:     resp.StatusCode,
		Class:      classForStatus(resp.StatusCode),
		RetryAfter: retryAfter(resp.Header, now),
	}
	var se symphonyError
	if json.Unmarshal(body, &se) == nil {
		e.Message = strings.TrimSpace(se.Message)
		e.Code = parseCode(se.Code)
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
		if text := strings.TrimSpace(string(body)); text != "" && len(text) < 200 && !strings.ContainsAny(text, "<{") {
			e.Message += ": " + text
		}
	}
	return e
}

// parseCode reads Symphony's code, which is a number but has been seen as a string.
func parseCode(raw json.RawMessage) int {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// retryAfter reads how long the pod asks to wait. X-Retry-After-Ms (sent by
// the simulated pod when its time is scaled) is preferred because Retry-After
// only carries whole seconds or a date. Any wait is read as asked, however
// long (up to maxRetryAfter, past which a duration would overflow):
// RetryPolicy.MaxWait decides whether it is waited.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("X-Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return clampWait(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 || math.IsNaN(secs) {
			return 0
		}
		return clampWait(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// maxRetryAfter bounds a Retry-After as read: a century is "too long" as
// surely as anything longer.
const maxRetryAfter = 100 * 365 * 24 * time.Hour

func clampWait(ns float64) time.Duration {
	if ns >= float64(maxRetryAfter) || math.IsInf(ns, 1) {
		return maxRetryAfter
	}
	return time.Duration(ns)
}

// networkError builds the error for a request that got no HTTP reply. The
// class says whether trying again can help: a refused certificate or an
// unknown host will not get better by itself, a timeout or reset might.
func networkError(ctx context.Context, op, host string, err error) *APIError {
	e := &APIError{Op: op, Err: err, Class: ClassRetry}
	if ctxErr := ctx.Err(); ctxErr != nil {
		e.Class = ClassPermanent
		e.Err = ctxErr
		if errors.Is(ctxErr, context.Canceled) {
			e.Message = op + ": cancelled"
		} else {
			e.Message = op + ": stopped: the deadline passed"
		}
		return e
	}
	var (
		unknownCA    x509.UnknownAuthorityError
		hostnameErr  x509.HostnameError
		invalidCert  x509.CertificateInvalidError
		recordHeader tls.RecordHeaderError
		dnsErr       *net.DNSError
		netErr       net.Error
	)
	switch {
	case errors.As(err, &unknownCA):
		e.Class = ClassPermanent
		e.Message = fmt.Sprintf("TLS: certificate signed by unknown authority: %s presents a certificate from a CA roster does not trust; "+
			"if the pod (or a proxy) uses a private CA, point truststorePath (legacy) or ssl.trustStore.path (BDK) at a PEM bundle of it", host)
	case errors.As(err, &hostnameErr):
		e.Class = ClassPermanent
		e.Message = fmt.Sprintf("TLS: the certificate presented by %s is not valid for that name (%v)", host, hostnameErr.Error())
	case errors.As(err, &invalidCert):
		e.Class = ClassPermanent
		e.Message = fmt.Sprintf("TLS: the certificate of %s is not valid: %v", host, invalidCert.Error())
	case errors.As(err, &recordHeader):
		e.Class = ClassPermanent
		e.Message = fmt.Sprintf("%s does not speak TLS; check the host, port and scheme in the config", host)
	case strings.Contains(err.Error(), "protocol version"):
		e.Class = ClassPermanent
		e.Message = fmt.Sprintf("TLS: %s does not offer TLS 1.2 or newer, which roster requires", host)
	case strings.Contains(err.Error(), "Proxy Authentication Required"):
		e.Class = ClassPermanent
		e.Message = "the proxy refused the credentials (407 Proxy Authentication Required); check the proxy username and password in the config"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		e.Class = ClassPermanent
		e.Message = fmt.Sprintf("host %q not found; check the host names in the config", dnsErr.Name)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		e.Message = fmt.Sprintf("%s: %s closed the connection without a reply", op, host)
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Message = fmt.Sprintf("%s: %s did not answer in time", op, host)
	default:
		e.Message = fmt.Sprintf("%s: connection to %s failed: %s", op, host, rootCause(err))
	}
	return e
}

// rootCause is the innermost error's text: url.Error repeats the whole URL,
// which is noise next to the op and host already named.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
