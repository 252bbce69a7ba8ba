package ui

import (
	"testing"
	"time"

	"roster/symphony/bulk"
)

func previewWith(t *testing.T, opts Options, w, h int, plan *bulk.Plan, resumePath string, resume *bulk.ResumeInfo) (*Model, *previewStep) {
	t.Helper()
	m := newSized(t, opts, w, h)
	atStep(t, m, stepPreview, plan)
	s := m.screens[stepPreview].(*previewStep)
	job := jobFor(plan)
	if resume != nil {
		job = resumeJob(plan, resume)
	}
	settle(t, m, planBuiltMsg{job: job})
	return m, s
}

var jumbo = bulk.Warning{Level: bulk.LevelWarn, Code: "jumbo", Message: "the room will have 1,240 members: Symphony asks for jumbo-room changes off hours, with at least two owners"}

func TestPreviewShowsThePlanPaceEstimateAndEveryWarning(t *testing.T) {
	plan := syntheticPlan(40, jumbo,
		bulk.Warning{Level: bulk.LevelInfo, Code: "pace", Message: "changes are paced at one every 3s above 500 members"},
		bulk.Warning{Level: bulk.LevelWarn, Code: "working-hours", Message: "it is working hours: prefer a run at night"})
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		m, _ := previewWith(t, Options{}, size[0], size[1], plan, "", nil)
		v := m.View()
		mustContain(t, v, `Add 40 users to "Trading Desk EMEA"`, "480 → 520", "1 already-member", "1 unknown-user",
			"one change every 3s", "estimated 40s", "║ The room will have 1,240 members", "1,240 members", "! it is working hours", "changes are paced", "s: start")
		checkFits(t, v, size[0], size[1])
	}
}

func TestPreviewStartNeedsAnExplicitConfirmation(t *testing.T) {
	m, s := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "", nil)
	press(t, m, "s")
	if m.step != stepPreview {
		t.Fatal("s alone must not start")
	}
	mustContain(t, m.View(), `Really add 5 users to "Trading Desk EMEA" now?`)
	press(t, m, "n")
	if s.confirming() {
		t.Fatal("n cancels")
	}
	press(t, m, "s")
	m.Update(keyMsg("y")) // the runner is not started here
	if m.step != stepRun || !m.run.starting {
		t.Fatal("y after s starts")
	}
}

func TestPreviewBlockingWarningDisablesStart(t *testing.T) {
	plan := syntheticPlan(5, bulk.Warning{Level: bulk.LevelBlock, Code: "deactivated", Message: "the room is deactivated"})
	m, s := previewWith(t, Options{}, 80, 24, plan, "", nil)
	press(t, m, "s", "y")
	if s.confirming() || m.step != stepPreview {
		t.Fatal("a blocked plan cannot start")
	}
	v := m.View()
	mustContain(t, v, "✗ cannot start: the room is deactivated", "The run cannot start: the room is deactivated", "Nothing was changed", "Fix the problems marked ✗")
	mustNotContain(t, v, "s start")
}

func TestPreviewDryRunCannotStart(t *testing.T) {
	m, s := previewWith(t, Options{DryRun: true}, 80, 24, syntheticPlan(5), "", nil)
	press(t, m, "s")
	if s.confirming() {
		t.Fatal("dry run cannot start")
	}
	mustContain(t, m.View(), "Dry run: nothing was changed; without --dry-run the run would start.")
}

func TestPreviewShowsTheResumeItWillMake(t *testing.T) {
	// The rebuilt plan has 5 actions; the journal's run had 8, 3 of them done.
	resume := &bulk.ResumeInfo{Path: "/out/roster-journal.jsonl", Actions: 8, Done: 3, InFlight: 1}
	m, _ := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "/out/roster-journal.jsonl", resume)
	mustContain(t, m.View(), "Resuming the journal", "Resuming: 3 of 8 done, 5 to go", "1 call left without an answer", "/out/roster-journal.jsonl")
	mustNotContain(t, m.View(), "Add 5 users")
	press(t, m, "s")
	mustContain(t, m.View(), "Really resume now (3 of 8 done, 5 to go)? y: start · n: not yet")
	m.Update(keyMsg("n"))
	press(t, m, "s")
	m.Update(keyMsg("y"))
	if m.step != stepRun || m.run.resumeFrom != "/out/roster-journal.jsonl" {
		t.Fatalf("step %d, resume from %q: want a resume", m.step, m.run.resumeFrom)
	}
}

// An unfinished journal of the same run, and no resume asked: the preview
// refuses as the headless run does, and offers r (which is --resume).
func TestPreviewRefusesAnUnfinishedJournalUntilAskedToResume(t *testing.T) {
	m, s := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "", nil)
	s.job.Decision = bulk.Decision{Verdict: bulk.Unfinished, Journal: "/out/roster-journal.jsonl", Done: 3}
	v := m.View()
	mustContain(t, v, "An unfinished run of this same list into this room", "/out/roster-journal.jsonl", "press r")
	mustNotContain(t, v, "s start")
	press(t, m, "s", "y")
	if m.step != stepPreview {
		t.Fatal("s starts a run the job refused")
	}
	if !s.canToggleResume() {
		t.Fatal("r is not offered")
	}
	if got := m.ExitCode(); got != bulk.ExitInput {
		t.Fatalf("quitting at a refused preview exits %d, want %d as headless", got, bulk.ExitInput)
	}
}

func TestPreviewModeToggleRebuildsThePlan(t *testing.T) {
	m, s := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "", nil)
	m.made.session.Pod = &fakePod{} // BuildPlan is not reached in this test: the command is not run
	_, cmd := m.Update(keyMsg("m"))
	if cmd == nil || !s.work.active() || s.mode != bulk.ModeRemove {
		t.Fatalf("m switches to remove and rebuilds; mode=%v building=%v", s.mode, s.work.active())
	}
	mustContain(t, m.View(), "Looking up every user")
}

func TestPreviewEscGoesBackToTheRoom(t *testing.T) {
	m, _ := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "", nil)
	press(t, m, "esc")
	if m.step != stepRoom {
		t.Fatalf("step = %d", m.step)
	}
	mustContain(t, m.View(), "Step 3")
}

func TestPreviewEscWhileBuildingDropsTheLateAnswer(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStep(t, m, stepPreview, syntheticPlan(3))
	s := m.preview
	s.build() // the plan command is not run: it is "slow"
	first := busyDoneMsg{owner: &s.work, gen: s.work.gen, msg: planBuiltMsg{job: jobFor(syntheticPlan(99))}}
	m.Update(keyMsg("esc"))
	if m.step != stepRoom {
		t.Fatalf("esc while building goes back; step = %d", m.step)
	}
	m.step = stepPreview
	s.build()
	m.Update(first)
	if !s.work.active() || s.job != nil {
		t.Fatal("the answer to a request left behind is dropped")
	}
	m.Update(busyDoneMsg{owner: &s.work, gen: s.work.gen, msg: planBuiltMsg{job: jobFor(syntheticPlan(4))}})
	if s.work.active() || s.job == nil || len(s.job.Plan.Actions) != 4 {
		t.Fatal("the current answer is shown")
	}
	// an answer of another screen's work is not the preview's
	m.room().work.start("x", nil)
	other := busyDoneMsg{owner: &m.room().work, gen: m.room().work.gen, msg: planBuiltMsg{job: jobFor(syntheticPlan(7))}}
	s.build()
	m.Update(other)
	if !s.work.active() {
		t.Fatal("another screen's answer was taken")
	}
}

// The preview prints the pace and the estimate as the headless plan and the
// plan's own warnings do: a 2.5 s interval is not shown as 3s, nor an
// estimate of 4.8 s as 5s next to a warning that says 4.8s.
func TestPreviewPaceAndEstimateAreNotRoundedAway(t *testing.T) {
	plan := syntheticPlan(40) // 480 -> 520 members: paced
	plan.Interval, plan.Estimate = 2500*time.Millisecond, 4800*time.Millisecond
	m, _ := previewWith(t, Options{}, 80, 24, plan, "", nil)
	mustContain(t, m.View(), "one change every 2.5s", "estimated 4.8s")
}

// In a room that stays small the pace line still ends with the estimate at
// 80 columns, rather than cut before it.
func TestPreviewShowsTheEstimateOfAnUnpacedRunAt80Columns(t *testing.T) {
	plan := syntheticPlan(5) // 480 -> 485 members: no pace
	plan.Estimate = 1200 * time.Millisecond
	m, _ := previewWith(t, Options{}, 80, 24, plan, "", nil)
	mustContain(t, m.View(), "pace: no wait needed", "estimated 1.2s")
}

// At 80x24 a long plan scrolls under the start line and the question, which
// stay on screen; the help offers y only while the question is visible.
func TestPreviewQuestionStaysPinnedWhileThePlanScrolls(t *testing.T) {
	plan := syntheticPlan(40, everyWarning...)
	resume := &bulk.ResumeInfo{Path: "/out/roster-journal.jsonl", Actions: 52, Done: 12, InFlight: 1}
	for _, h := range []int{24, 16, 12} {
		m, s := previewWith(t, Options{Banner: "DEMO: simulated pod"}, 80, h, plan, "", resume)
		v := m.View()
		checkFits(t, v, 80, h)
		mustContain(t, v, "s: start (asks once more)", "↓ more below", "? more keys", "q quit")
		mustNotContain(t, v, "r: do not resume")
		press(t, m, "s")
		v = m.View()
		checkFits(t, v, 80, h)
		mustContain(t, v, "Really resume now (12 of 52 done, 40 to go)? y: start · n: not yet", "y start")
		// the plan scrolls to its end under the question
		press(t, m, "end")
		v = m.View()
		mustContain(t, v, "r: do not resume", "↑ more above", "Really resume now")
		press(t, m, "home", "down")
		mustContain(t, m.View(), "lines 2-", "Really resume now")
		press(t, m, "n")
		if s.confirming() {
			t.Fatal("n drops the question")
		}
		mustContain(t, m.View(), "s: start")
		mustNotContain(t, m.View(), "y start")
	}
}

// A second question is asked after the first: y answers one at a time, the
// last y starts, n drops them all.
func TestPreviewAsksEveryQuestionInTurn(t *testing.T) {
	m, s := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "", nil)
	press(t, m, "s")
	s.asking = append(s.asking, "Really remove the last owner?")
	press(t, m, "y")
	if m.step != stepPreview {
		t.Fatal("the first y started the run before the second question")
	}
	mustContain(t, m.View(), "Really remove the last owner? y: start · n: not yet")
	press(t, m, "n")
	if s.confirming() || m.step != stepPreview {
		t.Fatal("n drops every question")
	}
	press(t, m, "s")
	s.asking = append(s.asking, "Really remove the last owner?")
	mustContain(t, m.View(), "y: yes · n: not yet")
	press(t, m, "y")
	m.Update(keyMsg("y"))
	if m.step != stepRun {
		t.Fatal("y to every question starts")
	}
}

// A plan laid into a run window says how much of its estimate is the wait.
func TestPreviewEstimateSaysTheWaitForTheWindow(t *testing.T) {
	plan := syntheticPlan(40)
	w, err := bulk.ParseWindow("18:00-08:00", false)
	if err != nil {
		t.Fatal(err)
	}
	plan.Window, plan.WindowWait, plan.Estimate = w, 8*time.Hour, 8*time.Hour+2*time.Minute
	m, _ := previewWith(t, Options{}, 120, 40, plan, "", nil)
	mustContain(t, m.View(), "estimated 8h02m (8h00m of it waiting for the run window, 18:00-08:00)")
}
