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
		if report[id][5] == string(OutcomePending) {
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
	out := run(t, p.client, again, RunOptions{OutDir: dir, Retry: fastRetry, ResumeFrom: path})
	if out.err != nil {
		t.Fatal(out.err)
	}
	if started := out.events[0]; started.Kind != EventStarted || started.Totals.Done != first.Totals.Done || started.Totals.Actions != len(ids) {
		t.Errorf("resumed start event: %+v", started.Totals)
	}
	tot := out.summary.Totals
	if tot.Done != len(ids) || tot.Added != len(ids) || tot.Promoted != 1 || out.summary.ExitCode() != 0 {
		t.Errorf("resumed totals %+v", tot)
	}
	members, st := memberSet(p.roomState(t, room)), p.State()
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
		if report[id][5] != string(OutcomeAdded) {
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
	if err := r.journal.start(flying, "add", time.Now()); err != nil {
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
	out := run(t, p.client, again, RunOptions{OutDir: dir, ResumeFrom: found, Retry: fastRetry})
	if out.err != nil {
		t.Fatal(out.err)
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
	ctl := NewControl()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir, Control: ctl, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	r.startHook = func(time.Time) {
		if calls++; calls == 3 {
			time.AfterFunc(10*time.Millisecond, ctl.Abort)
		}
	}
	out := drive(t, r)
	s := out.summary
	if !s.Aborted || s.Totals.Done != 2 || s.Totals.Failed != 0 {
		t.Fatalf("aborted %v, totals %+v", s.Aborted, s.Totals)
	}
	row := readReport(t, s.ReportPath)[ids[2]]
	if row[5] != string(OutcomePending) || !strings.Contains(row[8], "in flight") {
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
	if members := memberSet(p.roomState(t, room)); !members[ids[2]] || !members[ids[5]] {
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
		if calls++; calls == 2 { // the promotion of ids[0]
			time.AfterFunc(5*time.Millisecond, ctl.Abort)
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
	owners := p.roomState(t, room).Owners
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
