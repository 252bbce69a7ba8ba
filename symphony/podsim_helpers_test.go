package symphony

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// testBot is the service user the client tests log in as.
const testBot = "roster-bot"

// pod is a simulated pod for the client tests: empty but for the test bot,
// its config folder in Dir (podsimtest), and the helpers below.
type pod struct {
	*podsimtest.Pod
}

// startPod serves a simulated pod on loopback with the test bot (a User
// Provisioning service user).
func startPod(t testing.TB, opts podsim.Options) *pod {
	t.Helper()
	return startPodAs(t, opts, "USER_PROVISIONING")
}

// startPodAs is startPod with the bot's roles chosen. The bot's key is also
// written to Dir/rsa/privatekey.pem, where Symphony's article puts it and
// legacyConfig looks for it.
func startPodAs(t testing.TB, opts podsim.Options, roles ...string) *pod {
	t.Helper()
	p := &pod{podsimtest.Start(t, opts, podsimtest.Empty(), podsimtest.Bot(testBot, roles...))}
	writeFile(t, filepath.Join(p.Dir, "rsa", "privatekey.pem"), p.BotKeyPEM)
	return p
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// legacyConfig writes Dir/config.json over podsimtest's, in the layout of
// Symphony's article (rsa/privatekey.pem): keys are merged over the hosts,
// ports, bot, key and truststore of the pod.
func (p *pod) legacyConfig(t testing.TB, extra map[string]any) string {
	t.Helper()
	m := map[string]any{
		"sessionAuthHost": p.Host(), "sessionAuthPort": p.Port(),
		"keyAuthHost": p.Host(), "keyAuthPort": p.Port(),
		"podHost": p.Host(), "podPort": p.Port(),
		"agentHost": p.Host(), "agentPort": p.Port(),
		"botUsername": testBot, "botRSAPath": "./rsa/", "botRSAName": "privatekey.pem",
		"truststorePath": "ca.pem",
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := p.ConfigPath()
	writeFile(t, path, data)
	return path
}

// client loads a config and builds a client with fast retries.
func (p *pod) client(t testing.TB, configPath string, opts Options) *Client {
	t.Helper()
	cfg, err := LoadConfig(configPath)
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	cfg.Retry = RetryPolicy{MaxAttempts: 8, Initial: time.Millisecond, Max: 20 * time.Millisecond}
	c, err := NewClient(cfg, opts)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// rsaClient is the usual client: legacy config, RSA, truststore.
func (p *pod) rsaClient(t testing.TB) *Client {
	return p.client(t, p.legacyConfig(t, nil), Options{})
}

// room adds a room the bot owns, with the given extra members.
func (p *pod) room(name string, members ...int64) string {
	ms := []podsim.Member{{UserID: p.BotID, Owner: true}}
	for _, id := range members {
		ms = append(ms, podsim.Member{UserID: id})
	}
	return p.AddRoom(podsim.Room{Name: name, Active: true, Members: ms})
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// connectProxy is an HTTP CONNECT proxy on loopback that demands Basic
// credentials, as a corporate proxy does.
type connectProxy struct {
	addr      string
	connects  atomic.Int64 // tunnels opened
	refusals  atomic.Int64 // CONNECTs refused for bad credentials
	lastAuthz atomic.Value // the last Proxy-Authorization seen
}

func startConnectProxy(t testing.TB, user, pass string) *connectProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cp := &connectProxy{addr: ln.Addr().String()}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				cp.serve(conn, want)
			}()
		}
	}()
	return cp
}

func (cp *connectProxy) serve(conn net.Conn, wantAuth string) {
	defer conn.Close()
	br := bufio.NewReader(conn)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		io.WriteString(conn, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
		return
	}
	cp.lastAuthz.Store(req.Header.Get("Proxy-Authorization"))
	if req.Header.Get("Proxy-Authorization") != wantAuth {
		cp.refusals.Add(1)
		io.WriteString(conn, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
		return
	}
	upstream, err := net.DialTimeout("tcp", req.Host, 5*time.Second)
	if err != nil {
		io.WriteString(conn, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer upstream.Close()
	cp.connects.Add(1)
	io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { io.Copy(upstream, br); upstream.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(conn, upstream); done <- struct{}{} }()
	<-done
	<-done
}

// hasSecret reports whether any secret appears in s.
func hasSecret(s string, secrets ...string) bool {
	for _, x := range secrets {
		if x != "" && strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func nowFunc() time.Time { return time.Now() }
