package bulk

import (
	"os"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

func TestRunAddsAndPromotes(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: 2 * time.Millisecond})
	ids := p.addUsers("u", 6)
	room := p.room("Small room", ids[:1]) // ids[0] is already a member
	list := idList(ids, ids[1], ids[0])   // ids[1] is to be owner; ids[0] a member to promote
	plan := p.plan(t, room, ModeAdd, list, 2*time.Millisecond)
	if len(plan.Actions) != 6 || plan.Promotions != 2 {
		t.Fatalf("plan: %d actions, %d promotions; want 6 and 2", len(plan.Actions), plan.Promotions)
	}
	out := run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if out.err != nil {
		t.Fatalf("Run: %v", out.err)
	}
	s := out.summary
	if s.ExitCode() != 0 || s.Totals.Added != 5 || s.Totals.Already != 1 || s.Totals.Promoted != 2 || s.Totals.Done != 6 {
		t.Fatalf("totals %+v, exit %d", s.Totals, s.ExitCode())
	}
	rs := p.Room(t, room)
	members, owners := podsimtest.MemberSet(rs), map[int64]bool{}
	for _, id := range rs.Owners {
		owners[id] = true
	}
	for _, id := range ids {
		if !members[id] {
			t.Errorf("user %d is not in the room", id)
		}
	}
	if !owners[ids[0]] || !owners[ids[1]] || owners[ids[2]] {
		t.Errorf("owners %v; want %d and %d promoted, %d not", rs.Owners, ids[0], ids[1], ids[2])
	}
	res := out.results()
	if r := res[ids[0]]; r.Outcome != OutcomeAlreadyMember || !r.Promoted {
		t.Errorf("the member to promote: %+v", r)
	}
	// TRY counts the attempts of one call: added at once, promoted at
	// once is one attempt, not two
	if r := res[ids[1]]; r.Outcome != OutcomeAdded || !r.Promoted || r.Attempts != 1 {
		t.Errorf("the new owner: %+v", r)
	}
	// every call is announced as it starts: the new owner's add, then its
	// promotion, each before the user's result
	var calls []Action
	for _, ev := range out.events {
		if ev.Kind == EventCalling && ev.Call.Item.UserID == ids[1] {
			if ev.Attempt != 1 || ev.Time.IsZero() {
				t.Errorf("calling event %+v", ev)
			}
			calls = append(calls, ev.Call.Action)
		}
		if ev.Kind == EventResult && ev.Result.Item.UserID == ids[1] && len(calls) != 2 {
			t.Errorf("the new owner's result came after %v calls announced, want add and promote", calls)
		}
	}
	if len(calls) != 2 || calls[0] != ActionAdd || calls[1] != ActionPromote {
		t.Errorf("calls announced for the new owner: %v, want add then promote", calls)
	}
	if n := out.count(EventCalling); n != 5+2 {
		t.Errorf("%d calls announced; want 7 (5 adds, 2 promotions)", n)
	}
	if out.count(EventStarted) != 1 || out.events[len(out.events)-1].Kind != EventFinished {
		t.Errorf("events: %d started, last %v", out.count(EventStarted), out.events[len(out.events)-1].Kind)
	}
	for _, path := range []string{s.JournalPath, s.ReportPath} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", path, st.Mode().Perm())
		}
	}
	if !strings.HasPrefix(filepathBase(s.JournalPath), "roster-small-room-") {
		t.Errorf("journal name %s", s.JournalPath)
	}
	if st := p.State(); st.Calls[ids[0]] != nil && st.Calls[ids[0]].Add != 0 {
		t.Errorf("the member to promote was added again: %+v", st.Calls[ids[0]])
	}
}

func filepathBase(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// TestRunNeverWaitsForTheEventReader: a reader that stops reading (a screen
// that froze, a printer stuck on a full pipe) must not hold the run: it
// goes on to the end, journaled and reported, with more events than the
// channel holds; and every event is still there, in order, for a late reader.
func TestRunNeverWaitsForTheEventReader(t *testing.T) {
	p := startSim(t, podsim.Options{})
	ids := p.addUsers("u", eventBuffer+20) // more results than the channel buffers
	room := p.room("Unread", nil)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *Summary, 1)
	go func() {
		s, err := r.Run(testCtx(t))
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		done <- s
	}()
	var s *Summary
	select {
	case s = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the run is held by a reader that does not read")
	}
	if s == nil || s.Totals.Added != len(ids) || len(readReport(t, s.ReportPath)) != len(ids) {
		t.Fatalf("summary %+v", s)
	}
	results, last := 0, EventKind(-1)
	for ev := range r.Events() {
		if ev.Kind == EventResult {
			results++
		}
		last = ev.Kind
	}
	if results != len(ids) || last != EventFinished {
		t.Errorf("a late reader got %d results and last %v; want %d and %v", results, last, len(ids), EventFinished)
	}
}
