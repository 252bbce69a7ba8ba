package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
)

// runningAt puts a wizard on the run screen as if the runner had started.
func runningAt(t *testing.T, w, h int, plan *bulk.Plan) (*Model, *runScreen) {
	t.Helper()
	m := newSized(t, Options{}, w, h)
	atStep(t, m, stepRun, plan)
	r := m.run
	r.starting, r.started = true, true
	r.control = bulk.NewControl()
	r.totals.Actions = len(plan.Actions)
	return m, r
}

func send(m *Model, evs ...bulk.Event) tea.Cmd {
	var last tea.Cmd
	for _, ev := range evs {
		_, last = m.Update(runEventMsg{ev: ev})
	}
	return last
}

func resultEvent(i, done int, o bulk.Outcome, status int, msg string, tot bulk.Totals) bulk.Event {
	tot.Done = done
	return bulk.Event{Kind: bulk.EventResult, Result: syntheticResult(i, o, status, msg), Totals: tot, Interval: 3 * time.Second}
}

func TestRunScreenShowsOutcomesCountsProgressPaceAndETA(t *testing.T) {
	m, _ := runningAt(t, 80, 24, syntheticPlan(10))
	tot := bulk.Totals{Actions: 10, Members: 480}
	send(m, bulk.Event{Kind: bulk.EventStarted, Totals: tot, Interval: 3 * time.Second})
	tot.Added = 2
	send(m, resultEvent(0, 1, bulk.OutcomeAdded, 200, "", tot), resultEvent(1, 2, bulk.OutcomeAdded, 200, "", tot))
	tot.Already = 1
	send(m, resultEvent(2, 3, bulk.OutcomeAlreadyMember, 200, "Member already part of the room", tot))
	tot.Failed = 1
	send(m, resultEvent(3, 4, bulk.OutcomeFailed, 403, "The user is not allowed in this room", tot))
	v := m.View()
	mustContain(t, v, `Adding 10 users to "Trading Desk EMEA"`, "4/10", "40%", "added 2", "already 1", "failed 1", "pending 6", "set aside 3",
		"one change every 3s", "ETA 18s", "already-member", "failed", "403", "not allowed", "71000000000003")
	checkFits(t, v, 80, 24)
}

func TestRunScreenRetryCountdownTicksOnlyWhileShown(t *testing.T) {
	m, r := runningAt(t, 80, 24, syntheticPlan(3))
	cmd := send(m, bulk.Event{Kind: bulk.EventRetryWait, Until: fixedNow.Add(5 * time.Second), Attempt: 2, Message: "429 Too Many Requests"})
	if cmd == nil || !r.ticking || r.tickEvery != time.Second {
		t.Fatalf("a visible countdown ticks every second (ticking %v every %v)", r.ticking, r.tickEvery)
	}
	mustContain(t, m.View(), "waiting 5s, until "+fixedNow.Add(5*time.Second).Local().Format("15:04:05")+", to retry (attempt 2): 429 Too Many Requests")
	send(m, bulk.Event{Kind: bulk.EventSettleWait, Until: fixedNow.Add(4 * time.Second), Attempt: 3, Message: "1 user of other pods is not in the room yet"})
	// the why is folded onto a second line, not cut, and the screen still fits
	mustContain(t, m.View(), "to read the member list again (read 3): 1 user of", "other pods is not in the room yet")
	mustNotContain(t, m.View(), "to retry")
	checkFits(t, m.View(), 80, 24)
	// a paused run shows no moving time: the next tick ends the chain
	send(m, bulk.Event{Kind: bulk.EventPaused})
	if _, cmd := m.Update(countdownTickMsg{gen: r.tickGen}); cmd != nil || r.ticking {
		t.Fatal("no tick while nothing on screen moves")
	}
	mustNotContain(t, m.View(), "Retrying")

	// a window wait also counts down
	// in the words of the headless face (words.WindowWait), with the window
	win, err := bulk.ParseWindow("22:00-06:00", false)
	if err != nil {
		t.Fatal(err)
	}
	m.sh.opts.Window = win
	send(m, bulk.Event{Kind: bulk.EventResumed}, bulk.Event{Kind: bulk.EventWindowWait, Until: fixedNow.Add(2 * time.Hour)})
	mustContain(t, m.View(), "outside the run window 22:00-06:00: waiting 2h00m, until "+fixedNow.Add(2*time.Hour).Local().Format("15:04:05"))
	if !r.ticking {
		t.Fatal("a window wait ticks")
	}
}

// TestRunScreenTicksAtTheCadenceOfWhatMoves: a call in flight counts up in
// tenths of a second, a pace wait counts down in seconds, and a paused or
// held run does not tick at all: nothing wakes an idle wizard.
func TestRunScreenTicksAtTheCadenceOfWhatMoves(t *testing.T) {
	clock := fixedNow
	m := newSized(t, Options{Now: func() time.Time { return clock }}, 80, 24)
	atStep(t, m, stepRun, syntheticPlan(3))
	r := m.run
	r.starting, r.started = true, true
	r.control = bulk.NewControl()
	tot := bulk.Totals{Actions: 3, Members: 600}
	send(m, bulk.Event{Kind: bulk.EventStarted, Totals: tot, Interval: 3 * time.Second})
	it := bulk.Item{Line: 2, Input: "ann@example.com", UserID: 1000}
	send(m, bulk.Event{Kind: bulk.EventCalling, Time: clock, Call: &bulk.Call{Item: it, Name: "Ann", Action: bulk.ActionAdd}, Attempt: 1, Totals: tot, Interval: 3 * time.Second})
	if !r.ticking || r.tickEvery != inFlightTick {
		t.Fatalf("a call in flight ticks every %v (ticking %v every %v)", inFlightTick, r.ticking, r.tickEvery)
	}
	clock = clock.Add(400 * time.Millisecond)
	m.Update(countdownTickMsg{gen: r.tickGen})
	v := m.View()
	mustContain(t, v, "adding…", "0.4 s in flight", "ann@example.com", "next change in 3s", "ETA 9s")
	tot.Done, tot.Added, tot.Members = 1, 1, 601
	res := &bulk.Result{Time: clock, Item: it, Name: "Ann", Outcome: bulk.OutcomeAdded, Status: 200, Message: "Member added", Attempts: 1}
	send(m, bulk.Event{Kind: bulk.EventResult, Result: res, Totals: tot, Interval: 3 * time.Second},
		bulk.Event{Kind: bulk.EventPaceWait, Until: fixedNow.Add(3 * time.Second), Totals: tot, Interval: 3 * time.Second})
	m.Update(countdownTickMsg{gen: r.tickGen}) // the call's faster chain gives way at its next tick
	if !r.ticking || r.tickEvery != secondTick {
		t.Fatalf("a pace wait counts down every second (ticking %v every %v)", r.ticking, r.tickEvery)
	}
	v = m.View()
	mustNotContain(t, v, "in flight")
	mustContain(t, v, "next change in 3s", "ETA 6s")
	clock = clock.Add(time.Second)
	m.Update(countdownTickMsg{gen: r.tickGen})
	mustContain(t, m.View(), "next change in 2s", "ETA 5s")

	// the abort question holds the run: once the runner holds, nothing moves
	press(t, m, "x")
	if !r.control.Held() {
		t.Fatal("the question holds the run")
	}
	send(m, bulk.Event{Kind: bulk.EventPaused, Totals: tot})
	v = m.View()
	mustContain(t, v, "HELD", "Abort the run?", "ETA held")
	mustNotContain(t, v, "PAUSED", "next change")
	if _, cmd := m.Update(countdownTickMsg{gen: r.tickGen}); cmd != nil || r.ticking {
		t.Fatal("a held run ticks")
	}
	press(t, m, "n")
	if r.control.Held() || r.aborting {
		t.Fatal("n lets the run go on")
	}
	send(m, bulk.Event{Kind: bulk.EventResumed, Totals: tot})
	if !r.ticking {
		t.Fatal("the ETA counts down again")
	}
	mustNotContain(t, m.View(), "HELD", "Abort the run?")
}

func TestRunScreenPauseResumeAndAbortAsk(t *testing.T) {
	m, r := runningAt(t, 80, 24, syntheticPlan(3))
	press(t, m, "p")
	if !r.control.Paused() || !r.pausing() {
		t.Fatal("p pauses")
	}
	send(m, bulk.Event{Kind: bulk.EventPaused})
	mustContain(t, m.View(), "PAUSED", "r resume")
	mustNotContain(t, m.View(), "p pause")
	press(t, m, "r")
	send(m, bulk.Event{Kind: bulk.EventResumed})
	mustNotContain(t, m.View(), "PAUSED")

	press(t, m, "q")
	if m.quitting {
		t.Fatal("q does not quit while running")
	}
	mustContain(t, m.View(), "x aborts it first")

	press(t, m, "x")
	mustContain(t, m.View(), "Abort the run?")
	// Control.Abort cancels the call in flight: the question must not promise otherwise
	mustNotContain(t, m.View(), "call in flight finishes")
	checkFits(t, m.View(), 80, 24)
	press(t, m, "n")
	if r.aborting {
		t.Fatal("n keeps running")
	}
	press(t, m, "ctrl+c")
	if m.quitting || !r.confirmAbort {
		t.Fatal("ctrl+c during a run asks first")
	}
	press(t, m, "y")
	if !r.aborting {
		t.Fatal("y aborts")
	}
	mustContain(t, m.View(), "ABORTING")
	// an abort cancels the call in flight (Control.Abort): it does not wait for it
	mustNotContain(t, m.View(), "after the call in flight")
}

func TestRunScreenSecondCtrlCConfirmsAbort(t *testing.T) {
	m, r := runningAt(t, 80, 24, syntheticPlan(3))
	press(t, m, "ctrl+c", "ctrl+c")
	if !r.aborting || m.quitting {
		t.Fatal("a second ctrl+c aborts cleanly (the program waits for the runner)")
	}
}

func TestRunScreenFinishesAfterEventsAndRunnerAreDone(t *testing.T) {
	m, _ := runningAt(t, 80, 24, syntheticPlan(2))
	sum := &bulk.Summary{Totals: bulk.Totals{Actions: 2, Done: 2, Added: 1, Failed: 1, Members: 481},
		Started: fixedNow, Finished: fixedNow.Add(7 * time.Second), JournalPath: "/out/j.jsonl", ReportPath: "/out/r.csv"}
	send(m, resultEvent(0, 1, bulk.OutcomeAdded, 200, "", sum.Totals), resultEvent(1, 2, bulk.OutcomeFailed, 400, "bad user", sum.Totals))
	send(m, bulk.Event{Kind: bulk.EventFinished, Summary: sum, Totals: sum.Totals})
	settle(t, m, runReturnedMsg{summary: sum})
	if m.step != stepRun {
		t.Fatal("the summary waits for the channel to close, so every event is shown")
	}
	settle(t, m, runClosedMsg{})
	if m.step != stepSummary {
		t.Fatalf("step = %d", m.step)
	}
	if m.ExitCode() != 1 {
		t.Fatalf("exit code %d, want 1", m.ExitCode())
	}
}

func TestRunScreenScrollsAndEndFollowsAgain(t *testing.T) {
	m, r := runningAt(t, 80, 24, syntheticPlan(100))
	for i := 0; i < 100; i++ {
		send(m, resultEvent(i, i+1, bulk.OutcomeAdded, 200, "", bulk.Totals{Actions: 100}))
	}
	h := r.table.height
	if got := r.table.first(); got != 100-h {
		t.Fatalf("following: first row %d, want %d", got, 100-h)
	}
	mustContain(t, m.View(), "71000000000099")
	press(t, m, "home")
	v := m.View()
	mustContain(t, v, "71000000000000", "rows 1-")
	mustNotContain(t, v, "71000000000099")
	press(t, m, "pgdown")
	if got := r.table.first(); got != h-1 {
		t.Fatalf("after pgdown first row %d, want %d", got, h-1)
	}
	press(t, m, "up")
	if got := r.table.first(); got != h-2 {
		t.Fatalf("after up first row %d", got)
	}
	// new rows do not move a scrolled table
	send(m, resultEvent(100, 100, bulk.OutcomeAdded, 200, "", bulk.Totals{Actions: 100}))
	if got := r.table.first(); got != h-2 {
		t.Fatalf("a new row moved the scrolled table to %d", got)
	}
	press(t, m, "end")
	if !r.table.follow || !strings.Contains(m.View(), "71000000000100") {
		t.Fatal("end follows the newest row again")
	}
}

func TestRunScreenFullHelp(t *testing.T) {
	m, _ := runningAt(t, 120, 40, syntheticPlan(3))
	press(t, m, "?")
	mustContain(t, m.View(), "pgup", "home", "abort (asks)")
	checkFits(t, m.View(), 120, 40)
}

func TestRunScreenSaysWhatAResumeSkips(t *testing.T) {
	m, _ := runningAt(t, 80, 24, syntheticPlan(10))
	send(m, bulk.Event{Kind: bulk.EventStarted, Totals: bulk.Totals{Actions: 10, Done: 4}})
	mustContain(t, m.View(), "Resuming: 4 of 10 done, 6 to go", "4/10")
}

func TestRunScreenFinishesEvenIfTheChannelStaysOpen(t *testing.T) {
	m, r := runningAt(t, 80, 24, syntheticPlan(1))
	_, cmd := m.Update(runReturnedMsg{summary: &bulk.Summary{Totals: bulk.Totals{Actions: 1, Done: 1}}})
	if cmd == nil || !r.running() {
		t.Fatal("waits a moment for the channel")
	}
	settle(t, m, runDrainedMsg{})
	if m.step != stepSummary {
		t.Fatalf("step = %d", m.step)
	}
}

func TestRunScreenETAUsesTheSlowerOfPaceAndObservedRate(t *testing.T) {
	m, r := runningAt(t, 80, 24, syntheticPlan(12))
	tot := bulk.Totals{Actions: 12}
	// results every 300ms while the pace is 3s: the pace wins
	for i := 0; i < 2; i++ {
		tot.Done++
		send(m, resultEvent(i, i+1, bulk.OutcomeAdded, 200, "", tot))
	}
	if got := r.eta(); got != "30s" {
		t.Fatalf("ETA = %s, want 10 x 3s", got)
	}
	// with a 30ms pace, the 300ms seen per result wins
	tot.Done++
	ev := resultEvent(2, 3, bulk.OutcomeAdded, 200, "", tot)
	ev.Interval = 30 * time.Millisecond
	send(m, ev)
	if got := r.eta(); got != "3s" {
		t.Fatalf("ETA = %s, want 9 x 300ms", got)
	}
}

// TestRunScreenFoldsALongStopReason: the reason a run stops is what the
// operator must read; it is folded over up to three lines at 80 columns
// (the table gives up rows for it), and only what is beyond is cut.
func TestRunScreenFoldsALongStopReason(t *testing.T) {
	m, _ := runningAt(t, 80, 24, syntheticPlan(3))
	reason := "2 users of other pods that the pod accepted to add later are not in the room after 2m0s of waiting; " +
		"they stay pending (cross-pod) in the report, and resuming the run later confirms them from the member list"
	send(m, bulk.Event{Kind: bulk.EventStopping, Message: reason})
	v := m.View()
	mustContain(t, v, "Stopping: 2 users of other pods", "they stay pending (cross-pod)", "confirms them from the member list")
	checkFits(t, v, 80, 24)
	send(m, bulk.Event{Kind: bulk.EventStopping, Message: strings.Repeat("a very long reason ", 40) + "THE END"})
	v = m.View()
	mustContain(t, v, "a very long reason a very long", "…")
	mustNotContain(t, v, "THE END")
	checkFits(t, v, 80, 24)
}
