package podsimtest

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// folderClient is a client built from the config folder only, as a user's
// tool would: the pod's address and the bot from config.json, trust from
// ca.pem, the login key from bot-key.pem.
type folderClient struct {
	http  *http.Client
	base  string
	bot   string
	key   *rsa.PrivateKey
	token string
}

func clientFromFolder(t *testing.T, p *Pod) *folderClient {
	t.Helper()
	var cfg struct {
		PodHost     string `json:"podHost"`
		PodPort     int    `json:"podPort"`
		BotUsername string `json:"botUsername"`
		BotRSAPath  string `json:"botRSAPath"`
		BotRSAName  string `json:"botRSAName"`
		Truststore  string `json:"truststorePath"`
	}
	data, err := os.ReadFile(p.ConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("config.json: %v", err)
	}
	if cfg.Truststore != podsim.FileCA || cfg.BotRSAPath+cfg.BotRSAName != "./"+podsim.FileBotKey {
		t.Fatalf("config.json names other files: %s", data)
	}
	ca, err := os.ReadFile(p.CAPath())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("ca.pem holds no certificate")
	}
	keyPEM, err := os.ReadFile(p.KeyPath())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(keyPEM, p.BotKeyPEM) {
		t.Error("bot-key.pem is not Pod.BotKeyPEM")
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		t.Fatal("bot-key.pem is not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatalf("bot-key.pem: %v", err)
	}
	return &folderClient{
		http: &http.Client{
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
			Timeout:   20 * time.Second,
		},
		base: "https://" + net.JoinHostPort(cfg.PodHost, strconv.Itoa(cfg.PodPort)),
		bot:  cfg.BotUsername,
		key:  k.(*rsa.PrivateKey),
	}
}

func (c *folderClient) do(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("sessionToken", c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// login signs in by RSA (a JWT signed RS512, made here with the standard
// library) and returns the bot's roles from sessioninfo.
func (c *folderClient) login(t *testing.T) (roles []string) {
	t.Helper()
	enc := base64.RawURLEncoding
	claims, _ := json.Marshal(map[string]any{"sub": c.bot, "exp": time.Now().Add(4 * time.Minute).Unix()})
	signed := enc.EncodeToString([]byte(`{"alg":"RS512","typ":"JWT"}`)) + "." + enc.EncodeToString(claims)
	sum := sha512.Sum512([]byte(signed))
	sig, err := rsa.SignPKCS1v15(nil, c.key, crypto.SHA512, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	status, body := c.do(t, "POST", "/login/pubkey/authenticate", map[string]string{"token": signed + "." + enc.EncodeToString(sig)})
	if status != http.StatusOK {
		t.Fatalf("login as %s with the folder's key: %d %s", c.bot, status, body)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(body, &tok); err != nil || tok.Token == "" {
		t.Fatalf("login reply %s", body)
	}
	c.token = tok.Token
	status, body = c.do(t, "GET", "/pod/v2/sessioninfo", nil)
	var info struct {
		Username string
		Roles    []string
	}
	if status != http.StatusOK || json.Unmarshal(body, &info) != nil || info.Username != c.bot {
		t.Fatalf("sessioninfo: %d %s", status, body)
	}
	return info.Roles
}

func (c *folderClient) add(t *testing.T, room string, user int64) {
	t.Helper()
	if status, body := c.do(t, "POST", "/pod/v1/room/"+room+"/membership/add", map[string]int64{"id": user}); status != http.StatusOK {
		t.Fatalf("add %d to %s: %d %s", user, room, status, body)
	}
}

// The seeded pod's folder lets its demo bot sign in over TLS and change
// the rooms it owns; the accessors see the change.
func TestStartSeeded(t *testing.T) {
	p := Start(t, podsim.Options{PaceGap: time.Millisecond})
	if p.Demo == nil {
		t.Fatal("no demo world without Empty")
	}
	if p.BotUsername != p.Demo.BotUsername || p.BotID != p.Demo.BotID || !bytes.Equal(p.BotKeyPEM, p.Demo.BotKeyPEM) {
		t.Errorf("the bot is %s %d, the demo's is %s %d", p.BotUsername, p.BotID, p.Demo.BotUsername, p.Demo.BotID)
	}
	for _, name := range []string{podsim.FileLegacyConfig, podsim.FileBDKConfig, podsim.FileBotKey, podsim.FileCA, podsim.FileUsersCSV} {
		if fi, err := os.Stat(filepath.Join(p.Dir, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v", name, fi, err)
		}
	}
	yaml, err := os.ReadFile(p.YAMLConfigPath())
	if err != nil || !strings.Contains(string(yaml), "port: "+strconv.Itoa(p.Port())) {
		t.Errorf("config.yaml does not name the pod's port %d: %s %v", p.Port(), yaml, err)
	}

	c := clientFromFolder(t, p)
	if roles := c.login(t); slices.Contains(roles, "USER_PROVISIONING") {
		t.Errorf("the demo bot has roles %v; podsim seeds it without User Provisioning", roles)
	}
	room, user := p.Demo.Small, p.Demo.Candidates[0].ID
	if p.MemberSet(t, room)[user] || Calls(p.State(), user) != (podsim.CallCount{}) {
		t.Fatal("a candidate is in the small room before the test")
	}
	c.add(t, room, user)
	if !p.MemberSet(t, room)[user] || !slices.Contains(p.Room(t, room).Members, user) {
		t.Error("MemberSet and Room do not see the added member")
	}
	if got := Calls(p.State(), user); got != (podsim.CallCount{Add: 1}) {
		t.Errorf("Calls = %+v, want one add", got)
	}
}

// An empty pod holds only Bot's bot, with its roles.
func TestStartEmptyWithBot(t *testing.T) {
	p := Start(t, podsim.Options{}, Empty(), Bot("test-bot", "USER_PROVISIONING"))
	if p.Demo != nil || len(p.State().Rooms) != 0 {
		t.Fatalf("Empty pod has a demo world %v or rooms %v", p.Demo, p.State().Rooms)
	}
	c := clientFromFolder(t, p)
	if c.bot != "test-bot" || p.BotUsername != "test-bot" {
		t.Fatalf("config.json names %q, Pod %q; want test-bot", c.bot, p.BotUsername)
	}
	if roles := c.login(t); !slices.Contains(roles, "USER_PROVISIONING") {
		t.Errorf("roles %v lack USER_PROVISIONING", roles)
	}
	id := p.AddUser(podsim.User{Username: "ann", Active: true})
	room := p.AddRoom(podsim.Room{Name: "r", Active: true, Members: []podsim.Member{{UserID: p.BotID, Owner: true}, {UserID: id}}})
	if got := p.MemberSet(t, room); len(got) != 2 || !got[p.BotID] || !got[id] {
		t.Errorf("MemberSet = %v, want the bot %d and %d", got, p.BotID, id)
	}
}

// An empty pod without Bot has DefaultBot, a plain service user.
func TestStartEmptyHasTheDefaultBot(t *testing.T) {
	p := Start(t, podsim.Options{}, Empty())
	c := clientFromFolder(t, p)
	if c.bot != DefaultBot {
		t.Fatalf("config.json names %q, want %q", c.bot, DefaultBot)
	}
	if roles := c.login(t); slices.Contains(roles, "USER_PROVISIONING") {
		t.Errorf("the default bot has roles %v", roles)
	}
}

// DefaultPaceGap applies when Options leave PaceGap zero, and only then:
// two quick adds to the 1,200-member room keep a nanosecond's gap (podsim's
// own default, 3 s, they would break) and break an hour's.
func TestDefaultPaceGap(t *testing.T) {
	for _, tt := range []struct {
		name       string
		gap        time.Duration
		violations int
	}{{"zero gap", 0, 0}, {"own gap", time.Hour, 1}} {
		t.Run(tt.name, func(t *testing.T) {
			p := Start(t, podsim.Options{PaceGap: tt.gap}, DefaultPaceGap(time.Nanosecond))
			c := clientFromFolder(t, p)
			c.login(t)
			c.add(t, p.Demo.Jumbo, p.Demo.Candidates[0].ID)
			c.add(t, p.Demo.Jumbo, p.Demo.Candidates[1].ID)
			if got := p.State().PacingViolations; got != tt.violations {
				t.Errorf("%d pacing violations, want %d", got, tt.violations)
			}
		})
	}
}

// fatalRecorder is a TB whose Fatal ends only the goroutine that called it,
// so that a helper's failures can be tested.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fatalRecorder) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	runtime.Goexit()
}

// fatalOf runs f and returns what it failed with ("" when it did not).
func fatalOf(t *testing.T, f func(testing.TB)) string {
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(rec)
	}()
	<-done
	return rec.msg
}

func TestFailures(t *testing.T) {
	p := Start(t, podsim.Options{}, Empty())
	if msg := fatalOf(t, func(tb testing.TB) { p.Room(tb, "no-such-room") }); !strings.Contains(msg, "no-such-room") {
		t.Errorf("Room of an unknown room failed with %q", msg)
	}
	if msg := fatalOf(t, func(tb testing.TB) { p.MemberSet(tb, "no-such-room") }); !strings.Contains(msg, "no-such-room") {
		t.Errorf("MemberSet of an unknown room failed with %q", msg)
	}
	if msg := fatalOf(t, func(tb testing.TB) { Start(tb, podsim.Options{}, Bot(DefaultBot)) }); !strings.Contains(msg, "shadow") {
		t.Errorf("a Bot named as the demo bot failed with %q", msg)
	}
	if msg := fatalOf(t, func(tb testing.TB) { Start(tb, podsim.Options{Latency: -1}) }); msg == "" {
		t.Error("negative Latency did not fail")
	}
}
