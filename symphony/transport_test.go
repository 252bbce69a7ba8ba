package symphony

import (
	"crypto/tls"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"roster/symphony/podsim"
)

func TestProxyWithCredentials(t *testing.T) {
	p := startPod(t, podsim.Options{})
	proxy := startConnectProxy(t, "proxy-user", "proxy-pass-987")
	t.Setenv("ROSTER_TEST_PROXY_PASSWORD", "proxy-pass-987")
	c := p.client(t, p.legacyConfig(t, map[string]any{
		"proxyURL": proxy.addr, "proxyUsername": "proxy-user", "proxyPassword": "${ROSTER_TEST_PROXY_PASSWORD}",
	}), Options{})
	ctx := testCtx(t)
	if _, err := c.SessionInfo(ctx); err != nil {
		t.Fatalf("SessionInfo through the proxy: %v", err)
	}
	if proxy.connects.Load() == 0 {
		t.Errorf("the proxy saw no CONNECT")
	}

	t.Run("BDK proxy section", func(t *testing.T) {
		host, port, _ := strings.Cut(proxy.addr, ":")
		yaml := "host: " + p.Host() + "\nport: " + itoa(p.Port()) + "\nproxy:\n  host: " + host + "\n  port: " + port +
			"\n  username: proxy-user\n  password: ${ROSTER_TEST_PROXY_PASSWORD}\n" +
			"bot:\n  username: " + testBot + "\n  privateKey:\n    path: rsa/privatekey.pem\nssl:\n  trustStore:\n    path: ca.pem\n"
		path := filepath.Join(p.Dir, "config.yaml")
		writeFile(t, path, []byte(yaml))
		before := proxy.connects.Load()
		if _, err := p.client(t, path, Options{}).SessionInfo(ctx); err != nil {
			t.Fatalf("SessionInfo through the BDK proxy: %v", err)
		}
		if proxy.connects.Load() == before {
			t.Errorf("the proxy saw no CONNECT")
		}
	})

	bad := p.client(t, p.legacyConfig(t, map[string]any{
		"proxyURL": "http://" + proxy.addr, "proxyUsername": "proxy-user", "proxyPassword": "wrong-pass-654",
	}), Options{})
	_, err := bad.SessionInfo(ctx)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Class != ClassPermanent || !strings.Contains(ae.Message, "proxy") {
		t.Fatalf("SessionInfo with wrong proxy credentials = %v; want a permanent proxy error", err)
	}
	if hasSecret(err.Error(), "wrong-pass-654", "proxy-pass-987") {
		t.Errorf("error leaks the proxy password: %v", err)
	}
	if proxy.refusals.Load() == 0 {
		t.Errorf("the proxy refused nothing")
	}
}

func TestTrustStore(t *testing.T) {
	p := startPod(t, podsim.Options{})
	other := startPod(t, podsim.Options{}) // another CA
	writeFile(t, filepath.Join(p.Dir, "other-ca.pem"), other.CAPEM())
	writeFile(t, filepath.Join(p.Dir, "empty.pem"), []byte("no certificates here\n"))
	ctx := testCtx(t)

	t.Run("the pod's CA", func(t *testing.T) {
		if err := p.rsaClient(t).Authenticate(ctx); err != nil {
			t.Fatal(err)
		}
	})
	for _, trust := range []any{nil, "other-ca.pem"} {
		name := "system roots"
		if trust != nil {
			name = "another CA"
		}
		t.Run(name+" refuse the pod", func(t *testing.T) {
			c := p.client(t, p.legacyConfig(t, map[string]any{"truststorePath": trust}), Options{})
			err := c.Authenticate(ctx)
			var ae *APIError
			if !errors.As(err, &ae) || ae.Class != ClassPermanent || !strings.Contains(ae.Message, "unknown authority") ||
				!strings.Contains(ae.Message, "truststorePath") {
				t.Errorf("Authenticate = %v; want a permanent error about an unknown CA that names truststorePath", err)
			}
		})
	}
	t.Run("a file without certificates", func(t *testing.T) {
		cfg, err := LoadConfig(p.legacyConfig(t, map[string]any{"truststorePath": "empty.pem"}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = NewClient(cfg, Options{})
		if err == nil || !strings.Contains(err.Error(), "truststorePath") || !strings.Contains(err.Error(), "no PEM certificate") {
			t.Errorf("NewClient = %v; want an error naming truststorePath", err)
		}
	})
}

// A server that offers only TLS 1.1 is refused: roster needs 1.2 or newer.
func TestRefusesOldTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	writeFile(t, ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	addr := srv.Listener.Addr().String()
	host, port, _ := strings.Cut(addr, ":")
	cfg := &Config{Path: "test", Pod: Endpoint{Scheme: "https", Host: host, Port: atoi(t, port)}, BotUsername: "b",
		CertPath: "unused", TrustStorePath: ca}
	c := &Client{cfg: *cfg, now: nowFunc, userAgent: "t", connectTimeout: DefaultConnectTimeout, readTimeout: DefaultReadTimeout}
	tr, err := newTransport(cfg, DefaultConnectTimeout, DefaultReadTimeout, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.http = &http.Client{Transport: tr}
	_, err = c.send(testCtx(t), request{method: "GET", endpoint: cfg.Pod, path: "/", op: "GET /"})
	if err == nil || ClassOf(err) != ClassPermanent || !strings.Contains(err.Error(), "TLS 1.2") {
		t.Fatalf("send to a TLS 1.1 server = %v; want a permanent error saying TLS 1.2 is required", err)
	}
}

// readSized reads what io.ReadAll reads, whatever the size announced: the
// body shorter than it, as long, longer, or cut by an error.
func TestReadSized(t *testing.T) {
	body := strings.Repeat("0123456789", 100)
	for _, size := range []int64{0, 1, 999, 1000, 1001, 5000} {
		got, err := readSized(iotest.HalfReader(strings.NewReader(body)), size)
		if err != nil || string(got) != body {
			t.Errorf("announced %d: %d bytes, %v", size, len(got), err)
		}
	}
	boom := errors.New("cut")
	got, err := readSized(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom)), 10)
	if !errors.Is(err, boom) || string(got) != "abc" {
		t.Errorf("cut body: %q, %v", got, err)
	}
}
