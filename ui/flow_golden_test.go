package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"roster/symphony/bulk"
)

var sizes = []struct {
	name string
	w, h int
}{{"80x24", 80, 24}, {"120x40", 120, 40}}

// waitScreen waits until the program has drawn every text.
func waitScreen(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// finalGolden quits and compares the last screen with the golden file.
func finalGolden(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	golden.RequireEqual(t, []byte(fm.render()))
	return fm
}

// everyWarning is what the preflight says of a jumbo run at 11:00 on a
// weekday, with one owner left and external users set aside.
var everyWarning = []bulk.Warning{
	{Level: bulk.LevelWarn, Code: "pace", Message: "the room has (or will have) more than 500 members: Symphony asks for one change every 3s, so 40 of the 40 calls are paced; the paced calls take at least 2m; whole run: about 2m"},
	{Level: bulk.LevelWarn, Code: "jumbo", Message: "a jumbo room (over 1,000 members): run off hours, tell Symphony support before you start, and keep at least 2 owners (it has 1 now)"},
	{Level: bulk.LevelWarn, Code: "working-hours", Message: "it is working hours now (Tue 11:00, Monday to Friday 08:00-18:00 local time): Symphony asks for jumbo room changes off hours"},
	{Level: bulk.LevelWarn, Code: "owners", Message: "the room will have 1 owner; Symphony recommends at least 2"},
	{Level: bulk.LevelInfo, Code: "external", Message: "2 external users are set aside: the room does not allow users of other pods"},
}

// The jumbo preview with every warning and a resume offer, after s: the
// question is on screen however long the plan is (at 80x24 the plan
// scrolls above it).
func TestGoldenPreviewWithJumboWarningAndResumeOffer(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			plan := syntheticPlan(40, everyWarning...)
			m := newSized(t, Options{OutDir: "/srv/roster-out", Banner: "DEMO: simulated pod, pace sped up 100x"}, sz.w, sz.h)
			atStep(t, m, stepPreview, plan)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			tm.Send(planBuiltMsg{job: resumeJob(plan,
				&bulk.ResumeInfo{Path: "/srv/roster-out/roster-journal.jsonl", Actions: 52, Done: 12, SetAside: plan.SetAside})})
			waitScreen(t, tm, "s: start")
			tm.Send(keyMsg("s"))
			waitScreen(t, tm, "Really resume now")
			fm := finalGolden(t, tm)
			v := fm.render()
			checkFits(t, v, sz.w, sz.h)
			mustContain(t, v, "Really resume now (12 of 52 done, 40 to go)? y: start · n: not yet", "y start")
		})
	}
}

// TestGoldenRunScreenLive feeds the run screen through a channel, as the
// runner does, and checks the screen at a lasting state: paused, with a
// failure on screen.
func TestGoldenRunScreenLive(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			plan := syntheticPlan(60)
			m := newSized(t, Options{}, sz.w, sz.h)
			atStep(t, m, stepRun, plan)
			ch := make(chan bulk.Event)
			m.run.starting = true
			m.run.control = bulk.NewControl()
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			held := make(heldRunner, 1)
			tm.Send(runStartedMsg{runner: held, control: m.run.control, events: ch})
			tot := bulk.Totals{Actions: 60, Members: 480}
			ch <- bulk.Event{Kind: bulk.EventStarted, Totals: tot, Interval: 3 * time.Second}
			for i := 0; i < 45; i++ {
				tot.Done++
				o, status, msg := bulk.OutcomeAdded, 200, "Member added"
				switch {
				case i%11 == 5:
					o, status, msg = bulk.OutcomeFailed, 403, "The user is not allowed in this room"
					tot.Failed++
				case i%7 == 3:
					o, msg = bulk.OutcomeAlreadyMember, "Member already part of the room"
					tot.Already++
				default:
					tot.Added++
					tot.Members++
				}
				ch <- bulk.Event{Kind: bulk.EventResult, Result: syntheticResult(i, o, status, msg), Totals: tot, Interval: 3 * time.Second}
			}
			ch <- bulk.Event{Kind: bulk.EventPaused, Totals: tot}
			waitScreen(t, tm, "PAUSED", "45/60")
			finalGolden(t, tm)
		})
	}
}

func TestGoldenSummary(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			m := newSized(t, Options{}, sz.w, sz.h)
			atStep(t, m, stepRun, syntheticPlan(6))
			m.run.starting = true
			ch := make(chan bulk.Event, 10)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			held := make(heldRunner, 1)
			tm.Send(runStartedMsg{runner: held, control: bulk.NewControl(), events: ch})
			sum := &bulk.Summary{Totals: bulk.Totals{Actions: 6, Done: 6, Added: 4, Already: 1, Failed: 1, Members: 484},
				Started: fixedNow, Finished: fixedNow.Add(18 * time.Second),
				JournalPath: "/srv/roster-out/roster-journal.jsonl", ReportPath: "/srv/roster-out/roster-report.csv"}
			for i := 0; i < 6; i++ {
				o := bulk.OutcomeAdded
				if i == 2 {
					o = bulk.OutcomeFailed
				}
				ch <- bulk.Event{Kind: bulk.EventResult, Result: syntheticResult(i, o, 400, "Payload is invalid"), Totals: sum.Totals}
			}
			ch <- bulk.Event{Kind: bulk.EventFinished, Summary: sum, Totals: sum.Totals}
			close(ch)
			held <- sum
			waitScreen(t, tm, "Failures (1)")
			fm := finalGolden(t, tm)
			if fm.ExitCode() != 1 {
				t.Fatalf("exit code %d", fm.ExitCode())
			}
		})
	}
}

// The config chooser with 40 files in the start folder, after 30 downs: the
// cursor's page is on screen with "Browse for another file…" below it.
func TestGoldenFileChooserWith40FilesAfter30Downs(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			dir := t.TempDir()
			var names []string
			for i := 1; i <= 40; i++ {
				names = append(names, fmt.Sprintf("bot-%02d.json", i))
			}
			writeFiles(t, dir, names...)
			m := newSized(t, Options{StartDir: dir}, sz.w, sz.h)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			waitScreen(t, tm, "bot-01.json")
			for i := 0; i < 30; i++ {
				tm.Send(keyMsg("down"))
			}
			waitScreen(t, tm, "> bot-31.json")
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
			v := fm.render()
			// the folder, whole or shortened from the left, is the test's own
			shown := regexp.MustCompile(`  …\S+`).ReplaceAllString(strings.ReplaceAll(v, dir, "<DIR>"), "  <DIR>")
			golden.RequireEqual(t, []byte(shown))
			checkFits(t, v, sz.w, sz.h)
			mustContain(t, v, "> bot-31.json", "Browse for another file…", "page ")
			c := fm.screens[stepConfig].(*configStep).chooser
			if c.list.cursor != 30 {
				t.Fatalf("cursor %d after 30 downs", c.list.cursor)
			}
		})
	}
}

// The room's search field with a pasted stream ID and the cursor moved
// left: the bar shows where the next key edits.
func TestGoldenRoomFieldWithTheCursorMovedLeft(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			m := newSized(t, Options{}, sz.w, sz.h)
			atStepRoom(t, m)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA=="), Paste: true})
			for i := 0; i < 11; i++ {
				tm.Send(keyMsg("left"))
			}
			waitScreen(t, tm, "X___▏qu6")
			v := finalGolden(t, tm).render()
			mustContain(t, v, "Room: iWyZBIOdQQzQj0tKOLRivX___▏qu6YeyZdA==", "enter reads the room with this stream ID, or else of this exact name")
		})
	}
}
