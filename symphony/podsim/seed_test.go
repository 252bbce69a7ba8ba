package podsim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func seededPod(t *testing.T) (*testPod, *Demo) {
	t.Helper()
	p := startPod(t, Options{})
	d, err := p.SeedDemo()
	if err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	return p, d
}

func TestSeedDemoWorld(t *testing.T) {
	p, d := seededPod(t)
	st := p.State()
	want := []struct {
		name    string
		id      string
		members int
		owners  int
		active  bool
		botIn   bool
	}{
		{"small", d.Small, 12, 2, true, true},
		{"medium", d.Medium, 480, 3, true, true},
		{"jumbo", d.Jumbo, 1200, 2, true, true},
		{"deactivated", d.Deactivated, 10, 2, false, true},
		{"forbidden", d.Forbidden, 25, 2, true, false},
	}
	inRooms := map[int64]bool{}
	for _, w := range want {
		r, ok := st.Room(w.id)
		if !ok {
			t.Fatalf("%s room %q not in state", w.name, w.id)
		}
		if !validStreamID(w.id) {
			t.Errorf("%s: stream ID %q is not URL-safe base64", w.name, w.id)
		}
		if len(r.Members) != w.members || len(r.Owners) != w.owners || r.Active != w.active {
			t.Errorf("%s: %d members, %d owners, active %v; want %d, %d, %v",
				w.name, len(r.Members), len(r.Owners), r.Active, w.members, w.owners, w.active)
		}
		botIn, botOwner := false, false
		for _, m := range r.Members {
			inRooms[m] = true
			botIn = botIn || m == d.BotID
		}
		for _, o := range r.Owners {
			botOwner = botOwner || o == d.BotID
		}
		if botIn != w.botIn || botOwner != w.botIn {
			t.Errorf("%s: bot member %v owner %v, want %v", w.name, botIn, botOwner, w.botIn)
		}
	}
	if len(d.Candidates) < 3000 {
		t.Errorf("%d candidates, want at least 3000", len(d.Candidates))
	}
	emails := map[string]bool{}
	for _, c := range d.Candidates {
		if inRooms[c.ID] || !c.Active || c.External {
			t.Fatalf("candidate %+v is in a room, inactive or external", c)
		}
		if !looksLikeEmail(c.Email) || c.Username == "" || !strings.Contains(c.DisplayName, " ") {
			t.Fatalf("candidate %+v does not look like a person", c)
		}
		if emails[c.Email] {
			t.Fatalf("email %s twice", c.Email)
		}
		emails[c.Email] = true
	}
	if len(d.Inactive) < 3 || len(d.External) < 3 {
		t.Errorf("%d inactive, %d external users", len(d.Inactive), len(d.External))
	}
	for _, u := range d.Inactive {
		if u.Active {
			t.Errorf("inactive user %d is active", u.ID)
		}
	}
	for _, u := range d.External {
		if !u.External {
			t.Errorf("external user %d is not external", u.ID)
		}
	}
	p.mu.Lock()
	bot := p.users.get(d.BotID)
	p.mu.Unlock()
	if bot.hasRole(roleUserProvisioning) || bot.Username != "roster-bot" {
		t.Errorf("bot %+v", bot.User)
	}
}

// The demo bot's key logs in, and the bot may not add to Forbidden: a
// private, discoverable room whose info it reads and whose members it may
// not list.
func TestSeedDemoBotRules(t *testing.T) {
	p, d := seededPod(t)
	tok := p.login(d.BotUsername, parseKey(t, d.BotKeyPEM))
	c := d.Candidates[0].ID
	for _, tt := range []struct {
		room   string
		status int
	}{{d.Small, 200}, {d.Forbidden, 403}, {d.Deactivated, 400}} {
		if r := p.do("POST", "/pod/v1/room/"+tt.room+"/membership/add", tok, map[string]int64{"id": c}); r.status != tt.status {
			t.Errorf("add to %s: %d %s, want %d", tt.room, r.status, r.body, tt.status)
		}
	}
	if r := p.do("GET", "/pod/v3/room/"+d.Forbidden+"/info", tok, nil); r.status != 200 || !strings.Contains(string(r.body), `"discoverable":true,"public":false`) {
		t.Errorf("Forbidden's info: %d %s", r.status, r.body)
	}
	if r := p.do("GET", "/pod/v2/room/"+d.Forbidden+"/membership/list", tok, nil); r.status != 403 {
		t.Errorf("Forbidden's members listed to the bot: %d %s", r.status, r.body)
	}
}

func TestWriteDir(t *testing.T) {
	p, d := seededPod(t)
	dir := filepath.Join(t.TempDir(), "sim")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A key left by an earlier run with wide permissions is narrowed.
	if err := os.WriteFile(filepath.Join(dir, FileBotKey), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteDir(dir, d); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileLegacyConfig, FileBDKConfig, FileBotKey, FileCA, FileUsersCSV} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	var legacy map[string]any
	data, _ := os.ReadFile(filepath.Join(dir, FileLegacyConfig))
	if err := json.Unmarshal(data, &legacy); err != nil {
		t.Fatalf("config.json: %v", err)
	}
	port := float64(p.Port())
	wantLegacy := map[string]any{
		"sessionAuthHost": p.Host(), "sessionAuthPort": port, "keyAuthHost": p.Host(), "keyAuthPort": port,
		"podHost": p.Host(), "podPort": port, "agentHost": p.Host(), "agentPort": port,
		"botRSAPath": "./", "botRSAName": FileBotKey, "botUsername": "roster-bot", "truststorePath": FileCA,
	}
	for k, v := range wantLegacy {
		if legacy[k] != v {
			t.Errorf("config.json %s = %v, want %v", k, legacy[k], v)
		}
	}
	if len(legacy) != len(wantLegacy) {
		t.Errorf("config.json has %d keys, want %d", len(legacy), len(wantLegacy))
	}
	var bdk struct {
		Scheme string
		Host   string
		Port   int
		Bot    struct {
			Username   string
			PrivateKey struct{ Path string } `yaml:"privateKey"`
		}
		SSL struct {
			TrustStore struct{ Path string } `yaml:"trustStore"`
		} `yaml:"ssl"`
	}
	data, _ = os.ReadFile(filepath.Join(dir, FileBDKConfig))
	if err := yaml.Unmarshal(data, &bdk); err != nil {
		t.Fatalf("config.yaml: %v", err)
	}
	if bdk.Scheme != "https" || bdk.Host != p.Host() || bdk.Port != p.Port() || bdk.Bot.Username != "roster-bot" ||
		bdk.Bot.PrivateKey.Path != FileBotKey || bdk.SSL.TrustStore.Path != FileCA {
		t.Errorf("config.yaml: %+v", bdk)
	}
	key, _ := os.ReadFile(filepath.Join(dir, FileBotKey))
	p.login("roster-bot", parseKey(t, key))
	ca, _ := os.ReadFile(filepath.Join(dir, FileCA))
	if string(ca) != string(p.CAPEM()) {
		t.Error("ca.pem is not the pod's CA")
	}
	csv, _ := os.ReadFile(filepath.Join(dir, FileUsersCSV))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if lines[0] != "user,owner" || len(lines) < 30 {
		t.Errorf("users.csv starts %q and has %d lines", lines[0], len(lines))
	}
	small, _ := p.State().Room(d.Small)
	for _, want := range []string{"@" + podDomain, "@" + externalDomain, ",yes", "#N/A", d.Candidates[5].Username,
		"departed.colleague@", strconv.FormatInt(small.Members[1], 10), strconv.FormatInt(d.Inactive[0].ID, 10)} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("users.csv lacks %q", want)
		}
	}
}

func TestWriteDirNeedsAStartedPod(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteDir(t.TempDir(), &Demo{}); err == nil {
		t.Fatal("WriteDir before Start succeeded")
	}
}

func BenchmarkSeedDemo(b *testing.B) {
	for b.Loop() {
		s, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.SeedDemo(); err != nil {
			b.Fatal(err)
		}
	}
}
