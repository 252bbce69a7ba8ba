package ui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// writeLegacyConfig writes name into the pod's folder, beside the bot's key
// and the pod's CA that podsimtest wrote there: a legacy config for bot, in
// the botPrivateKeyPath spelling.
func writeLegacyConfig(t *testing.T, p *podsimtest.Pod, name, bot string) string {
	t.Helper()
	cfg := map[string]any{
		"sessionAuthHost": p.Host(), "sessionAuthPort": p.Port(),
		"keyAuthHost": p.Host(), "keyAuthPort": p.Port(),
		"podHost": p.Host(), "podPort": p.Port(),
		"agentHost": p.Host(), "agentPort": p.Port(),
		"botPrivateKeyPath": "./", "botPrivateKeyName": podsim.FileBotKey,
		"botUsername": bot, "truststorePath": podsim.FileCA,
	}
	b, _ := json.Marshal(cfg)
	path := filepath.Join(p.Dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConnectListsAndDescribesRoomsAgainstPodsim(t *testing.T) {
	srv := podsimtest.Start(t, podsim.Options{}, podsimtest.Empty(), podsimtest.Bot("roster-bot"))
	botID := srv.BotID
	u1 := srv.AddUser(podsim.User{Username: "ann", Email: "ann@bank.example", Active: true})
	desk := srv.AddRoom(podsim.Room{Name: "Rates Desk", Active: true, Members: []podsim.Member{{UserID: botID, Owner: true}, {UserID: u1}}})
	srv.AddRoom(podsim.Room{Name: "Rates Archive", Active: false, Members: []podsim.Member{{UserID: botID, Owner: true}}})
	cfg := writeLegacyConfig(t, srv, "config.json", "roster-bot")

	ctx := context.Background()
	s, err := Connect(ctx, cfg, "")
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if s.Caller == nil || s.Caller.UserID != botID {
		t.Fatalf("caller %+v, want the bot %d", s.Caller, botID)
	}

	msg := searchRoomsCmd(ctx, s, "Rates")().(roomsFoundMsg)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	if len(msg.rooms) == 0 {
		t.Fatal("search finds the rooms")
	}
	for _, r := range msg.rooms {
		if r.Room.ID == desk && (r.Members != 2 || r.Owners != 1 || !r.CallerOwner) {
			t.Fatalf("desk as listed: %+v", r)
		}
	}

	loaded := loadRoomCmd(ctx, s, desk)().(roomLoadedMsg)
	if loaded.err != nil || loaded.room.Room.Name != "Rates Desk" || loaded.room.Members != 2 {
		t.Fatalf("room: %+v, %v", loaded.room, loaded.err)
	}
	missing := loadRoomCmd(ctx, s, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")().(roomLoadedMsg)
	if missing.err == nil {
		t.Fatal("an unknown room is an error")
	}
}

func TestConnectErrorsSayWhatToFix(t *testing.T) {
	srv := podsimtest.Start(t, podsim.Options{}, podsimtest.Empty(), podsimtest.Bot("roster-bot"))
	cfg := writeLegacyConfig(t, srv, "someone-else.json", "someone-else")
	_, err := Connect(context.Background(), cfg, "")
	if err == nil {
		t.Fatal("a bot the pod does not know cannot sign in")
	}
	box := errorBox(NewStyles(DefaultTheme), "Could not use config.json", err, 80)
	if !strings.Contains(box, "What to do:") {
		t.Fatalf("no advice for %v:\n%s", err, box)
	}

	// the pod's CA is not trusted without the truststore
	cfgNoCA := writeLegacyConfig(t, srv, "no-ca.json", "roster-bot")
	raw, _ := os.ReadFile(cfgNoCA)
	raw = []byte(strings.Replace(string(raw), `"truststorePath":"ca.pem"`, `"truststorePath":""`, 1))
	os.WriteFile(cfgNoCA, raw, 0o600)
	_, err = Connect(context.Background(), cfgNoCA, "")
	if err == nil {
		t.Fatal("an untrusted pod certificate must fail")
	}
	if advice := errText(err) + fixHint(err); !strings.Contains(advice, "truststore") {
		t.Fatalf("no truststore advice for %v", err)
	}
}
