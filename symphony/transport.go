package symphony

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Default timeouts of Options.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReadTimeout    = 30 * time.Second
)

// maxBody bounds a reply read into memory; the largest real ones (a jumbo
// room's member list, 100 users) are well under a megabyte.
const maxBody = 32 << 20

// newTransport builds the HTTP transport: TLS 1.2 or newer, verified against
// the truststore when one is set (it replaces the system roots, as the SDKs
// do), the proxy with its credentials, and the connect and read timeouts.
func newTransport(cfg *Config, connectTimeout, readTimeout time.Duration, clientCert *tls.Certificate) (*http.Transport, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TrustStorePath != "" {
		pool, err := loadTrustStore(cfg)
		if err != nil {
			return nil, err
		}
		tlsConf.RootCAs = pool
	}
	if clientCert != nil {
		// Go presents it only to servers that ask for one (the session-auth host).
		tlsConf.Certificates = []tls.Certificate{*clientCert}
	}
	proxy := http.ProxyFromEnvironment
	if cfg.Proxy.URL != "" {
		u, err := url.Parse(cfg.Proxy.URL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("%s: key %q: expected a proxy address such as http://proxy.example.com:8080",
				cfg.source(), cfg.keyName("Proxy"))
		}
		if cfg.Proxy.Username != "" {
			// net/http sends these as Proxy-Authorization on the CONNECT.
			u.User = url.UserPassword(cfg.Proxy.Username, cfg.Proxy.Password)
		}
		proxy = http.ProxyURL(u)
	}
	dialer := &net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  proxy,
		OnProxyConnectResponse: checkProxyConnect,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    connectTimeout,
		ResponseHeaderTimeout:  readTimeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		// As many idle connections as calls can be in flight at once: a
		// run of many rooms has one per lane (bulk.MaxLanes) besides the
		// reads, and a connection closed for want of room here is a new
		// TLS handshake on the next call, late for its pace.
		MaxIdleConnsPerHost: maxIdlePerHost,
	}, nil
}

// maxIdlePerHost bounds the idle connections kept to one host.
const maxIdlePerHost = 256

// loadTrustStore reads a PEM bundle of CA certificates.
func loadTrustStore(cfg *Config) (*x509.CertPool, error) {
	key := cfg.keyName("TrustStorePath")
	data, err := readFile(cfg.TrustStorePath)
	if err != nil {
		return nil, fmt.Errorf("%s: key %q: cannot read the truststore: %w", cfg.source(), key, err)
	}
	pool := x509.NewCertPool()
	n := 0
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: key %q: certificate %d in %s cannot be read: %v", cfg.source(), key, n+1, cfg.TrustStorePath, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: key %q: %s holds no PEM certificate; expected a PEM bundle "+
			"(-----BEGIN CERTIFICATE-----); convert a Java keystore with: keytool -exportcert -rfc -keystore FILE",
			cfg.source(), key, cfg.TrustStorePath)
	}
	return pool, nil
}

// request is one HTTP exchange with the pod or an authentication host.
type request struct {
	method   string
	endpoint Endpoint
	path     string     // with IDs filled in
	op       string     // the path as a template, for errors: "POST /pod/v1/room/{id}/membership/add"
	query    url.Values // nil for none
	body     any        // sent as JSON when non-nil
	token    string     // sessionToken header; "" for none
	secret   string     // a credential in the body (the login JWT), kept out of errors as the client's own are

	// change marks a call that changes the pod (a membership call): a 2xx
	// whose body cannot be read whole within changeBodyCap and the
	// attempt's deadline is returned as a reply with bodyErr set, not as a
	// retryable error, since the pod may have made the change.
	change bool
}

// reply is a 2xx answer.
type reply struct {
	status  int
	body    []byte
	bodyErr error // a change's body could not be read whole (too long, cut, or past the deadline)
}

// changeBodyCap bounds the body of a change's reply: Symphony's
// SuccessResponse is a few dozen bytes.
const changeBodyCap = 64 << 10

// send makes one attempt. Any failure is an *APIError.
func (c *Client) send(ctx context.Context, rq request) (*reply, error) {
	scrub := func(e *APIError) *APIError { return c.scrub(e, rq.secret) }
	u := rq.endpoint.BaseURL() + rq.path
	if len(rq.query) > 0 {
		u += "?" + rq.query.Encode()
	}
	var body io.Reader
	if rq.body != nil {
		data, err := json.Marshal(rq.body)
		if err != nil {
			return nil, &APIError{Op: rq.op, Message: rq.op + ": cannot encode the request: " + err.Error(), Err: err}
		}
		body = bytes.NewReader(data)
	}
	attemptCtx, cancel := context.WithTimeout(ctx, c.connectTimeout+c.readTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(attemptCtx, rq.method, u, body)
	if err != nil {
		return nil, &APIError{Op: rq.op, Message: fmt.Sprintf("%s: bad address %s: %v", rq.op, rq.endpoint.BaseURL(), err), Err: err}
	}
	for k, v := range c.cfg.DefaultHeaders {
		req.Header.Set(k, v) // first: roster's own headers below win
	}
	if rq.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if rq.token != "" {
		req.Header.Set("sessionToken", rq.token)
	}
	hostPort := net.JoinHostPort(rq.endpoint.Host, fmt.Sprint(rq.endpoint.Port))
	c.requests.Add(1)
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		if e := c.proxyFailure(ctx, rq.op, req, err); e != nil {
			return nil, scrub(e)
		}
		return nil, scrub(c.unanswered(networkError(ctx, rq.op, hostPort, err), start))
	}
	c.answered()
	defer resp.Body.Close()
	limit := int64(maxBody)
	if rq.change {
		limit = changeBodyCap
	}
	// The attempt's deadline (connect + read timeout) also bounds the body:
	// a reply that never ends is cut when it passes.
	data, err := readCapped(resp.Body, limit, resp.ContentLength)
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	var tooLong *tooLongError
	switch {
	case rq.change && success:
		// The pod may have made the change whatever became of the body:
		// the caller settles it.
		return &reply{status: resp.StatusCode, body: data, bodyErr: err}, nil
	case errors.As(err, &tooLong) && success:
		return nil, scrub(&APIError{Op: rq.op, Status: resp.StatusCode, Class: ClassPermanent, Err: err,
			Message: fmt.Sprintf("%s: %v", rq.op, err)})
	case err != nil && !errors.As(err, &tooLong):
		return nil, scrub(networkError(ctx, rq.op, hostPort, err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, scrub(httpError(rq.op, resp, data, c.now()))
	}
	return &reply{status: resp.StatusCode, body: data}, nil
}

// tooLongError is a reply body over its cap.
type tooLongError struct{ limit int64 }

func (e *tooLongError) Error() string {
	return fmt.Sprintf("the reply is longer than %s, more than any answer to this call", byteSize(e.limit))
}

// byteSize writes a cap: "64 KiB", "32 MiB".
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readCapped reads a body of at most limit bytes; a longer one is an
// error (*tooLongError) with its first limit bytes.
func readCapped(r io.Reader, limit, size int64) ([]byte, error) {
	var data []byte
	var err error
	if size >= 0 && size <= limit {
		data, err = readSized(io.LimitReader(r, limit+1), size)
	} else {
		data, err = io.ReadAll(io.LimitReader(r, limit+1))
	}
	if err == nil && int64(len(data)) > limit {
		return data[:limit], &tooLongError{limit}
	}
	return data, err
}

// readSized reads r to its end as io.ReadAll does, into one buffer of the
// size the server announced (one byte more, to see the end) rather than a
// buffer grown by copies; a body longer than announced is read all the same.
func readSized(r io.Reader, size int64) ([]byte, error) {
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
}

// decode reads a JSON reply into v, as a permanent error if it does not fit.
func decode(op string, r *reply, v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return &APIError{Op: op, Status: r.status, Class: ClassPermanent, Err: err,
			Message: fmt.Sprintf("%s: the reply is not the expected JSON: %v", op, err)}
	}
	return nil
}

// scrub removes any secret of this client, and the extra ones of a request,
// from an error message, in case a server or a library echoes one back.
func (c *Client) scrub(e *APIError, extra ...string) *APIError {
	for _, s := range append(c.secrets(), extra...) {
		if len(s) >= 4 && strings.Contains(e.Message, s) {
			e.Message = strings.ReplaceAll(e.Message, s, redacted)
		}
	}
	return e
}
