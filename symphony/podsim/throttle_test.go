package podsim

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestCallerThrottle: with CallerGap, a caller's membership calls in any
// room closer than the gap are answered 429 with Retry-After and not made;
// another caller, and the same caller's reads, are not held; the gap counts
// from the last call let through.
func TestCallerThrottle(t *testing.T) {
	clock := newTestClock()
	p := startPodAt(t, Options{CallerGap: 10 * time.Second}, clock)
	ppl := p.addPeople("t", 5)
	other := ppl[4]
	otherKey := p.serviceUser(t, other, "other-bot", roleUserProvisioning)
	otherToken := p.login("other-bot", otherKey)
	roomA := p.AddRoom(Room{Name: "A", Active: true, Members: members([]int64{p.botID}, p.botID)})
	roomB := p.AddRoom(Room{Name: "B", Active: true, Members: members([]int64{p.botID}, p.botID)})

	if r := p.add(roomA, ppl[0]); r.status != http.StatusOK {
		t.Fatalf("first add: %d %s", r.status, r.body)
	}
	clock.Advance(4 * time.Second)
	// Another room, the same caller: throttled, as the limit is the caller's.
	r := p.add(roomB, ppl[1])
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("an add 4 s after the caller's last, in another room: %d %s; want 429", r.status, r.body)
	}
	if e := r.apiErr(t); e.Message != msgCallerThrottled {
		t.Errorf("message %q", e.Message)
	}
	if got, ms := r.header.Get("Retry-After"), r.header.Get("X-Retry-After-Ms"); got != "6" || ms != "6000" {
		t.Errorf("Retry-After %q, X-Retry-After-Ms %q; want the rest of the gap, 6 s", got, ms)
	}
	// Promotions are membership calls too.
	if r := p.do("POST", "/pod/v1/room/"+roomA+"/membership/promoteOwner", p.token, map[string]int64{"id": ppl[0]}); r.status != http.StatusTooManyRequests {
		t.Errorf("a promotion inside the gap: %d %s; want 429", r.status, r.body)
	}
	// Reads are not throttled.
	if r := p.do("GET", "/pod/v2/room/"+roomB+"/membership/list", p.token, nil); r.status != http.StatusOK {
		t.Errorf("a read inside the gap: %d %s", r.status, r.body)
	}
	// Another caller has a gap of its own.
	if r := p.do("POST", "/pod/v1/room/"+roomB+"/membership/add", otherToken, map[string]int64{"id": ppl[2]}); r.status != http.StatusOK {
		t.Errorf("another caller's add: %d %s", r.status, r.body)
	}
	st := p.State()
	if st.Throttled != 2 {
		t.Errorf("Throttled = %d, want 2", st.Throttled)
	}
	if rs, _ := st.Room(roomB); contains(rs.Members, ppl[1]) {
		t.Error("a throttled add was made")
	}
	if c := st.Calls[ppl[1]]; c != nil {
		t.Errorf("a throttled add is in Calls: %+v", c)
	}
	// Refused calls do not move the gap: it ends 10 s after the last call
	// let through.
	clock.Advance(6*time.Second - time.Millisecond)
	if r := p.add(roomB, ppl[1]); r.status != http.StatusTooManyRequests || r.header.Get("X-Retry-After-Ms") != "1" {
		t.Errorf("1 ms before the gap ends: %d, X-Retry-After-Ms %q", r.status, r.header.Get("X-Retry-After-Ms"))
	}
	clock.Advance(time.Millisecond)
	if r := p.add(roomB, ppl[1]); r.status != http.StatusOK {
		t.Fatalf("at the end of the gap: %d %s", r.status, r.body)
	}
	st = p.State()
	if rs, _ := st.Room(roomB); !contains(rs.Members, ppl[1]) || st.Throttled != 3 || st.Calls[ppl[1]].Add != 1 {
		t.Errorf("after the gap: members %v, throttled %d, calls %+v", rs.Members, st.Throttled, st.Calls[ppl[1]])
	}
	// The JSON state shows the count.
	var js struct {
		Throttled *int `json:"throttled"`
	}
	if err := json.Unmarshal(p.do("GET", "/_sim/state", "", nil).body, &js); err != nil || js.Throttled == nil || *js.Throttled != 3 {
		t.Errorf("/_sim/state throttled: %v %v", js.Throttled, err)
	}
}

// TestNoCallerThrottleByDefault: without CallerGap, calls back to back all
// pass.
func TestNoCallerThrottleByDefault(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("n", 5)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID}, p.botID)})
	for _, id := range ppl {
		if r := p.add(room, id); r.status != http.StatusOK {
			t.Fatalf("add: %d %s", r.status, r.body)
		}
	}
	if st := p.State(); st.Throttled != 0 {
		t.Errorf("Throttled = %d without CallerGap", st.Throttled)
	}
}

func TestNegativeCallerGapRefused(t *testing.T) {
	if _, err := New(Options{CallerGap: -time.Second}); err == nil {
		t.Error("a negative CallerGap was accepted")
	}
}

// TestPacingViolationsPerRoom: each room counts its own violations, and
// State's total is their sum.
func TestPacingViolationsPerRoom(t *testing.T) {
	p := startPod(t, Options{PaceGap: 10 * time.Second})
	ppl := p.addPeople("v", PaceThreshold+6)
	big := append([]int64{p.botID}, ppl[:PaceThreshold]...)
	roomA := p.AddRoom(Room{Name: "A", Active: true, Members: members(big, p.botID)})
	roomB := p.AddRoom(Room{Name: "B", Active: true, Members: members(big, p.botID)})
	small := p.AddRoom(Room{Name: "small", Active: true, Members: members([]int64{p.botID}, p.botID)})
	out := ppl[PaceThreshold:]
	for _, c := range []struct {
		room string
		id   int64
	}{{roomA, out[0]}, {roomB, out[0]}, {roomA, out[1]}, {roomA, out[2]}, {roomB, out[1]}, {small, out[0]}, {small, out[1]}} {
		if r := p.add(c.room, c.id); r.status != http.StatusOK {
			t.Fatalf("add: %d %s", r.status, r.body)
		}
	}
	st := p.State()
	a, _ := st.Room(roomA)
	b, _ := st.Room(roomB)
	s, _ := st.Room(small)
	if a.PacingViolations != 2 || b.PacingViolations != 1 || s.PacingViolations != 0 || st.PacingViolations != 3 {
		t.Errorf("violations: A %d (want 2), B %d (want 1), small %d (want 0), all %d (want 3)",
			a.PacingViolations, b.PacingViolations, s.PacingViolations, st.PacingViolations)
	}
}
