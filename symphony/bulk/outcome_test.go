package bulk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// outcomeTexts are the words every outcome had when Outcome was a string:
// journals and reports written since hold them, and must read the same.
var outcomeTexts = map[Outcome]string{
	OutcomePending: "pending", OutcomeAdded: "added", OutcomeRemoved: "removed",
	OutcomeAlreadyMember: "already-member", OutcomeNotMember: "not-member", OutcomeInactive: "inactive-user",
	OutcomeUnknown: "unknown-user", OutcomeExternal: "external-not-allowed", OutcomeDuplicate: "duplicate",
	OutcomeBadRow: "bad-row", OutcomeFailed: "failed", OutcomeLookupFailed: "lookup-failed",
	OutcomeUnconfirmed: "unconfirmed", OutcomeCrossPodPending: "pending-cross-pod",
}

// TestOutcomeWords: every outcome says, journals and reads back the word it
// had as a string; the zero value and any other value are no outcome.
func TestOutcomeWords(t *testing.T) {
	if len(outcomeTexts) != int(outcomeCount)-1 {
		t.Fatalf("%d outcomes, %d words to check", int(outcomeCount)-1, len(outcomeTexts))
	}
	for o, want := range outcomeTexts {
		if !o.valid() || o.String() != want {
			t.Errorf("outcome %d: String %q valid %v; want %q", uint8(o), o.String(), o.valid(), want)
		}
		if got := fmt.Sprintf("%s|%v|%q", o, o, o); got != want+"|"+want+"|\""+want+"\"" {
			t.Errorf("outcome %q formats as %s", want, got)
		}
		if got, err := ParseOutcome(want); got != o || err != nil {
			t.Errorf("ParseOutcome(%q) = %v, %v", want, got, err)
		}
		b, err := json.Marshal(struct {
			O Outcome `json:"outcome,omitempty"`
		}{o})
		if err != nil || string(b) != `{"outcome":"`+want+`"}` {
			t.Errorf("json of %q: %s %v", want, b, err)
		}
		var back struct{ O Outcome }
		if err := json.Unmarshal([]byte(`{"O":"`+want+`"}`), &back); err != nil || back.O != o {
			t.Errorf("json %q reads as %v, %v", want, back.O, err)
		}
	}
	for _, o := range []Outcome{outcomeNone, outcomeCount, 99, 255} {
		if o.valid() {
			t.Errorf("outcome(%d) is valid", uint8(o))
		}
		if want := fmt.Sprintf("outcome(%d)", uint8(o)); o.String() != want {
			t.Errorf("outcome(%d) says %q, want %q", uint8(o), o.String(), want)
		}
		if b, err := o.MarshalText(); err == nil {
			t.Errorf("outcome(%d) marshals to %q", uint8(o), b)
		}
	}
	// No outcome is written for the zero value, as for the empty string.
	if b, err := json.Marshal(record{Type: recEnd}); err != nil || bytes.Contains(b, []byte("outcome")) {
		t.Errorf("a record without an outcome: %s %v", b, err)
	}
	for _, word := range []string{"", "Added", "added ", "outcome(0)", "pending-crosspod", "promoted"} {
		if o, err := ParseOutcome(word); err == nil || o != outcomeNone {
			t.Errorf("ParseOutcome(%q) = %v, %v; want an error", word, o, err)
		}
	}
}

// TestItemSize: an Item is 32 bytes (48 with a string outcome, or with its
// one-byte fields between the string and the int32). A plan holds one per
// entry of the list.
func TestItemSize(t *testing.T) {
	if n := unsafe.Sizeof(Outcome(0)); n != 1 {
		t.Errorf("an outcome is %d bytes", n)
	}
	if n := unsafe.Sizeof(Item{}); n != 32 {
		t.Errorf("an item is %d bytes, want 32: put the small fields together after Line", n)
	}
}

// TestJournalRefusesAnUnknownOutcome: a result without an outcome cannot be
// journaled, and a journal whose result names an outcome this version does
// not know, or none, is an error naming the file and the line, not a
// result of another outcome (or of none) that a report would print.
func TestJournalRefusesAnUnknownOutcome(t *testing.T) {
	dir := t.TempDir()
	p := journalPlan()
	j, err := createJournal(dir, p, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(j.Path())
	for _, o := range []Outcome{outcomeNone, outcomeCount, 200} {
		if err := j.result(Result{Time: time.Now(), Item: p.Actions[0], Outcome: o}, ActionAdd); err == nil || !strings.Contains(err.Error(), "not an outcome") {
			t.Errorf("result with outcome(%d): %v", uint8(o), err)
		}
	}
	j.Close()
	if after, _ := os.ReadFile(j.Path()); !bytes.Equal(after, before) {
		t.Errorf("results without an outcome were written:\n%s", after[len(before):])
	}

	header := strings.SplitAfter(string(before), "\n")[0]
	start := `{"type":"start","time":"2026-11-23T07:15:01Z","line":2,"userId":10,"action":"add"}` + "\n"
	bad := filepath.Join(dir, "roster-unknown.jsonl")
	for _, tt := range []struct{ field, why string }{
		{`,"outcome":"added-later"`, `"added-later" is not an outcome`},
		{`,"outcome":"Added"`, `"Added" is not an outcome`},
		{`,"outcome":""`, `"" is not an outcome`},
		{`,"outcome":3`, "not a journal record"},
		{``, "a result record without an outcome"},
	} {
		result := `{"type":"result","time":"2026-11-23T07:15:02Z","line":2,"userId":10,"action":"add"` + tt.field + `,"status":200}` + "\n"
		os.WriteFile(bad, []byte(header+start+result), 0o600)
		_, err := readJournal(bad)
		je, ok := errors.AsType[*JournalError](err)
		if !ok || je.Path != bad || je.Line != 3 || !strings.Contains(err.Error(), tt.why) || !strings.Contains(err.Error(), bad+" line 3") {
			t.Errorf("a result record with %s: %v; want a journal error naming %s line 3: %s", tt.field, err, bad, tt.why)
		}
	}
	// The same record with a word it knows reads.
	os.WriteFile(bad, []byte(header+start+`{"type":"result","time":"2026-11-23T07:15:02Z","line":2,"userId":10,"action":"add","outcome":"already-member","status":200}`+"\n"), 0o600)
	if st, err := readJournal(bad); err != nil || resultOf(st.results[10]).Outcome != OutcomeAlreadyMember {
		t.Errorf("a good result record: %v", err)
	}
}
