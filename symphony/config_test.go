package symphony

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeConfig writes content to dir/name and returns the path.
func writeConfig(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigSeedExample(t *testing.T) {
	cfg, err := LoadConfig("testdata/seed-config.json")
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	abs, _ := filepath.Abs("testdata")
	checks := []struct {
		name      string
		got, want any
	}{
		{"format", cfg.Format, "legacy"},
		{"pod", cfg.Pod, Endpoint{Scheme: "https", Host: "mypod.symphony.com", Port: 443}},
		{"session auth", cfg.SessionAuth, Endpoint{Scheme: "https", Host: "mypod-api.symphony.com", Port: 443}},
		{"key auth", cfg.KeyAuth, Endpoint{Scheme: "https", Host: "mypod-api.symphony.com", Port: 443}},
		{"agent", cfg.Agent, Endpoint{Scheme: "https", Host: "mypod-agent.symphony.com", Port: 443}},
		{"bot", cfg.BotUsername, "roster-bot"},
		{"key path", cfg.PrivateKeyPath, filepath.Join(abs, "rsa", "privatekey.pem")},
		{"cert path", cfg.CertPath, ""},
		{"refresh", cfg.RefreshPeriod, 30 * time.Minute},
		{"truststore", cfg.TrustStorePath, ""},
		{"proxy", cfg.Proxy.URL, ""},
		{"warnings", len(cfg.Warnings), 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if m, err := cfg.Method(); err != nil || m != AuthRSA {
		t.Errorf("Method() = %q, %v; want rsa (a cert password alone does not make a cert config)", m, err)
	}
}

func TestLoadConfigLegacyEveryKey(t *testing.T) {
	t.Setenv("ROSTER_TEST_KEY_PASSWORD", "key-pw-123")
	t.Setenv("ROSTER_TEST_PROXY_PASSWORD", "proxy-pw-456")
	cfg, err := LoadConfig("testdata/legacy-full.json")
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	abs, _ := filepath.Abs("testdata")
	checks := []struct {
		name      string
		got, want any
	}{
		{"pod from URL", cfg.Pod, Endpoint{Scheme: "https", Host: "corp.symphony.com", Port: 8443, Context: "/pod-ctx"}},
		{"session auth", cfg.SessionAuth, Endpoint{Scheme: "https", Host: "corp-api.symphony.com", Port: 8444, Context: "/sessionauth-ctx"}},
		{"key auth", cfg.KeyAuth, Endpoint{Scheme: "https", Host: "km.corp.example", Port: 8445, Context: "/keyauth-ctx"}},
		{"key manager defaults to key auth", cfg.KeyManager, cfg.KeyAuth},
		{"agent", cfg.Agent, Endpoint{Scheme: "https", Host: "agent.corp.example", Port: 9443, Context: "/agent-ctx"}},
		{"key path", cfg.PrivateKeyPath, filepath.Join(abs, "keys", "bot.pem")},
		{"key password from env", cfg.PrivateKeyPassword, "key-pw-123"},
		{"proxy gets a scheme", cfg.Proxy.URL, "http://proxy.corp.example:3128"},
		{"proxy user", cfg.Proxy.Username, "proxy-user"},
		{"proxy password from env", cfg.Proxy.Password, "proxy-pw-456"},
		{"refresh as number", cfg.RefreshPeriod, 45 * time.Minute},
		{"truststore relative to the file", cfg.TrustStorePath, filepath.Join(filepath.Dir(abs), "certs", "corp-ca.pem")},
		{"auth type", cfg.AuthType, AuthRSA},
		{"warnings", strings.Join(cfg.Warnings, "; "), ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestLoadConfigBDKInheritance(t *testing.T) {
	t.Setenv("ROSTER_TEST_PROXY_PASSWORD", "proxy-pw-456")
	cfg, err := LoadConfig("testdata/bdk-full.yaml")
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	abs, _ := filepath.Abs("testdata")
	checks := []struct {
		name      string
		got, want any
	}{
		{"format", cfg.Format, "bdk"},
		{"pod overrides port", cfg.Pod, Endpoint{Scheme: "https", Host: "corp.symphony.com", Port: 443, Context: "/global-ctx"}},
		{"agent overrides host and context", cfg.Agent, Endpoint{Scheme: "https", Host: "agent.corp.example", Port: 8443, Context: "/agent-ctx"}},
		{"key manager", cfg.KeyManager, Endpoint{Scheme: "https", Host: "km.corp.example", Port: 8445, Context: "/global-ctx"}},
		{"key auth is the key manager", cfg.KeyAuth, cfg.KeyManager},
		{"session auth", cfg.SessionAuth, Endpoint{Scheme: "https", Host: "corp-api.symphony.com", Port: 8444, Context: "/global-ctx"}},
		{"bot", cfg.BotUsername, "corp-bot"},
		{"key path", cfg.PrivateKeyPath, filepath.Join(abs, "keys", "bot.pem")},
		{"truststore absolute", cfg.TrustStorePath, "/etc/roster/ca.pem"},
		{"proxy", cfg.Proxy, Proxy{URL: "http://proxy.corp.example:3128", Username: "proxy-user", Password: "proxy-pw-456"}},
		{"retry", cfg.Retry, RetryPolicy{MaxAttempts: 7, Initial: 250 * time.Millisecond, Multiplier: 1.5, Max: 10 * time.Second}},
		{"warnings", strings.Join(cfg.Warnings, "; "), ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestLoadConfigFormatFromContent(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file, content, format string
	}{
		{"JSON named .yaml", "config.yaml", `{"podHost": "p.example", "botUsername": "b"}`, "legacy"},
		{"YAML named .json", "config.json", "host: p.example\nbot:\n  username: b\n", "bdk"},
		{"BDK written as JSON", "bdk.json", `{"host": "p.example", "bot": {"username": "b"}}`, "bdk"},
		{"Spring bdk: section", "application.yaml", "bdk:\n  host: p.example\n  bot:\n    username: b\n", "bdk"},
		{"no extension, BOM", "config", "\xef\xbb\xbf{\"podHost\": \"p.example\", \"botUsername\": \"b\"}", "legacy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfig(t, dir, c.file, c.content))
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			if cfg.Format != c.format || cfg.Pod.Host != "p.example" || cfg.BotUsername != "b" {
				t.Errorf("got format %q pod %q bot %q; want %q p.example b", cfg.Format, cfg.Pod.Host, cfg.BotUsername, c.format)
			}
		})
	}
}

func TestLoadConfigErrorsNameFileKeyAndExpectation(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file, content string
		want                []string // substrings of the error, besides the file name
	}{
		{"empty", "c.json", "  \n", []string{"is empty"}},
		{"bad JSON", "c.json", "{\n  \"podHost\": ,\n}", []string{"not valid JSON", "line 2"}},
		{"JSON with comments", "c.json", "{\n  // Mandatory section\n  \"podHost\": \"p\"\n}", []string{"line 2", "no comments"}},
		{"JSON trailing comma", "c.json", "{\"podHost\": \"p\",\n}", []string{"line 2", "no comma before a closing"}},
		{"JSON single quotes", "c.json", "{'podHost': 'p'}", []string{"double quotes"}},
		{"plain http pod", "c.json", `{"podHost": "http://p", "botUsername": "b"}`, []string{`"podHost"`, "https"}},
		{"bdk plain http", "c.yaml", "host: p\nscheme: http\nbot:\n  username: b\n", []string{`"scheme"`, "https"}},
		{"bad YAML", "c.yaml", "host: [a\nbot: b: c", []string{"not valid YAML"}},
		{"top-level list", "c.json", `["podHost"]`, []string{"JSON object"}},
		{"neither format", "c.yaml", "name: x\n", []string{"neither a legacy config.json", "BDK config.yaml"}},
		{"mixed formats", "c.yaml", "podHost: x\nbot:\n  username: b\n", []string{"mixes", "podHost", "bot"}},
		{"missing pod host", "c.json", `{"botUsername": "b"}`, []string{`"podHost"`, "missing", "host name"}},
		{"missing bot", "c.json", `{"podHost": "p"}`, []string{`"botUsername"`, "missing"}},
		{"port text", "c.json", `{"podHost": "p", "botUsername": "b", "podPort": "abc"}`, []string{`"podPort"`, "port number"}},
		{"port range", "c.json", `{"podHost": "p", "botUsername": "b", "podPort": 70000}`, []string{`"podPort"`, "1 to 65535"}},
		{"port conflict", "c.json", `{"podHost": "p:8443", "botUsername": "b", "podPort": 443}`, []string{`"podPort"`, "keep one"}},
		{"host with path", "c.json", `{"podHost": "p/x", "botUsername": "b"}`, []string{`"podHost"`, "host name"}},
		{"refresh text", "c.json", `{"podHost": "p", "botUsername": "b", "authTokenRefreshPeriod": "soon"}`, []string{`"authTokenRefreshPeriod"`, "minutes"}},
		{"refresh negative", "c.json", `{"podHost": "p", "botUsername": "b", "authTokenRefreshPeriod": -5}`, []string{`"authTokenRefreshPeriod"`, "minutes"}},
		{"env missing", "c.json", `{"podHost": "p", "botUsername": "b", "botCertPassword": "${ROSTER_TEST_UNSET_VAR}"}`, []string{`"botCertPassword"`, "ROSTER_TEST_UNSET_VAR", "not set"}},
		{"proxy scheme", "c.json", `{"podHost": "p", "botUsername": "b", "proxyURL": "ftp://x:1"}`, []string{`"proxyURL"`, "http, https or socks5"}},
		{"proxy credentials in URL", "c.json", `{"podHost": "p", "botUsername": "b", "proxyURL": "http://u:pw@x:1"}`, []string{`"proxyURL"`, "username and password keys"}},
		{"auth type", "c.json", `{"podHost": "p", "botUsername": "b", "authType": "magic"}`, []string{`"authType"`, `"rsa" or "cert"`}},
		{"key name is a path", "c.json", `{"podHost": "p", "botUsername": "b", "botRSAPath": "rsa", "botRSAName": "a/b.pem"}`, []string{`"botRSAName"`, "file name"}},
		{"bot not a section", "c.yaml", "host: p\nbot: just-a-name\n", []string{`"bot"`, "section"}},
		{"bdk no host", "c.yaml", "bot:\n  username: b\n", []string{`"pod.host"`, "missing"}},
		{"bdk scheme", "c.yaml", "host: p\nscheme: ftp\nbot:\n  username: b\n", []string{`"scheme"`, "https"}},
		{"bdk bot username", "c.yaml", "host: p\nbot:\n  privateKey:\n    path: k.pem\n", []string{`"bot.username"`, "missing"}},
		{"bdk key twice", "c.yaml", "host: p\nbot:\n  username: b\n  privateKey:\n    path: k.pem\n    content: x\n", []string{`"bot.privateKey"`, "keep one"}},
		{"bdk cert content", "c.yaml", "host: p\nbot:\n  username: b\n  certificate:\n    content: x\n", []string{`"bot.certificate.content"`, "bot.certificate.path"}},
		{"bdk multiplier", "c.yaml", "host: p\nbot:\n  username: b\nretry:\n  multiplier: 0.5\n", []string{`"retry.multiplier"`, "from 1 to 100"}},
		{"bdk attempts", "c.yaml", "host: p\nbot:\n  username: b\nretry:\n  maxAttempts: lots\n", []string{`"retry.maxAttempts"`, "whole number"}},
		{"bdk interval order", "c.yaml", "host: p\nbot:\n  username: b\nretry:\n  initialIntervalMillis: 900\n  maxIntervalMillis: 100\n", []string{`"retry.maxIntervalMillis"`}},
		{"bdk proxy without host", "c.yaml", "host: p\nbot:\n  username: b\nproxy:\n  port: 3128\n", []string{`"proxy.host"`, "missing"}},
		{"bdk port bool", "c.yaml", "host: p\nport: true\nbot:\n  username: b\n", []string{`"port"`, "port number"}},
		{"spring bdk not a section", "c.yaml", "bdk: 3\n", []string{`"bdk"`, "section"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeConfig(t, dir, c.file, c.content)
			_, err := LoadConfig(p)
			if err == nil {
				t.Fatal("LoadConfig succeeded; want an error")
			}
			msg := err.Error()
			for _, w := range append([]string{p}, c.want...) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestLoadConfigFileProblems(t *testing.T) {
	dir := t.TempDir()
	big := writeConfig(t, dir, "big.json", `{"podHost": "`+strings.Repeat("x", maxConfigSize)+`"}`)
	cases := []struct{ path, want string }{
		{filepath.Join(dir, "nope.json"), "file not found"},
		{dir, "is a folder"},
		{big, "under 1 MiB"},
	}
	for _, c := range cases {
		_, err := LoadConfig(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("LoadConfig(%s) = %v; want an error naming the file and saying %q", c.path, err, c.want)
		}
	}
}

func TestLoadConfigWarnsAboutUnknownKeys(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file, content string
		want                []string
	}{
		{"legacy typo", "c.json", `{"podHost": "p", "botUsername": "b", "podHots": "x"}`, []string{`unknown key "podHots"`}},
		{"legacy case", "c.json", `{"podHost": "p", "botUsername": "b", "truststorepath": "x"}`, []string{`"truststorepath"`, `did you mean "truststorePath"`}},
		{"bdk nested", "c.yaml", "host: p\nbot:\n  username: b\n  userName: c\npod:\n  hostname: q\n", []string{`"bot.userName"`, `did you mean "bot.username"`, `"pod.hostname"`}},
		{"bdk proxy differs", "c.yaml", "host: p\nbot:\n  username: b\nsessionAuth:\n  proxy:\n    host: other\n", []string{"sessionAuth.proxy differs"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeConfig(t, dir, c.file, c.content)
			cfg, err := LoadConfig(p)
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			all := strings.Join(cfg.Warnings, "\n")
			for _, w := range append([]string{p}, c.want...) {
				if !strings.Contains(all, w) {
					t.Errorf("warnings %q do not contain %q", all, w)
				}
			}
		})
	}
}

func TestLoadConfigEnvAndPaths(t *testing.T) {
	t.Setenv("ROSTER_TEST_SECRET", "s3cr3t")
	t.Setenv("ROSTER_TEST_DIR", "keys")
	dir := t.TempDir()
	p := writeConfig(t, dir, "sub/config.json", `{
		"podHost": "p", "botUsername": "b",
		"botRSAPath": "${ROSTER_TEST_DIR}/", "botRSAName": "bot.pem",
		"botCertPassword": "pre-${ROSTER_TEST_SECRET}-post",
		"botPrivateKeyPassword": "$ROSTER_TEST_SECRET and ${not valid} and ${",
		"botCertPath": "~/certs/bot.p12"
	}`)
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	if want := filepath.Join(dir, "sub", "keys", "bot.pem"); cfg.PrivateKeyPath != want {
		t.Errorf("PrivateKeyPath = %q, want %q (relative to the config file)", cfg.PrivateKeyPath, want)
	}
	if cfg.CertPassword != "pre-s3cr3t-post" {
		t.Errorf("CertPassword not expanded: got %d chars", len(cfg.CertPassword))
	}
	if cfg.PrivateKeyPassword != "$ROSTER_TEST_SECRET and ${not valid} and ${" {
		t.Errorf("text that is not ${NAME} must stay as written")
	}
	if want := filepath.Join(home, "certs", "bot.p12"); cfg.CertPath != want {
		t.Errorf("CertPath = %q, want %q", cfg.CertPath, want)
	}
}

func TestConfigMethod(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want AuthMethod
		err  []string
	}{
		{"rsa", Config{PrivateKeyPath: "k"}, AuthRSA, nil},
		{"inline rsa", Config{PrivateKeyPEM: []byte("x")}, AuthRSA, nil},
		{"cert", Config{CertPath: "c.p12"}, AuthCert, nil},
		{"both", Config{Path: "c.json", PrivateKeyPath: "k", CertPath: "c"}, "", []string{"c.json", "ambiguous", "--auth rsa", "--auth cert"}},
		{"both, declared", Config{PrivateKeyPath: "k", CertPath: "c", AuthType: AuthCert}, AuthCert, nil},
		{"declared but missing", Config{CertPath: "c", AuthType: AuthRSA}, "", []string{"no private key"}},
		{"none", Config{Path: "c.json"}, "", []string{"c.json", "no authentication"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := c.cfg.Method()
			if m != c.want {
				t.Errorf("Method() = %q, want %q", m, c.want)
			}
			if (err != nil) != (c.err != nil) {
				t.Fatalf("err = %v, want one containing %q", err, c.err)
			}
			for _, w := range c.err {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestConfigMethodNamesTheFormatsKeys(t *testing.T) {
	dir := t.TempDir()
	p := writeConfig(t, dir, "c.yaml", "host: p\nbot:\n  username: b\n  privateKey:\n    path: k.pem\n  certificate:\n    path: c.p12\n")
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.Method()
	if err == nil || !strings.Contains(err.Error(), "bot.privateKey.path") || !strings.Contains(err.Error(), "bot.certificate.path") {
		t.Errorf("Method() error = %v; want it to name bot.privateKey.path and bot.certificate.path", err)
	}
}

func TestConfigPrintsNoSecrets(t *testing.T) {
	cfg := Config{
		Path: "c.json", BotUsername: "bot",
		PrivateKeyPEM:      []byte("-----BEGIN PRIVATE KEY-----MIIsecretkey"),
		PrivateKeyPassword: "key-password-1",
		CertPassword:       "cert-password-2",
		Proxy:              Proxy{URL: "http://p:1", Username: "u", Password: "proxy-password-3"},
	}
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		for _, v := range []any{cfg, &cfg, cfg.Proxy, &cfg.Proxy} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{"MIIsecretkey", "key-password-1", "cert-password-2", "proxy-password-3"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s of %T prints a secret: %s", verb, v, out)
				}
			}
			if !strings.Contains(out, redacted) {
				t.Errorf("%s of %T does not show %s: %s", verb, v, redacted, out)
			}
		}
	}
	if out := fmt.Sprintf("%+v", cfg); !strings.Contains(out, "bot") || !strings.Contains(out, "http://p:1") {
		t.Errorf("redacted print lost the harmless fields: %s", out)
	}
}

// A legacy config.json may carry a retry section: the legacy loader reads it,
// so it must not make the file look like a mix of both formats.
func TestLoadConfigLegacyRetry(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, content string
		want          RetryPolicy
	}{
		{"full", `{"podHost": "p", "botUsername": "b", "retry": {"maxAttempts": 9, "initialIntervalMillis": 100, "multiplier": 3, "maxIntervalMillis": 2000}}`,
			RetryPolicy{MaxAttempts: 9, Initial: 100 * time.Millisecond, Multiplier: 3, Max: 2 * time.Second}},
		{"attempts only", `{"podHost": "p", "botUsername": "b", "retry": {"maxAttempts": 3}}`, RetryPolicy{MaxAttempts: 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadConfig(writeConfig(t, dir, "config.json", c.content))
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			if cfg.Format != "legacy" || cfg.Retry != c.want {
				t.Errorf("format %q retry %+v; want legacy %+v", cfg.Format, cfg.Retry, c.want)
			}
			if len(cfg.Warnings) != 0 {
				t.Errorf("warnings %q; want none for a known retry section", cfg.Warnings)
			}
		})
	}
	p := writeConfig(t, dir, "bad.json", `{"podHost": "p", "botUsername": "b", "retry": {"multiplier": 0}}`)
	if _, err := LoadConfig(p); err == nil || !strings.Contains(err.Error(), `"retry.multiplier"`) {
		t.Errorf("bad legacy retry: err = %v; want one naming key \"retry.multiplier\"", err)
	}
}
