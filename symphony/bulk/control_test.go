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
