package podsim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestRSALogin(t *testing.T) {
	p := startPod(t, Options{})
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p.AddUser(User{Username: "nokey", Active: true})
	goneID, goneKey, err := p.AddServiceUser("gone")
	if err != nil {
		t.Fatal(err)
	}
	_ = goneID
	p.SetUserActive(goneID, false)

	tests := []struct {
		name   string
		body   any
		status int
		msg    string // part of the error message
	}{
		{"good", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "bot", 4*time.Minute)}, 200, ""},
		{"username any case", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "BOT", 4*time.Minute)}, 200, ""},
		{"exactly 5 minutes", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "bot", 5*time.Minute)}, 200, ""},
		{"expired", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "bot", -time.Minute)}, 401, "expired"},
		{"exp too far", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "bot", 6*time.Minute)}, 401, "5 minutes"},
		{"no exp", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "bot", 0)}, 401, "exp"},
		{"RS256 refused", map[string]string{"token": signJWT(t, jwt.SigningMethodRS256, p.botKey, "bot", 4*time.Minute)}, 401, "RS512 expected"},
		{"HS512 refused", map[string]string{"token": signJWT(t, jwt.SigningMethodHS512, []byte("secret"), "bot", 4*time.Minute)}, 401, "RS512 expected"},
		{"ES256 refused", map[string]string{"token": signJWT(t, jwt.SigningMethodES256, ecKey, "bot", 4*time.Minute)}, 401, "RS512 expected"},
		{"none refused", map[string]string{"token": signJWT(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "bot", 4*time.Minute)}, 401, "RS512 expected"},
		{"wrong key", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, otherKey, "bot", 4*time.Minute)}, 401, "signature"},
		{"unknown user", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "nobody", 4*time.Minute)}, 401, "unknown user"},
		{"user without key", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "nokey", 4*time.Minute)}, 401, "unknown user"},
		{"no sub", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "", 4*time.Minute)}, 401, "sub"},
		{"inactive user", map[string]string{"token": signJWT(t, jwt.SigningMethodRS512, parseKey(t, goneKey), "gone", 4*time.Minute)}, 401, "deactivated"},
		{"garbage token", map[string]string{"token": "a.b.c"}, 401, "Invalid token"},
		{"empty body", "", 401, "token"},
		{"not JSON", "token=x", 401, "token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := p.do("POST", "/login/pubkey/authenticate", "", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status != 200 {
				if e := r.apiErr(t); !strings.Contains(e.Message, tt.msg) {
					t.Errorf("message %q, want it to contain %q", e.Message, tt.msg)
				}
				return
			}
			var tok tokenReply
			r.json(t, &tok)
			if tok.Name != "sessionToken" || len(tok.Token) < 32 {
				t.Fatalf("token reply %s", r.body)
			}
			if s := p.do("GET", "/pod/v2/sessioninfo", tok.Token, nil); s.status != 200 {
				t.Errorf("sessioninfo with the new token: %d %s", s.status, s.body)
			}
		})
	}
}

func TestKeyManagerRSALogin(t *testing.T) {
	p := startPod(t, Options{})
	r := p.do("POST", "/relay/pubkey/authenticate", "", map[string]string{
		"token": signJWT(t, jwt.SigningMethodRS512, p.botKey, "bot", 4*time.Minute)})
	var tok tokenReply
	r.json(t, &tok)
	if r.status != 200 || tok.Name != "keyManagerToken" || tok.Token == "" {
		t.Fatalf("relay login: %d %s", r.status, r.body)
	}
	if s := p.do("GET", "/pod/v2/sessioninfo", tok.Token, nil); s.status != 401 {
		t.Errorf("a key manager token opened /pod: %d", s.status)
	}
}

func TestCertLogin(t *testing.T) {
	p := startPod(t, Options{})
	p.AddUser(User{Username: "certbot", Active: true, Roles: []string{"INDIVIDUAL"}})
	p.AddUser(User{Username: "sleeper", Active: false})
	clientWith := func(cn string) *http.Client {
		certPEM, keyPEM, err := p.IssueClientCert(cn)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		return clientFor(t, p.Server, &cert)
	}
	tests := []struct {
		name   string
		client *http.Client
		path   string
		status int
		token  string // token name
	}{
		{"session by CN", clientWith("certbot"), "/sessionauth/v1/authenticate", 200, "sessionToken"},
		{"key manager by CN", clientWith("certbot"), "/keyauth/v1/authenticate", 200, "keyManagerToken"},
		{"no certificate", p.client, "/sessionauth/v1/authenticate", 400, ""},
		{"unknown CN", clientWith("stranger"), "/sessionauth/v1/authenticate", 403, ""},
		{"inactive CN", clientWith("sleeper"), "/sessionauth/v1/authenticate", 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := doWith(t, tt.client, p.URL(), "POST", tt.path, "", nil)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status != 200 {
				r.apiErr(t)
				return
			}
			var tok tokenReply
			r.json(t, &tok)
			if tok.Name != tt.token || tok.Token == "" {
				t.Fatalf("token reply %s", r.body)
			}
			if tt.token != "sessionToken" {
				return
			}
			var me userV2
			s := p.do("GET", "/pod/v2/sessioninfo", tok.Token, nil)
			s.json(t, &me)
			if me.Username != "certbot" {
				t.Errorf("sessioninfo says %s", s.body)
			}
		})
	}
}

func TestCertFromAnotherCAIsRefused(t *testing.T) {
	p := startPod(t, Options{})
	other, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, err := other.IssueClientCert("bot")
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := tls.X509KeyPair(certPEM, keyPEM)
	c := clientFor(t, p.Server, &cert)
	resp, err := c.Post(p.URL()+"/sessionauth/v1/authenticate", "", nil)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("a certificate of another CA was accepted: %d", resp.StatusCode)
	}
}

func TestSessionHeader(t *testing.T) {
	p := startPod(t, Options{})
	for _, tok := range []string{"", "not-a-token", strings.Repeat("0", 48)} {
		r := p.do("GET", "/pod/v2/sessioninfo", tok, nil)
		if r.status != 401 || r.apiErr(t).Message != "Invalid session" {
			t.Errorf("token %q: %d %s", tok, r.status, r.body)
		}
	}
}

func TestSessionExpires(t *testing.T) {
	clock := newTestClock()
	p := startPodAt(t, Options{SessionLifetime: time.Minute}, clock)
	clock.Advance(time.Minute - time.Millisecond)
	if r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil); r.status != 200 {
		t.Fatalf("session just short of its lifetime: %d", r.status)
	}
	clock.Advance(time.Millisecond)
	if r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil); r.status != 401 {
		t.Fatalf("expired session: %d %s", r.status, r.body)
	}
	tok := p.login("bot", p.botKey)
	if r := p.do("GET", "/pod/v2/sessioninfo", tok, nil); r.status != 200 {
		t.Fatalf("new session: %d", r.status)
	}
}

func TestKillSessions(t *testing.T) {
	p := startPod(t, Options{})
	p.KillSessions()
	if r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil); r.status != 401 {
		t.Fatalf("killed session still works: %d", r.status)
	}
	tok := p.login("bot", p.botKey)
	if r := p.do("GET", "/pod/v2/sessioninfo", tok, nil); r.status != 200 {
		t.Fatalf("new session after kill: %d", r.status)
	}
}
