package podsim

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testPod is a started pod, a client that trusts its CA, and a logged-in
// service user with User Provisioning.
type testPod struct {
	*Server
	t      testing.TB
	client *http.Client
	botID  int64
	botKey *rsa.PrivateKey
	token  string
}

func startPod(t testing.TB, opts Options) *testPod {
	t.Helper()
	return startPodAt(t, opts, nil)
}

// startPodAt is startPod with the pod's clock replaced (nil: the real one),
// so that tests of lifetimes need no sleeps and hold on a loaded machine.
func startPodAt(t testing.TB, opts Options, clock *testClock) *testPod {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if clock != nil {
		s.now = clock.Now // before Start: no handler runs yet
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	p := &testPod{Server: s, t: t, client: clientFor(t, s, nil)}
	p.botKey = sharedKey(t)
	p.botID = s.addServiceUserWithKey("bot", &p.botKey.PublicKey, roleUserProvisioning)
	p.token = p.login("bot", p.botKey)
	return p
}

// testClock is a clock that moves only when told.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// clientFor trusts only the pod's CA and presents cert, if any.
func clientFor(t testing.TB, s *Server, cert *tls.Certificate) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CAPEM()) {
		t.Fatal("CAPEM holds no certificate")
	}
	conf := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if cert != nil {
		conf.Certificates = []tls.Certificate{*cert}
	}
	return &http.Client{
		Transport: &http.Transport{TLSClientConfig: conf},
		Timeout:   20 * time.Second,
	}
}

func parseKey(t testing.TB, keyPEM []byte) *rsa.PrivateKey {
	t.Helper()
	block, _ := pem.Decode(keyPEM)
	if block == nil || block.Type != "PRIVATE KEY" {
		t.Fatalf("key is not PKCS#8 PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

// signJWT makes a login JWT.
func signJWT(t testing.TB, method jwt.SigningMethod, key any, sub string, exp time.Duration) string {
	t.Helper()
	claims := jwt.MapClaims{"sub": sub}
	if exp != 0 {
		claims["exp"] = time.Now().Add(exp).Unix()
	}
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// reply is an HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("reply %d %q is not the expected JSON: %v", r.status, r.body, err)
	}
}

// apiErr decodes an Error body.
func (r reply) apiErr(t testing.TB) apiError {
	t.Helper()
	var e apiError
	r.json(t, &e)
	if e.Code != r.status {
		t.Errorf("error body code %d, status %d", e.Code, r.status)
	}
	return e
}

func (p *testPod) do(method, path, token string, body any) reply {
	p.t.Helper()
	return doWith(p.t, p.client, p.URL(), method, path, token, body)
}

func doWith(t testing.TB, c *http.Client, base, method, path, token string, body any) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("sessionToken", token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// login logs in by RSA and returns the session token.
func (p *testPod) login(username string, key *rsa.PrivateKey) string {
	p.t.Helper()
	r := p.do("POST", "/login/pubkey/authenticate", "", map[string]string{
		"token": signJWT(p.t, jwt.SigningMethodRS512, key, username, 4*time.Minute)})
	if r.status != http.StatusOK {
		p.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	var tok tokenReply
	r.json(p.t, &tok)
	if tok.Name != "sessionToken" || tok.Token == "" {
		p.t.Fatalf("login %s: token reply %s", username, r.body)
	}
	return tok.Token
}

// addPeople adds n active users and returns their IDs.
func (p *testPod) addPeople(prefix string, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		name := prefix + string(rune('a'+i%26)) + strconv.Itoa(i)
		ids[i] = p.AddUser(User{Username: name, Email: name + "@corp.example", DisplayName: "Test " + name, Active: true})
	}
	return ids
}

func members(ids []int64, owners ...int64) []Member {
	isOwner := map[int64]bool{}
	for _, o := range owners {
		isOwner[o] = true
	}
	out := make([]Member, len(ids))
	for i, id := range ids {
		out[i] = Member{UserID: id, Owner: isOwner[id]}
	}
	return out
}

// serviceUser gives an existing user an RSA key (as if imported by an
// admin), a new username and more roles; it returns the private key.
func (p *testPod) serviceUser(t testing.TB, id int64, username string, roles ...string) *rsa.PrivateKey {
	t.Helper()
	key := sharedKey(t)
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users.get(id)
	n := &user{User: u.User, pub: &key.PublicKey}
	n.Username = username
	n.Roles = append(n.Roles, roles...)
	p.addUserLocked(n)
	return key
}

var (
	sharedKeyOnce sync.Once
	sharedKeyVal  *rsa.PrivateKey
)

// sharedKey is one RSA key for the test users that need one: making a key
// per user would cost more than the tests themselves. Users are told apart
// by the JWT's sub.
func sharedKey(t testing.TB) *rsa.PrivateKey {
	sharedKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		sharedKeyVal = k
	})
	return sharedKeyVal
}
