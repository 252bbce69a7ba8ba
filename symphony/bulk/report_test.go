package bulk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/csvsource"
)

func TestReportFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r-report.csv")
	at := time.Date(2026, 11, 23, 7, 15, 30, 0, time.FixedZone("CET", 3600))
	rows := []reportRow{
		{Item: Item{Line: 2, Input: "a@example.com", Kind: csvsource.KindEmail, UserID: 10, Owner: true}, Name: "Zoë, \"Z\"",
			Outcome: OutcomeAdded, Promoted: true, Status: 200, Message: "Member added", Attempts: 2, Time: at, ConfirmedBy: "pod reply"},
		{Item: Item{Line: 3, Input: "=HYPERLINK(\"x\")", Kind: csvsource.KindUsername}, Outcome: OutcomeUnknown,
			Message: "no user with this username on the pod", Time: at},
		{Item: Item{Line: 4}, Outcome: OutcomeBadRow, Message: "-bad"},
	}
	if err := writeReport(path, rows); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	text := string(data)
	want := "\ufeffuser,kind,input line,user ID,name,outcome,owner,HTTP status,message,attempts,time,confirmed by\r\n" +
		"a@example.com,email,2,10,\"Zoë, \"\"Z\"\"\",added,promoted,200,Member added,2,2026-11-23T06:15:30Z,pod reply\r\n" +
		"\"'=HYPERLINK(\"\"x\"\")\",username,3,,,unknown-user,,,no user with this username on the pod,,2026-11-23T06:15:30Z,\r\n" +
		",,4,,,bad-row,,,'-bad,,,\r\n"
	if text != want {
		t.Errorf("report:\n%q\nwant\n%q", text, want)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	if _, err := os.Stat(path + ".tmp"); err == nil {
		t.Error("the temporary file was left behind")
	}
	if !strings.HasSuffix(reportPath("/x/roster-r-20261123T071500Z.jsonl"), "/x/roster-r-20261123T071500Z-report.csv") {
		t.Error(reportPath("/x/roster-r-20261123T071500Z.jsonl"))
	}
}

func TestEventQueueKeepsOrderWithASlowReader(t *testing.T) {
	q := newEventQueue()
	const n = 3 * eventBuffer
	for i := 0; i < n; i++ { // never blocks, though nobody reads yet
		q.send(Event{Kind: EventResult, Attempt: i})
	}
	q.send(Event{Kind: EventFinished})
	q.close()
	q.send(Event{Kind: EventResult}) // after close: ignored
	i := 0
	for ev := range q.ch {
		if i < n && (ev.Kind != EventResult || ev.Attempt != i) {
			t.Fatalf("event %d: %+v", i, ev)
		}
		if i == n && ev.Kind != EventFinished {
			t.Fatalf("last event %+v", ev)
		}
		if i%100 == 0 {
			time.Sleep(time.Millisecond)
		}
		i++
	}
	if i != n+1 {
		t.Errorf("%d events, want %d", i, n+1)
	}
}
