package symphony

import (
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// closedAddr is a loopback address that refuses connections for the whole
// test. Its port stays bound on 127.0.0.1, so that no other process (tests
// of other packages run at the same time) can start listening on it, and the
// address given is 127.0.0.2 with that port, where nothing listens. Where
// 127.0.0.2 is not loopback (macOS), it falls back to a port just closed.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	addr := net.JoinHostPort("127.0.0.2", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err == nil {
		conn.Close()
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return addr
	}
	ln.Close()
	return ln.Addr().String()
}

// A call that fails at the proxy must name the proxy (never its credentials)
// and point at the proxy settings, not blame the pod's address.
func TestProxyFailuresNameTheProxy(t *testing.T) {
	p := startPod(t, podsim.Options{})
	live := startConnectProxy(t, "proxy-user", "proxy-pass-987")
	dead := closedAddr(t)
	deadPod := closedAddr(t)
	podAddr := net.JoinHostPort(p.Host(), itoa(p.Port()))
	ctx := testCtx(t)
	cases := []struct {
		name      string
		extra     map[string]any
		proxy     string // the address the message must name
		class     ErrorClass
		want      []string // more substrings of the message
		notWanted []string
	}{
		{"proxy refuses the connection",
			map[string]any{"proxyURL": "http://" + dead, "proxyUsername": "proxy-user", "proxyPassword": "proxy-pass-987"},
			dead, ClassRetry, []string{"cannot reach the proxy", `"proxyURL"`}, []string{podAddr}},
		{"podProxyURL is the key named",
			map[string]any{"podProxyURL": dead},
			dead, ClassRetry, []string{"cannot reach the proxy", `"podProxyURL"`}, []string{podAddr}},
		{"proxy cannot reach the pod",
			map[string]any{"proxyURL": live.addr, "proxyUsername": "proxy-user", "proxyPassword": "proxy-pass-987",
				"podHost": hostOf(t, deadPod), "podPort": portOf(t, deadPod),
				"sessionAuthHost": hostOf(t, deadPod), "sessionAuthPort": portOf(t, deadPod)},
			live.addr, ClassRetry, []string{"502", deadPod}, nil},
		{"proxy refuses the credentials",
			map[string]any{"proxyURL": live.addr, "proxyUsername": "proxy-user", "proxyPassword": "wrong-pass-654"},
			live.addr, ClassPermanent, []string{"407", "proxy username and password"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := p.client(t, p.legacyConfig(t, c.extra), Options{}).SessionInfo(ctx)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("SessionInfo = %v; want an *APIError", err)
			}
			if ae.Class != c.class {
				t.Errorf("class %v; want %v (%v)", ae.Class, c.class, err)
			}
			msg := err.Error()
			for _, w := range append([]string{"proxy " + c.proxy}, c.want...) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			for _, w := range append(c.notWanted, "proxy-user@", "proxy-pass-987", "wrong-pass-654") {
				if strings.Contains(msg, w) {
					t.Errorf("error %q contains %q", msg, w)
				}
			}
		})
	}
}

func hostOf(t *testing.T, addr string) string {
	t.Helper()
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return host
}

func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Each CONNECT refusal gets the class its cause deserves and names where the
// proxy was set: the config key, or the environment when the config has none.
func TestProxyRefusalClasses(t *testing.T) {
	fromConfig := &Client{cfg: Config{Path: "c.json", Proxy: Proxy{URL: "http://px:3128"}, keys: map[string]string{"Proxy": "proxyURL"}}}
	fromEnv := &Client{cfg: Config{Path: "c.json"}}
	cases := []struct {
		name   string
		c      *Client
		status int
		class  ErrorClass
		want   []string
	}{
		{"forbidden", fromConfig, 403, ClassPermanent, []string{"refused the tunnel to pod:443", `"proxyURL"`}},
		{"unavailable", fromConfig, 503, ClassRetry, []string{"could not reach pod:443"}},
		{"credentials", fromEnv, 407, ClassPermanent, []string{"proxy username and password", "HTTPS_PROXY"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			refusal := &proxyRefusal{proxy: "px:3128", target: "pod:443", status: tc.status, text: strconv.Itoa(tc.status) + " x"}
			e := tc.c.proxyFailure(testCtx(t), "op", nil, &url.Error{Op: "Post", URL: "https://pod:443/x", Err: refusal})
			if e == nil {
				t.Fatal("proxyFailure = nil; want an error about the proxy")
			}
			if e.Class != tc.class {
				t.Errorf("class %v; want %v", e.Class, tc.class)
			}
			for _, w := range append([]string{"proxy px:3128"}, tc.want...) {
				if !strings.Contains(e.Message, w) {
					t.Errorf("message %q does not contain %q", e.Message, w)
				}
			}
		})
	}
	if e := fromConfig.proxyFailure(testCtx(t), "op", nil, errors.New("connection reset")); e != nil {
		t.Errorf("an error that is not the proxy's = %v; want nil", e)
	}
}
