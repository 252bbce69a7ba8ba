package symphony

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// noUnknownKey fails when a warning calls a key unknown.
func noUnknownKey(t *testing.T, cfg *Config) {
	t.Helper()
	for _, w := range cfg.Warnings {
		if strings.Contains(w, "unknown key") {
			t.Errorf("warning %q", w)
		}
	}
}

// TestLegacyProxyPortIsHonoured: the old SDKs' proxyPort (and podProxyPort)
// is the proxy's port: the calls go through the proxy on it, not port 80.
func TestLegacyProxyPortIsHonoured(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, content, want string
	}{
		{"proxyPort", `{"podHost": "p", "botUsername": "b", "proxyURL": "proxy.example.com", "proxyPort": 3128}`, "http://proxy.example.com:3128"},
		{"podProxyPort", `{"podHost": "p", "botUsername": "b", "podProxyURL": "https://pp.example.com", "podProxyPort": "8443"}`, "https://pp.example.com:8443"},
		{"the same port twice", `{"podHost": "p", "botUsername": "b", "proxyURL": "http://proxy:8080", "proxyPort": 8080}`, "http://proxy:8080"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfig(t, dir, c.name+".json", c.content))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Proxy.URL != c.want {
				t.Errorf("proxy %q, want %q", cfg.Proxy.URL, c.want)
			}
			noUnknownKey(t, cfg)
		})
	}
	_, err := LoadConfig(writeConfig(t, dir, "two.json", `{"podHost": "p", "botUsername": "b", "proxyURL": "http://proxy:8080", "proxyPort": 3128}`))
	if err == nil || !strings.Contains(err.Error(), `"proxyPort"`) || !strings.Contains(err.Error(), "keep one") {
		t.Errorf("two ports: %v", err)
	}

	// Through a real proxy: its address split as the old SDKs wrote it.
	p := startPod(t, podsim.Options{})
	proxy := startConnectProxy(t, "u", "proxy-secret-555")
	host, port, _ := strings.Cut(proxy.addr, ":")
	c := p.client(t, p.legacyConfig(t, map[string]any{
		"proxyURL": "http://" + host, "proxyPort": port, "proxyUsername": "u", "proxyPassword": "proxy-secret-555",
	}), Options{})
	if _, err := c.SessionInfo(testCtx(t)); err != nil {
		t.Fatalf("SessionInfo through the proxy on proxyPort: %v", err)
	}
	if proxy.connects.Load() == 0 {
		t.Error("the proxy saw no CONNECT")
	}
}

// TestBDKOlderBotKeys: bot.privateKeyPath, bot.certificatePath and
// bot.certificatePassword, which BDK Java still reads, are used with a
// deprecation warning naming the key to write; the password is never in
// a warning or an error.
func TestBDKOlderBotKeys(t *testing.T) {
	dir := t.TempDir()
	cfg, err := LoadConfig(writeConfig(t, dir, "rsa.yaml", "host: p\nbot:\n  username: b\n  privateKeyPath: keys/bot.pem\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PrivateKeyPath != filepath.Join(dir, "keys/bot.pem") {
		t.Errorf("key %q", cfg.PrivateKeyPath)
	}
	if m, err := cfg.Method(); err != nil || m != AuthRSA {
		t.Errorf("method %q, %v; want rsa", m, err)
	}
	if w := strings.Join(cfg.Warnings, "\n"); !strings.Contains(w, `bot.privateKeyPath is deprecated`) || !strings.Contains(w, "bot.privateKey.path") {
		t.Errorf("warnings %q; want a deprecation naming bot.privateKey.path", cfg.Warnings)
	}
	noUnknownKey(t, cfg)

	cfg, err = LoadConfig(writeConfig(t, dir, "cert.yaml", "host: p\nbot:\n  username: b\n  certificatePath: bot.p12\n  certificatePassword: cert-secret-777\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CertPath != filepath.Join(dir, "bot.p12") || cfg.CertPassword != "cert-secret-777" {
		t.Errorf("cert %q password set %v", cfg.CertPath, cfg.CertPassword != "")
	}
	if m, err := cfg.Method(); err != nil || m != AuthCert {
		t.Errorf("method %q, %v; want cert", m, err)
	}
	w := strings.Join(cfg.Warnings, "\n")
	for _, want := range []string{"bot.certificatePath is deprecated", "bot.certificate.path", "bot.certificatePassword is deprecated", "bot.certificate.password"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings %q do not say %q", cfg.Warnings, want)
		}
	}
	if strings.Contains(w, "cert-secret-777") || strings.Contains(fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg), "cert-secret-777") {
		t.Error("the certificate password was printed")
	}
	noUnknownKey(t, cfg)

	_, err = LoadConfig(writeConfig(t, dir, "both.yaml", "host: p\nbot:\n  username: b\n  certificatePassword: old-secret-1\n  certificate:\n    path: c.p12\n    password: new-secret-2\n"))
	if err == nil || !strings.Contains(err.Error(), "bot.certificatePassword") || strings.Contains(err.Error(), "secret") {
		t.Errorf("two passwords: %v", err)
	}
	_, err = LoadConfig(writeConfig(t, dir, "twokeys.yaml", "host: p\nbot:\n  username: b\n  privateKeyPath: a.pem\n  privateKey:\n    path: b.pem\n"))
	if err == nil || !strings.Contains(err.Error(), "bot.privateKeyPath") {
		t.Errorf("two keys: %v", err)
	}
}

// TestLegacyCertNameWithoutP12: botCertName "bot" finds bot.p12, as the
// old Python SDKs (which added the extension) did.
func TestLegacyCertNameWithoutP12(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, dir, "certs/bot.p12", "not read here")
	cfg, err := LoadConfig(writeConfig(t, dir, "config.json", `{"podHost": "p", "botUsername": "b", "botCertPath": "./certs/", "botCertName": "bot", "botCertPassword": "x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CertPath != filepath.Join(dir, "certs/bot.p12") {
		t.Errorf("cert %q, want certs/bot.p12", cfg.CertPath)
	}
	// A name that exists as written is taken as written.
	writeConfig(t, dir, "certs/plain", "x")
	cfg, err = LoadConfig(writeConfig(t, dir, "plain.json", `{"podHost": "p", "botUsername": "b", "botCertPath": "./certs/", "botCertName": "plain"}`))
	if err != nil || cfg.CertPath != filepath.Join(dir, "certs/plain") {
		t.Errorf("cert %q, %v", cfg.CertPath, err)
	}
}

// TestDefaultHeadersAndTimeouts: defaultHeaders, connectionTimeout and
// readTimeout are read in both formats (BDK's pod.* over the global ones),
// and the values of the headers are never printed.
func TestDefaultHeadersAndTimeouts(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ file, content string }{
		{"config.json", `{"podHost": "p", "botUsername": "b", "connectionTimeout": 1500, "readTimeout": 45000,
			"defaultHeaders": {"X-Api-Key": "gw-secret-31", "x-trace": 7}}`},
		{"config.yaml", "host: p\nbot:\n  username: b\nconnectionTimeout: 9000\nreadTimeout: 45000\ndefaultHeaders:\n  X-Trace: \"7\"\n" +
			"pod:\n  connectionTimeout: 1500\n  defaultHeaders:\n    X-Api-Key: gw-secret-31\nagent:\n  readTimeout: 1\n"},
	} {
		t.Run(c.file, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfig(t, dir, c.file, c.content))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ConnectTimeout != 1500*time.Millisecond || cfg.ReadTimeout != 45*time.Second {
				t.Errorf("timeouts %v %v", cfg.ConnectTimeout, cfg.ReadTimeout)
			}
			if cfg.DefaultHeaders["X-Api-Key"] != "gw-secret-31" || cfg.DefaultHeaders["X-Trace"] != "7" || len(cfg.DefaultHeaders) != 2 {
				t.Errorf("headers %d: %v", len(cfg.DefaultHeaders), cfg.DefaultHeaders != nil)
			}
			if printed := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg); strings.Contains(printed, "gw-secret-31") {
				t.Error("a header's value was printed")
			}
			noUnknownKey(t, cfg)
		})
	}
	for _, c := range []struct{ name, content, want string }{
		{"timeout", `{"podHost": "p", "botUsername": "b", "readTimeout": 0}`, `"readTimeout"`},
		{"headers not a section", `{"podHost": "p", "botUsername": "b", "defaultHeaders": "X-Api-Key: 1"}`, `"defaultHeaders"`},
		{"reserved", `{"podHost": "p", "botUsername": "b", "defaultHeaders": {"sessionToken": "x"}}`, "roster sets itself"},
		{"bad name", `{"podHost": "p", "botUsername": "b", "defaultHeaders": {"X Api": "x"}}`, "not an HTTP header name"},
	} {
		_, err := LoadConfig(writeConfig(t, dir, "bad.json", c.content))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
}

// TestDefaultHeadersAndReadTimeoutOnTheWire: the headers reach the host
// with every call, roster's own headers kept; a readTimeout shorter than
// the host's reply makes the call give up on it.
func TestDefaultHeadersAndReadTimeoutOnTheWire(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		select { // slower than the config's read timeout
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	host, port, _ := strings.Cut(strings.TrimPrefix(srv.URL, "https://"), ":")
	content := fmt.Sprintf(`{"podHost": %q, "podPort": %s, "botUsername": "b", "botRSAPath": "k.pem", "truststorePath": "ca.pem",
		"readTimeout": 300, "defaultHeaders": {"X-Api-Key": "gw-secret-31", "Accept": "text/plain"}}`, host, port)
	cfg, err := LoadConfig(writeConfig(t, dir, "config.json", content))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "k.pem"), startPod(t, podsim.Options{}).BotKeyPEM)
	cfg.Retry = RetryPolicy{MaxAttempts: 1}
	c, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Authenticate(testCtx(t))
	if err == nil || !strings.Contains(err.Error(), "did not answer in time") {
		t.Errorf("login against a host slower than readTimeout: %v", err)
	}
	if strings.Contains(fmt.Sprint(err), "gw-secret-31") {
		t.Error("the header's value is in an error")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("no request reached the host")
	}
	for _, h := range seen {
		if h.Get("X-Api-Key") != "gw-secret-31" || h.Get("Accept") != "application/json" {
			t.Errorf("headers sent: X-Api-Key set %v, Accept %q", h.Get("X-Api-Key") != "", h.Get("Accept"))
		}
	}
}

// TestRetryWaitLimitsInTheConfig: retry.maxWaitMillis and
// retry.maxOutageMillis are read in both formats and checked.
func TestRetryWaitLimitsInTheConfig(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ file, content string }{
		{"config.json", `{"podHost": "p", "botUsername": "b", "retry": {"maxWaitMillis": 60000, "maxOutageMillis": 120000}}`},
		{"config.yaml", "host: p\nbot:\n  username: b\nretry:\n  maxWaitMillis: 60000\n  maxOutageMillis: 120000\n"},
	} {
		cfg, err := LoadConfig(writeConfig(t, dir, c.file, c.content))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Retry.MaxWait != time.Minute || cfg.Retry.MaxOutage != 2*time.Minute {
			t.Errorf("%s: %+v", c.file, cfg.Retry)
		}
		noUnknownKey(t, cfg)
	}
	_, err := LoadConfig(writeConfig(t, dir, "bad.yaml", "host: p\nbot:\n  username: b\nretry:\n  maxWaitMillis: 10\n"))
	if err == nil || !strings.Contains(err.Error(), `"retry.maxWaitMillis"`) {
		t.Errorf("a wait limit of 10 ms: %v", err)
	}
}
