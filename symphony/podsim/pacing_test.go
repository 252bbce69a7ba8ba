package podsim

import (
	"strconv"
	"testing"
	"time"
)

// bigRoom makes a room of size members (the bot owns it) and returns it
// with people who are not in it.
func bigRoom(p *testPod, size, outside int) (string, []int64) {
	ppl := p.addPeople("b", size-1+outside)
	room := p.AddRoom(Room{Name: "big", Active: true, Members: members(append([]int64{p.botID}, ppl[:size-1]...), p.botID)})
	return room, ppl[size-1:]
}

func (p *testPod) remove(room string, id int64) reply {
	p.t.Helper()
	return p.do("POST", "/pod/v1/room/"+room+"/membership/remove", p.token, map[string]int64{"id": id})
}

func TestPacingCountsViolations(t *testing.T) {
	// A long gap, so that back-to-back calls are surely inside it.
	p := startPod(t, Options{PaceGap: 10 * time.Second})
	room, out := bigRoom(p, PaceThreshold+1, 4)
	for i, id := range out[:3] {
		if r := p.add(room, id); r.status != 200 {
			t.Fatalf("add %d: %d %s", i, r.status, r.body)
		}
	}
	if v := p.State().PacingViolations; v != 2 {
		t.Fatalf("%d violations after 3 quick adds, want 2 (the first has no predecessor)", v)
	}
	// Already a member changes nothing: not paced, not a violation.
	if r := p.add(room, out[0]); r.status != 200 || p.State().PacingViolations != 2 {
		t.Errorf("already-member add: %d, violations %d", r.status, p.State().PacingViolations)
	}
	// Removals are paced too.
	if r := p.remove(room, out[0]); r.status != 200 || p.State().PacingViolations != 3 {
		t.Errorf("quick removal: %d, violations %d", r.status, p.State().PacingViolations)
	}
}

func TestPacingIgnoresSmallRooms(t *testing.T) {
	p := startPod(t, Options{PaceGap: 10 * time.Second})
	room, out := bigRoom(p, PaceThreshold-3, 3) // 497 -> 500: never over the threshold
	for _, id := range out {
		if r := p.add(room, id); r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
	}
	if v := p.State().PacingViolations; v != 0 {
		t.Fatalf("%d violations in a room of at most 500", v)
	}
}

func TestPacingReject(t *testing.T) {
	p := startPod(t, Options{PaceGap: 10 * time.Second, PaceReject: true})
	room, out := bigRoom(p, PaceThreshold+1, 2)
	if r := p.add(room, out[0]); r.status != 200 {
		t.Fatalf("first add: %d", r.status)
	}
	r := p.add(room, out[1])
	if r.status != 429 {
		t.Fatalf("quick second add: %d %s", r.status, r.body)
	}
	r.apiErr(t)
	ms, err := strconv.Atoi(r.header.Get("X-Retry-After-Ms"))
	if err != nil || ms <= 0 || ms > 10000 {
		t.Errorf("X-Retry-After-Ms %q", r.header.Get("X-Retry-After-Ms"))
	}
	if secs, _ := strconv.Atoi(r.header.Get("Retry-After")); secs*1000 < ms || secs > 10 {
		t.Errorf("Retry-After %q for %d ms", r.header.Get("Retry-After"), ms)
	}
	st := p.State()
	if rs, _ := st.Room(room); contains(rs.Members, out[1]) {
		t.Error("a rejected add was made")
	}
	if st.PacingViolations != 1 || st.Calls[out[1]].Add != 1 {
		t.Errorf("violations %d, calls %+v", st.PacingViolations, st.Calls[out[1]])
	}
}

// Calls that keep the gap are accepted and are no violation.
func TestPacingRespected(t *testing.T) {
	gap := 30 * time.Millisecond
	p := startPod(t, Options{PaceGap: gap, PaceReject: true})
	room, out := bigRoom(p, PaceThreshold+1, 3)
	for i, id := range out {
		if i > 0 {
			time.Sleep(gap + 10*time.Millisecond)
		}
		if r := p.add(room, id); r.status != 200 {
			t.Fatalf("add %d: %d %s", i, r.status, r.body)
		}
	}
	if v := p.State().PacingViolations; v != 0 {
		t.Fatalf("%d violations with the gap kept", v)
	}
}

func TestCallCounts(t *testing.T) {
	p := startPod(t, Options{})
	room, out := bigRoom(p, 3, 2)
	p.add(room, out[0])
	p.add(room, out[0]) // already a member: counted, it reached the room
	p.remove(room, out[0])
	p.do("POST", "/pod/v1/room/"+room+"/membership/promoteOwner", p.token, map[string]int64{"id": out[1]}) // not counted
	p.add(newStreamID(), out[1])                                                                           // unknown room: counted
	st := p.State()
	if c := st.Calls[out[0]]; c == nil || c.Add != 2 || c.Remove != 1 {
		t.Errorf("calls of %d: %+v", out[0], c)
	}
	if c := st.Calls[out[1]]; c == nil || c.Add != 1 || c.Remove != 0 {
		t.Errorf("calls of %d: %+v", out[1], c)
	}
}
