package bulk

import (
	"os"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// TestAbortThenResume aborts a paced run part way, then builds the plan
// again as a restart would, finds the journal and resumes it: every user
// ends up added exactly once, and the totals count the earlier run's work.
func TestAbortThenResume(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: 2 * time.Millisecond, Latency: 2 * time.Millisecond})
	room := p.room("Resumed", p.addUsers("member", 510))
	ids := p.addUsers("new", 40)
	list := idList(ids, ids[5])
	plan := p.plan(t, room, ModeAdd, list, 3*time.Millisecond)
	dir := t.TempDir()

	ctl := NewControl()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir, Retry: fastRetry, Control: ctl})
	if err != nil {
		t.Fatal(err)
	}
	go func() { // abort after the 15th result, while the next call is made
		n := 0
		for ev := range r.Events() {
			if ev.Kind == EventResult {
				if n++; n == 15 {
					time.Sleep(4 * time.Millisecond)
					ctl.Abort()
				}
			}
		}
	}()
	first, err := r.Run(testCtx(t))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !first.Aborted || first.ExitCode() != 3 || first.Totals.Done < 15 || first.Totals.Done >= len(ids) {
		t.Fatalf("first run: aborted %v, exit %d, totals %+v", first.Aborted, first.ExitCode(), first.Totals)
	}
	report := readReport(t, first.ReportPath)
	pending := 0
	for _, id := range ids {
		if report[id][5] == OutcomePending.String() {
			pending++
		}
	}
	if pending != len(ids)-first.Totals.Done {
		t.Errorf("the abort report shows %d pending, want %d", pending, len(ids)-first.Totals.Done)
	}

	again := p.plan(t, room, ModeAdd, list, 3*time.Millisecond)
	if again.InputHash != plan.InputHash {
		t.Fatal("the plan's input hash changed after part of the run was done")
	}
	path, done, err := FindResumable(dir, again)
	if err != nil || path != first.JournalPath || done != first.Totals.Done {
		t.Fatalf("FindResumable = %q, %d, %v; want %q, %d", path, done, err, first.JournalPath, first.Totals.Done)
	}
	// The preview's story is the run's: the journal's run, not the rebuilt
	// plan (which sees the users added before the abort as members).
	info, err := InspectResume(path, again)
	if err != nil {
		t.Fatalf("InspectResume: %v", err)
	}
	if info.Actions != len(ids) || info.Done != first.Totals.Done || info.ToGo() != len(ids)-first.Totals.Done || len(info.SetAside) != 0 {
		t.Errorf("InspectResume = %d of %d done, %d to go, %d set aside; want %d of %d, none set aside (the plan sets aside %d)",
			info.Done, info.Actions, info.ToGo(), len(info.SetAside), first.Totals.Done, len(ids), len(again.SetAside))
	}
	if len(again.Actions) >= len(ids)-first.Totals.Done+1 {
		t.Fatalf("the rebuilt plan has %d actions: the test no longer shows it differing from the journal's run", len(again.Actions))
	}
	out := run(t, p.client, again, RunOptions{OutDir: dir, Retry: fastRetry, ResumeFrom: path})
	if out.err != nil {
		t.Fatal(out.err)
	}
	if started := out.events[0]; started.Kind != EventStarted || started.Totals.Done != first.Totals.Done || started.Totals.Actions != len(ids) ||
		started.Totals.Actions != info.Actions || started.Totals.Done != info.Done {
		t.Errorf("resumed start event: %+v; the preview said %+v", started.Totals, info)
	}
	tot := out.summary.Totals
	if tot.Done != len(ids) || tot.Added != len(ids) || tot.Promoted != 1 || out.summary.ExitCode() != 0 {
		t.Errorf("resumed totals %+v", tot)
	}
	members, st := p.MemberSet(t, room), p.State()
	for _, id := range ids {
		if !members[id] {
			t.Errorf("user %d is not in the room", id)
		}
		if c := st.Calls[id]; c == nil || c.Add != 1 {
			t.Errorf("user %d: %+v adds reached the pod, want 1", id, c)
		}
	}
	report = readReport(t, out.summary.ReportPath)
	for _, id := range ids {
		if report[id][5] != OutcomeAdded.String() {
			t.Errorf("final report for %d: %v", id, report[id])
		}
	}
	if p, _, _ := FindResumable(dir, again); p != "" {
		t.Errorf("the finished journal %s is still offered for resumption", p)
	}
}

// TestResumeChecksTheUserInFlight fakes a crash: the journal shows a call
// started for a user that the pod did add, then a torn line. The resumed
// run checks that user against the member list instead of adding again.
func TestResumeChecksTheUserInFlight(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: time.Millisecond})
	room := p.room("Crashed", nil)
	ids := p.addUsers("new", 5)
	list := idList(ids)
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	dir := t.TempDir()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	flying := plan.Actions[2]
	if err := r.journal.start(flying, r.nameOf(flying), ActionAdd, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.client.AddMember(testCtx(t), room, flying.UserID); err != nil {
		t.Fatal(err)
	}
	path := r.journal.Path()
	r.journal.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"type":"result","time":"2026-11-23T07:`) // torn by the crash
	f.Close()

	again := p.plan(t, room, ModeAdd, list, time.Millisecond)
	found, done, err := FindResumable(dir, again)
	if err != nil || found != path || done != 0 {
		t.Fatalf("FindResumable = %q, %d, %v", found, done, err)
	}
	info, err := InspectResume(found, again)
	if err != nil {
		t.Fatal(err)
	}
	if info.Actions != 5 || info.Done != 0 || info.InFlight != 1 || len(info.SetAside) != 0 || len(again.SetAside) != 1 {
		t.Errorf("InspectResume: %+v (the plan sets aside %d)", info, len(again.SetAside))
	}
	out := run(t, p.client, again, RunOptions{OutDir: dir, ResumeFrom: found, Retry: fastRetry})
	if out.err != nil {
		t.Fatal(out.err)
	}
	if started := out.events[0]; started.Totals.Actions != info.Actions || started.Totals.Done != info.Done {
		t.Errorf("resumed start event: %+v; the preview said %+v", started.Totals, info)
	}
	if _, err := InspectResume(found, again); err == nil || !strings.Contains(err.Error(), "finished") {
		t.Errorf("InspectResume of a finished journal: %v", err)
	}
	res := out.results()[flying.UserID]
	if res.Outcome != OutcomeAdded || res.Attempts != 0 || !strings.Contains(res.Message, "in flight") {
		t.Errorf("the user in flight: %+v", res)
	}
	if c := p.State().Calls[flying.UserID]; c.Add != 1 {
		t.Errorf("the user in flight was added %d times", c.Add)
	}
	if tot := out.summary.Totals; tot.Added != 5 || tot.Done != 5 {
		t.Errorf("totals %+v", tot)
	}
	st, err := readJournal(path)
	if err != nil {
		t.Fatalf("the journal after resuming past a torn line: %v", err)
	}
	if !st.finished || st.done() != 5 || len(st.inFlight) != 0 {
		t.Errorf("journal: finished %v, %d done, %d in flight", st.finished, st.done(), len(st.inFlight))
	}
}

// TestAbortInFlight aborts while a call is on the wire: the user is
// reported as unknown (not failed, not done), and the resumed run checks
// them and finishes the list.
func TestAbortInFlight(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: 40 * time.Millisecond})
	room := p.room("Wire", nil)
	ids := p.addUsers("u", 6)
	list := idList(ids)
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	dir := t.TempDir()
	out := abortDuringCall(t, p, plan, dir, 3)
	s := out.summary
	if !s.Aborted || s.Totals.Done != 2 || s.Totals.Failed != 0 {
		t.Fatalf("aborted %v, totals %+v", s.Aborted, s.Totals)
	}
	row := readReport(t, s.ReportPath)[ids[2]]
	if row[5] != OutcomePending.String() || !strings.Contains(row[8], "in flight") {
		t.Errorf("the user in flight: %v", row)
	}
	st, err := readJournal(s.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.inFlight[ids[2]]; !ok || st.finished {
		t.Errorf("journal: in flight %v, finished %v", st.inFlight, st.finished)
	}
	again := p.plan(t, room, ModeAdd, list, time.Millisecond)
	out = run(t, p.client, again, RunOptions{OutDir: dir, ResumeFrom: s.JournalPath, Retry: fastRetry})
	if tot := out.summary.Totals; tot.Done != 6 || tot.Added != 6 || out.summary.ExitCode() != 0 {
		t.Errorf("resumed: %+v", tot)
	}
	if members := p.MemberSet(t, room); !members[ids[2]] || !members[ids[5]] {
		t.Error("the resumed run did not finish the list")
	}
}

// TestResumeMakesThePromotionOwed: an abort between a user's add and their
// promotion leaves the promotion to the resumed run: it is made then, or,
// if the aborted call reached the pod after all, the member list confirms
// it. Either way the user ends up an owner and reported as promoted.
func TestResumeMakesThePromotionOwed(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: 20 * time.Millisecond})
	room := p.room("Owners", nil)
	ids := p.addUsers("u", 3)
	list := idList(ids, ids[0])
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	dir := t.TempDir()
	ctl := NewControl()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir, Control: ctl, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	r.startHook = func(time.Time) {
		if calls++; calls == 2 { // the promotion of ids[0], about to be sent
			// Aborted as it starts, not a timer's 5 ms later: on a loaded
			// machine a late timer let the 20 ms promotion finish first.
			ctl.Abort()
		}
	}
	out := drive(t, r)
	if res := out.results()[ids[0]]; res.Outcome != OutcomeAdded || res.Promoted || !strings.Contains(res.Message, "not promoted") {
		t.Fatalf("first run: %+v", res)
	}
	time.Sleep(40 * time.Millisecond) // let an abandoned call land, if it will
	again := p.plan(t, room, ModeAdd, list, time.Millisecond)
	if again.InputHash != plan.InputHash {
		t.Fatal("the hash changed")
	}
	out = run(t, p.client, again, RunOptions{OutDir: dir, ResumeFrom: out.summary.JournalPath, Retry: fastRetry})
	res := out.results()[ids[0]]
	if res.Outcome != OutcomeAdded || !res.Promoted {
		t.Errorf("resumed: %+v", res)
	}
	if tot := out.summary.Totals; tot.Done != 3 || tot.Added != 3 || tot.Promoted != 1 || tot.PromoteFailed != 0 || out.summary.ExitCode() != 0 {
		t.Errorf("resumed totals %+v", tot)
	}
	owners := p.Room(t, room).Owners
	found := false
	for _, id := range owners {
		found = found || id == ids[0]
	}
	if !found {
		t.Errorf("owners %v lack %d", owners, ids[0])
	}
	if row := readReport(t, out.summary.ReportPath)[ids[0]]; row[6] != "promoted" {
		t.Errorf("report row %v", row)
	}
}

// TestResumeCountsAUserInFlightForThePromotionOnce fakes a crash during the
// promotion of a user whose add is journaled: the pod made them an owner,
// so the rebuilt plan sets them aside. The resumed run confirms the
// promotion and counts the user once, as the preview said.
func TestResumeCountsAUserInFlightForThePromotionOnce(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Promoted", nil)
	ids := p.addUsers("u", 2)
	list := idList(append(ids, ids[0]), ids[0]) // the owner's row twice: a duplicate
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	dir := t.TempDir()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	owner := plan.Actions[0]
	if !owner.Owner || owner.UserID != ids[0] {
		t.Fatalf("the first action is not the owner: %+v", owner)
	}
	ctx := testCtx(t)
	if _, err := p.client.AddMember(ctx, room, owner.UserID); err != nil {
		t.Fatal(err)
	}
	if err := r.journal.result(Result{Time: time.Now(), Item: owner, Outcome: OutcomeAdded, Status: 200, Attempts: 1}, ActionAdd); err != nil {
		t.Fatal(err)
	}
	if err := r.journal.start(owner, r.nameOf(owner), ActionPromote, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.client.PromoteOwner(ctx, room, owner.UserID); err != nil {
		t.Fatal(err)
	}
	path := r.journal.Path()
	r.journal.Close()

	again := p.plan(t, room, ModeAdd, list, time.Millisecond)
	info, err := InspectResume(path, again)
	if err != nil {
		t.Fatal(err)
	}
	if info.Actions != 2 || info.Done != 1 || info.InFlight != 0 {
		t.Errorf("InspectResume: %+v, %d in flight; want 1 of 2 done, none in flight", info, info.InFlight)
	}
	// The rebuilt plan sets the owner aside twice: as a member (the
	// journal's run did that) and as the duplicate row (still set aside).
	if len(info.SetAside) != 1 || info.SetAside[0].Outcome != OutcomeDuplicate || len(again.SetAside) != 2 {
		t.Errorf("set aside on resume: %+v (the plan: %+v)", info.SetAside, again.SetAside)
	}
	out := run(t, p.client, again, RunOptions{OutDir: dir, ResumeFrom: path, Retry: fastRetry})
	if out.err != nil {
		t.Fatal(out.err)
	}
	if started := out.events[0]; started.Totals.Actions != info.Actions || started.Totals.Done != info.Done {
		t.Errorf("resumed start event: %+v; the preview said %+v", started.Totals, info)
	}
	tot := out.summary.Totals
	if tot.Actions != 2 || tot.Done != 2 || tot.Added != 2 || tot.Promoted != 1 || tot.PromoteFailed != 0 {
		t.Errorf("totals %+v; want 2 of 2 done, 2 added, 1 promoted", tot)
	}
	if c := p.State().Calls[owner.UserID]; c.Add != 1 {
		t.Errorf("the owner was added %d times", c.Add)
	}
}
