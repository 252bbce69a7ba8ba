package bulk

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"roster/csvsource"
	"roster/symphony/podsim"
)

// crossPodWorld is a cross-pod room, an external user and a local one,
// both named by email in the list: a pod does not show the external
// user's email in its look-up answers, so the plan must place the user by
// asking the address alone.
func crossPodWorld(t *testing.T, opts podsim.Options) (p *simPod, room string, ext, local int64, list *csvsource.List) {
	p = startSim(t, opts)
	ext = p.AddUser(podsim.User{Username: "far.away", Email: "far.away@other.example", DisplayName: "Far Away", Active: true, External: true})
	local = p.addUsers("near", 1)[0]
	room = p.room("Deals", nil, func(r *podsim.Room) { r.CrossPod = true })
	list = &csvsource.List{Path: "users.csv", Entries: []csvsource.Entry{
		{Line: 2, Kind: csvsource.KindEmail, Value: "Far.Away@other.example"},
		{Line: 3, Kind: csvsource.KindEmail, Value: "near-0@example.com"},
	}}
	return p, room, ext, local, list
}

// An external user added to a cross-pod room: the pod answers the observed
// "... or Xpod request will be processed asynchronously" and adds the user
// later. The run records "pending (cross-pod)", waits for the member list
// to show the user before it ends, and reports the add as confirmed by the
// member list; the local user's add is confirmed by the pod's reply.
func TestCrossPodAddConfirmedBeforeTheEnd(t *testing.T) {
	p, room, ext, local, list := crossPodWorld(t, podsim.Options{XpodDelay: 40 * time.Millisecond})
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	if len(plan.Actions) != 2 || plan.Actions[0].UserID != ext || plan.Actions[1].UserID != local {
		t.Fatalf("plan: actions %+v, set aside %+v", plan.Actions, plan.SetAside)
	}
	out := run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry, CrossPodWait: 30 * time.Second})
	if out.err != nil || out.summary.ExitCode() != ExitOK {
		t.Fatalf("run: %v, stop %q, totals %+v", out.err, out.summary.StopReason, out.summary.Totals)
	}
	tot := out.summary.Totals
	if tot.Added != 2 || tot.CrossPodPending != 0 || tot.Settled != 1 || tot.Unconfirmed != 0 {
		t.Errorf("totals %+v; want 2 added, 1 settled, none pending", tot)
	}
	// The first result said pending; the last one, confirmed.
	var first, last *Result
	for _, ev := range out.events {
		if ev.Kind == EventResult && ev.Result.Item.UserID == ext {
			if first == nil {
				first = ev.Result
			}
			last = ev.Result
		}
	}
	if first == nil || first.Outcome != OutcomeCrossPodPending || first.ConfirmedBy() != "not confirmed yet" ||
		!strings.Contains(first.Message, "Xpod request will be processed asynchronously") {
		t.Errorf("first result of the external user: %+v", first)
	}
	if last == nil || last.Outcome != OutcomeAdded || last.ConfirmedBy() != "member list" {
		t.Errorf("last result of the external user: %+v", last)
	}
	if !p.MemberSet(t, room)[ext] {
		t.Error("the pod does not list the external user")
	}
	report := readReport(t, out.summary.ReportPath)
	if row := report[ext]; row[5] != OutcomeAdded.String() || row[len(row)-1] != "member list" {
		t.Errorf("report row of the external user: %v", row)
	}
	if row := report[local]; row[5] != OutcomeAdded.String() || row[len(row)-1] != "pod reply" {
		t.Errorf("report row of the local user: %v", row)
	}
}

// When the pod has not added the external user by the end of the wait, the
// run stops resumable with the user pending (cross-pod), never counted as
// added; the resume, once the pod has added the user, confirms it from the
// member list without calling again.
func TestCrossPodAddStillPendingThenConfirmedOnResume(t *testing.T) {
	p, room, ext, local, list := crossPodWorld(t, podsim.Options{XpodDelay: time.Hour})
	dir := t.TempDir()
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	out := run(t, p.client, plan, RunOptions{OutDir: dir, Retry: fastRetry, CrossPodWait: 20 * time.Millisecond})
	sum := out.summary
	if out.err != nil || sum.StopReason == "" || sum.ExitCode() != ExitAborted || !strings.Contains(sum.StopReason, "pending (cross-pod)") {
		t.Fatalf("run: %v, stop %q, exit %d", out.err, sum.StopReason, sum.ExitCode())
	}
	if tot := sum.Totals; tot.Added != 1 || tot.CrossPodPending != 1 || tot.Failed != 0 {
		t.Errorf("totals %+v; want 1 added, 1 pending (cross-pod)", tot)
	}
	if out.count(EventSettleWait) == 0 || out.count(EventRetryWait) != 0 {
		t.Errorf("%d waits to read the member list again and %d retries shown for the cross-pod add; want some and none",
			out.count(EventSettleWait), out.count(EventRetryWait))
	}
	report := readReport(t, sum.ReportPath)
	if row := report[ext]; row[5] != OutcomeCrossPodPending.String() || row[len(row)-1] != "not confirmed yet" {
		t.Errorf("report row of the external user: %v", row)
	}

	p.JoinNow() // the other pod has processed the request
	again := p.plan(t, room, ModeAdd, list, time.Millisecond)
	// Both users are in the room now, so the plan has nothing left to do;
	// the journal's pending user still makes the resume worth starting.
	if d := decide(again, dir, ResumeChoice{Auto: true}); d.Verdict != Ready || d.Resume == nil || d.Resume.Unsettled != 1 {
		t.Fatalf("the faces' decision on resuming: %+v", d)
	}
	out = run(t, p.client, again, RunOptions{OutDir: dir, Retry: fastRetry, ResumeFrom: sum.JournalPath, CrossPodWait: 20 * time.Millisecond})
	if out.err != nil || out.summary.ExitCode() != ExitOK {
		t.Fatalf("resume: %v, stop %q, totals %+v", out.err, out.summary.StopReason, out.summary.Totals)
	}
	if tot := out.summary.Totals; tot.Added != 2 || tot.CrossPodPending != 0 {
		t.Errorf("resumed totals %+v; want 2 added", tot)
	}
	if res := out.results()[ext]; res.Outcome != OutcomeAdded || res.ConfirmedBy() != "member list" {
		t.Errorf("resumed result of the external user: %+v", res)
	}
	if c := p.State().Calls[ext]; c == nil || c.Add != 1 {
		t.Errorf("add calls for the external user: %+v; want 1 (the resume reads, never re-sends)", c)
	}
	if c := p.State().Calls[local]; c == nil || c.Add != 1 {
		t.Errorf("add calls for the local user: %+v; want 1", c)
	}
}

// A look-up the pod refuses does not fail the plan: the list's other values
// are asked alone and found, and the value whose call failed is set aside
// as lookup-failed (neither found nor unknown), with a warning.
func TestLookupFailureSetsAsideNotThePlan(t *testing.T) {
	p := startSim(t, podsim.Options{})
	people := p.addUsers("ok", 3)
	room := p.room("Lookups", nil)
	h := startHostilePod(t, p)
	h.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/pod/v3/users" || !strings.Contains(r.URL.RawQuery, "poison") {
			return false
		}
		http.Error(w, `{"code":400,"message":"refused"}`, http.StatusBadRequest)
		return true
	}
	c := h.client(t, p)
	list := &csvsource.List{Path: "users.csv"}
	for i, v := range []string{"ok-0@example.com", "poison@example.com", "ok-1@example.com", "ok-2@example.com"} {
		list.Entries = append(list.Entries, csvsource.Entry{Line: i + 2, Kind: csvsource.KindEmail, Value: v})
	}
	plan, err := BuildPlan(testCtx(t), c, PlanRequest{StreamID: room, Mode: ModeAdd, List: list})
	if err != nil {
		t.Fatalf("BuildPlan failed on one refused look-up: %v", err)
	}
	if len(plan.Actions) != 3 || plan.Actions[0].UserID != people[0] || plan.Actions[2].UserID != people[2] {
		t.Errorf("actions %+v", plan.Actions)
	}
	if len(plan.SetAside) != 1 || plan.SetAside[0].Outcome != OutcomeLookupFailed || !strings.Contains(plan.Why(plan.SetAside[0]), "refused") {
		t.Errorf("set aside %+v", plan.SetAside)
	}
	var warned bool
	for _, w := range plan.Warnings {
		warned = warned || w.Code == "lookup" && w.Level == LevelWarn
	}
	if !warned || plan.Blocked() {
		t.Errorf("warnings %+v", plan.Warnings)
	}
}
