package bulk

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// TestTenYearRetryAfterStopsTheRun: a 429 whose Retry-After is a date ten
// years ahead is not waited: the run stops by itself (exit 3), saying what
// the pod asked for and the limit, with the user pending for the resume.
func TestTenYearRetryAfterStopsTheRun(t *testing.T) {
	p := startSim(t, podsim.Options{})
	h := startHostilePod(t, p)
	ids := p.addUsers("patient", 3)
	room := p.room("patient", nil)
	var adds atomic.Int32
	h.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/membership/add") || adds.Add(1) < 2 {
			return false
		}
		w.Header().Set("Retry-After", time.Now().AddDate(10, 0, 0).UTC().Format(http.TimeFormat))
		http.Error(w, `{"code":429,"message":"Too Many Requests"}`, http.StatusTooManyRequests)
		return true
	}
	c := h.client(t, p)
	plan := planOn(t, c, room, ModeAdd, idList(ids), time.Millisecond)
	out := run(t, c, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	sum := out.summary
	if sum.ExitCode() != ExitAborted || RunExitCode(sum, out.err) != ExitAborted {
		t.Fatalf("exit %d, want 3; stop %q", sum.ExitCode(), sum.StopReason)
	}
	for _, want := range []string{"asked to wait 36", "days", "15m00s", "--max-wait", "retry.maxWaitMillis", "resume"} {
		if !strings.Contains(sum.StopReason, want) {
			t.Errorf("stop reason %q does not say %q", sum.StopReason, want)
		}
	}
	for _, ev := range out.events {
		if ev.Kind == EventRetryWait && ev.Until.Sub(ev.Time) > 15*time.Minute {
			t.Errorf("a wait of %v was announced", ev.Until.Sub(ev.Time))
		}
	}
	rows := readReport(t, sum.ReportPath)
	if rows[ids[0]][5] != OutcomeAdded.String() || rows[ids[1]][5] != OutcomePending.String() || rows[ids[2]][5] != OutcomePending.String() {
		t.Errorf("report: %q %q %q; want added, pending, pending", rows[ids[0]][5], rows[ids[1]][5], rows[ids[2]][5])
	}
	if st, err := readJournal(sum.JournalPath); err != nil || st.finished {
		t.Errorf("the journal must stay resumable: %v, finished %v", err, st != nil && st.finished)
	}
}

// TestTenYearRetryAfterWhilePlanning: the same reply to a read while
// planning fails the plan at once with the same words, and the job's exit
// code for it is 3 (stopped by itself, nothing changed).
func TestTenYearRetryAfterWhilePlanning(t *testing.T) {
	p := startSim(t, podsim.Options{})
	h := startHostilePod(t, p)
	room := p.room("patient-plan", nil)
	h.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Path, "/membership/list") {
			return false
		}
		w.Header().Set("Retry-After", "315360000") // ten years, in seconds
		http.Error(w, `{"code":429,"message":"Too Many Requests"}`, http.StatusTooManyRequests)
		return true
	}
	c := h.client(t, p)
	var notices int
	ctx := symphony.WithWaitNotice(testCtx(t), func(symphony.WaitNotice) { notices++ })
	_, err := BuildPlan(ctx, c, PlanRequest{StreamID: room, Mode: ModeAdd, List: idList(p.addUsers("x", 1))})
	if !symphony.IsWaitTooLong(err) || PlanExitCode(err) != ExitAborted || !strings.Contains(err.Error(), "3650 days") {
		t.Fatalf("plan: %v (exit %d); want the wait refused, exit 3", err, PlanExitCode(err))
	}
	if notices != 0 {
		t.Errorf("%d waits were started for a reply asking ten years", notices)
	}
	if PlanExitCode(errors.New("bad csv")) != ExitInput {
		t.Error("any other planning error is exit 2")
	}
}

// TestAPodThatIsGoneIsDeclaredGone: the pod's listener closes mid-run; the
// run retries, printing every wait, and stops by itself once nothing has
// answered for MaxOutage (scaled down here), not after the ten minutes a
// user's retries may take; the users left stay pending for the resume.
func TestAPodThatIsGoneIsDeclaredGone(t *testing.T) {
	p := startSim(t, podsim.Options{})
	h := startHostilePod(t, p)
	ids := p.addUsers("gone", 6)
	room := p.room("gone", nil)
	var adds atomic.Int32
	h.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/membership/add") || adds.Add(1) != 3 {
			return false
		}
		// The pod goes away: no new connection is accepted, and this one
		// and every open one are cut without a reply.
		h.srv.Listener.Close()
		go h.srv.CloseClientConnections()
		panic(http.ErrAbortHandler)
	}
	// No attempt count: a user's retries are bounded by RetryFor (an hour
	// here), so only the outage limit can stop the run. The client and the
	// runner follow one policy, as they do from a config.
	retry := symphony.RetryPolicy{Initial: 5 * time.Millisecond, Max: 40 * time.Millisecond, MaxOutage: 400 * time.Millisecond}
	c := h.client(t, p, retry)
	plan := planOn(t, c, room, ModeAdd, idList(ids), time.Millisecond)
	out := run(t, c, plan, RunOptions{OutDir: t.TempDir(), Retry: retry, RetryFor: time.Hour})
	sum := out.summary
	if sum.ExitCode() != ExitAborted {
		t.Fatalf("exit %d, want 3; stop %q", sum.ExitCode(), sum.StopReason)
	}
	for _, want := range []string{"no answer from the pod for", "retry.maxOutageMillis", "--max-outage", "resume"} {
		if !strings.Contains(sum.StopReason, want) {
			t.Errorf("stop reason %q does not say %q", sum.StopReason, want)
		}
	}
	t.Logf("stop: %s", sum.StopReason)
	if n := out.count(EventRetryWait); n == 0 {
		t.Error("no wait was announced while the pod was gone")
	}
	for _, ev := range out.events {
		if ev.Kind == EventRetryWait && ev.Until.Sub(ev.Time) > 400*time.Millisecond {
			t.Errorf("a wait of %v past the outage limit was announced", ev.Until.Sub(ev.Time))
		}
	}
	rows := readReport(t, sum.ReportPath)
	for _, id := range ids[3:] {
		if rows[id][5] != OutcomePending.String() {
			t.Errorf("user %d: %q, want pending", id, rows[id][5])
		}
	}
	if tot := sum.Totals; tot.Added != 2 || tot.Failed != 0 {
		t.Errorf("totals %+v; want 2 added and nobody failed", tot)
	}
}
