package bulk

import (
	"bytes"
	"encoding/json"
	"maps"
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
		Actions: []Item{{Line: 2, Input: "a@example.com", Kind: csvsource.KindEmail, UserID: 10},
			{Line: 3, Input: "11", Kind: csvsource.KindUserID, UserID: 11, Owner: true}},
		names: packNames([]named{{10, "A"}})}
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
	res := Result{Time: started.Add(time.Second), Item: p.Actions[0], Name: "A", Outcome: OutcomeAdded, Status: 200, Message: "Member added", Attempts: 2}
	if err := j.start(p.Actions[0], p.NameOf(p.Actions[0]), ActionAdd, started); err != nil {
		t.Fatal(err)
	}
	if err := j.result(res, ActionAdd); err != nil {
		t.Fatal(err)
	}
	if err := j.start(p.Actions[1], p.NameOf(p.Actions[1]), ActionAdd, started); err != nil {
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
	j.result(Result{Time: time.Now(), Item: p.Actions[0], Outcome: OutcomeAdded}, ActionAdd)
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
			j.result(Result{Time: started, Item: Item{UserID: int64(100 + i)}, Outcome: OutcomeAdded}, ActionAdd)
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
	// A file named as a journal whose header cannot be read may be this
	// run's: it is reported, naming it and the line, not passed over.
	junk := filepath.Join(dir, "roster-junk.jsonl")
	os.WriteFile(junk, []byte("junk\n"), 0o600)
	if path, _, err := FindResumable(dir, p); path != "" || err == nil || !strings.Contains(err.Error(), junk+" line 1") {
		t.Fatalf("with a junk journal: %q %v; want an error naming %s line 1", path, err, junk)
	}
	os.Remove(junk)
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

// The journals in testdata were written by roster before actions had a type
// (journal version 1): an add run with a promote-only owner aborted with a
// call in flight, an add run aborted and resumed to its end, and a removal.
var v1Journals = []string{"testdata/journal-v1-aborted.jsonl", "testdata/journal-v1-resumed.jsonl", "testdata/journal-v1-remove.jsonl"}

// TestJournalV1LinesReadTheSame: every line of a journal already on disk
// reads, and writes back byte for byte, so that a resumed run appends to it
// in the same format; its actions read as what they were written as.
func TestJournalV1LinesReadTheSame(t *testing.T) {
	actions := map[string]int{}
	for _, path := range v1Journals {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := readJournal(path); err != nil {
			t.Fatalf("readJournal: %v", err)
		}
		for n, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			var rec record
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("%s line %d: %v", path, n+1, err)
			}
			again, err := json.Marshal(rec)
			if err != nil || string(again) != line {
				t.Errorf("%s line %d written back differs (%v):\n got %s\nwant %s", path, n+1, err, again, line)
			}
			if rec.Action != actionNone {
				actions[rec.Type+" "+rec.Action.String()]++
			}
			if hasAction := strings.Contains(line, `"action":`); hasAction != (rec.Action != actionNone) {
				t.Errorf("%s line %d: action %v read from %s", path, n+1, rec.Action, line)
			}
		}
	}
	want := map[string]int{"start add": 6, "result add": 4, "start promote": 3, "result promote": 1,
		"start remove": 2, "result remove": 2}
	if !maps.Equal(actions, want) {
		t.Errorf("actions read: %v; want %v", actions, want)
	}

	st, err := readJournal(v1Journals[0])
	if err != nil {
		t.Fatal(err)
	}
	m, u0, u1 := int64(9100000000001), int64(9100000000002), int64(9100000000003)
	if st.results[m].Action != ActionPromote || st.results[u0].Action != ActionAdd || !st.results[u0].Promoted ||
		st.inFlight[u1].Action != ActionAdd || len(st.inFlight) != 1 || st.finished {
		t.Errorf("the aborted journal reads as: results %+v, in flight %+v", st.results, st.inFlight)
	}
}

// TestJournalRefusesAnUnknownAction: a value that is not an action cannot be
// journaled, and a journal line naming an action roster does not make is an
// error that names the line, not a call of another kind.
func TestJournalRefusesAnUnknownAction(t *testing.T) {
	dir := t.TempDir()
	p := journalPlan()
	j, err := createJournal(dir, p, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(j.Path())
	for _, a := range []Action{actionNone, Action(99)} {
		if err := j.start(p.Actions[0], "", a, time.Now()); err == nil {
			t.Errorf("start with %v: no error", a)
		}
		if err := j.result(Result{Time: time.Now(), Item: p.Actions[0], Outcome: OutcomeAdded}, a); err == nil {
			t.Errorf("result with %v: no error", a)
		}
	}
	j.Close()
	if after, _ := os.ReadFile(j.Path()); !bytes.Equal(after, before) {
		t.Errorf("records with unknown actions were written:\n%s", after[len(before):])
	}

	header := strings.SplitAfter(string(before), "\n")[0]
	for _, word := range []string{"demote", "", "Promote", "owner"} {
		bad := filepath.Join(dir, "roster-unknown.jsonl")
		line := `{"type":"start","time":"2026-11-23T07:15:01Z","line":2,"userId":10,"action":"` + word + `"}` + "\n"
		os.WriteFile(bad, []byte(header+line), 0o600)
		if _, err := readJournal(bad); err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "not an action") {
			t.Errorf("a start record with the action %q: %v; want an error naming line 2", word, err)
		}
	}
}
