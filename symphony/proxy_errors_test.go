package symphony

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"

	"roster/symphony/podsim"
)

// closedAddr is a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
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
				"podHost": "127.0.0.1", "podPort": portOf(t, deadPod),
				"sessionAuthHost": "127.0.0.1", "sessionAuthPort": portOf(t, deadPod)},
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
