package symphony

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
)

// proxyRefusal is a proxy's non-200 answer to CONNECT. net/http reports one
// as a bare status text ("Bad Gateway"); this keeps the proxy, the target
// and the code so the message can say which hop failed.
type proxyRefusal struct {
	proxy  string // host:port of the proxy, never its credentials
	target string // host:port the tunnel was for
	status int
	text   string // the status line, such as "502 Bad Gateway"
}

func (e *proxyRefusal) Error() string {
	return fmt.Sprintf("the proxy %s answered %s to CONNECT %s", e.proxy, e.text, e.target)
}

// checkProxyConnect is the transport's OnProxyConnectResponse hook.
func checkProxyConnect(_ context.Context, proxyURL *url.URL, connectReq *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return &proxyRefusal{proxy: proxyURL.Host, target: connectReq.Host, status: resp.StatusCode, text: resp.Status}
}

// proxyFailure builds the error for a request that failed at the proxy
// rather than at the pod, or returns nil when the proxy is not to blame.
// Without it, a refused connection to the proxy reads as one to the pod,
// which sends the operator to check the wrong thing.
func (c *Client) proxyFailure(ctx context.Context, op string, req *http.Request, err error) *APIError {
	if ctx.Err() != nil {
		return nil // cancellation has its own message
	}
	settings := c.proxySettings()
	var refusal *proxyRefusal
	if errors.As(err, &refusal) {
		e := &APIError{Op: op, Err: err, Class: ClassPermanent}
		switch refusal.status {
		case http.StatusProxyAuthRequired:
			e.Message = fmt.Sprintf("%s: the proxy %s refused the credentials (%s); check the proxy username and password that go with %s",
				op, refusal.proxy, refusal.text, settings)
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			// The proxy is up but cannot reach the pod now: may pass.
			e.Class = ClassRetry
			e.Message = fmt.Sprintf("%s: the proxy %s could not reach %s (%s); check that host and port in the config, "+
				"and that the proxy may connect to it", op, refusal.proxy, refusal.target, refusal.text)
		default:
			e.Message = fmt.Sprintf("%s: the proxy %s refused the tunnel to %s (%s); check %s, "+
				"or ask the proxy's administrators to allow that address", op, refusal.proxy, refusal.target, refusal.text, settings)
		}
		return e
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Op != "proxyconnect" {
		return nil
	}
	proxy := "(unknown address)"
	if u := c.proxyFor(req); u != nil {
		proxy = u.Host // Host carries no user info
	}
	e := &APIError{Op: op, Err: err, Class: ClassRetry}
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		e.Class = ClassPermanent
		e.Message = fmt.Sprintf("%s: the proxy %s: host %q not found; check %s", op, proxy, dnsErr.Name, settings)
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Message = fmt.Sprintf("%s: the proxy %s did not answer in time; check %s and that the proxy is running", op, proxy, settings)
	default:
		e.Message = fmt.Sprintf("%s: cannot reach the proxy %s: %s; check %s and that the proxy is running",
			op, proxy, rootCause(err), settings)
	}
	return e
}

// proxyFor is the proxy the transport picks for req, nil for none.
func (c *Client) proxyFor(req *http.Request) *url.URL {
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil {
		return nil
	}
	u, err := tr.Proxy(req)
	if err != nil {
		return nil
	}
	return u
}

// proxySettings names where the proxy was set, for messages.
func (c *Client) proxySettings() string {
	if c.cfg.Proxy.URL == "" {
		return "the HTTPS_PROXY / NO_PROXY environment variables (the config sets no proxy)"
	}
	return fmt.Sprintf("key %q in %s", c.cfg.keyName("Proxy"), c.cfg.source())
}
