package podsim

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

func (p *testPod) add(room string, id int64) reply {
	p.t.Helper()
	return p.do("POST", "/pod/v1/room/"+room+"/membership/add", p.token, map[string]int64{"id": id})
}

func TestInjected429(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("f", 1)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID}, p.botID)})
	for _, tt := range []struct {
		retryAfter time.Duration
		header, ms string
	}{
		{1500 * time.Millisecond, "2", "1500"},
		{20 * time.Millisecond, "1", "20"},
		{3 * time.Second, "3", "3000"},
	} {
		p.SetFaults(Faults{Rate429: 1, RetryAfter: tt.retryAfter})
		r := p.add(room, ppl[0])
		if r.status != 429 || r.header.Get("Retry-After") != tt.header || r.header.Get("X-Retry-After-Ms") != tt.ms {
			t.Errorf("RetryAfter %v: %d Retry-After %q X-Retry-After-Ms %q", tt.retryAfter, r.status,
				r.header.Get("Retry-After"), r.header.Get("X-Retry-After-Ms"))
		}
		r.apiErr(t)
	}
	// Faulted calls never reach the room.
	if c := p.State().Calls[ppl[0]]; c != nil {
		t.Errorf("calls counted for faulted adds: %+v", c)
	}
	p.SetFaults(Faults{})
	if r := p.add(room, ppl[0]); r.status != 200 {
		t.Errorf("after faults cleared: %d", r.status)
	}
}

// A 503 burst is Burst5xx consecutive 503s; the same seed gives the same calls.
func Test5xxBurstsAreReproducible(t *testing.T) {
	statuses := func() []int {
		p := startPod(t, Options{})
		p.SetFaults(Faults{Rate5xx: 0.15, Burst5xx: 3, Rate429: 0.1, Seed: 42})
		var out []int
		for i := 0; i < 60; i++ {
			out = append(out, p.do("GET", "/pod/v2/sessioninfo", p.token, nil).status)
		}
		return out
	}
	a, b := statuses(), statuses()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	runs, oks, r429 := 0, 0, 0
	for i := 0; i < len(a); {
		switch a[i] {
		case 503:
			j := i
			for j < len(a) && a[j] == 503 {
				j++
			}
			if j-i < 3 && j < len(a) {
				t.Errorf("a burst of %d 503s at call %d, want at least 3: %v", j-i, i, a)
			}
			runs++
			i = j
			continue
		case 200:
			oks++
		case 429:
			r429++
		default:
			t.Fatalf("status %d", a[i])
		}
		i++
	}
	if runs == 0 || oks == 0 || r429 == 0 {
		t.Errorf("%d bursts, %d successes, %d 429s in %v", runs, oks, r429, a)
	}
}

func TestDroppedConnection(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("d", 1)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID}, p.botID)})
	p.SetFaults(Faults{DropRate: 1})
	req, _ := http.NewRequest("POST", p.URL()+"/pod/v1/room/"+room+"/membership/add", nil)
	req.Header.Set("sessionToken", p.token)
	resp, err := p.client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("a dropped call got a reply: %d", resp.StatusCode)
	}
	p.SetFaults(Faults{})
	if st, _ := p.State().Room(room); len(st.Members) != 1 || p.State().Calls[ppl[0]] != nil {
		t.Errorf("a dropped call changed the room: %+v", st)
	}
	if r := p.add(room, ppl[0]); r.status != 200 {
		t.Errorf("after drops cleared: %d", r.status)
	}
}

// Logins are not faulted: hostility hits the work, not the setup.
func TestFaultsSpareLogin(t *testing.T) {
	p := startPod(t, Options{})
	p.SetFaults(Faults{Rate429: 1, Rate5xx: 1, DropRate: 0})
	tok := p.login("bot", p.botKey)
	// The faults are in force: the same session's work is refused.
	if r := p.do("GET", "/pod/v2/sessioninfo", tok, nil); r.status != 503 {
		t.Errorf("a /pod call under Rate5xx 1: %d %s, want 503", r.status, r.body)
	}
}

func TestKillSessionsEvery(t *testing.T) {
	clock := newTestClock()
	p := startPodAt(t, Options{}, clock)
	p.SetFaults(Faults{KillSessionsEvery: time.Minute})
	clock.Advance(time.Minute - time.Millisecond)
	if r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil); r.status != 200 {
		t.Fatalf("before the kill: %d", r.status)
	}
	clock.Advance(time.Millisecond)
	if r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil); r.status != 401 {
		t.Fatalf("after the kill: %d", r.status)
	}
	// The next period starts at the kill: a new session lives until then.
	tok := p.login("bot", p.botKey)
	clock.Advance(time.Minute - time.Millisecond)
	if r := p.do("GET", "/pod/v2/sessioninfo", tok, nil); r.status != 200 {
		t.Fatalf("a session of the next period: %d", r.status)
	}
	clock.Advance(time.Millisecond)
	if r := p.do("GET", "/pod/v2/sessioninfo", tok, nil); r.status != 401 {
		t.Fatalf("after the second kill: %d", r.status)
	}
}

func TestLatency(t *testing.T) {
	p := startPod(t, Options{Latency: 30 * time.Millisecond})
	start := time.Now()
	if r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil); r.status != 200 {
		t.Fatalf("%d", r.status)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("reply after %v, latency is 30ms", d)
	}
}
