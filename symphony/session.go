package symphony

import (
	"cmp"
	"context"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Options tune a Client. The zero value is usable.
type Options struct {
	Auth      AuthMethod       // "" = infer from the config
	Now       func() time.Time // clock; default time.Now
	UserAgent string
	// Timeouts; zero means the defaults (10s connect, 30s read).
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
}

// Client talks to one pod. It is safe for concurrent use.
type Client struct {
	cfg            Config // a copy: the caller's later edits do not race with calls
	method         AuthMethod
	rsaKey         *rsa.PrivateKey
	http           *http.Client
	now            func() time.Time
	userAgent      string
	connectTimeout time.Duration
	readTimeout    time.Duration
	retry          RetryPolicy

	mu       sync.Mutex
	token    string     // current session token, "" when none
	obtained time.Time  // when token was obtained
	inflight *loginCall // the login running now, if any
	logins   int        // logins made, for tests and diagnostics
	rsaAtPod bool       // the RSA login answered at the pod, not at the session-auth host

	requests atomic.Int64 // HTTP exchanges attempted, for tests of call counts

	// downSince is the start of the first attempt that got no answer since
	// the pod last answered; zero while it answers (guarded by mu).
	downSince time.Time
}

// answered notes that the pod (or a host of it) gave an HTTP reply.
func (c *Client) answered() {
	c.mu.Lock()
	c.downSince = time.Time{}
	c.mu.Unlock()
}

// unanswered notes an attempt, started at start, that got no reply, and
// marks e as the pod being gone when nothing has answered for MaxOutage.
func (c *Client) unanswered(e *APIError, start time.Time) *APIError {
	if e.Class != ClassRetry {
		return e
	}
	c.mu.Lock()
	if c.downSince.IsZero() {
		c.downSince = start
	}
	since := c.downSince
	c.mu.Unlock()
	e.DownFor = c.now().Sub(since)
	if e.DownFor >= c.retry.MaxOutage {
		e.Class = ClassPermanent
		e.Err = errors.Join(ErrPodGone, e.Err)
		e.Message = fmt.Sprintf("%s: no answer from the pod for %s, roster's limit (retry.maxOutageMillis in the config, or --max-outage); the last attempt: %s",
			ErrPodGone, formatWait(e.DownFor), e.Message)
	}
	return e
}

// loginCall is one login that concurrent callers share.
type loginCall struct {
	done  chan struct{}
	token string
	err   error
}

// NewClient builds a client from a config. It does not contact the pod.
// It reads the key, certificate and truststore, so that a bad file is
// reported now, naming the config key, rather than at the first call.
func NewClient(cfg *Config, opts Options) (*Client, error) {
	if cfg == nil {
		return nil, errors.New("symphony: NewClient needs a config")
	}
	c := &Client{
		cfg:            *cfg,
		now:            opts.Now,
		userAgent:      opts.UserAgent,
		connectTimeout: opts.ConnectTimeout,
		readTimeout:    opts.ReadTimeout,
		retry:          cfg.Retry.WithDefaults(),
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.userAgent == "" {
		c.userAgent = "roster"
	}
	if c.connectTimeout <= 0 {
		c.connectTimeout = cmp.Or(cfg.ConnectTimeout, DefaultConnectTimeout)
	}
	if c.readTimeout <= 0 {
		c.readTimeout = cmp.Or(cfg.ReadTimeout, DefaultReadTimeout)
	}
	if c.cfg.Pod.Host == "" {
		return nil, fmt.Errorf("%s: no pod host is set", cfg.source())
	}
	if c.cfg.BotUsername == "" {
		return nil, fmt.Errorf("%s: no bot username is set", cfg.source())
	}
	switch opts.Auth {
	case "":
		m, err := cfg.Method()
		if err != nil {
			return nil, err
		}
		c.method = m
	case AuthRSA, AuthCert:
		c.method = opts.Auth
	default:
		return nil, fmt.Errorf("unknown authentication method %q; expected rsa or cert", opts.Auth)
	}
	var clientCert *tls.Certificate
	var err error
	if c.method == AuthRSA {
		if c.rsaKey, err = loadRSAKey(cfg); err != nil {
			return nil, err
		}
	} else if clientCert, err = loadClientCert(cfg); err != nil {
		return nil, err
	}
	tr, err := newTransport(cfg, c.connectTimeout, c.readTimeout, clientCert)
	if err != nil {
		return nil, err
	}
	c.http = &http.Client{
		Transport: tr,
		// A pod does not redirect API calls; following one could send the
		// session token to another host.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c, nil
}

// String describes the client without its session token or key, so that
// printing one (%v, %+v, %s) cannot leak them.
func (c *Client) String() string {
	return fmt.Sprintf("symphony.Client{pod: %s, bot: %q, auth: %s}", c.cfg.Pod.BaseURL(), c.cfg.BotUsername, c.method)
}

// GoString is String for %#v.
func (c *Client) GoString() string { return c.String() }

// Method is the authentication method the client uses.
func (c *Client) Method() AuthMethod { return c.method }

// Logins counts the sessions opened so far (initial login, re-authentications
// and refreshes).
func (c *Client) Logins() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.logins
}

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Authenticate opens a session now (it is also done lazily by the first call).
func (c *Client) Authenticate(ctx context.Context) error {
	_, err := c.renew(ctx, c.currentToken())
	return err
}

func (c *Client) currentToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// sessionToken returns a valid token, logging in first when there is none
// or when the configured refresh period has passed.
func (c *Client) sessionToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	tok, fresh := c.token, c.token != "" && (c.cfg.RefreshPeriod <= 0 || c.now().Sub(c.obtained) < c.cfg.RefreshPeriod)
	c.mu.Unlock()
	if fresh {
		return tok, nil
	}
	return c.renew(ctx, tok)
}

// renew replaces the session whose token is stale. If another caller has
// already replaced it, its token is returned; if a login is running, the
// caller waits for it: there is never more than one login at a time.
func (c *Client) renew(ctx context.Context, stale string) (string, error) {
	for {
		c.mu.Lock()
		if c.token != stale && c.token != "" {
			tok := c.token
			c.mu.Unlock()
			return tok, nil
		}
		call := c.inflight
		leader := call == nil
		if leader {
			call = &loginCall{done: make(chan struct{})}
			c.inflight = call
		}
		c.mu.Unlock()

		if leader {
			call.token, call.err = c.login(ctx)
			c.mu.Lock()
			if call.err == nil {
				c.token, c.obtained = call.token, c.now()
				c.logins++
			}
			c.inflight = nil
			c.mu.Unlock()
			close(call.done)
			return call.token, call.err
		}
		select {
		case <-ctx.Done():
			return "", networkError(ctx, "login", c.cfg.Pod.Host, ctx.Err())
		case <-call.done:
		}
		if call.err == nil {
			return call.token, nil
		}
		// The leader's own context may have ended its login; this caller's
		// has not, so it tries again rather than inherit that failure.
		if errors.Is(call.err, context.Canceled) || errors.Is(call.err, context.DeadlineExceeded) {
			continue
		}
		return "", call.err
	}
}

// do makes one call with the session token, and on 401 re-authenticates
// once and repeats it.
func (c *Client) do(ctx context.Context, rq request) (*reply, error) {
	tok, err := c.sessionToken(ctx)
	if err != nil {
		return nil, err
	}
	rq.token = tok
	rep, err := c.send(ctx, rq)
	if ClassOf(err) != ClassReauth {
		return rep, err
	}
	if tok, err = c.renew(ctx, tok); err != nil {
		return nil, err
	}
	rq.token = tok
	return c.send(ctx, rq)
}

// read makes a read call, retrying retryable errors per the retry policy.
// Cancellation stops the wait at once.
func (c *Client) read(ctx context.Context, rq request) (*reply, error) {
	for attempt := 1; ; attempt++ {
		rep, err := c.do(ctx, rq)
		if err == nil {
			return rep, nil
		}
		wait, stop := c.retry.Next(attempt, err)
		if stop != nil {
			return nil, stop
		}
		noticeWait(ctx, WaitNotice{Op: rq.op, Until: c.now().Add(wait), Attempt: attempt + 1, Err: err})
		if serr := sleep(ctx, wait); serr != nil {
			return nil, networkError(ctx, rq.op, rq.endpoint.Host, serr)
		}
	}
}

// secrets are the values that must never appear in an error message.
func (c *Client) secrets() []string {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	secrets := []string{tok, c.cfg.Proxy.Password, c.cfg.CertPassword, c.cfg.PrivateKeyPassword}
	for _, v := range c.cfg.DefaultHeaders {
		secrets = append(secrets, v)
	}
	return secrets
}
