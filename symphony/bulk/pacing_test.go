package bulk

import (
	"sync"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// startLog notes when each membership call starts, as the runner's pacer
// sees it, to check the pacing bound on our side exactly (the pod sees the
// calls a network hop later, where scheduling jitter blurs the gaps).
type startLog struct {
	mu     sync.Mutex
	starts []time.Time
}

func (s *startLog) note(t time.Time) {
	s.mu.Lock()
	s.starts = append(s.starts, t)
	s.mu.Unlock()
}

// runLogged is run with every call's start noted in log.
func runLogged(t testing.TB, pod Pod, plan *Plan, opts RunOptions, log *startLog, watch func(Event, []Event)) runOutcome {
	t.Helper()
	r, err := NewRunner(pod, plan, opts)
	if err != nil {
		t.Fatalf("NewRunner: %v", err)
	}
	r.startHook = log.note
	return driveWatching(t, r, watch)
}

// checkPodPacing holds the pod's count of pacing violations to scheduler
// blur. A call the scheduler delays reaches the pod late, and the next one,
// on time, then looks early: on a loaded machine a gap can close up at the
// pod however exactly the starts were spaced (CI saw one in 30 calls). A
// pacer that does not pace, or a burst after a pause, closes many gaps at
// once; the start log holds our own side to the interval exactly.
func checkPodPacing(t *testing.T, p *simPod, paced int) {
	t.Helper()
	allowed := max(1, paced/100)
	if v := p.State().PacingViolations; v > allowed {
		t.Errorf("the pod counted %d pacing violations in %d paced calls (at most %d is scheduler blur)", v, paced, allowed)
	} else if v > 0 {
		t.Logf("the pod counted %d pacing violations in %d paced calls (scheduler blur)", v, paced)
	}
}

// minGap is the smallest gap between consecutive starts from index from on.
func (s *startLog) minGap(from int) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	gap := time.Duration(1<<63 - 1)
	for i := from + 1; i < len(s.starts); i++ {
		gap = min(gap, s.starts[i].Sub(s.starts[i-1]))
	}
	return gap
}

// TestJumboRunKeepsThePace adds 1,200 users to a room of 1,100 members: every
// call is paced. The pod counts no violation, no two calls start closer than
// the interval, and the run takes at least N x interval (and, generously
// bounded, not much more: the exact ratio is BenchmarkJumboRun's).
func TestJumboRunKeepsThePace(t *testing.T) {
	if testing.Short() {
		t.Skip("a 6 s run")
	}
	const (
		n        = 1200
		interval = 5 * time.Millisecond
	)
	// The pod measures gaps when it handles the calls, after the scheduler
	// of a loaded 2-core machine has blurred them by up to a few ms: its
	// tolerance covers that blur (it counts gaps under 1 ms, a burst),
	// while our own side (the start log) is held to the interval exactly.
	p := startSim(t, podsim.Options{PaceGap: interval, PaceTolerance: interval - time.Millisecond})
	existing := p.addUsers("member", 1098)
	room := p.room("Jumbo", existing)
	ids := p.addUsers("new", n)
	plan := p.plan(t, room, ModeAdd, idList(ids), interval)
	if plan.MembersBefore != 1100 || plan.MembersAfter != 2300 || plan.PacedCalls != n {
		t.Fatalf("plan: %d -> %d members, %d paced calls", plan.MembersBefore, plan.MembersAfter, plan.PacedCalls)
	}
	log := &startLog{}
	start := time.Now()
	out := runLogged(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry}, log, nil)
	took := time.Since(start)
	if out.err != nil || out.summary.Totals.Added != n {
		t.Fatalf("run: %v, totals %+v", out.err, out.summary.Totals)
	}
	checkPodPacing(t, p, n)
	if g := log.minGap(0); g < interval {
		t.Errorf("two calls started %v apart; the interval is %v", g, interval)
	}
	bound := time.Duration(n-1) * interval
	if took < bound {
		t.Errorf("the run took %v, less than the pacing bound %v", took, bound)
	}
	if took > 4*bound+5*time.Second {
		t.Errorf("the run took %v, far over the pacing bound %v", took, bound)
	}
	t.Logf("%d paced adds: %v, %.3f x N x interval", n, took, float64(took)/float64(time.Duration(n)*interval))
}

// TestPaceStartsAtTheThreshold grows a room from 480 to 520 members: the
// first 20 adds (below and up to 500) do not wait, the 20 from 500 on are
// spaced by the interval, as the plan's estimate said.
func TestPaceStartsAtTheThreshold(t *testing.T) {
	const interval = 10 * time.Millisecond
	p := startSim(t, podsim.Options{PaceGap: interval, PaceTolerance: interval - time.Millisecond})
	room := p.room("Growing", p.addUsers("member", 478))
	ids := p.addUsers("new", 40)
	plan := p.plan(t, room, ModeAdd, idList(ids), interval)
	if plan.MembersBefore != 480 || plan.PacedCalls != 20 {
		t.Fatalf("plan: %d members, %d paced calls; want 480 and 20", plan.MembersBefore, plan.PacedCalls)
	}
	log := &startLog{}
	out := runLogged(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry}, log, nil)
	if out.err != nil || out.summary.Totals.Added != 40 || out.summary.Totals.Members != 520 {
		t.Fatalf("run: %v %+v", out.err, out.summary.Totals)
	}
	// Which calls waited is read from the events, not from how long the
	// first 20 took: a loaded machine may make those slow, and a call
	// slower than the interval leaves the next one nothing to wait for.
	for _, ev := range out.events {
		if ev.Kind == EventPaceWait && ev.Totals.Members < PaceThreshold {
			t.Errorf("a pace wait at %d members, under the threshold: %+v", ev.Totals.Members, ev)
		}
	}
	if g := log.minGap(19); g < interval {
		t.Errorf("a paced add started %v after the previous one; the interval is %v", g, interval)
	}
	if n := out.count(EventPaceWait); n > 20 {
		t.Errorf("%d pace waits reported for 20 paced adds", n)
	}
	checkPodPacing(t, p, 20)
}
