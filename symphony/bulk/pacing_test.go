package bulk

import (
	"context"
	"sync"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// startLog wraps the real client and notes when each membership call
// starts, to check the pacing bound on our side exactly (the pod sees the
// calls a network hop later, where scheduling jitter blurs the gaps).
type startLog struct {
	Pod
	mu     sync.Mutex
	starts []time.Time
}

func (s *startLog) note() {
	s.mu.Lock()
	s.starts = append(s.starts, time.Now())
	s.mu.Unlock()
}

func (s *startLog) AddMember(ctx context.Context, room string, id int64) (symphony.Change, error) {
	s.note()
	return s.Pod.AddMember(ctx, room, id)
}

func (s *startLog) RemoveMember(ctx context.Context, room string, id int64) (symphony.Change, error) {
	s.note()
	return s.Pod.RemoveMember(ctx, room, id)
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
	log := &startLog{Pod: p.client}
	start := time.Now()
	out := run(t, log, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	took := time.Since(start)
	if out.err != nil || out.summary.Totals.Added != n {
		t.Fatalf("run: %v, totals %+v", out.err, out.summary.Totals)
	}
	if v := p.State().PacingViolations; v != 0 {
		t.Errorf("the pod counted %d pacing violations", v)
	}
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
