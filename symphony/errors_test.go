package symphony

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestHTTPErrorClassAndBody(t *testing.T) {
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		class      ErrorClass
		code       int
		message    string
		retryAfter time.Duration
	}{
		{"stream not found", 400, nil, `{"code":400,"message":"Stream not found."}`, ClassPermanent, 400, "Stream not found.", 0},
		{"deactivated", 400, nil, `{"code":400,"message":"Cannot add member to a deactivated room"}`, ClassPermanent, 400, "Cannot add member to a deactivated room", 0},
		{"invalid session", 401, nil, `{"code":401,"message":"Invalid session"}`, ClassReauth, 401, "Invalid session", 0},
		{"forbidden", 403, nil, `{"code":403,"message":"The user lacks the required entitlement to perform this operation"}`, ClassPermanent, 403, "The user lacks the required entitlement to perform this operation", 0},
		{"not found", 404, nil, ``, ClassPermanent, 0, "HTTP 404 Not Found", 0},
		{"429 seconds", 429, http.Header{"Retry-After": {"3"}}, `{"code":429,"message":"Too many requests"}`, ClassRetry, 429, "Too many requests", 3 * time.Second},
		{"429 millis preferred", 429, http.Header{"Retry-After": {"1"}, "X-Retry-After-Ms": {"40"}}, ``, ClassRetry, 0, "HTTP 429 Too Many Requests", 40 * time.Millisecond},
		{"429 date", 429, http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, ``, ClassRetry, 0, "HTTP 429 Too Many Requests", 90 * time.Second},
		{"429 past date", 429, http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, ``, ClassRetry, 0, "HTTP 429 Too Many Requests", 0},
		{"429 garbage", 429, http.Header{"Retry-After": {"soon"}, "X-Retry-After-Ms": {"-5"}}, ``, ClassRetry, 0, "HTTP 429 Too Many Requests", 0},
		{"500", 500, nil, `{"code":500,"message":"Server error"}`, ClassRetry, 500, "Server error", 0},
		{"503 text body", 503, nil, "upstream busy", ClassRetry, 0, "HTTP 503 Service Unavailable: upstream busy", 0},
		{"502 html body is not echoed", 502, nil, "<html><body>Bad gateway</body></html>", ClassRetry, 0, "HTTP 502 Bad Gateway", 0},
		{"code as text", 400, nil, `{"code":"400","message":"Bad"}`, ClassPermanent, 400, "Bad", 0},
		{"408", 408, nil, ``, ClassRetry, 0, "HTTP 408 Request Timeout", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: c.status, Header: c.header}
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			e := httpError("GET /pod/x", resp, []byte(c.body), now)
			if e.Status != c.status || e.Class != c.class || e.Code != c.code || e.Message != c.message || e.RetryAfter != c.retryAfter {
				t.Errorf("got status %d class %v code %d message %q retryAfter %v; want %d %v %d %q %v",
					e.Status, e.Class, e.Code, e.Message, e.RetryAfter, c.status, c.class, c.code, c.message, c.retryAfter)
			}
			if got, status := e.Error(), fmt.Sprintf("HTTP %d", c.status); !strings.HasPrefix(got, c.message) || strings.Count(got, status) != 1 {
				t.Errorf("Error() = %q; want the message with %q once", got, status)
			}
		})
	}
}

func TestNetworkErrorClass(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: "https://h:1/pod", Err: err} }
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name  string
		ctx   context.Context
		err   error
		class ErrorClass
		want  string
	}{
		{"unknown CA", context.Background(), wrap(x509.UnknownAuthorityError{}), ClassPermanent, "unknown authority"},
		{"wrong name", context.Background(), wrap(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}), ClassPermanent, "not valid for that name"},
		{"no such host", context.Background(), wrap(&net.DNSError{Err: "no such host", Name: "nope.example", IsNotFound: true}), ClassPermanent, `"nope.example" not found`},
		{"proxy auth", context.Background(), wrap(errors.New("Proxy Authentication Required")), ClassPermanent, "proxy refused the credentials"},
		{"refused", context.Background(), wrap(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), ClassRetry, "connection to h:1 failed"},
		{"reset", context.Background(), wrap(&net.OpError{Op: "read", Err: syscall.ECONNRESET}), ClassRetry, "closed the connection"},
		{"eof", context.Background(), wrap(io.EOF), ClassRetry, "closed the connection"},
		{"timeout", context.Background(), wrap(context.DeadlineExceeded), ClassRetry, "did not answer in time"},
		{"caller cancelled", cancelled, wrap(context.Canceled), ClassPermanent, "cancelled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := networkError(c.ctx, "GET /pod/x", "h:1", c.err)
			if e.Status != 0 || e.Class != c.class || !strings.Contains(e.Message, c.want) {
				t.Errorf("got status %d class %v message %q; want 0 %v containing %q", e.Status, e.Class, e.Message, c.class, c.want)
			}
		})
	}
	if e := networkError(cancelled, "op", "h", context.Canceled); !errors.Is(e, context.Canceled) {
		t.Errorf("a cancelled call must unwrap to context.Canceled")
	}
}

func TestClassOf(t *testing.T) {
	if got := ClassOf(fmt.Errorf("wrapped: %w", &APIError{Class: ClassRetry})); got != ClassRetry {
		t.Errorf("ClassOf(wrapped retry) = %v", got)
	}
	if got := ClassOf(errors.New("x")); got != ClassPermanent {
		t.Errorf("ClassOf(plain) = %v", got)
	}
	for c, s := range map[ErrorClass]string{ClassRetry: "retry", ClassReauth: "reauth", ClassPermanent: "permanent"} {
		if c.String() != s {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), s)
		}
	}
}

// Error gives the HTTP status when the message does not, and never twice.
func TestAPIErrorNamesTheStatus(t *testing.T) {
	cases := []struct {
		e    APIError
		want string
	}{
		{APIError{Op: "GET /pod/x", Status: 400, Message: "Stream not found."}, "Stream not found. (HTTP 400)"},
		{APIError{Op: "GET /pod/x", Status: 404, Message: "HTTP 404 Not Found"}, "HTTP 404 Not Found"},
		{APIError{Op: "GET /pod/x", Status: 403}, "GET /pod/x: HTTP 403 Forbidden"},
		{APIError{Op: "GET /pod/x", Status: 401, Message: "user 401 is not allowed"}, "user 401 is not allowed (HTTP 401)"},
		{APIError{Op: "GET /pod/x", Message: "GET /pod/x: connection to h:1 failed: refused"}, "GET /pod/x: connection to h:1 failed: refused"},
		{APIError{Op: "GET /pod/x"}, "GET /pod/x: failed"},
	}
	for _, c := range cases {
		if got := c.e.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
}
