package bulk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/csvsource"
	"roster/symphony"
)

func journalPlan() *Plan {
	return &Plan{StreamID: "abcDEF_-123", Room: symphony.Room{Name: "Équipe Trading / FX (EMEA)"}, Mode: ModeAdd,
		InputHash: "hash1", Source: "users.csv",
		Actions: []Item{{Line: 2, Input: "a@example.com", Kind: csvsource.KindEmail, UserID: 10, Name: "A"},
			{Line: 3, Input: "11", Kind: csvsource.KindUserID, UserID: 11, Owner: true}}}
}

func TestJournalRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := journalPlan()
	started := time.Date(2026, 11, 23, 7, 15, 0, 0, time.UTC)
	j, err := createJournal(dir, p, started)
	if err != nil {
		t.Fatal(err)
	}
	if got := filepath.Base(j.Path()); got != "roster-équipe-trading-fx-emea-20261123T071500Z.jsonl" {
		t.Errorf("name %s", got)
	}
	if st, _ := os.Stat(j.Path()); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	res := Result{Time: started.Add(time.Second), Item: p.Actions[0], Outcome: OutcomeAdded, Status: 200, Message: "Member added", Attempts: 2}
	if err := j.start(p.Actions[0], "add", started); err != nil {
		t.Fatal(err)
	}
	if err := j.result(res, "add"); err != nil {
		t.Fatal(err)
	}
	if err := j.start(p.Actions[1], "add", started); err != nil {
		t.Fatal(err)
	}
	j.Close()

	st, err := readJournal(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	h := st.header
	if h.Room != p.StreamID || h.Mode != "add" || h.Hash != "hash1" || h.Actions != 2 || h.Source != "users.csv" || !h.Time.Equal(started) {
		t.Errorf("header %+v", h)
	}
	got := resultOf(st.results[10])
	if got.Outcome != OutcomeAdded || got.Attempts != 2 || got.Item.Kind != csvsource.KindEmail || got.Item.Input != "a@example.com" || !got.Time.Equal(res.Time) {
		t.Errorf("result %+v", got)
	}
	if _, flying := st.inFlight[11]; !flying || len(st.inFlight) != 1 || st.finished {
		t.Errorf("in flight %v, finished %v", st.inFlight, st.finished)
	}
	if !st.matches(p) {
		t.Error("the journal does not match its own plan")
	}
	other := journalPlan()
	other.InputHash = "hash2"
	if st.matches(other) || !strings.Contains(st.mismatch(other), "list of users differs") {
		t.Errorf("mismatch: %q", st.mismatch(other))
	}
}

// TestJournalTornAndDamaged: a torn last line is what a crash leaves and is
// passed over (and cut before appending); damage elsewhere is an error that
// names the file and line.
func TestJournalTornAndDamaged(t *testing.T) {
	dir := t.TempDir()
	p := journalPlan()
	j, err := createJournal(dir, p, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	j.result(Result{Time: time.Now(), Item: p.Actions[0], Outcome: OutcomeAdded}, "add")
	j.Close()
	whole, _ := os.ReadFile(j.Path())
	os.WriteFile(j.Path(), append(append([]byte(nil), whole...), `{"type":"result","userId":11,"outc`...), 0o600)
	st, err := readJournal(j.Path())
	if err != nil || st.done() != 1 || st.validEnd != int64(len(whole)) {
		t.Fatalf("torn: %v, %d done, valid end %d of %d", err, st.done(), st.validEnd, len(whole))
	}
	j2, err := appendJournal(j.Path(), st.validEnd)
	if err != nil {
		t.Fatal(err)
	}
	j2.mark(recEnd, time.Now(), "", Totals{})
	j2.Close()
	if st, err := readJournal(j.Path()); err != nil || !st.finished || st.done() != 1 {
		t.Fatalf("after appending past the torn line: %v", err)
	}

	bad := filepath.Join(dir, "roster-bad.jsonl")
	lines := strings.SplitAfter(string(whole), "\n")
	os.WriteFile(bad, []byte(lines[0]+"not json\n"+lines[1]), 0o600)
	if _, err := readJournal(bad); err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), bad) {
		t.Errorf("damaged journal: %v", err)
	}
	os.WriteFile(bad, []byte("{\"type\":\"result\"}\n"), 0o600)
	if _, err := readJournal(bad); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("headerless journal: %v", err)
	}
}

func TestFindResumable(t *testing.T) {
	dir := t.TempDir()
	p := journalPlan()
	t0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	write := func(started time.Time, plan *Plan, done int, finished bool) string {
		j, err := createJournal(dir, plan, started)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < done; i++ {
			j.result(Result{Time: started, Item: Item{UserID: int64(100 + i)}, Outcome: OutcomeAdded}, "add")
		}
		if finished {
			j.mark(recEnd, started, "", Totals{})
		}
		j.Close()
		return j.Path()
	}
	if path, done, err := FindResumable(dir, p); path != "" || done != 0 || err != nil {
		t.Fatalf("empty folder: %q %d %v", path, done, err)
	}
	if path, _, err := FindResumable(filepath.Join(dir, "missing"), p); path != "" || err != nil {
		t.Fatalf("missing folder: %q %v", path, err)
	}
	older := write(t0, p, 3, false)
	other := journalPlan()
	other.Mode = ModeRemove
	write(t0.Add(2*time.Hour), other, 1, false) // another run: newer, but not this one
	os.WriteFile(filepath.Join(dir, "roster-junk.jsonl"), []byte("junk\n"), 0o600)
	if path, done, err := FindResumable(dir, p); path != older || done != 3 || err != nil {
		t.Fatalf("= %q %d %v; want %q 3", path, done, err, older)
	}
	newer := write(t0.Add(time.Hour), p, 5, false)
	if path, done, _ := FindResumable(dir, p); path != newer || done != 5 {
		t.Fatalf("= %q %d; want the newest, %q", path, done, newer)
	}
	write(t0.Add(3*time.Hour), p, 2, true)
	if path, _, _ := FindResumable(dir, p); path != "" {
		t.Fatalf("a finished newest run still offers %q", path)
	}
}
