package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"roster/csvsource"
	"roster/symphony/bulk"
)

// at is a local time on the test's day.
func at(h, m, s int) time.Time { return time.Date(2026, 11, 23, h, m, s, 0, time.Local) }

func testPlan(n int) *bulk.Plan {
	p := &bulk.Plan{Mode: bulk.ModeAdd, MembersBefore: 480, MembersAfter: 480 + n}
	for i := range n {
		p.Actions = append(p.Actions, bulk.Item{Line: int32(i + 2), Input: fmt.Sprint(1000 + i), Kind: csvsource.KindUserID, UserID: int64(1000 + i)})
	}
	return p
}

func TestEventPrinterLines(t *testing.T) {
	plan := testPlan(3)
	window, err := bulk.ParseWindow("18:00-20:00", false)
	if err != nil {
		t.Fatal(err)
	}
	res := func(i int, o bulk.Outcome, status, attempts int, msg string) bulk.Event {
		return bulk.Event{Kind: bulk.EventResult, Time: at(7, 40, 10+i), Result: &bulk.Result{
			Time: at(7, 40, 10+i), Index: i, Item: plan.Actions[i], Outcome: o, Status: status, Attempts: attempts, Message: msg,
		}, Totals: bulk.Totals{Actions: 3, Done: i + 1}}
	}
	tests := []struct {
		name  string
		event bulk.Event
		want  string
	}{
		{"retry wait", bulk.Event{Kind: bulk.EventRetryWait, Time: at(7, 40, 1), Until: at(7, 40, 3), Attempt: 2, Message: "HTTP 429, Retry-After 2s"},
			"07:40:01  waiting 2s, until 07:40:03, to retry (attempt 2): HTTP 429, Retry-After 2s\n"},
		{"settle wait", bulk.Event{Kind: bulk.EventSettleWait, Time: at(7, 40, 1), Until: at(7, 40, 5), Attempt: 3, Message: "1 user of other pods is not in the room yet"},
			"07:40:01  waiting 4s, until 07:40:05, to read the member list again (read 3): 1 user of other pods is not in the room yet\n"},
		{"window wait, next day", bulk.Event{Kind: bulk.EventWindowWait, Time: at(8, 0, 0), Until: at(8, 0, 0).Add(10*time.Hour).AddDate(0, 0, 1)},
			"08:00:00  outside the run window 18:00-20:00: waiting 34h00m, until Tue 24 Nov 18:00:00\n"},
		{"added", res(0, bulk.OutcomeAdded, 200, 1, ""),
			fmt.Sprintf("07:40:10  line 2      %-20s %-20s %-9s 1 attempt\n", "1000", "added", "HTTP 200")},
		{"failed with message", res(1, bulk.OutcomeFailed, 403, 1, "not allowed"),
			fmt.Sprintf("07:40:11  line 3      %-20s %-20s %-9s 1 attempt: not allowed\n", "1001", "failed", "HTTP 403")},
		{"stopping", bulk.Event{Kind: bulk.EventStopping, Time: at(7, 41, 0), Message: "the room was deactivated"},
			"07:41:00  stopping: the room was deactivated\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			newEventPrinter(&buf, &bulk.Job{Plan: plan, Request: bulk.Request{Window: window}}).event(tt.event)
			if buf.String() != tt.want {
				t.Errorf("got  %q\nwant %q", buf.String(), tt.want)
			}
		})
	}
}

func TestEventPrinterPaceOnlyWhenItChanges(t *testing.T) {
	var buf bytes.Buffer
	p := newEventPrinter(&buf, &bulk.Job{Plan: testPlan(3)})
	for i, iv := range []time.Duration{0, 0, 3 * time.Second, 3 * time.Second, 3 * time.Second} {
		p.event(bulk.Event{Kind: bulk.EventPaceWait, Time: at(7, 0, i), Interval: iv, Totals: bulk.Totals{Members: 499 + i}})
	}
	got := strings.Count(buf.String(), "pace:")
	if got != 2 {
		t.Errorf("%d pace lines for two paces, want 2:\n%s", got, buf.String())
	}
	if !strings.Contains(buf.String(), "one change every 3s (the room has 501 members, over 500)") {
		t.Errorf("the pace line does not say the interval and why:\n%s", buf.String())
	}
}

// Progress lines come by the clock, every progressEvery, not every so many
// users: at the 3 s pace one every few users; none at the end (the summary
// says it).
func TestEventPrinterProgress(t *testing.T) {
	var buf bytes.Buffer
	plan := testPlan(100)
	p := newEventPrinter(&buf, &bulk.Job{Plan: plan})
	start := at(7, 0, 0)
	p.event(bulk.Event{Kind: bulk.EventStarted, Time: start, Totals: bulk.Totals{Actions: 100, Done: 35}})
	for i := 35; i < 100; i++ {
		when := start.Add(time.Duration(i-34) * 3 * time.Second) // one result every 3 s
		p.event(bulk.Event{Kind: bulk.EventResult, Time: when,
			Result: &bulk.Result{Time: when, Item: plan.Actions[i], Outcome: bulk.OutcomeAdded, Attempts: 1},
			Totals: bulk.Totals{Actions: 100, Done: i + 1, Added: i + 1, Members: 481 + i}})
	}
	out := buf.String()
	if !strings.Contains(out, "07:00:00  started to add. Resuming: 35 of 100 done, 65 to go\n") {
		t.Errorf("the start line does not count the users done before the resume:\n%s", out)
	}
	// the first at 07:00:12, the first result 10 s or more after the start
	if !strings.Contains(out, "07:00:12  progress: 39 of 100 done (39%): 39 added, 0 already, 0 failed; the room has 519 members") {
		t.Errorf("the first progress line is not as expected:\n%s", out)
	}
	var last time.Time
	lines := 0
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(l, "  progress: ") {
			continue
		}
		lines++
		h, m, sec := 0, 0, 0
		fmt.Sscanf(l, "%d:%d:%d", &h, &m, &sec)
		when := at(h, m, sec)
		if gap := when.Sub(last); !last.IsZero() && (gap < progressEvery || gap >= progressEvery+3*time.Second) {
			t.Errorf("progress lines %v apart, want every %v (at the next result):\n%s", gap, progressEvery, out)
		}
		last = when
		if strings.Contains(l, "100 of 100") {
			t.Errorf("a progress line at the end: the summary says it\n%s", out)
		}
	}
	// 195 s of results: a line every 12 s (the first result 10 s on)
	if lines != 16 {
		t.Errorf("%d progress lines over 195 s, want 16 (every %v):\n%s", lines, progressEvery, out)
	}
}

// Columns stay in line after a long email: one width for the whole run,
// from the longest user of the plan.
func TestEventPrinterColumnsStayAlignedAfterALongEmail(t *testing.T) {
	var buf bytes.Buffer
	plan := testPlan(3)
	plan.Actions[1].Input, plan.Actions[1].Kind = "a.very.long.first-name.and.surname@subsidiary.bank-holding.example", csvsource.KindEmail
	p := newEventPrinter(&buf, &bulk.Job{Plan: plan})
	for i, o := range []bulk.Outcome{bulk.OutcomeAdded, bulk.OutcomeAdded, bulk.OutcomeAlreadyMember} {
		p.event(bulk.Event{Kind: bulk.EventResult, Time: at(7, 0, i), Result: &bulk.Result{Time: at(7, 0, i), Item: plan.Actions[i],
			Outcome: o, Promoted: i == 2, Status: 200, Attempts: 1}, Totals: bulk.Totals{Actions: 3, Done: i + 1}})
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	col := strings.Index(lines[0], "HTTP 200")
	for _, l := range lines {
		if strings.Index(l, "HTTP 200") != col || col < 0 {
			t.Errorf("the status column moves:\n%s", buf.String())
			break
		}
	}
	if !strings.Contains(buf.String(), "already-member+owner HTTP 200") {
		t.Errorf("the longest outcome does not fit its column:\n%s", buf.String())
	}
}

func TestSummaryPutsFailuresFirst(t *testing.T) {
	var buf bytes.Buffer
	plan := testPlan(3)
	p := newEventPrinter(&buf, &bulk.Job{Plan: plan})
	p.event(bulk.Event{Kind: bulk.EventResult, Result: &bulk.Result{Item: plan.Actions[1], Outcome: bulk.OutcomeFailed,
		Status: 503, Attempts: 5, Message: "service unavailable"}, Totals: bulk.Totals{Actions: 3, Done: 1, Failed: 1}})
	buf.Reset()
	p.printSummary(&bulk.Summary{
		Totals:  bulk.Totals{Actions: 3, Done: 2, Added: 1, Failed: 1, Members: 481},
		Started: at(7, 0, 0), Finished: at(7, 2, 5), Aborted: true,
		JournalPath: "out/j.jsonl", ReportPath: "out/r.csv",
	}, nil, 3)
	out := buf.String()
	order := []string{
		"Failed (1):",
		"line 3      1001",
		"HTTP 503, 5 attempts: service unavailable",
		"The run was aborted at 07:02:05 after 2m05s; 1 user left undone",
		"2 of 3 done: 1 added, 0 already, 1 failed, 1 not done",
		"Journal   out/j.jsonl",
		"Report    out/r.csv",
		"run roster again with the same config, list and room and --resume",
		"Exit code 3.",
	}
	pos := 0
	for _, want := range order {
		i := strings.Index(out[pos:], want)
		if i < 0 {
			t.Fatalf("the summary lacks %q after position %d:\n%s", want, pos, out)
		}
		pos += i + len(want)
	}
}

func TestPrintPlan(t *testing.T) {
	plan := testPlan(2)
	plan.Room.Name, plan.Room.Active, plan.StreamID = "Trading desk", true, "abc"
	plan.Caller.Username = "roster-bot"
	plan.Permission = bulk.Permission{Allowed: true, Owner: true}
	plan.Actions[1].Owner, plan.Promotions = true, 1
	plan.MembersBefore, plan.MembersAfter, plan.OwnersBefore, plan.OwnersAfter = 499, 501, 2, 3
	plan.Interval, plan.Estimate = 3*time.Second, 6*time.Second
	plan.SetAside = []bulk.Item{
		{Line: 9, Input: "gone@example.com", Outcome: bulk.OutcomeUnknown},
		{Line: 4, Input: "1999", Outcome: bulk.OutcomeAlreadyMember},
	}
	plan.Reasons = map[int32]string{9: "no user has this email"}
	plan.Warnings = []bulk.Warning{{Level: bulk.LevelWarn, Code: "pace", Message: "the room passes 500 members"}}
	list := &csvsource.List{Path: "users.csv", Problems: []csvsource.Problem{{Line: 7, Message: `"12.0" read as 12`, Warning: true}}}
	var buf bytes.Buffer
	printPlan(&buf, &bulk.Job{Plan: plan, List: list, Request: bulk.Request{Window: &bulk.Window{Start: 18 * time.Hour, End: 8 * time.Hour, Weekends: true}}})
	out := buf.String()
	for _, want := range []string{
		`Room      "Trading desk" (abc): active, private`,
		"Caller    roster-bot: may make the change (owner of the room)",
		"Members   499 -> 501 (owners 2 -> 3)",
		"Changes   2 to add (1 of them then made owner); 2 set aside",
		"Set aside 1 already-member, 1 unknown-user",
		"Problems  2 in users.csv, by line\n  line 7      recovered: \"12.0\" read as 12\n  line 9      unknown-user: gone@example.com: no user has this email\n",
		"Pace      one change every 3s above 500 members; estimated 6s",
		"Window    changes only between 18:00 and 08:00 local time, and all day on\n          weekends\n",
		"List      users.csv: 0 users (0 IDs, 0 emails, 0 usernames; 0 flagged owner);\n          duplicates 0, bad rows 0, rows recovered 0\n",
		"  WARN   the room passes 500 members",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if n := ansi.StringWidth(l); n > 80 {
			t.Errorf("a line of %d columns, printed to a file (80):\n%s", n, l)
		}
	}
}

// BenchmarkEventPrinterResult measures what the headless printer adds per
// finished user (a line formatted and written), to compare with a call's
// milliseconds: go test -run '^$' -bench EventPrinter -benchmem .
func BenchmarkEventPrinterResult(b *testing.B) {
	plan := testPlan(1000)
	p := newEventPrinter(io.Discard, &bulk.Job{Plan: plan})
	ev := bulk.Event{Kind: bulk.EventResult, Time: at(7, 0, 0), Totals: bulk.Totals{Actions: 1000}}
	i := 0
	for b.Loop() {
		ev.Result = &bulk.Result{Time: ev.Time, Item: plan.Actions[i%1000], Outcome: bulk.OutcomeAdded, Status: 200, Attempts: 1, Message: "Member added"}
		ev.Totals.Done = i%1000 + 1
		p.event(ev)
		i++
	}
}

// Counts of one take the singular: "1 attempt", "1 made owner", "1 member".
func TestSummaryAndPaceLinesAgreeInNumber(t *testing.T) {
	var buf bytes.Buffer
	plan := testPlan(1)
	p := newEventPrinter(&buf, &bulk.Job{Plan: plan})
	p.event(bulk.Event{Kind: bulk.EventStarted, Time: at(7, 0, 0), Totals: bulk.Totals{Actions: 1, Members: 1}})
	p.event(bulk.Event{Kind: bulk.EventResult, Result: &bulk.Result{Item: plan.Actions[0], Outcome: bulk.OutcomeFailed,
		Status: 503, Attempts: 1, Message: "service unavailable"}, Totals: bulk.Totals{Actions: 1, Done: 1, Failed: 1, Members: 1}})
	p.printSummary(&bulk.Summary{Totals: bulk.Totals{Actions: 2, Done: 2, Added: 1, Promoted: 1, Failed: 1, Members: 1},
		Started: at(7, 0, 0), Finished: at(7, 0, 5)}, nil, 1)
	out := buf.String()
	for _, want := range []string{"(the room has 1 member, at most 500)", "HTTP 503, 1 attempt: service unavailable",
		"1 added (1 made owner)", "  the room has 1 member\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1 attempts") || strings.Contains(out, "1 made owners") || strings.Contains(out, "1 members") {
		t.Errorf("a count of one with a plural noun:\n%s", out)
	}
}

// A resumed run's plan, start line and summary tell the journal's run, not
// the rebuilt plan's count: the users finished before the abort are members
// now, and count as done, not as set aside.
func TestResumeIsOneStoryInThePlanStartAndSummary(t *testing.T) {
	plan := testPlan(57)
	plan.Room.Name, plan.Room.Active, plan.StreamID = "Trading desk", true, "abc"
	plan.SetAside = []bulk.Item{
		{Line: 2, Input: "1", Outcome: bulk.OutcomeAlreadyMember}, {Line: 3, Input: "2", Outcome: bulk.OutcomeAlreadyMember},
		{Line: 4, Input: "3", Outcome: bulk.OutcomeAlreadyMember}, {Line: 70, Input: "gone@example.com", Outcome: bulk.OutcomeUnknown},
	}
	resume := &bulk.ResumeInfo{Path: "out/j.jsonl", Actions: 60, Done: 2, InFlight: 1, SetAside: plan.SetAside[3:]}
	var buf bytes.Buffer
	job := &bulk.Job{Plan: plan, Decision: bulk.Decision{Resume: resume}}
	printPlan(&buf, job)
	pr := newEventPrinter(&buf, job)
	pr.event(bulk.Event{Kind: bulk.EventStarted, Time: at(7, 0, 0), Totals: bulk.Totals{Actions: 60, Done: 2, Added: 2, Members: 503}})
	pr.printSummary(&bulk.Summary{Totals: bulk.Totals{Actions: 60, Done: 60, Added: 60, Members: 560},
		Started: at(7, 0, 0), Finished: at(7, 1, 0)}, nil, 0)
	out := buf.String()
	for _, want := range []string{
		"Changes   Resuming: 2 of 60 done, 58 to go; 1 set aside\n",
		"Set aside 1 unknown-user\n",
		"started to add. Resuming: 2 of 60 done, 58 to go\n",
		"60 of 60 done: 60 added, 0 already, 0 failed, 1 set aside by the plan",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "57 to add") || strings.Contains(out, "already-member") {
		t.Errorf("the output tells the rebuilt plan's count:\n%s", out)
	}
}

// The time left is the slower of the pace and the rate seen so far, as the
// run screen's ETA: a paced run whose calls come every 5 s (retries, slow
// replies) is not told it has 3 s per user left.
func TestEventPrinterTimeLeftFollowsTheRateSeen(t *testing.T) {
	var buf bytes.Buffer
	plan := testPlan(20)
	plan.MembersBefore = 600
	p := newEventPrinter(&buf, &bulk.Job{Plan: plan})
	p.event(bulk.Event{Kind: bulk.EventStarted, Time: at(22, 0, 0), Interval: 3 * time.Second, Totals: bulk.Totals{Actions: 20, Members: 600}})
	for i := range 4 {
		p.event(bulk.Event{Kind: bulk.EventResult, Time: at(22, 0, 5*i), Interval: 3 * time.Second,
			Result: &bulk.Result{Item: plan.Actions[i], Outcome: bulk.OutcomeAdded, Attempts: 1},
			Totals: bulk.Totals{Actions: 20, Done: i + 1, Added: i + 1, Members: 601 + i}})
	}
	out := buf.String()
	if !strings.Contains(out, "progress: 3 of 20 done (15%)") || !strings.Contains(out, "about 1m25s left") {
		t.Errorf("17 users left at one every 5 s seen: want about 1m25s left:\n%s", out)
	}
}

// The rows the CSV reader counted but did not keep (Summary.Unlisted) are
// in the plan's problem count, not left out of it.
func TestPrintProblemsCountsTheUnlistedRows(t *testing.T) {
	list := &csvsource.List{Path: "big.csv", Problems: []csvsource.Problem{{Line: 2, Message: "not a user"}}}
	list.Summary = csvsource.Summary{Problems: 5001, Unlisted: 5000}
	var buf bytes.Buffer
	printProblems(&buf, testPlan(1), list)
	out := buf.String()
	for _, want := range []string{"Problems  5,001 in big.csv (the first 1 by line)", "line 2", "... and 5,000 more; `roster check big.csv`"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
}

// TestPrintProblemsFoldsTo80Columns: printed to a file or a pipe, every
// line of the problems fits 80 columns; a problem's line number stays on
// its first line, its text folds under itself, and no word is lost.
func TestPrintProblemsFoldsTo80Columns(t *testing.T) {
	long := "not a user ID, email or username: the cell holds a sentence of many words that a spreadsheet put in the user column by mistake, " +
		"and one very long token " + strings.Repeat("x", 100)
	list := &csvsource.List{Path: "desks/users-europe-rates.csv", Problems: []csvsource.Problem{{Line: 1234567, Message: long}, {Line: 9, Message: "short"}}}
	list.Summary = csvsource.Summary{Problems: 30, Unlisted: 28}
	var buf bytes.Buffer
	printProblems(&buf, testPlan(1), list)
	out := buf.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("%d columns: %q", n, l)
		}
	}
	if !strings.HasPrefix(lines[0], "Problems  30 in desks/users-europe-rates.csv") {
		t.Errorf("the heading does not name the file: %q", lines[0])
	}
	if lines[1] != "  line 9      bad row: short" {
		t.Errorf("line 9: %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], "  line 1234567 bad row: not a user ID") {
		t.Errorf("the line number is not on the problem's first line: %q", lines[2])
	}
	var text []string
	i := 3
	for ; i < len(lines) && strings.HasPrefix(lines[i], strings.Repeat(" ", 15)); i++ {
		text = append(text, strings.TrimSpace(lines[i]))
	}
	if i == 3 {
		t.Fatalf("the long problem was not folded:\n%s", out)
	}
	whole := strings.TrimPrefix(lines[2], "  line 1234567 ") + " " + strings.Join(text, " ")
	if strings.ReplaceAll(whole, " ", "") != strings.ReplaceAll("bad row: "+long, " ", "") {
		t.Errorf("words lost in folding:\n%s", out)
	}
	if !strings.HasPrefix(lines[i], "  ... and 28 more") {
		t.Errorf("after the problems: %q", lines[i])
	}
}

// TestWindowTextSaysTheWindowAsWritten: the headless plan's window line
// and the window's own text (the wizard's and the run-window wait's) give
// the same times, minutes included.
func TestWindowTextSaysTheWindowAsWritten(t *testing.T) {
	win, err := bulk.ParseWindow("21:30-06:15", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := windowText(win); got != "between 21:30 and 06:15 local time" {
		t.Errorf("windowText = %q", got)
	}
	if got := win.String(); got != "21:30-06:15" {
		t.Errorf("String = %q", got)
	}
}
