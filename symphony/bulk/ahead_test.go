package bulk

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"roster/csvsource"
	"roster/symphony/podsim"
)

// journalRecords reads a journal's records in file order.
func journalRecords(t *testing.T, path string) []record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		recs = append(recs, rec)
	}
	return recs
}

// recordsOf are the types of the records of one user, in file order.
func recordsOf(recs []record, id int64) []string {
	var types []string
	for _, r := range recs {
		if r.UserID == id {
			types = append(types, r.Type+":"+r.Action.String())
		}
	}
	return types
}

// TestStartRecordsAreWrittenAheadInOrder: the start record of each call
// after the first is written while the call before it is in flight, so
// the journal holds it before that call's result; and every call's start
// record is in the journal when the call starts.
func TestStartRecordsAreWrittenAheadInOrder(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: 2 * time.Millisecond})
	room := p.room("Ahead", nil)
	ids := p.addUsers("u", 5)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	r.startHook = func(time.Time) {
		// The call about to go out: its start record is in the file.
		st, err := readJournal(r.journal.Path())
		if err != nil {
			t.Errorf("call %d: %v", calls, err)
			return
		}
		if _, ok := st.inFlight[ids[calls]]; !ok {
			t.Errorf("call %d (user %d) starts with no start record in the journal", calls, ids[calls])
		}
		calls++
	}
	out := drive(t, r)
	if out.err != nil || out.summary.Totals.Added != 5 {
		t.Fatalf("run: %v %+v", out.err, out.summary.Totals)
	}
	recs := journalRecords(t, out.summary.JournalPath)
	var order []string
	for _, rec := range recs {
		if rec.Type == recStart || rec.Type == recResult {
			order = append(order, rec.Type+":"+rec.Input)
		}
	}
	var want []string
	for i, id := range ids {
		in := itoa(id)
		if i == 0 {
			want = append(want, "start:"+in)
		}
		if i+1 < len(ids) {
			want = append(want, "start:"+itoa(ids[i+1]))
		}
		want = append(want, "result:"+in)
	}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("journal order\n got %v\nwant %v", order, want)
	}
}

// TestAbortWithdrawsTheStartWrittenAhead aborts while a call is on the
// wire: the next user's start, written ahead, is taken back in the journal,
// so that a resume does not take them for a call in flight. Another admin
// then adds that user: the resumed run says they were already a member,
// not that this run added them.
func TestAbortWithdrawsTheStartWrittenAhead(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: 40 * time.Millisecond})
	room := p.room("Withdrawn", nil)
	ids := p.addUsers("u", 6)
	list := idList(ids)
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	dir := t.TempDir()
	out := abortDuringCall(t, p, plan, dir, 3)
	if !out.summary.Aborted || out.summary.Totals.Done != 2 {
		t.Fatalf("aborted %v, totals %+v", out.summary.Aborted, out.summary.Totals)
	}
	checkWithdrawn(t, out, ids[3], ids[2])
	if row := readReport(t, out.summary.ReportPath)[ids[3]]; strings.Contains(row[8], "in flight") {
		t.Errorf("the report says a call never made was in flight: %v", row)
	}
	out = resumeAfterAnotherAdmin(t, p, room, list, dir, out, ids[3])
	if tot := out.summary.Totals; tot.Added != 5 || out.summary.ExitCode() != 0 {
		t.Errorf("resumed totals %+v; want 5 added (2 before the abort, 1 settled in flight, 2 left), not the one another admin added", tot)
	}
}

// TestAbortDuringThePaceWaitWithdrawsItsStart: a paced call's start record
// is on disk before the wait for its slot; an abort during that wait means
// the call is never made, and the journal says so.
func TestAbortDuringThePaceWaitWithdrawsItsStart(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Paced", p.addUsers("member", 510))
	ids := p.addUsers("u", 3)
	list := idList(ids)
	const interval = 400 * time.Millisecond
	plan := p.plan(t, room, ModeAdd, list, interval)
	if plan.PacedCalls != 3 {
		t.Fatalf("paced calls %d, want 3", plan.PacedCalls)
	}
	dir := t.TempDir()
	ctl := NewControl()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir, Control: ctl, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	aborted := make(chan struct{})
	r.startHook = func(time.Time) {
		select {
		case <-aborted:
			t.Error("a call started after the abort")
		default:
		}
	}
	// The first user's result comes well before the second call's slot,
	// 400 ms after the first call started: the abort comes in the wait.
	out := driveWatching(t, r, func(ev Event, _ []Event) {
		if ev.Kind == EventResult {
			select {
			case <-aborted:
			default:
				close(aborted)
				ctl.Abort()
			}
		}
	})
	if !out.summary.Aborted || out.summary.Totals.Done != 1 {
		t.Fatalf("aborted %v, totals %+v", out.summary.Aborted, out.summary.Totals)
	}
	checkWithdrawn(t, out, ids[1])
	out = resumeAfterAnotherAdmin(t, p, room, list, dir, out, ids[1])
	if tot := out.summary.Totals; tot.Added != 2 || out.summary.ExitCode() != 0 {
		t.Errorf("resumed totals %+v; want the first and the last user added, not the one another admin added", tot)
	}
}

// TestWithdrawnTakesBackOnlyItsOwnStart: a withdrawn record clears the
// user's start of the same action only.
func TestWithdrawnTakesBackOnlyItsOwnStart(t *testing.T) {
	s := &journalState{results: map[int64]record{}, inFlight: map[int64]record{}}
	s.apply(record{Type: recStart, UserID: 7, Action: ActionPromote})
	s.apply(record{Type: recWithdrawn, UserID: 7, Action: ActionAdd})
	if _, ok := s.inFlight[7]; !ok {
		t.Error("a withdrawn add took back a promotion's start")
	}
	s.apply(record{Type: recWithdrawn, UserID: 7, Action: ActionPromote})
	if _, ok := s.inFlight[7]; ok {
		t.Error("a withdrawn promotion left its start in flight")
	}
}

// abortDuringCall runs plan and aborts it 10 ms into its call-th call
// (counted from 1), while that call is on the wire.
func abortDuringCall(t *testing.T, p *simPod, plan *Plan, dir string, call int) runOutcome {
	t.Helper()
	ctl := NewControl()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir, Control: ctl, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	r.startHook = func(time.Time) {
		if calls++; calls == call {
			time.AfterFunc(10*time.Millisecond, ctl.Abort)
		}
	}
	return drive(t, r)
}

// checkWithdrawn: the journal of an aborted run shows the user's start
// taken back (a start, then withdrawn), and only the users inFlight left
// in flight.
func checkWithdrawn(t *testing.T, out runOutcome, id int64, inFlight ...int64) {
	t.Helper()
	recs := journalRecords(t, out.summary.JournalPath)
	if got := strings.Join(recordsOf(recs, id), " "); got != "start:add withdrawn:add" {
		t.Errorf("user %d, whose call was not made: records %q, want a start, then withdrawn", id, got)
	}
	st, err := readJournal(out.summary.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	for _, id := range inFlight {
		want[id] = true
		if _, ok := st.inFlight[id]; !ok {
			t.Errorf("user %d, whose call was on the wire, is not in flight in the journal", id)
		}
	}
	for id := range st.inFlight {
		if !want[id] {
			t.Errorf("user %d is in flight in the journal; want only %v", id, inFlight)
		}
	}
}

// resumeAfterAnotherAdmin adds id to the room as another admin would after
// the aborted run out, then resumes it: the resumed run reports the user
// as already a member, not as added by it.
func resumeAfterAnotherAdmin(t *testing.T, p *simPod, room string, list *csvsource.List, dir string, out runOutcome, id int64) runOutcome {
	t.Helper()
	if _, err := p.client.AddMember(testCtx(t), room, id); err != nil {
		t.Fatal(err)
	}
	again := p.plan(t, room, ModeAdd, list, time.Millisecond)
	out = run(t, p.client, again, RunOptions{OutDir: dir, ResumeFrom: out.summary.JournalPath, Retry: fastRetry})
	checkAddedByOther(t, out, id)
	return out
}

// checkAddedByOther: the user whom another admin added after an abort is
// reported by the resumed run as already a member, not as added by it.
func checkAddedByOther(t *testing.T, out runOutcome, id int64) {
	t.Helper()
	if res, ok := out.results()[id]; ok {
		t.Errorf("resumed: the user another admin added has a result of this run: %s (%q)", res.Outcome, res.Message)
	}
	row := readReport(t, out.summary.ReportPath)[id]
	if len(row) < 9 || row[5] != OutcomeAlreadyMember.String() || strings.Contains(row[8], "in flight") {
		t.Errorf("resumed: the report's row for the user another admin added: %q; want already a member", row)
	}
}

// TestWindowClosingWithdrawsTheStartWrittenAhead: the run window closes
// during a call; the next user's start, written during it, is taken back
// before the wait for the window (hours, on a real run).
func TestWindowClosingWithdrawsTheStartWrittenAhead(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: 150 * time.Millisecond})
	room := p.room("Closing", nil)
	ids := p.addUsers("u", 3)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	tod := sinceMidnight(time.Now())
	day := 24 * time.Hour
	win := &Window{Start: (tod + day - time.Hour) % day, End: (tod + 60*time.Millisecond) % day}
	ctl := NewControl()
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: t.TempDir(), Window: win, Control: ctl, Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	out := driveWatching(t, r, func(ev Event, _ []Event) {
		if ev.Kind == EventWindowWait {
			ctl.Abort()
		}
	})
	if !out.summary.Aborted || out.summary.Totals.Done != 1 {
		t.Fatalf("aborted %v, totals %+v; want the first user done before the window closed", out.summary.Aborted, out.summary.Totals)
	}
	checkWithdrawn(t, out, ids[1])
}

// TestStartAheadThatCannotBeWrittenStopsTheCall: a start written ahead
// that fails (the disk full, the file gone) is an error to the call that
// takes it, and to the withdrawal, never a call made without its record.
func TestStartAheadThatCannotBeWrittenStopsTheCall(t *testing.T) {
	p := journalPlan()
	for _, take := range []string{"start", "withdraw"} {
		j, err := createJournal(t.TempDir(), p, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		j.f.Close() // every write from now on fails
		it := p.Actions[0]
		if !j.startAhead(it, "name", ActionAdd, time.Now()) {
			t.Fatal("startAhead wrote nothing")
		}
		if j.startAhead(p.Actions[1], "name", ActionAdd, time.Now()) {
			t.Error("a second start was written ahead while the first is untaken")
		}
		switch take {
		case "start":
			err = j.start(it, "name", ActionAdd, time.Now())
		default:
			err = j.withdrawAhead(time.Now())
		}
		if err == nil || !strings.Contains(err.Error(), "write") {
			t.Errorf("%s after a start ahead that failed: %v; want the write's error", take, err)
		}
		if j.ahead != nil {
			t.Errorf("%s left the failed start ahead in place", take)
		}
	}
}
