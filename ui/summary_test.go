package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"roster/symphony/bulk"
)

func finishedRun(t *testing.T, w, h int, sum *bulk.Summary, results ...*bulk.Result) *Model {
	t.Helper()
	m, _ := runningAt(t, w, h, syntheticPlan(sum.Totals.Actions))
	for _, r := range results {
		send(m, bulk.Event{Kind: bulk.EventResult, Result: r, Totals: sum.Totals})
	}
	send(m, bulk.Event{Kind: bulk.EventFinished, Summary: sum, Totals: sum.Totals})
	settle(t, m, runClosedMsg{})
	settle(t, m, runReturnedMsg{summary: sum})
	if m.step != stepSummary {
		t.Fatalf("step = %d", m.step)
	}
	return m
}

func TestSummaryShowsTotalsFailuresFirstAndWhereTheFilesAre(t *testing.T) {
	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 4, Done: 4, Added: 2, Already: 1, Failed: 1, Members: 482},
		Started: fixedNow, Finished: fixedNow.Add(75 * time.Second), JournalPath: "/out/roster-journal.jsonl", ReportPath: "/out/roster-report.csv"}
	m := finishedRun(t, 80, 24, sum,
		syntheticResult(0, bulk.OutcomeAdded, 200, ""),
		syntheticResult(1, bulk.OutcomeFailed, 403, "The user is not allowed in this room"),
		syntheticResult(2, bulk.OutcomeAlreadyMember, 200, "already"),
		syntheticResult(3, bulk.OutcomeAdded, 200, ""))
	v := m.View()
	mustContain(t, v, "The run finished; 1 user failed.", "2 added", "1 already", "1 failed", "3 set aside by the plan",
		"4 of 4 actions done in 1m15s", "482 members", "Report:  /out/roster-report.csv", "Journal: /out/roster-journal.jsonl",
		"Failures (1):", "line 3", "HTTP 403", "not allowed", "Exit code 1.")
	checkFits(t, v, 80, 24)

	// q quits; the report for the normal screen keeps every failure
	press(t, m, "q")
	if !m.quitting {
		t.Fatal("q quits on the summary")
	}
	rep := m.FinalReport()
	mustContain(t, rep, "Failures (1):", "/out/roster-report.csv")
	if m.ExitCode() != 1 {
		t.Fatalf("exit code %d", m.ExitCode())
	}
}

func TestSummaryOfAnAbortSaysWhatIsLeft(t *testing.T) {
	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 10, Done: 3, Added: 3, Members: 483}, Aborted: true,
		Started: fixedNow, Finished: fixedNow.Add(time.Second), JournalPath: "/o/j", ReportPath: "/o/r"}
	m := finishedRun(t, 80, 24, sum)
	mustContain(t, m.View(), "aborted; 7 users left undone", "7 not done", "Exit code 3.")
	if m.ExitCode() != 3 {
		t.Fatalf("exit code %d", m.ExitCode())
	}
}

func TestSummaryOfAStopSaysWhy(t *testing.T) {
	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 10, Done: 3}, StopReason: "the room was deactivated",
		Started: fixedNow, Finished: fixedNow, JournalPath: "/o/j", ReportPath: "/o/r"}
	m := finishedRun(t, 80, 24, sum)
	mustContain(t, m.View(), "stopped by itself: the room was deactivated")
}

// Every failure is on the summary screen: the list scrolls, and end shows
// the last one.
func TestSummaryListsManyFailuresWithinTheScreen(t *testing.T) {
	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 50, Done: 50, Failed: 50}, Started: fixedNow, Finished: fixedNow, JournalPath: "/o/j", ReportPath: "/o/r"}
	var rs []*bulk.Result
	for i := 0; i < 50; i++ {
		rs = append(rs, syntheticResult(i, bulk.OutcomeFailed, 400, "bad"))
	}
	m := finishedRun(t, 80, 24, sum, rs...)
	v := m.View()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "Failures (50):", "line 2 ", "↓ more below", "↑/↓ scroll")
	mustNotContain(t, v, "line 51 ")
	press(t, m, "end")
	v = m.View()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "line 51 ", "↑ more above")
	mustNotContain(t, v, "Failures (50):")
	press(t, m, "home")
	mustContain(t, m.View(), "Failures (50):")
	if got := strings.Count(m.FinalReport(), "HTTP 400"); got != 50 {
		t.Fatalf("the printed summary lists %d failures, want all 50", got)
	}
}

func TestRunThatCouldNotStartEndsOnTheSummary(t *testing.T) {
	m, _ := runningAt(t, 80, 24, syntheticPlan(3))
	settle(t, m, runFailedMsg{err: errAuth})
	if m.step != stepSummary {
		t.Fatalf("step = %d", m.step)
	}
	mustContain(t, m.View(), "The run did not complete.", "401")
	if m.ExitCode() != 3 {
		t.Fatalf("exit code %d", m.ExitCode())
	}
}

// A 5,000-user run's counts do not fit one 80-column line: none of them is
// cut off the summary.
func TestSummaryKeepsEveryCountOfALongRunAt80Columns(t *testing.T) {
	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 5000, Done: 5000, Added: 4321, Promoted: 1000, Already: 300, Failed: 379, Members: 6321},
		Started: fixedNow, Finished: fixedNow.Add(4 * time.Hour), JournalPath: "/out/j.jsonl", ReportPath: "/out/r.csv"}
	m := finishedRun(t, 80, 24, sum)
	v := m.View()
	mustContain(t, v, "4,321 added (1,000 made owners)", "300 already", "379 failed", "3 set aside by the plan")
	checkFits(t, v, 80, 24)
}

// An aborted or stopped run's summary says how to go on, as the headless
// summary does (--resume).
func TestSummaryOfAnUnfinishedRunSaysHowToGoOn(t *testing.T) {
	for name, sum := range map[string]*bulk.Summary{
		"aborted": {Aborted: true, Totals: bulk.Totals{Actions: 10, Done: 4, Added: 4}},
		"stopped": {StopReason: "the room was deactivated", Totals: bulk.Totals{Actions: 10, Done: 4, Added: 4}},
	} {
		t.Run(name, func(t *testing.T) {
			sum.Started, sum.Finished, sum.ReportPath, sum.JournalPath = fixedNow, fixedNow.Add(time.Minute), "/out/r.csv", "/out/j.jsonl"
			m := finishedRun(t, 80, 24, sum)
			mustContain(t, m.View(), "To go on, run roster again", "--resume")
			checkFits(t, m.View(), 80, 24)
			mustContain(t, m.FinalReport(), "To go on, run roster again with the same config, list and room and --resume")
		})
	}
}

// A run whose report could not be written exits 3 even when every user was
// added, as the headless run does; the error is on the summary.
func TestSummaryOfARunWithAnErrorExits3(t *testing.T) {
	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 2, Done: 2, Added: 2}, Started: fixedNow, Finished: fixedNow.Add(time.Second)}
	m, _ := runningAt(t, 80, 24, syntheticPlan(2))
	send(m, bulk.Event{Kind: bulk.EventFinished, Summary: sum, Totals: sum.Totals})
	settle(t, m, runClosedMsg{})
	settle(t, m, runReturnedMsg{summary: sum, err: errors.New("report: disk full")})
	if m.step != stepSummary {
		t.Fatalf("step = %d", m.step)
	}
	mustContain(t, m.View(), "disk full")
	if m.ExitCode() != 3 {
		t.Fatalf("exit code %d, want 3", m.ExitCode())
	}
}

// The demo's pod goes away with the program: its summary does not offer a
// resume that cannot happen.
func TestSummaryOfAnAbortedDemoOffersNoResume(t *testing.T) {
	sum := &bulk.Summary{Aborted: true, Totals: bulk.Totals{Actions: 10, Done: 4, Added: 4}, Started: fixedNow, Finished: fixedNow.Add(time.Second)}
	m, _ := runningAt(t, 80, 24, syntheticPlan(10))
	m.sh.opts.Ephemeral = true
	send(m, bulk.Event{Kind: bulk.EventFinished, Summary: sum, Totals: sum.Totals})
	settle(t, m, runClosedMsg{})
	settle(t, m, runReturnedMsg{summary: sum})
	mustContain(t, m.View(), "The run was aborted")
	mustNotContain(t, m.View(), "To go on")
}

// A long path is broken after a separator, never inside a name, and is
// whole once its lines are joined.
func TestSummaryBreaksLongPathsAtASeparator(t *testing.T) {
	path := "/srv/roster-out/trading-desk-emea-all-staff/2026-12-05/roster-all-staff-announcements-20261205T031836Z-report.csv"
	lines := breakPath(path, 40)
	if strings.Join(lines, "") != path {
		t.Fatalf("the lines do not make the path: %q", lines)
	}
	for i, l := range lines {
		if len(l) > 40 {
			t.Errorf("line %d is %d wide: %q", i, len(l), l)
		}
		if i < len(lines)-1 && !strings.HasSuffix(l, "/") && len(l) < 40 {
			t.Errorf("line %d breaks inside a name: %q", i, l)
		}
	}
	if lines[1] != "trading-desk-emea-all-staff/2026-12-05/" {
		t.Errorf("lines %q", lines)
	}
	win := breakPath(`C:\Users\admin\AppData\Local\roster\demo\roster-report.csv`, 30)
	if strings.Join(win, "") != `C:\Users\admin\AppData\Local\roster\demo\roster-report.csv` || !strings.HasSuffix(win[0], `\`) {
		t.Errorf("windows path %q", win)
	}

	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 1, Done: 1, Added: 1}, Started: fixedNow, Finished: fixedNow,
		JournalPath: "/o/j", ReportPath: path}
	v := finishedRun(t, 80, 24, sum).View()
	mustContain(t, v, "Report:", "  /srv/roster-out/trading-desk-emea-all-staff/2026-12-05/\n", "  roster-all-staff-announcements-20261205T031836Z-report.csv\n")
}
