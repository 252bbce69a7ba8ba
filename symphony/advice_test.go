package symphony

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// classifiers are the exported classifications, by name, for tests that
// check that an error is the one it should be and none of the others.
var classifiers = map[string]func(error) bool{
	"IsAuthFailed":           IsAuthFailed,
	"IsForbidden":            IsForbidden,
	"IsUnknownRoom":          IsUnknownRoom,
	"IsRateLimited":          IsRateLimited,
	"IsUntrustedCertificate": IsUntrustedCertificate,
	"IsUnreachable":          IsUnreachable,
}

// checkClass fails the test unless exactly the classifiers named in want
// hold for err, and unless Advice names every string of advice.
func checkClass(t *testing.T, err error, want []string, advice ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("the call succeeded; want an error")
	}
	wanted := map[string]bool{}
	for _, w := range want {
		if classifiers[w] == nil {
			t.Fatalf("no classifier %s", w)
		}
		wanted[w] = true
	}
	for name, f := range classifiers {
		if got := f(err); got != wanted[name] {
			t.Errorf("%s = %v, want %v, for %v", name, got, wanted[name], err)
		}
		// Wrapping, as the faces do, changes nothing.
		if got := f(fmt.Errorf("build the plan: %w", err)); got != wanted[name] {
			t.Errorf("%s of the wrapped error = %v, want %v", name, got, wanted[name])
		}
	}
	got := Advice(fmt.Errorf("wrapped: %w", err))
	t.Logf("error: %v\nadvice: %s", err, got)
	if len(advice) == 0 && got != "" {
		t.Errorf("Advice = %q, want none, for %v", got, err)
	}
	for _, a := range advice {
		if !strings.Contains(got, a) {
			t.Errorf("Advice = %q; want it to name %q (error: %v)", got, a, err)
		}
	}
}

// Each classifier against the errors the client really returns, talking
// HTTPS to a simulated pod on loopback.
func TestClassifiersOnRealErrors(t *testing.T) {
	p := startPod(t, podsim.Options{})
	dir := filepath.Dir(p.legacyConfig(t, nil))
	ctx := testCtx(t)

	t.Run("truststore without the pod's CA", func(t *testing.T) {
		other := startPod(t, podsim.Options{})
		writeFile(t, filepath.Join(dir, "other-ca.pem"), other.CAPEM())
		c := p.client(t, p.legacyConfig(t, map[string]any{"truststorePath": "other-ca.pem"}), Options{})
		_, err := c.SessionInfo(ctx)
		checkClass(t, err, []string{"IsUntrustedCertificate"}, "truststorePath", "ssl.trustStore.path")
	})

	dead := closedAddr(t)
	t.Run("nothing listens at the pod or the login host", func(t *testing.T) {
		c := p.client(t, p.legacyConfig(t, map[string]any{
			"podHost": hostOf(t, dead), "podPort": portOf(t, dead),
			"sessionAuthHost": hostOf(t, dead), "sessionAuthPort": portOf(t, dead),
		}), Options{})
		_, err := c.SessionInfo(ctx)
		checkClass(t, err, []string{"IsUnreachable"}, "sessionAuthHost", "podHost")
	})
	t.Run("the login works, the pod does not listen", func(t *testing.T) {
		c := p.client(t, p.legacyConfig(t, map[string]any{"podHost": hostOf(t, dead), "podPort": portOf(t, dead)}), Options{})
		if err := c.Authenticate(ctx); err != nil {
			t.Fatalf("Authenticate at the session-auth host: %v", err)
		}
		_, err := c.SessionInfo(ctx)
		checkClass(t, err, []string{"IsUnreachable"}, "podHost", "podPort")
	})

	t.Run("a key the pod does not hold for the bot", func(t *testing.T) {
		other, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "rsa", "other.pem"),
			pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(other)}))
		c := p.client(t, p.legacyConfig(t, map[string]any{"botRSAName": "other.pem"}), Options{})
		err = c.Authenticate(ctx)
		if !errors.Is(err, ErrAuthFailed) {
			t.Errorf("Authenticate = %v; want ErrAuthFailed in the chain", err)
		}
		checkClass(t, err, []string{"IsAuthFailed"}, "botUsername", "botRSAPath", "bot.privateKey.path")
	})
	t.Run("a certificate for another user", func(t *testing.T) {
		// The pod answers 403 to the login: a refused login, not a
		// missing permission.
		certPEM, keyPEM, err := p.IssueClientCert("stranger")
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "certs", "stranger.pem"), append(append([]byte{}, certPEM...), keyPEM...))
		c := p.client(t, p.legacyConfig(t, map[string]any{"botRSAPath": nil, "botRSAName": nil,
			"botCertPath": "certs", "botCertName": "stranger.pem"}), Options{})
		err = c.Authenticate(ctx)
		checkClass(t, err, []string{"IsAuthFailed"}, "CN", "bot.certificate.path")
	})

	t.Run("a context path where the pod serves no login", func(t *testing.T) {
		c := p.client(t, p.legacyConfig(t, map[string]any{"sessionAuthContextPath": "/wrong", "podContextPath": "/wrong"}), Options{})
		err := c.Authenticate(ctx)
		checkClass(t, err, []string{"IsAuthFailed"}, "not as a pod's API", "sessionAuthContextPath", "podContextPath")
	})
	t.Run("a context path where the pod serves no API", func(t *testing.T) {
		c := p.client(t, p.legacyConfig(t, map[string]any{"podContextPath": "/wrong"}), Options{})
		if err := c.Authenticate(ctx); err != nil {
			t.Fatalf("Authenticate at the session-auth host: %v", err)
		}
		_, err := c.SessionInfo(ctx)
		checkClass(t, err, nil, "not as a pod's API", "podContextPath")
	})

	c := p.rsaClient(t)
	room := p.room("Advice")
	unknown := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	user := p.AddUser(podsim.User{Username: "ann", Active: true})
	t.Run("an unknown stream ID, read", func(t *testing.T) {
		_, err := c.RoomInfo(ctx, unknown)
		checkClass(t, err, []string{"IsUnknownRoom"}, "stream ID")
		_, err = c.StreamInfo(ctx, unknown)
		checkClass(t, err, []string{"IsUnknownRoom"}, "stream ID")
		_, err = c.Members(ctx, unknown)
		checkClass(t, err, []string{"IsUnknownRoom"}, "stream ID")
	})
	t.Run("an unknown stream ID, changed", func(t *testing.T) {
		_, err := c.AddMember(ctx, unknown, user)
		checkClass(t, err, []string{"IsUnknownRoom"}, "stream ID")
	})
	t.Run("a value that is not a stream ID", func(t *testing.T) {
		// never sent: no pod knows a room by it, and the words say what
		// is wrong with the value, not that the pod knows no such room
		malformed := "iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA!"
		_, err := c.RoomInfo(ctx, malformed)
		checkClass(t, err, []string{"IsUnknownRoom"}, "not a stream ID", "copy the stream ID", "exact name")
		_, err = c.AddMember(ctx, malformed, user)
		checkClass(t, err, []string{"IsUnknownRoom"}, "not a stream ID", "copy the stream ID")
		for _, want := range []string{"not a stream ID", malformed, "'!' at position 35", "never has"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
		if a := Advice(err); strings.Contains(a, "knows no room") {
			t.Errorf("advice %q says the pod was asked", a)
		}
	})
	t.Run("an unknown user is not an unknown room", func(t *testing.T) {
		_, err := c.AddMember(ctx, room, 987654321)
		checkClass(t, err, nil)
	})

	t.Run("a room the bot cannot change", func(t *testing.T) {
		plain := startPodAs(t, podsim.Options{})
		pc := plain.rsaClient(t)
		me, err := pc.SessionInfo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		owner := plain.AddUser(podsim.User{Username: "olga", Active: true})
		closed := plain.AddRoom(podsim.Room{Name: "Closed", Active: true,
			Members: []podsim.Member{{UserID: owner, Owner: true}, {UserID: me.UserID}}})
		private := plain.AddRoom(podsim.Room{Name: "Private", Active: true, Members: []podsim.Member{{UserID: owner, Owner: true}}})
		_, err = pc.AddMember(ctx, closed, plain.AddUser(podsim.User{Username: "ann", Active: true}))
		checkClass(t, err, []string{"IsForbidden"}, "owner", "User Provisioning")
		// A private room the bot is not in: the pod does not even show it.
		_, err = pc.Members(ctx, private)
		checkClass(t, err, []string{"IsForbidden"}, "does not show this room", "add the bot to the room", "User Provisioning")
		_, err = pc.RoomInfo(ctx, private)
		checkClass(t, err, []string{"IsForbidden"}, "does not show this room", "add the bot to the room", "User Provisioning")
	})

	t.Run("rate limited", func(t *testing.T) {
		limited := startPod(t, podsim.Options{})
		lc := limited.rsaClient(t)
		if err := lc.Authenticate(ctx); err != nil {
			t.Fatal(err)
		}
		r := limited.room("Busy")
		limited.SetFaults(podsim.Faults{Rate429: 1, RetryAfter: 20 * time.Millisecond})
		_, err := lc.AddMember(ctx, r, limited.AddUser(podsim.User{Username: "ann", Active: true}))
		checkClass(t, err, []string{"IsRateLimited"}, "wait")
	})

	t.Run("a session refused right after a new login", func(t *testing.T) {
		refusing := startPod(t, podsim.Options{})
		rc := refusing.rsaClient(t)
		if err := rc.Authenticate(ctx); err != nil {
			t.Fatal(err)
		}
		r := refusing.room("Refusing")
		refusing.SetFaults(podsim.Faults{KillSessionsEvery: time.Nanosecond})
		_, err := rc.AddMember(ctx, r, refusing.AddUser(podsim.User{Username: "ann", Active: true}))
		checkClass(t, err, []string{"IsAuthFailed"}, "sessionAuthHost", "podHost")
	})

	t.Run("proxies", func(t *testing.T) {
		live := startConnectProxy(t, "proxy-user", "proxy-pass-987")
		deadProxy := closedAddr(t)
		cases := []struct {
			name   string
			extra  map[string]any
			want   []string
			advice []string
		}{
			{"the proxy does not listen", map[string]any{"proxyURL": "http://" + deadProxy},
				[]string{"IsUnreachable"}, []string{"proxy cannot be reached", "proxyURL", "proxy.host"}},
			{"the proxy refuses the credentials",
				map[string]any{"proxyURL": live.addr, "proxyUsername": "proxy-user", "proxyPassword": "wrong-pass-654"},
				nil, []string{"proxy username and password", "proxyPassword"}},
			{"the proxy cannot reach the pod",
				map[string]any{"proxyURL": live.addr, "proxyUsername": "proxy-user", "proxyPassword": "proxy-pass-987",
					"podHost": hostOf(t, dead), "podPort": portOf(t, dead),
					"sessionAuthHost": hostOf(t, dead), "sessionAuthPort": portOf(t, dead)},
				[]string{"IsUnreachable"}, []string{"proxy could not reach the pod", "podHost"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := p.client(t, p.legacyConfig(t, tc.extra), Options{}).SessionInfo(ctx)
				checkClass(t, err, tc.want, tc.advice...)
			})
		}
	})
}

// Errors that a loopback pod cannot produce, built as the transport
// reports them, and errors that carry no advice.
func TestAdviceOnBuiltErrors(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: "https://h:1/pod", Err: err} }
	leaf := &x509.Certificate{DNSNames: []string{"pod.example.com"}}
	expired := x509.CertificateInvalidError{Cert: leaf, Reason: x509.Expired}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	past, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	cases := []struct {
		name   string
		err    error
		class  []string
		advice []string // "" alone: no advice
	}{
		{"wrong host name", networkError(context.Background(), "GET /pod/x", "h:1",
			wrap(&tls.CertificateVerificationError{Err: x509.HostnameError{Certificate: leaf, Host: "10.0.0.1"}})),
			nil, []string{"podHost", "name the certificate lists"}},
		{"expired certificate", networkError(context.Background(), "GET /pod/x", "h:1",
			wrap(&tls.CertificateVerificationError{Err: expired})),
			[]string{"IsUntrustedCertificate"}, []string{"date and time", "renew"}},
		{"unknown CA without the TLS wrapper", networkError(context.Background(), "GET /pod/x", "h:1", wrap(x509.UnknownAuthorityError{})),
			[]string{"IsUntrustedCertificate"}, []string{"truststorePath", "ssl.trustStore.path"}},
		{"not TLS", networkError(context.Background(), "GET /pod/x", "h:1", wrap(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"})),
			nil, []string{"does not answer HTTPS", "podPort"}},
		{"unknown host", networkError(context.Background(), "GET /pod/x", "h:1",
			wrap(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "pod.exmaple.com", IsNotFound: true}})),
			[]string{"IsUnreachable"}, []string{`"pod.exmaple.com"`, "podHost"}},
		{"login host refused", networkError(context.Background(), opCertLogin, "h:1",
			wrap(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})),
			[]string{"IsUnreachable"}, []string{"login host", "sessionAuthHost"}},
		{"pod busy", &APIError{Op: "GET /pod/x", Status: 503, Message: "Service temporarily unavailable", Class: ClassRetry},
			nil, []string{"server error"}},
		{"long Retry-After", &APIError{Op: "GET /pod/x", Status: 429, RetryAfter: 90 * time.Second, Class: ClassRetry},
			[]string{"IsRateLimited"}, []string{"wait 1m30s"}},
		{"read timeout", networkError(context.Background(), "GET /pod/x", "h:1", wrap(context.DeadlineExceeded)),
			nil, []string{"did not answer in time"}},
		{"caller cancelled", networkError(cancelled, "GET /pod/x", "h:1", wrap(context.Canceled)), nil, []string{""}},
		{"caller's deadline", networkError(past, "GET /pod/x", "h:1", wrap(context.DeadlineExceeded)), nil, []string{""}},
		{"a deactivated room", &APIError{Op: "POST /pod/v1/room/{id}/membership/add", Status: 400,
			Message: "Cannot add member to a deactivated room", Class: ClassPermanent}, nil, []string{""}},
		{"a 404 of the search is not an unknown room", &APIError{Op: "POST /pod/v3/room/search", Status: 404, Class: ClassPermanent},
			nil, []string{"not as a pod's API", "podContextPath"}},
		{"a 404 of a room", &APIError{Op: "POST /pod/v1/room/{id}/membership/add", Status: 404, Class: ClassPermanent},
			[]string{"IsUnknownRoom"}, []string{"check the stream ID"}},
		{"a config error", &ConfigError{File: "c.json", Key: "podHost", Msg: "missing"}, nil, []string{""}},
		{"nil", nil, nil, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wanted := map[string]bool{}
			for _, w := range c.class {
				wanted[w] = true
			}
			for name, f := range classifiers {
				if got := f(c.err); got != wanted[name] {
					t.Errorf("%s = %v, want %v, for %v", name, got, wanted[name], c.err)
				}
			}
			got := Advice(c.err)
			if len(c.advice) == 1 && c.advice[0] == "" {
				if got != "" {
					t.Errorf("Advice = %q, want none", got)
				}
				return
			}
			for _, a := range c.advice {
				if !strings.Contains(got, a) {
					t.Errorf("Advice = %q; want it to name %q", got, a)
				}
			}
		})
	}
}
