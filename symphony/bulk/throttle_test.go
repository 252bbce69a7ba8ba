package bulk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// lane is one room's runner of a run over several rooms, with what it did.
type lane struct {
	room  string
	name  string
	users []int64
	log   startLog
	out   runOutcome
}

// runLanes runs one runner per lane side by side, through the one client,
// with the options opts gives each, and waits for all of them. watch, when
// set, sees every event of every lane as it comes (from the lanes'
// goroutines).
func runLanes(t *testing.T, p *simPod, lanes []*lane, opts func(*lane) RunOptions, watch func(*lane, Event)) {
	t.Helper()
	runners := make([]*Runner, len(lanes))
	for i, l := range lanes {
		plan := p.plan(t, l.room, ModeAdd, idList(l.users), lanePace)
		r, err := NewRunner(p.client, plan, opts(l))
		if err != nil {
			t.Fatalf("NewRunner %s: %v", l.name, err)
		}
		r.startHook = l.log.note
		runners[i] = r
	}
	var wg sync.WaitGroup
	for i, r := range runners {
		l := lanes[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			events := collect(r.Events(), func(ev Event, _ []Event) {
				if watch != nil {
					watch(l, ev)
				}
			})
			sum, err := r.Run(context.Background())
			l.out = runOutcome{summary: sum, err: err, events: <-events}
		}()
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(2 * time.Minute):
		t.Fatal("the lanes did not finish in 2 minutes")
	}
}

// lanePace is the rooms' pace in these tests.
const lanePace = 4 * time.Millisecond

// holdWaits are a lane's waits for the shared Throttle: retry waits whose
// message is holdText's.
func holdWaits(evs []Event) []Event {
	var out []Event
	prefix := holdText("")[:strings.Index(holdText(""), "(")]
	for _, ev := range evs {
		if ev.Kind == EventRetryWait && strings.HasPrefix(ev.Message, prefix) {
			out = append(out, ev)
		}
	}
	return out
}

// throttledLanes starts a pod that throttles the bot to one membership call
// per callerGap, and three rooms of 501 members, each with n users of its
// own to add.
func throttledLanes(t *testing.T, callerGap time.Duration, n int) (*simPod, []*lane) {
	t.Helper()
	p := startSim(t, podsim.Options{PaceGap: lanePace, PaceTolerance: lanePace - time.Millisecond, CallerGap: callerGap})
	members := p.addUsers("member", PaceThreshold-1) // with the bot and a second owner: 501
	var lanes []*lane
	for _, name := range []string{"Desk A", "Desk B", "Desk C"} {
		l := &lane{name: name, room: p.room(name, members)}
		l.users = p.addUsers(strings.ReplaceAll(name, " ", ""), n)
		lanes = append(lanes, l)
	}
	return p, lanes
}

// TestThrottleSlowsEveryLane runs three rooms side by side against a pod
// that throttles the bot (one membership call per 10 ms, while the three
// lanes together ask for one per 1.3 ms). With a shared Throttle every lane
// waits for the others' 429s, each room keeps its own pace, the run
// completes, and every user is added exactly once: the pod let one add
// through per user and lists them all. Without a Throttle the lanes still
// complete (each retries its own 429s) but none waits for another's.
func TestThrottleSlowsEveryLane(t *testing.T) {
	const n = 20
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			p, lanes := throttledLanes(t, 10*time.Millisecond, n)
			before := map[string]map[int64]bool{}
			for _, l := range lanes {
				before[l.room] = p.MemberSet(t, l.room)
			}
			var th *Throttle
			if shared {
				th = NewThrottle()
			}
			runLanes(t, p, lanes, func(*lane) RunOptions {
				return RunOptions{OutDir: t.TempDir(), Retry: msRetry, Throttle: th}
			}, nil)

			st := p.State()
			if st.Throttled == 0 {
				t.Fatal("the pod throttled no call: the test did not test the Throttle")
			}
			for _, l := range lanes {
				s := l.out.summary
				if l.out.err != nil || s == nil || s.StopReason != "" || s.Aborted || s.Totals.Added != n || s.Totals.Failed != 0 {
					t.Fatalf("%s: err %v, summary %+v", l.name, l.out.err, s)
				}
				holds := holdWaits(l.out.events)
				switch {
				case shared && len(holds) == 0:
					t.Errorf("%s never waited for another room's 429 (%d retry waits of its own)", l.name, l.out.count(EventRetryWait))
				case !shared && len(holds) > 0:
					t.Errorf("%s waited for the Throttle without one: %+v", l.name, holds[0])
				}
				for _, ev := range holds {
					if !ev.Until.After(ev.Time) || ev.Attempt < 1 || !strings.Contains(ev.Message, "HTTP 429") {
						t.Errorf("%s: hold wait %+v", l.name, ev)
					}
					// The Throttle keeps the latest hold, never an earlier one.
					if ev.Until.After(th.Until()) {
						t.Errorf("%s: a hold until %v, after the Throttle's last %v", l.name, ev.Until, th.Until())
					}
				}
				// Every user added once: one add let through, in the room.
				want := before[l.room]
				for _, id := range l.users {
					if c := st.Calls[id]; c == nil || c.Add != 1 {
						t.Errorf("%s: user %d: the pod let through %+v adds, want 1", l.name, id, c)
					}
					want[id] = true
				}
				rs, _ := st.Room(l.room)
				got := map[int64]bool{}
				for _, id := range rs.Members {
					got[id] = true
				}
				if len(got) != len(want) || len(rs.Members) != len(want) {
					t.Errorf("%s: %d members listed (%d distinct), want %d", l.name, len(rs.Members), len(got), len(want))
				}
				for id := range want {
					if !got[id] {
						t.Errorf("%s: %d is not a member", l.name, id)
					}
				}
				// Each room keeps its own pace, start to start.
				if g := l.log.minGap(0); g < lanePace {
					t.Errorf("%s: two calls started %v apart; the room's interval is %v", l.name, g, lanePace)
				}
				if allowed := max(1, n/100); rs.PacingViolations > allowed {
					t.Errorf("%s: the pod counted %d pacing violations in %d paced adds", l.name, rs.PacingViolations, n)
				}
			}
			t.Logf("shared=%v: %d calls throttled; hold waits per lane: %d %d %d", shared, st.Throttled,
				len(holdWaits(lanes[0].out.events)), len(holdWaits(lanes[1].out.events)), len(holdWaits(lanes[2].out.events)))
		})
	}
}

// TestThrottleHoldIsPausedAndAborted: a lane waiting for another room's
// 429 shows the wait, pauses during it, says the wait again when resumed
// (the hold is not over), and stops at once on an abort, making no call. The pod throttles the bot to one call in 10 minutes, so
// the hold outlasts any test. The order is made sure of: a first add
// (before the lanes) uses the bot's gap up, lane A starts paused, lane B's
// add is throttled, and only then is lane A let go, to meet the hold.
func TestThrottleHoldIsPausedAndAborted(t *testing.T) {
	p, lanes := throttledLanes(t, 10*time.Minute, 2)
	a, b := lanes[0], lanes[1]
	lanes = lanes[:2]
	warm := p.addUsers("warm", 1)[0]
	if _, err := p.client.AddMember(testCtx(t), b.room, warm); err != nil {
		t.Fatalf("first add: %v", err)
	}
	th := NewThrottle()
	controls := map[*lane]*Control{a: NewControl(), b: NewControl()}
	controls[a].Pause()
	var mu sync.Mutex
	held, resumed := false, false
	runLanes(t, p, lanes, func(l *lane) RunOptions {
		return RunOptions{OutDir: t.TempDir(), Retry: msRetry, Throttle: th, Control: controls[l]}
	}, func(l *lane, ev Event) {
		mu.Lock()
		defer mu.Unlock()
		hold := ev.Kind == EventRetryWait && len(holdWaits([]Event{ev})) == 1
		switch {
		case l == b && ev.Kind == EventRetryWait && !hold:
			controls[a].Resume() // b's own retry wait: the hold is set
		case l == a && hold && !held:
			held = true
			controls[a].Pause()
		case l == a && ev.Kind == EventPaused && held:
			controls[a].Resume()
		case l == a && ev.Kind == EventResumed && held:
			resumed = true
		case l == a && hold && resumed:
			for _, c := range controls {
				c.Abort()
			}
		}
	})
	st := p.State()
	if st.Throttled != 1 {
		t.Errorf("the pod throttled %d calls, want 1 (lane B's first add)", st.Throttled)
	}
	for _, l := range lanes {
		for _, id := range l.users {
			if c := st.Calls[id]; c != nil {
				t.Errorf("%s: user %d: %+v let through", l.name, id, c)
			}
		}
		s := l.out.summary
		if s == nil || !s.Aborted || s.ExitCode() != ExitAborted {
			t.Fatalf("%s: summary %+v, err %v", l.name, s, l.out.err)
		}
	}
	if n := len(holdWaits(b.out.events)); n != 0 {
		t.Errorf("lane B waited %d times for its own 429's hold", n)
	}
	holds := holdWaits(a.out.events)
	if len(holds) != 2 {
		t.Fatalf("lane A said its wait for the hold %d times, want 2 (before and after the pause)", len(holds))
	}
	for _, ev := range holds {
		if !strings.Contains(ev.Message, `HTTP 429 to a change in room "Desk B"`) || ev.Attempt != 1 ||
			ev.Until.Sub(ev.Time) < 9*time.Minute || !ev.Until.Equal(holds[0].Until) {
			t.Errorf("lane A's hold: %+v", ev)
		}
	}
	// From the hold's wait on: paused, resumed, the wait again, and no call.
	var after []EventKind
	from := false
	for _, ev := range a.out.events {
		from = from || ev.Kind == EventRetryWait && ev.Message == holds[0].Message
		if from && ev.Kind != EventStopping && ev.Kind != EventFinished {
			after = append(after, ev.Kind)
		}
	}
	if want := []EventKind{EventRetryWait, EventPaused, EventResumed, EventRetryWait}; !slices.Equal(after, want) {
		t.Errorf("lane A's events from the hold on: %v; want %v (the hold's wait, paused, resumed, the wait again)", after, want)
	}
	if n := a.out.count(EventCalling); n != 0 {
		t.Errorf("lane A made %d calls", n)
	}
}

// TestThrottleRule: which answers hold every lane, and that the latest
// hold is kept. A nil Throttle holds nothing.
func TestThrottleRule(t *testing.T) {
	now := time.Now()
	th := NewThrottle()
	for _, c := range []struct {
		err  error
		hold bool
	}{
		{&symphony.APIError{Status: 429, RetryAfter: time.Second}, true},
		{&symphony.APIError{Status: 429}, true}, // no Retry-After: the runner's backoff
		{fmt.Errorf("add: %w", &symphony.APIError{Status: 503}), true},
		{&symphony.APIError{Status: 500}, false},
		{&symphony.APIError{Status: 502}, false},
		{&symphony.APIError{Status: 504}, false},
		{&symphony.APIError{Status: 0}, false}, // no answer: the client's outage limit
		{errors.New("not an API error"), false},
	} {
		th = NewThrottle()
		th.note(c.err, now.Add(time.Second), "Desk")
		if got := th.Until().Equal(now.Add(time.Second)); got != c.hold {
			t.Errorf("%v: held %v, want %v", c.err, got, c.hold)
		}
	}
	th.note(&symphony.APIError{Status: 429}, now.Add(2*time.Second), "Later")
	th.note(&symphony.APIError{Status: 503}, now.Add(time.Second), "Earlier")
	if until, why := th.held(); !until.Equal(now.Add(2*time.Second)) || why != `HTTP 429 to a change in room "Later"` {
		t.Errorf("after a later and an earlier hold: %v %q; want the later", until, why)
	}
	var none *Throttle
	none.note(&symphony.APIError{Status: 429}, now.Add(time.Second), "Desk")
	if !none.Until().IsZero() {
		t.Error("a nil Throttle held")
	}
}

// TestThrottleHoldsOn503s: bursts of 503s from a pod shedding load hold
// the other lanes too, and every user is still added once.
func TestThrottleHoldsOn503s(t *testing.T) {
	const n = 15
	p, lanes := throttledLanes(t, 0, n)
	p.SetFaults(podsim.Faults{Rate5xx: 0.2, Burst5xx: 3, Seed: 11})
	th := NewThrottle()
	runLanes(t, p, lanes, func(*lane) RunOptions {
		return RunOptions{OutDir: t.TempDir(), Retry: msRetry, Throttle: th}
	}, nil)
	st := p.State()
	held := 0
	for _, l := range lanes {
		s := l.out.summary
		if l.out.err != nil || s == nil || s.StopReason != "" || s.Totals.Added != n {
			t.Fatalf("%s: err %v, summary %+v", l.name, l.out.err, s)
		}
		for _, ev := range holdWaits(l.out.events) {
			if strings.Contains(ev.Message, "HTTP 503") {
				held++
			}
		}
		for _, id := range l.users {
			if c := st.Calls[id]; c == nil || c.Add != 1 {
				t.Errorf("%s: user %d: %+v adds let through, want 1", l.name, id, c)
			}
		}
	}
	if held == 0 {
		t.Error("no lane waited for another's 503")
	}
}
