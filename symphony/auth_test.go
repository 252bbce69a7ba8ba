package symphony

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"

	"roster/symphony/podsim"
)

// The seed article's config.json with only hosts, ports and paths pointed
// at the simulated pod must work end to end.
func TestSeedConfigAgainstPodsim(t *testing.T) {
	p := startPod(t, podsim.Options{})
	data, err := os.ReadFile("testdata/seed-config.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"sessionAuth", "keyAuth", "pod", "agent"} {
		m[k+"Host"], m[k+"Port"] = p.Host(), p.Port()
	}
	m["truststorePath"] = "ca.pem" // the rest (./rsa/ + privatekey.pem, the bot's name) is as the article has it
	out, _ := json.Marshal(m)
	path := filepath.Join(p.Dir, "config.json")
	writeFile(t, path, out)

	c := p.client(t, path, Options{})
	ctx := testCtx(t)
	info, err := c.SessionInfo(ctx)
	if err != nil {
		t.Fatalf("SessionInfo: %v", err)
	}
	if info.Username != testBot || info.UserID != p.BotID || !info.HasRole("user_provisioning") {
		t.Errorf("SessionInfo = %+v; want the bot %d with USER_PROVISIONING", info, p.BotID)
	}
	user := p.AddUser(podsim.User{Username: "ann", Email: "ann@example.com", Active: true})
	room := p.room("Seed room")
	ch, err := c.AddMember(ctx, room, user)
	if err != nil || ch.Outcome != Changed || ch.Status != 200 {
		t.Fatalf("AddMember = %+v, %v", ch, err)
	}
	if !contains(p.Room(t, room).Members, user) {
		t.Errorf("the pod does not list user %d in the room after the add", user)
	}
}

func TestBDKConfigAgainstPodsim(t *testing.T) {
	p := startPod(t, podsim.Options{})
	t.Setenv("ROSTER_TEST_BOT_KEY", string(p.BotKeyPEM))
	cases := []struct{ name, yaml string }{
		{"key path", "bot:\n  username: " + testBot + "\n  privateKey:\n    path: rsa/privatekey.pem\n"},
		{"inline key from the environment", "bot:\n  username: " + testBot + "\n  privateKey:\n    content: ${ROSTER_TEST_BOT_KEY}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			yaml := "scheme: https\nhost: " + p.Host() + "\nport: " + itoa(p.Port()) + "\n" + c.yaml +
				"ssl:\n  trustStore:\n    path: ca.pem\nretry:\n  maxAttempts: 3\n  initialIntervalMillis: 5\n"
			path := filepath.Join(p.Dir, "config.yaml")
			writeFile(t, path, []byte(yaml))
			cfg, err := LoadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Warnings) > 0 {
				t.Errorf("warnings: %v", cfg.Warnings)
			}
			client, err := NewClient(cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			info, err := client.SessionInfo(testCtx(t))
			if err != nil || info.Username != testBot {
				t.Fatalf("SessionInfo = %+v, %v", info, err)
			}
		})
	}
}

// certFiles issues a client certificate for the bot and returns its PEM
// certificate and key.
func certFiles(t *testing.T, p *pod) (certPEM, keyPEM []byte) {
	t.Helper()
	certPEM, keyPEM, err := p.IssueClientCert(testBot)
	if err != nil {
		t.Fatalf("IssueClientCert: %v", err)
	}
	return certPEM, keyPEM
}

func TestCertificateAuthentication(t *testing.T) {
	p := startPod(t, podsim.Options{})
	certPEM, keyPEM := certFiles(t, p)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])
	p12, err := pkcs12.Modern.Encode(cert.PrivateKey, leaf, nil, "p12-secret")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(p.Dir, "certs", "bot.p12"), p12)
	writeFile(t, filepath.Join(p.Dir, "certs", "bot-both.pem"), append(append([]byte{}, certPEM...), keyPEM...))
	writeFile(t, filepath.Join(p.Dir, "certs", "bot-cert.pem"), certPEM)
	writeFile(t, filepath.Join(p.Dir, "certs", "bot-key.pem"), keyPEM)
	t.Setenv("ROSTER_TEST_P12_PASSWORD", "p12-secret")

	noRSA := map[string]any{"botRSAPath": nil, "botRSAName": nil, "botCertPath": "certs"}
	cases := []struct {
		name  string
		extra map[string]any
	}{
		{"PKCS#12 with a password from the environment", map[string]any{"botCertName": "bot.p12", "botCertPassword": "${ROSTER_TEST_P12_PASSWORD}"}},
		{"PEM with cert and key in one file", map[string]any{"botCertName": "bot-both.pem"}},
		{"PEM cert with a separate key", map[string]any{"botCertName": "bot-cert.pem", "botCertKeyPath": "certs/bot-key.pem"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			extra := map[string]any{}
			for k, v := range noRSA {
				extra[k] = v
			}
			for k, v := range c.extra {
				extra[k] = v
			}
			client := p.client(t, p.legacyConfig(t, extra), Options{})
			if client.Method() != AuthCert {
				t.Fatalf("inferred %q, want cert", client.Method())
			}
			info, err := client.SessionInfo(testCtx(t))
			if err != nil || info.Username != testBot {
				t.Fatalf("SessionInfo = %+v, %v", info, err)
			}
		})
	}

	t.Run("key of another certificate", func(t *testing.T) {
		_, otherKey, err := p.IssueClientCert("someone-else")
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(p.Dir, "certs", "other-key.pem"), otherKey)
		cfg, err := LoadConfig(p.legacyConfig(t, map[string]any{"botRSAPath": nil, "botRSAName": nil,
			"botCertPath": "certs", "botCertName": "bot-cert.pem", "botCertKeyPath": "certs/other-key.pem"}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err = NewClient(cfg, Options{}); err == nil || !strings.Contains(err.Error(), "does not belong to the certificate") {
			t.Errorf("NewClient = %v; want the mismatch explained", err)
		}
	})
	t.Run("wrong PKCS#12 password", func(t *testing.T) {
		cfg, err := LoadConfig(p.legacyConfig(t, map[string]any{"botRSAPath": nil, "botRSAName": nil,
			"botCertPath": "certs", "botCertName": "bot.p12", "botCertPassword": "not-the-password"}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = NewClient(cfg, Options{})
		if err == nil || !strings.Contains(err.Error(), "botCertPassword") || !strings.Contains(err.Error(), "wrong") ||
			hasSecret(err.Error(), "not-the-password") {
			t.Errorf("NewClient error = %v; want one naming botCertPassword as wrong, without the password", err)
		}
	})
	t.Run("ambiguous config, settled by --auth", func(t *testing.T) {
		path := p.legacyConfig(t, map[string]any{"botCertPath": "certs", "botCertName": "bot-both.pem"})
		cfg, err := LoadConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewClient(cfg, Options{}); err == nil || !strings.Contains(err.Error(), "ambiguous") {
			t.Errorf("NewClient without --auth = %v; want the ambiguity explained", err)
		}
		for _, m := range []AuthMethod{AuthRSA, AuthCert} {
			c, err := NewClient(cfg, Options{Auth: m})
			if err != nil {
				t.Fatalf("NewClient(%s): %v", m, err)
			}
			if err := c.Authenticate(testCtx(t)); err != nil {
				t.Errorf("Authenticate with %s: %v", m, err)
			}
			c.Close()
		}
	})
}

func TestRSAKeyFormats(t *testing.T) {
	p := startPod(t, podsim.Options{})
	block, _ := pem.Decode(p.BotKeyPEM)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key := k.(*rsa.PrivateKey)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	enc, err := pkcs8.MarshalPrivateKey(key, []byte("key-secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: enc})
	writeFile(t, filepath.Join(p.Dir, "keys", "pkcs1.pem"), pkcs1)
	writeFile(t, filepath.Join(p.Dir, "keys", "encrypted.pem"), encrypted)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	otherPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(other)})
	writeFile(t, filepath.Join(p.Dir, "keys", "other.pem"), otherPEM)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	writeFile(t, filepath.Join(p.Dir, "keys", "ec.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}))
	writeFile(t, filepath.Join(p.Dir, "keys", "legacy-enc.pem"), pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00000000000000000000000000000000"}, Bytes: []byte{1, 2, 3}}))
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	writeFile(t, filepath.Join(p.Dir, "keys", "public.pem"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))

	ok := []struct {
		name  string
		extra map[string]any
	}{
		{"PKCS#8", nil},
		{"PKCS#1", map[string]any{"botRSAPath": nil, "botRSAName": nil, "botPrivateKeyPath": "keys", "botPrivateKeyName": "pkcs1.pem"}},
		{"encrypted PKCS#8", map[string]any{"botRSAPath": "keys", "botRSAName": "encrypted.pem", "botPrivateKeyPassword": "key-secret"}},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			client := p.client(t, p.legacyConfig(t, c.extra), Options{})
			if err := client.Authenticate(testCtx(t)); err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
		})
	}

	bad := []struct {
		name  string
		extra map[string]any
		want  []string
	}{
		{"missing file", map[string]any{"botRSAName": "nope.pem"}, []string{"botRSAPath+botRSAName", "nope.pem", "cannot read"}},
		{"encrypted without password", map[string]any{"botRSAPath": "keys", "botRSAName": "encrypted.pem"}, []string{"encrypted", "no password"}},
		{"wrong password", map[string]any{"botRSAPath": "keys", "botRSAName": "encrypted.pem", "botPrivateKeyPassword": "guess-1234"}, []string{"cannot be decrypted"}},
		{"public key", map[string]any{"botRSAPath": "keys", "botRSAName": "public.pem"}, []string{"public key", "private key is needed"}},
		{"not a key", map[string]any{"botRSAPath": ".", "botRSAName": "ca.pem"}, []string{"no PEM private key"}},
		{"EC key", map[string]any{"botRSAPath": "keys", "botRSAName": "ec.pem"}, []string{"ECDSA", "needs an RSA key"}},
		{"legacy OpenSSL encryption", map[string]any{"botRSAPath": "keys", "botRSAName": "legacy-enc.pem"}, []string{"legacy OpenSSL format", "openssl pkcs8 -topk8"}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadConfig(p.legacyConfig(t, c.extra))
			if err != nil {
				t.Fatal(err)
			}
			_, err = NewClient(cfg, Options{})
			if err == nil {
				t.Fatal("NewClient succeeded")
			}
			for _, w := range append(c.want, cfg.Path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if hasSecret(err.Error(), "guess-1234", "key-secret", "PRIVATE KEY-----\nMII") {
				t.Errorf("error leaks a secret: %v", err)
			}
		})
	}

	t.Run("key the pod does not know", func(t *testing.T) {
		client := p.client(t, p.legacyConfig(t, map[string]any{"botRSAPath": "keys", "botRSAName": "other.pem"}), Options{})
		err := client.Authenticate(testCtx(t))
		var ae *APIError
		if !errors.Is(err, ErrAuthFailed) || !errors.As(err, &ae) || ae.Class != ClassPermanent || ae.Status != 401 {
			t.Fatalf("Authenticate = %v; want a permanent 401 wrapping ErrAuthFailed", err)
		}
		if !strings.Contains(err.Error(), testBot) || !strings.Contains(err.Error(), "public key") {
			t.Errorf("error %q should name the bot and say what to check", err)
		}
		// A refused login is not retried by read calls.
		before := client.requests.Load()
		if _, err := client.SessionInfo(testCtx(t)); !errors.Is(err, ErrAuthFailed) {
			t.Errorf("SessionInfo = %v; want ErrAuthFailed", err)
		}
		if n := client.requests.Load() - before; n != 1 {
			t.Errorf("SessionInfo made %d requests after a refused login; want 1 (no retries)", n)
		}
	})
}

func TestClientPrintsNoSecrets(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	if err := c.Authenticate(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	token := c.currentToken()
	if token == "" {
		t.Fatal("no session token after Authenticate")
	}
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		out := fmt.Sprintf(verb, c)
		if hasSecret(out, token, "PRIVATE KEY") || !strings.Contains(out, testBot) {
			t.Errorf("%s of a client = %s; want the bot's name and no token or key", verb, out)
		}
	}
}

func TestSessionExpiresMidRun(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	ctx := testCtx(t)
	room := p.room("Expiring")
	users := make([]int64, 4)
	for i := range users {
		users[i] = p.AddUser(podsim.User{Username: "u" + itoa(i), Active: true})
	}
	for i, u := range users {
		if i == 2 {
			p.KillSessions() // between two adds, as a pod restart or an admin would
		}
		if _, err := c.AddMember(ctx, room, u); err != nil {
			t.Fatalf("AddMember %d after the session ended: %v", i, err)
		}
	}
	if c.Logins() != 2 {
		t.Errorf("logins = %d, want 2 (the first and one re-authentication)", c.Logins())
	}
	if got := p.Room(t, room).Members; len(got) != 1+len(users) {
		t.Errorf("room has %d members, want %d", len(got), 1+len(users))
	}
}

func TestSessionLifetimeElapses(t *testing.T) {
	p := startPod(t, podsim.Options{SessionLifetime: 100 * time.Millisecond})
	c := p.rsaClient(t)
	ctx := testCtx(t)
	room := p.room("Short sessions")
	for i := 0; i < 3; i++ {
		if _, err := c.RoomInfo(ctx, room); err != nil {
			t.Fatalf("RoomInfo %d: %v", i, err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	if c.Logins() < 2 {
		t.Errorf("logins = %d; want a re-authentication after the session lifetime", c.Logins())
	}
}

func TestOneLoginForConcurrentCalls(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	room := p.room("Busy")
	ctx := testCtx(t)
	call := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.RoomInfo(ctx, room); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("RoomInfo: %v", err)
		}
	}
	call() // 16 calls at once with no session yet
	if c.Logins() != 1 {
		t.Errorf("logins after 16 concurrent first calls = %d, want 1", c.Logins())
	}
	p.KillSessions()
	call() // 16 calls at once, all answered 401
	if c.Logins() != 2 {
		t.Errorf("logins after 16 concurrent 401s = %d, want 2", c.Logins())
	}
}

func TestRefreshAheadOfTime(t *testing.T) {
	p := startPod(t, podsim.Options{})
	cfg, err := LoadConfig(p.legacyConfig(t, map[string]any{"authTokenRefreshPeriod": "0.5"})) // 30 s
	if err != nil {
		t.Fatal(err)
	}
	// A clock the test moves; it stays within the pod's 5-minute window for
	// the JWT's exp, which is stamped from it.
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c, err := NewClient(cfg, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testCtx(t)
	if _, err := c.SessionInfo(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(29 * time.Second)
	mu.Unlock()
	if _, err := c.SessionInfo(ctx); err != nil || c.Logins() != 1 {
		t.Fatalf("29 s later: %v, logins %d; want the same session", err, c.Logins())
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	if _, err := c.SessionInfo(ctx); err != nil || c.Logins() != 2 {
		t.Errorf("31 s later: %v, logins %d; want a new session (authTokenRefreshPeriod is 30 s)", err, c.Logins())
	}
}

// The RSA login goes to the session-auth host of a legacy config (then to
// the pod if that host serves no login, as the old SDKs used podHost) and to
// the pod of a BDK config; the certificate login always goes to session
// auth. A dead host (a closed loopback port) or a pod that refuses the bot
// shows which one is used.
func TestLoginHost(t *testing.T) {
	p := startPod(t, podsim.Options{})
	certPEM, keyPEM := certFiles(t, p)
	writeFile(t, filepath.Join(p.Dir, "bot.pem"), append(append([]byte{}, certPEM...), keyPEM...))
	deadAddr := closedAddr(t)
	dead, deadPort := hostOf(t, deadAddr), portOf(t, deadAddr)
	other := startPod(t, podsim.Options{}) // a pod that does not know this bot's key
	writeFile(t, filepath.Join(p.Dir, "ca.pem"), append(append([]byte{}, p.CAPEM()...), other.CAPEM()...))
	bdk := func(bot string, sessionAuth string) string {
		return "host: " + p.Host() + "\nport: " + itoa(p.Port()) + "\nsessionAuth:\n  " + sessionAuth +
			"\nbot:\n  username: " + testBot + "\n" + bot + "ssl:\n  trustStore:\n    path: ca.pem\n"
	}
	rsaKey := "  privateKey:\n    path: rsa/privatekey.pem\n"
	cert := "  certificate:\n    path: bot.pem\n"
	cases := []struct {
		name    string
		file    string
		content string
		legacy  map[string]any
		works   bool
	}{
		{name: "legacy RSA, session auth dead: the pod is tried", legacy: map[string]any{"sessionAuthHost": dead, "sessionAuthPort": deadPort}, works: true},
		{name: "legacy RSA, session auth refuses the bot", legacy: map[string]any{"sessionAuthHost": other.Host(), "sessionAuthPort": other.Port()}, works: false},
		{name: "legacy RSA, pod dead", legacy: map[string]any{"podHost": dead, "podPort": deadPort}, works: true},
		{name: "BDK RSA, session auth dead", content: bdk(rsaKey, "host: "+dead+"\n  port: "+itoa(deadPort)), works: true},
		{name: "BDK cert, session auth dead", content: bdk(cert, "host: "+dead+"\n  port: "+itoa(deadPort)), works: false},
		{name: "BDK cert, session auth on the pod", content: bdk(cert, "host: "+p.Host()), works: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(p.Dir, "config.yaml")
			if c.legacy != nil {
				path = p.legacyConfig(t, c.legacy)
			} else {
				writeFile(t, path, []byte(c.content))
			}
			client := p.client(t, path, Options{})
			client.retry = RetryPolicy{MaxAttempts: 1}
			err := client.Authenticate(testCtx(t))
			if (err == nil) != c.works {
				t.Errorf("Authenticate = %v; want success %v", err, c.works)
			}
		})
	}
}
