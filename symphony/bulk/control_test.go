package bulk

import (
	"sync"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// TestPauseHoldsAndResumeDoesNotBurst pauses a paced run, holds it, resumes
// it: no result arrives while paused, and no two calls ever start closer
// than the interval, before or after the pause.
func TestPauseHoldsAndResumeDoesNotBurst(t *testing.T) {
	const interval = 4 * time.Millisecond
	p := startSim(t, podsim.Options{PaceGap: interval, PaceTolerance: interval - time.Millisecond})
	room := p.room("Paused", p.addUsers("member", 505))
	ids := p.addUsers("u", 30)
	plan := p.plan(t, room, ModeAdd, idList(ids), interval)
	ctl := NewControl()
	log := &startLog{}
	var once sync.Once
	out := runLogged(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry, Control: ctl}, log, func(ev Event, seen []Event) {
		switch {
		case ev.Kind == EventResult && countKind(seen, EventResult) == 8:
			ctl.Pause()
			if !ctl.Paused() {
				t.Error("Paused() is false after Pause")
			}
		case ev.Kind == EventPaused:
			once.Do(func() { time.AfterFunc(60*time.Millisecond, ctl.Resume) })
		}
	})
	if out.err != nil || out.summary.Totals.Added != len(ids) {
		t.Fatalf("run: %v, %+v", out.err, out.summary.Totals)
	}
	if len(log.starts) != len(ids) {
		t.Errorf("%d calls noted, want %d", len(log.starts), len(ids))
	}
	var pausedAt, resumedAt time.Time
	for _, ev := range out.events {
		switch ev.Kind {
		case EventPaused:
			pausedAt = ev.Time
		case EventResumed:
			resumedAt = ev.Time
		case EventResult:
			if !pausedAt.IsZero() && resumedAt.IsZero() {
				t.Errorf("a result while paused: %+v", ev.Result)
			}
		}
	}
	if pausedAt.IsZero() || resumedAt.Sub(pausedAt) < 50*time.Millisecond {
		t.Fatalf("paused at %v, resumed at %v", pausedAt, resumedAt)
	}
	if g := log.minGap(0); g < interval {
		t.Errorf("two calls started %v apart; the interval is %v", g, interval)
	}
	checkPodPacing(t, p, len(ids))
}

// TestAbortWhilePausedWritesTheReport: an abort ends a paused run at once.
func TestAbortWhilePausedWritesTheReport(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Abort", nil)
	ids := p.addUsers("u", 10)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	ctl := NewControl()
	ctl.Pause()
	out := runWatching(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Control: ctl}, func(ev Event, _ []Event) {
		if ev.Kind == EventPaused {
			ctl.Abort()
		}
	})
	s := out.summary
	if !s.Aborted || s.Totals.Done != 0 || s.ExitCode() != 3 || s.ReportPath == "" {
		t.Fatalf("summary %+v", s)
	}
	if len(readReport(t, s.ReportPath)) != len(ids) {
		t.Error("the report does not list every user")
	}
	if st := p.State(); len(st.Calls) != 0 {
		t.Errorf("calls were made: %v", st.Calls)
	}
}

// TestWindowWaitsForTheOpening: outside the run window the run says until
// when it waits, and makes no call before.
func TestWindowWaitsForTheOpening(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Windowed", nil)
	ids := p.addUsers("u", 3)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	now := time.Now()
	tod := sinceMidnight(now)
	// Near midnight the window wraps past it (as 18:00-08:00 does): the
	// test runs at any hour rather than skip one hour in 24.
	day := 24 * time.Hour
	win := &Window{Start: (tod + 300*time.Millisecond) % day, End: (tod + time.Hour) % day}
	out := run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Window: win})
	if out.summary.Totals.Added != len(ids) {
		t.Fatalf("totals %+v", out.summary.Totals)
	}
	if len(out.events) < 2 || out.events[1].Kind != EventWindowWait {
		t.Fatalf("the second event is not a window wait: %+v", out.events[1])
	}
	until := out.events[1].Until
	if d := until.Sub(now); d < 290*time.Millisecond || d > 2*time.Second {
		t.Errorf("waits until %v, %v from now", until, d)
	}
	for _, r := range out.results() {
		if r.Time.Before(until) {
			t.Errorf("a call finished at %v, before the window opened at %v", r.Time, until)
		}
	}
}

// podAdds is how many add calls reached the pod, for every user.
func podAdds(p *simPod) int {
	n := 0
	for _, c := range p.State().Calls {
		n += c.Add
	}
	return n
}

// TestHoldStartsNoCallUntilReleased holds a paced run as the wizard does
// while it asks whether to abort: the call in flight finishes and is
// recorded, then no call reaches the pod for a hundred intervals, and after
// Release the run goes on where it stopped and finishes.
func TestHoldStartsNoCallUntilReleased(t *testing.T) {
	const interval = 10 * time.Millisecond
	const holdFor = 100 * interval
	p := startSim(t, podsim.Options{PaceGap: interval, PaceTolerance: interval - time.Millisecond})
	room := p.room("Held", p.addUsers("member", 505))
	ids := p.addUsers("u", 12)
	plan := p.plan(t, room, ModeAdd, idList(ids), interval)
	ctl := NewControl()
	var mu sync.Mutex
	var heldAdds, releasedAdds, resultsAtHold int
	var once sync.Once
	out := runWatching(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry, Control: ctl}, func(ev Event, seen []Event) {
		switch {
		case ev.Kind == EventResult && countKind(seen, EventResult) == 4:
			ctl.Hold()
		case ev.Kind == EventPaused:
			once.Do(func() {
				mu.Lock()
				heldAdds, resultsAtHold = podAdds(p), countKind(seen, EventResult)
				mu.Unlock()
				time.AfterFunc(holdFor, func() {
					mu.Lock()
					releasedAdds = podAdds(p)
					mu.Unlock()
					if ctl.Paused() || !ctl.Held() {
						t.Errorf("during the hold: Paused %v, Held %v", ctl.Paused(), ctl.Held())
					}
					ctl.Release()
				})
			})
		}
	})
	if out.err != nil || out.summary.Totals.Added != len(ids) || out.summary.Aborted {
		t.Fatalf("run: %v, %+v", out.err, out.summary)
	}
	mu.Lock()
	defer mu.Unlock()
	if releasedAdds != heldAdds {
		t.Errorf("%d calls reached the pod while the run was held for %v (at %v a change)", releasedAdds-heldAdds, holdFor, interval)
	}
	// every call that started before the hold was recorded before it held
	if resultsAtHold != heldAdds {
		t.Errorf("held after %d results, but the pod had %d adds: a call in flight was not recorded", resultsAtHold, heldAdds)
	}
	if resultsAtHold >= len(ids) || resultsAtHold < 4 {
		t.Fatalf("held after %d of %d results", resultsAtHold, len(ids))
	}
	var pausedAt, resumedAt time.Time
	for _, ev := range out.events {
		switch ev.Kind {
		case EventPaused:
			pausedAt = ev.Time
		case EventResumed:
			resumedAt = ev.Time
		case EventCalling, EventResult:
			if !pausedAt.IsZero() && resumedAt.IsZero() {
				t.Errorf("event %v while held", ev.Kind)
			}
		}
	}
	if resumedAt.Sub(pausedAt) < holdFor {
		t.Errorf("held from %v to %v, want at least %v", pausedAt, resumedAt, holdFor)
	}
	checkPodPacing(t, p, len(ids))
}

// TestReleaseKeepsAPause: a run paused before the question stays paused
// after it; Resume then lets it go on.
func TestReleaseKeepsAPause(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("PausedHeld", nil)
	ids := p.addUsers("u", 6)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	ctl := NewControl()
	var once sync.Once
	out := runWatching(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry, Control: ctl}, func(ev Event, seen []Event) {
		switch {
		case ev.Kind == EventResult && countKind(seen, EventResult) == 2:
			ctl.Pause()
		case ev.Kind == EventPaused:
			once.Do(func() {
				ctl.Hold()
				ctl.Release()
				adds := podAdds(p)
				time.AfterFunc(200*time.Millisecond, func() {
					if got := podAdds(p); got != adds || !ctl.Paused() || ctl.Held() {
						t.Errorf("after Release of a paused run: %d calls, Paused %v, Held %v", got-adds, ctl.Paused(), ctl.Held())
					}
					ctl.Resume()
				})
			})
		}
	})
	if out.err != nil || out.summary.Totals.Added != len(ids) || out.count(EventPaused) != 1 || out.count(EventResumed) != 1 {
		t.Fatalf("run: %v, %+v, %d paused, %d resumed", out.err, out.summary.Totals, out.count(EventPaused), out.count(EventResumed))
	}
}
