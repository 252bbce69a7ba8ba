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
	settle(t, m, planBuiltMsg{plan: plan, resumePath: resumePath, resume: resume})
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
			"one change every 3s", "estimated 40s", "JUMBO ROOM", "1,240 members", "! it is working hours", "changes are paced", "s: start")
		checkFits(t, v, size[0], size[1])
	}
}

func TestPreviewStartNeedsAnExplicitConfirmation(t *testing.T) {
	m, s := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "", nil)
	press(t, m, "s")
	if m.step != stepPreview {
		t.Fatal("s alone must not start")
	}
	mustContain(t, m.View(), `Really add 5 users in "Trading Desk EMEA" now?`)
	press(t, m, "n")
	if s.confirming {
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
	if s.confirming || m.step != stepPreview {
		t.Fatal("a blocked plan cannot start")
	}
	v := m.View()
	mustContain(t, v, "✗ cannot start: the room is deactivated", "cannot start until")
	mustNotContain(t, v, "s start")
}

func TestPreviewDryRunCannotStart(t *testing.T) {
	m, s := previewWith(t, Options{DryRun: true}, 80, 24, syntheticPlan(5), "", nil)
	press(t, m, "s")
	if s.confirming {
		t.Fatal("dry run cannot start")
	}
	mustContain(t, m.View(), "Dry run: nothing will be changed")
}

func TestPreviewOffersToResumeAndCanStartFresh(t *testing.T) {
	// The rebuilt plan has 5 actions; the journal's run had 8, 3 of them done.
	resume := &bulk.ResumeInfo{Path: "/out/roster-journal.jsonl", Actions: 8, Done: 3, InFlight: 1}
	m, s := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "/out/roster-journal.jsonl", resume)
	mustContain(t, m.View(), "unfinished run of this list", "Resuming: 3 of 8 done, 5 to go", "1 call left without an answer", "checked against the member list", "/out/roster-journal.jsonl")
	mustNotContain(t, m.View(), "Add 5 users")
	press(t, m, "s")
	mustContain(t, m.View(), "Really resume now? 3 of 8 done, 5 to go · y: start · n: not yet")
	m.Update(keyMsg("n"))
	press(t, m, "s")
	m.Update(keyMsg("y"))
	if m.step != stepRun || m.run.resumeFrom != "/out/roster-journal.jsonl" || m.sh.resume != resume {
		t.Fatalf("step %d, resume from %q (%v): want a resume", m.step, m.run.resumeFrom, m.sh.resume)
	}

	m, s = previewWith(t, Options{}, 80, 24, syntheticPlan(5), "/out/roster-journal.jsonl", resume)
	press(t, m, "r")
	if s.resume {
		t.Fatal("r switches to a fresh start")
	}
	mustContain(t, m.View(), "Start fresh")
	press(t, m, "s")
	m.Update(keyMsg("y"))
	if m.step != stepRun || m.run.resumeFrom != "" || m.sh.resume != nil {
		t.Fatalf("step %d, resume from %q: want a fresh start", m.step, m.run.resumeFrom)
	}
}

func TestPreviewModeToggleRebuildsThePlan(t *testing.T) {
	m, s := previewWith(t, Options{}, 80, 24, syntheticPlan(5), "", nil)
	m.sh.session.Pod = &fakePod{} // BuildPlan is not reached in this test: the command is not run
	_, cmd := m.Update(keyMsg("m"))
	if cmd == nil || !s.building || m.sh.mode != bulk.ModeRemove {
		t.Fatalf("m switches to remove and rebuilds; mode=%v building=%v", m.sh.mode, s.building)
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
	s := m.screens[stepPreview].(*previewStep)
	s.enter() // the plan command is not run: it is "slow"
	first := s.gen
	m.Update(keyMsg("esc"))
	if m.step != stepRoom {
		t.Fatalf("esc while building goes back; step = %d", m.step)
	}
	m.step = stepPreview
	s.enter()
	m.Update(planBuiltMsg{gen: first, plan: syntheticPlan(99)})
	if !s.building || s.plan != nil {
		t.Fatal("the answer to a request left behind is dropped")
	}
	m.Update(planBuiltMsg{gen: s.gen, plan: syntheticPlan(4)})
	if s.building || s.plan == nil || len(s.plan.Actions) != 4 {
		t.Fatal("the current answer is shown")
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
	mustContain(t, m.View(), "pace: none needed", "estimated 1.2s")
}
