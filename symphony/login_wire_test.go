package symphony

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"roster/symphony/podsim"
)

// seen is what a recording login server received.
type seen struct {
	mu          sync.Mutex
	path        string
	contentType string
	body        []byte
	peerCN      string
}

// recordingLogin is a TLS server that accepts any login and records the
// request, to check the wire format exactly. Client certificates signed by
// the simulated pod's CA are asked for (and verified) but not required.
func recordingLogin(t *testing.T, clientCA []byte) (*httptest.Server, *seen, string) {
	t.Helper()
	rec := &seen{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.path, rec.contentType, rec.body = r.URL.Path, r.Header.Get("Content-Type"), body
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			rec.peerCN = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"name":"sessionToken","token":"tok-123"}`)
	}))
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(clientCA)
	srv.TLS = &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pool}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "server-ca.pem")
	writeFile(t, ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	return srv, rec, ca
}

func endpointOf(t *testing.T, srv *httptest.Server) Endpoint {
	host, port, _ := strings.Cut(srv.Listener.Addr().String(), ":")
	return Endpoint{Scheme: "https", Host: host, Port: atoi(t, port)}
}

func TestRSALoginWireFormat(t *testing.T) {
	p := startPod(t, podsim.Options{}) // only for a key
	srv, rec, ca := recordingLogin(t, p.CAPEM())
	now := time.Unix(1_900_000_000, 0)
	cfg := &Config{Path: "test", Format: "bdk", Pod: endpointOf(t, srv), BotUsername: testBot,
		PrivateKeyPEM: p.BotKeyPEM, TrustStorePath: ca}
	c, err := NewClient(cfg, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Authenticate(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.path != "/login/pubkey/authenticate" || rec.contentType != "application/json" {
		t.Errorf("login went to %s with Content-Type %q", rec.path, rec.contentType)
	}
	var body map[string]string
	if err := json.Unmarshal(rec.body, &body); err != nil || len(body) != 1 || body["token"] == "" {
		t.Fatalf("body %s; want {\"token\": jwt}", rec.body)
	}
	key, _ := loadRSAKey(cfg)
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(body["token"], claims, func(tk *jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS512"}), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil || !tok.Valid {
		t.Fatalf("JWT does not verify as RS512 with the bot's key: %v", err)
	}
	if claims["sub"] != testBot {
		t.Errorf("sub = %v, want %s", claims["sub"], testBot)
	}
	if exp, _ := claims["exp"].(float64); int64(exp) != now.Unix()+240 {
		t.Errorf("exp = %v, want now + 240 s = %d (epoch seconds)", claims["exp"], now.Unix()+240)
	}
}

func TestCertLoginWireFormat(t *testing.T) {
	p := startPod(t, podsim.Options{})
	srv, rec, ca := recordingLogin(t, p.CAPEM())
	certPEM, keyPEM := certFiles(t, p)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bot.pem"), append(append([]byte{}, certPEM...), keyPEM...))
	ep := endpointOf(t, srv)
	cfg := &Config{Path: "test", Format: "legacy", Pod: ep, SessionAuth: ep, BotUsername: testBot,
		CertPath: filepath.Join(dir, "bot.pem"), TrustStorePath: ca}
	c, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Authenticate(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.path != "/sessionauth/v1/authenticate" || rec.contentType != "" || len(rec.body) != 0 {
		t.Errorf("cert login: path %s, Content-Type %q, body %q; want /sessionauth/v1/authenticate with neither", rec.path, rec.contentType, rec.body)
	}
	if rec.peerCN != testBot {
		t.Errorf("client certificate CN = %q, want %q", rec.peerCN, testBot)
	}
}

// Context paths prefix every call, and /pod calls carry the session token
// in the sessionToken header.
func TestContextPathAndSessionHeader(t *testing.T) {
	p := startPod(t, podsim.Options{}) // only for a key
	type call struct{ path, token string }
	var mu sync.Mutex
	var calls []call
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls = append(calls, call{r.URL.Path, r.Header.Get("sessionToken")})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/authenticate") {
			io.WriteString(w, `{"name":"sessionToken","token":"tok-123"}`)
			return
		}
		io.WriteString(w, `{"id":7,"username":"roster-bot","roles":["INDIVIDUAL"]}`)
	}))
	defer srv.Close()
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	writeFile(t, filepath.Join(dir, "key.pem"), p.BotKeyPEM)
	ep := endpointOf(t, srv)
	yaml := "host: " + ep.Host + "\nport: " + itoa(ep.Port) + "\ncontext: /global\npod:\n  context: /pod-ctx/\n" +
		"bot:\n  username: " + testBot + "\n  privateKey:\n    path: key.pem\nssl:\n  trustStore:\n    path: ca.pem\n"
	path := filepath.Join(dir, "config.yaml")
	writeFile(t, path, []byte(yaml))
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.SessionInfo(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []call{{"/pod-ctx/login/pubkey/authenticate", ""}, {"/pod-ctx/pod/v2/sessioninfo", "tok-123"}}
	if len(calls) != len(want) || calls[0] != want[0] || calls[1] != want[1] {
		t.Errorf("calls = %+v, want %+v", calls, want)
	}
}

// A login server that quotes the refused JWT back in its error must not get
// it into roster's error: the JWT is a credential for its 240 seconds.
func TestRefusedLoginDoesNotEchoTheJWT(t *testing.T) {
	p := startPod(t, podsim.Options{}) // only for a key
	var mu sync.Mutex
	var sent string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Token string `json:"token"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		sent = body.Token
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{"code": 401, "message": "Invalid token " + body.Token + " for this pod"})
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "server-ca.pem")
	writeFile(t, ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	cfg := &Config{Path: "test", Format: "bdk", Pod: endpointOf(t, srv), BotUsername: testBot,
		PrivateKeyPEM: p.BotKeyPEM, TrustStorePath: ca}
	c, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Authenticate(testCtx(t))
	mu.Lock()
	defer mu.Unlock()
	if sent == "" {
		t.Fatalf("the server got no JWT; Authenticate = %v", err)
	}
	if err == nil || !errors.Is(err, ErrAuthFailed) {
		t.Fatalf("Authenticate = %v; want an authentication failure", err)
	}
	if strings.Contains(err.Error(), sent) || !strings.Contains(err.Error(), "Invalid token") {
		t.Errorf("error = %q; want the server's message without the JWT", err)
	}
}
