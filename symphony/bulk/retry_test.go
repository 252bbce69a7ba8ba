package bulk

import (
	"strings"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// msRetry is the runner's default policy in milliseconds: no attempt count,
// so the runner's own patience applies.
var msRetry = symphony.RetryPolicy{Initial: time.Millisecond, Max: 4 * time.Millisecond}

// TestDefaultRetryOutlastsBursts: bursts of 503s longer than the client's
// default 5 attempts do not fail users when the run keeps the default policy.
func TestDefaultRetryOutlastsBursts(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Bursty", nil)
	ids := p.addUsers("u", 12)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	p.SetFaults(podsim.Faults{Rate5xx: 0.3, Burst5xx: 8, Seed: 7})
	out := run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: msRetry})
	s := out.summary
	if s.StopReason != "" || s.Totals.Failed != 0 || s.Totals.Added != len(ids) {
		t.Fatalf("stop %q, totals %+v", s.StopReason, s.Totals)
	}
	most := 0
	for _, r := range out.results() {
		most = max(most, r.Attempts)
	}
	if most <= symphony.DefaultMaxAttempts {
		t.Fatalf("no call needed more than %d attempts (most %d): the faults did not test the budget", symphony.DefaultMaxAttempts, most)
	}
}

// TestRetryBudgetStillStopsWhenThePodIsDown: without an attempt count the
// run keeps trying for RetryFor, then stops (not fails every user) when the
// pod does not answer a read either.
func TestRetryBudgetStillStopsWhenThePodIsDown(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Down", nil)
	ids := p.addUsers("u", 10)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	budget := 150 * time.Millisecond
	out := runWatching(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: msRetry, RetryFor: budget},
		afterResults(2, func() { p.SetFaults(podsim.Faults{Rate5xx: 1}) }))
	s := out.summary
	if !strings.Contains(s.StopReason, "not answering") || s.Totals.Failed != 0 || s.ExitCode() != 3 {
		t.Fatalf("stop %q, totals %+v", s.StopReason, s.Totals)
	}
	// The budget, not a count, ended the retries: more attempts than the
	// client's default, spread over at least the budget.
	var first, last time.Time
	waits := 0
	for _, ev := range out.events {
		if ev.Kind == EventRetryWait {
			if waits == 0 {
				first = ev.Time
			}
			last = ev.Time
			waits++
		}
	}
	if waits < symphony.DefaultMaxAttempts {
		t.Errorf("%d retry waits; want more than the client's default count", waits)
	}
	if span := last.Sub(first); span < budget/2 {
		t.Errorf("retries spanned %s; want about the budget %s", span, budget)
	}
}
