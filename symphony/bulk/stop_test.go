package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// runWatching runs a plan and hands every event, as it comes, to watch.
func runWatching(t *testing.T, pod Pod, plan *Plan, opts RunOptions, watch func(ev Event, seen []Event)) runOutcome {
	t.Helper()
	r, err := NewRunner(pod, plan, opts)
	if err != nil {
		t.Fatal(err)
	}
	return driveWatching(t, r, watch)
}

// afterResults calls act once, when the nth result arrives.
func afterResults(n int, act func()) func(Event, []Event) {
	var once sync.Once
	results := 0
	return func(ev Event, _ []Event) {
		if ev.Kind == EventResult {
			if results++; results == n {
				once.Do(act)
			}
		}
	}
}

// TestRunStopsWhenNothingCanSucceed: a room deactivated mid-run, or the bot
// losing its permission, stops the run with the reason; users not done stay
// pending (none is marked failed) and the journal stays resumable.
func TestRunStopsWhenNothingCanSucceed(t *testing.T) {
	tests := []struct {
		name string
		act  func(p *simPod, room string)
		want string
	}{
		{"room deactivated", func(p *simPod, room string) { p.SetRoomActive(room, false) }, "deactivated"},
		{"permission lost", func(p *simPod, room string) {
			if _, err := p.client.DemoteOwner(testCtx(t), room, p.BotID); err != nil {
				t.Errorf("DemoteOwner: %v", err)
			}
		}, "lost its permission"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startSim(t, podsim.Options{Latency: 3 * time.Millisecond})
			room := p.room("Stopping", nil)
			ids := p.addUsers("u", 40)
			plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
			dir := t.TempDir()
			out := runWatching(t, p.client, plan, RunOptions{OutDir: dir, Retry: fastRetry},
				afterResults(5, func() { tt.act(p, room) }))
			s := out.summary
			if out.err != nil || !strings.Contains(s.StopReason, tt.want) || s.Aborted || s.ExitCode() != 3 {
				t.Fatalf("err %v, stop %q, aborted %v, exit %d", out.err, s.StopReason, s.Aborted, s.ExitCode())
			}
			if s.Totals.Failed != 0 || s.Totals.Added < 5 || s.Totals.Added == len(ids) || out.count(EventStopping) != 1 {
				t.Errorf("totals %+v, %d stopping events", s.Totals, out.count(EventStopping))
			}
			report := readReport(t, s.ReportPath)
			pending := 0
			for _, id := range ids {
				if row := report[id]; row[5] == OutcomePending.String() {
					pending++
					if !strings.Contains(row[8], "stopped") {
						t.Errorf("pending row without the reason: %v", row)
					}
				}
			}
			if pending != len(ids)-s.Totals.Added {
				t.Errorf("%d pending in the report, want %d", pending, len(ids)-s.Totals.Added)
			}
			if path, _, _ := FindResumable(dir, plan); path != s.JournalPath {
				t.Errorf("the stopped run's journal is not offered for resumption: %q", path)
			}
		})
	}
}

// TestA403ForOneUserDoesNotStopTheRun: a refusal about one user (here an
// external user the room does not allow) fails that user only.
func TestA403ForOneUserDoesNotStopTheRun(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Local", nil)
	ids := p.addUsers("u", 6)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	// The user moves to another pod after the plan was made.
	p.AddUser(podsim.User{ID: ids[2], Username: "moved", Active: true, External: true})
	out := run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	s := out.summary
	if s.StopReason != "" || s.Totals.Added != 5 || s.Totals.Failed != 1 || s.ExitCode() != 1 {
		t.Fatalf("stop %q, totals %+v, exit %d", s.StopReason, s.Totals, s.ExitCode())
	}
	if r := out.results()[ids[2]]; r.Outcome != OutcomeFailed || r.Status != 403 || r.Message == "" {
		t.Errorf("the moved user: %+v", r)
	} else if strings.Contains(r.Message, "HTTP 403") {
		t.Errorf("the message says the status its HTTP column shows: %q", r.Message)
	}
}

// TestRetryAfterWinsAndGivingUpFails: a 429's Retry-After sets the wait;
// a pod that keeps failing makes each user fail after the allowed attempts
// without stopping the run.
func TestRetryAfterWinsAndGivingUpFails(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Busy", nil)
	ids := p.addUsers("u", 4)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)

	p.SetFaults(podsim.Faults{Rate429: 1, RetryAfter: 40 * time.Millisecond})
	var once sync.Once
	out := runWatching(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry}, func(ev Event, _ []Event) {
		if ev.Kind == EventRetryWait {
			once.Do(func() { p.SetFaults(podsim.Faults{}) })
		}
	})
	var wait *Event
	for i := range out.events {
		if out.events[i].Kind == EventRetryWait {
			wait = &out.events[i]
			break
		}
	}
	if wait == nil || wait.Until.Sub(wait.Time) < 35*time.Millisecond || wait.Attempt != 2 || !strings.Contains(wait.Message, "429") {
		t.Fatalf("retry wait %+v; want about 40 ms for attempt 2", wait)
	}
	if n := strings.Count(wait.Message, "HTTP 429"); n != 1 {
		t.Errorf("the wait says the status %d times: %q", n, wait.Message)
	}
	if out.summary.Totals.Added != len(ids) {
		t.Errorf("totals %+v", out.summary.Totals)
	}

	// A pod that fails one user's attempts but answers otherwise: that
	// user fails after the allowed attempts, and the run goes on.
	more := p.addUsers("v", 20)
	plan = p.plan(t, room, ModeAdd, idList(more), time.Millisecond)
	p.SetFaults(podsim.Faults{Rate5xx: 0.5, Seed: 3})
	retry := fastRetry
	retry.MaxAttempts = 2
	out = run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: retry})
	s := out.summary
	if s.StopReason != "" || s.Totals.Failed == 0 || s.Totals.Failed+s.Totals.Added != len(more) || s.ExitCode() != 1 {
		t.Fatalf("stop %q, totals %+v", s.StopReason, s.Totals)
	}
	for _, r := range out.results() {
		if r.Outcome == OutcomeFailed && (r.Attempts != 2 || r.Status != 503 || !strings.Contains(r.Message, "gave up after 2 attempts") || strings.Contains(r.Message, "HTTP 503")) {
			t.Errorf("result %+v", r)
		}
	}
}

// TestRunStopsWhenThePodStopsAnswering: when a user's retries run out and
// the pod does not even answer a read, the run stops instead of failing
// every user in turn; the users not done stay pending.
func TestRunStopsWhenThePodStopsAnswering(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: time.Millisecond})
	room := p.room("Down", nil)
	ids := p.addUsers("u", 30)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	out := runWatching(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry},
		afterResults(3, func() { p.SetFaults(podsim.Faults{Rate5xx: 1}) }))
	s := out.summary
	if !strings.Contains(s.StopReason, "not answering") || s.Totals.Failed != 0 || s.ExitCode() != 3 {
		t.Fatalf("stop %q, totals %+v", s.StopReason, s.Totals)
	}
	report := readReport(t, s.ReportPath)
	pending := 0
	for _, id := range ids {
		if report[id][5] == OutcomePending.String() {
			pending++
		}
	}
	if pending != len(ids)-s.Totals.Added {
		t.Errorf("%d pending, want %d", pending, len(ids)-s.Totals.Added)
	}
}

// TestRunStopsWhenAuthenticationFails: the bot's key is replaced on the pod
// and its session killed mid-run; the client cannot sign in again, so the
// run stops and says why, leaving the rest pending.
func TestRunStopsWhenAuthenticationFails(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: 2 * time.Millisecond})
	room := p.room("Rekeyed", nil)
	ids := p.addUsers("u", 20)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	ctl := NewControl()
	out := runWatching(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry, Control: ctl}, afterResults(3, func() {
		ctl.Pause() // while a new key is made for the bot's name
		go func() {
			if _, _, err := p.AddServiceUser(testBot); err != nil {
				t.Error(err)
			}
			p.KillSessions()
			ctl.Resume()
		}()
	}))
	s := out.summary
	if !strings.Contains(s.StopReason, "authentication") || s.ExitCode() != 3 || s.Totals.Failed != 0 || s.Totals.Added == len(ids) {
		t.Fatalf("stop %q, totals %+v", s.StopReason, s.Totals)
	}
	checkAuthStop(t, s.StopReason)
	noSecrets(t, p, s.JournalPath, s.ReportPath)
}

// checkAuthStop: the stop reason says once that authentication failed, and
// says to check the bot's key and username.
func checkAuthStop(t *testing.T, reason string) {
	t.Helper()
	lower := strings.ToLower(reason)
	if n := strings.Count(lower, "authentication failed") + strings.Count(lower, "authentication is failing"); n != 1 {
		t.Errorf("stop %q says that authentication failed %d times; want once", reason, n)
	}
	for _, w := range []string{"username", "key"} {
		if !strings.Contains(reason, w) {
			t.Errorf("stop %q does not say to check the bot's %s", reason, w)
		}
	}
}

// Every error the client marks as a failed login stops the run with one
// clear sentence, whether or not the client's text already says so.
func TestAuthStopReasonReadsOnce(t *testing.T) {
	cases := []struct {
		name string
		err  error
	}{
		{"login refused", &symphony.APIError{Status: 401, Class: symphony.ClassPermanent, Err: symphony.ErrAuthFailed,
			Message: "authentication failed: pod refused the login of \"bot\" (rsa authentication): bad key; check the bot's username, that its public key is uploaded"}},
		{"cannot sign", &symphony.APIError{Op: "sign login JWT", Message: "cannot sign the login token: crypto/rsa: bad",
			Err: errors.Join(symphony.ErrAuthFailed, errors.New("crypto/rsa: bad"))}},
		{"no token", &symphony.APIError{Op: "POST /login/pubkey/authenticate", Status: 200, Class: symphony.ClassPermanent,
			Err: symphony.ErrAuthFailed, Message: "POST /login/pubkey/authenticate: the reply carries no session token"}},
		{"wrapped", fmt.Errorf("add user 12: %w", &symphony.APIError{Err: symphony.ErrAuthFailed, Message: "authentication failed: refused"})},
	}
	r := &Runner{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkAuthStop(t, r.stopReason(context.Background(), c.err))
		})
	}
}
