package bulk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// TestGivenStreamID: the one decision of stream ID or name, by shape.
func TestGivenStreamID(t *testing.T) {
	tests := []struct {
		in   string
		id   string
		isID bool
	}{
		{"iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA==", "iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA", true},
		{"iWyZBIOdQQzQj0tKOLRivX///qu6YeyZdA==", "iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA", true},
		{"  iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA  ", "iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA", true},
		{"TradingDeskEuropeRates1", "TradingDeskEuropeRates1", true}, // the shape of an ID: ResolveRoom tries it as a name too
		{"TradingDeskEurope", "", false},                             // 17 characters: a name
		{"FX", "", false},
		{"Trading Desk EMEA rooms", "", false},
		{"iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA!", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		id, err := GivenStreamID(tt.in)
		if (err == nil) != tt.isID || id != tt.id {
			t.Errorf("GivenStreamID(%q) = %q, %v; want %q, a stream ID: %v", tt.in, id, err, tt.id, tt.isID)
		}
	}
}

// TestRoomNamedLikeAStreamID: a room whose name has the shape of a stream
// ID (22 or more base64 characters) is found by its name on every path
// (ResolveRoom, a run of one room, a run of many), since the pod knows no
// room by that ID; a real ID is still read as one; a value that is neither
// is refused saying it was tried both ways.
func TestRoomNamedLikeAStreamID(t *testing.T) {
	p := startSim(t, podsim.Options{})
	const name = "TradingDeskEuropeRates1"
	desk := p.room(name, nil)
	other := p.room("Other desk", nil)
	ctx := testCtx(t)

	if id, err := ResolveRoom(ctx, p.client, name); err != nil || id != desk {
		t.Errorf("ResolveRoom(%q) = %q, %v; want %q", name, id, err, desk)
	}
	if id, err := ResolveRoom(ctx, p.client, other); err != nil || id != other {
		t.Errorf("ResolveRoom(its stream ID) = %q, %v; want %q", id, err, other)
	}
	const neither = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	_, err := ResolveRoom(ctx, p.client, neither)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Input != InputRoom {
		t.Fatalf("neither an ID nor a name: %v, want an InputError about the room", err)
	}
	for _, want := range []string{neither, "stream ID", "exact name"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("neither an ID nor a name: %q lacks %q", err, want)
		}
	}

	users := p.addUsers("ln", 2)
	dir := t.TempDir()
	list := filepath.Join(dir, "users.csv")
	if err := os.WriteFile(list, fmt.Appendf(nil, "user id\n%d\n%d\n", users[0], users[1]), 0o600); err != nil {
		t.Fatal(err)
	}
	req := func(rooms ...string) EstateRequest {
		return EstateRequest{Request: Request{ConfigPath: p.ConfigPath(), CSVPath: list, Mode: ModeAdd, OutDir: t.TempDir(),
			Now: func() time.Time { return saturdayNight }}, Rooms: rooms}
	}
	job, _, err := PrepareAny(ctx, req(name), nil)
	if err != nil || job == nil || job.Plan.StreamID != desk || len(job.Plan.Actions) != 2 {
		t.Fatalf("one room by its ID-shaped name: job %v, %v", job, err)
	}
	job.Session.Close()
	_, e, err := PrepareAny(ctx, req(name, other), nil)
	if err != nil || e == nil || e.Lanes[0].Err != nil || e.Lanes[0].StreamID != desk || e.Lanes[1].StreamID != other {
		t.Fatalf("two rooms, one by its ID-shaped name: %v, %v", e, err)
	}
	e.Close()
	if _, _, err := PrepareAny(ctx, req(neither), nil); !errors.As(err, &ie) || !strings.Contains(err.Error(), "exact name") {
		t.Errorf("one room, neither an ID nor a name: %v", err)
	}
}

// TestMalformedStreamIDIsRefusedSayingWhy: a value as long as a stream ID
// but not one (a stray character) that no room has as its name is refused
// saying what is wrong with it as a stream ID.
func TestMalformedStreamIDIsRefusedSayingWhy(t *testing.T) {
	p := startSim(t, podsim.Options{})
	id := p.room("Desk", nil)
	bad := id + "!"
	_, err := ResolveRoom(testCtx(t), p.client, bad)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Input != InputRoom {
		t.Fatalf("%q: %v, want an InputError about the room", bad, err)
	}
	for _, want := range []string{"no room the bot can see is named", "not a stream ID", "'!' at position", "never has"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if _, err := ResolveRoom(testCtx(t), p.client, "Rates Desk EMEA rooms all"); err == nil || strings.Contains(err.Error(), "not a stream ID") {
		t.Errorf("a name of several words is not said to be a bad stream ID: %v", err)
	}
}

// TestEstateResolutionStopsWhenThePodIsGone: rooms are resolved a few at a
// time; once one finds the pod gone (every connection cut without a reply
// for longer than the outage limit), the whole run is refused with that,
// and no room not yet read is asked for.
func TestEstateResolutionStopsWhenThePodIsGone(t *testing.T) {
	log := &lockedLog{}
	p := startSim(t, podsim.Options{RequestLog: log})
	var given []string
	for i := range 3 * estatePlanners {
		given = append(given, p.room(fmt.Sprintf("room %d", i), nil))
	}
	cfg := *p.cfg
	cfg.Retry = symphony.RetryPolicy{MaxAttempts: 1000, Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond, MaxOutage: 200 * time.Millisecond}
	c, err := symphony.NewClient(&cfg, symphony.Options{Auth: symphony.AuthRSA})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testCtx(t)
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	p.SetFaults(podsim.Faults{DropRate: 1, Seed: 1})
	list := roomList(given, make([][]int64, len(given)))
	_, err = EstateRequest{Request: Request{Mode: ModeAdd, OutDir: t.TempDir()}}.Plan(ctx, &Session{Config: &cfg, Pod: c}, list)
	if !errors.Is(err, symphony.ErrPodGone) {
		t.Fatalf("plan with the pod gone: %v; want ErrPodGone", err)
	}
	asked := map[string]bool{}
	for _, id := range given {
		if log.count("/pod/v3/room/"+id+"/info") > 0 {
			asked[id] = true
		}
	}
	if len(asked) > estatePlanners {
		t.Errorf("%d of %d rooms were read after the pod was found gone; at most the %d in flight may be", len(asked), len(given), estatePlanners)
	}
}
