package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
	"roster/ui/words"
)

// podWorld is a pod seeded with the demo world, its config folder written
// (podsimtest), a user list of n candidates plus a few set-aside rows, and
// a folder for the runs' output.
type podWorld struct {
	*podsimtest.Pod
	csv string
	out string
}

func startPod(t *testing.T, opts podsim.Options, n int) *podWorld {
	t.Helper()
	w := &podWorld{Pod: podsimtest.Start(t, opts), out: filepath.Join(t.TempDir(), "out")}
	d := w.Demo
	var b strings.Builder
	b.WriteString("user\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d\n", d.Candidates[i].ID)
	}
	fmt.Fprintf(&b, "%d\nnot a user!\n", d.Candidates[0].ID) // a duplicate and a bad row
	w.csv = filepath.Join(w.Dir, "flow-users.csv")
	if err := os.WriteFile(w.csv, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// options offer the world's files and rooms, as the demo does.
func (w *podWorld) options() Options {
	return Options{
		OfferConfigs: []string{w.ConfigPath()},
		OfferCSVs:    []string{w.csv},
		SuggestRooms: []string{w.Demo.Small, w.Demo.Medium},
		StartDir:     w.Dir,
		OutDir:       w.out,
		Interval:     20 * time.Millisecond,
	}
}

// walkToPreview drives the wizard from the config to the preview of the first suggested room.
func walkToPreview(t *testing.T, tm *teatest.TestModel, alsoOnPreview ...string) {
	t.Helper()
	waitScreen(t, tm, "config.json")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "flow-users.csv")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "users to consider")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "MEMBERS")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "enter: preview")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, append([]string{"journal and report go to"}, alsoOnPreview...)...)
}

func start(tm *teatest.TestModel) {
	tm.Type("s")
	tm.Type("y")
}

var stamp = regexp.MustCompile(`\d{8}T\d{6}Z`)

// sanitize renders the model with what changes from run to run (folders,
// times, durations, stream IDs) replaced, so the golden view can be compared.
func (w *podWorld) sanitize(m *Model) string {
	m.sh.opts.OutDir, m.sh.outLabel = "<OUT>", "<OUT>"
	if s := m.summary.sum; s != nil {
		s.ReportPath = stamp.ReplaceAllString(strings.ReplaceAll(s.ReportPath, w.out, "<OUT>"), "<TIME>")
		s.JournalPath = stamp.ReplaceAllString(strings.ReplaceAll(s.JournalPath, w.out, "<OUT>"), "<TIME>")
	}
	v := m.render()
	v = regexp.MustCompile(`done in [0-9.hmsµ]+`).ReplaceAllString(v, "done in <T>")
	// the estimate uses the pod's measured round trip
	v = regexp.MustCompile(`estimated [0-9.hmsµ]+`).ReplaceAllString(v, "estimated <EST>")
	for _, id := range []string{w.Demo.Small, w.Demo.Medium} {
		v = strings.ReplaceAll(v, id, "<STREAM>")
	}
	return v
}

func TestFlowWizardFromConfigToSummaryAgainstPodsim(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond}, 12)
			m := New(w.options())
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			walkToPreview(t, tm)
			start(tm)
			waitScreen(t, tm, "The run finished", "Report:")
			tm.Type("q")
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
			if fm.ExitCode() != 0 {
				t.Fatalf("exit code %d:\n%s", fm.ExitCode(), fm.render())
			}
			sum := fm.summary.sum
			if sum.Totals.Added != 12 || sum.Totals.Failed != 0 {
				t.Fatalf("totals %+v", sum.Totals)
			}
			if got := w.Room(t, w.Demo.Small).Members; !containsAll(got, w.Demo.Candidates[:12]) {
				t.Fatal("the pod's room lacks the added users")
			}
			report, err := os.ReadFile(sum.ReportPath)
			if err != nil {
				t.Fatalf("report: %v", err)
			}
			// the summary says set-aside rows are in the report too
			if !strings.Contains(string(report), "not a user!") {
				t.Fatalf("the report lacks the set-aside bad row:\n%s", report)
			}
			golden.RequireEqual(t, []byte(w.sanitize(fm)))
		})
	}
}

func TestFlowPauseAndResumeAgainstPodsim(t *testing.T) {
	// 60 calls of 60ms: time enough for p to land mid-run even on a loaded machine
	w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 60 * time.Millisecond}, 60)
	tm := teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(80, 24))
	walkToPreview(t, tm)
	start(tm)
	waitScreen(t, tm, "Adding 60 users")
	tm.Type("p")
	waitScreen(t, tm, "PAUSED")
	tm.Type("r")
	waitScreen(t, tm, "The run finished")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	if s := fm.summary.sum; s == nil || s.Totals.Added != 60 || s.Aborted {
		t.Fatalf("after pause and resume: %+v", s)
	}
}

func TestFlowAbortThenResumeAgainstPodsim(t *testing.T) {
	for _, keys := range [][]string{{"x", "y"}, {"ctrl+c", "y"}} {
		t.Run(keys[0], func(t *testing.T) {
			w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 60 * time.Millisecond}, 60)
			tm := teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(120, 40))
			walkToPreview(t, tm)
			start(tm)
			waitScreen(t, tm, "Adding 60 users", "added 2")
			tm.Send(keyMsg(keys[0]))
			waitScreen(t, tm, "Abort the run?")
			tm.Send(keyMsg(keys[1]))
			waitScreen(t, tm, "The run was aborted")
			tm.Type("q")
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
			s := fm.summary.sum
			if s == nil || !s.Aborted || s.Totals.Done >= 60 || s.Totals.Done == 0 {
				t.Fatalf("abort: %+v", s)
			}
			if fm.ExitCode() != 3 {
				t.Fatalf("exit code %d", fm.ExitCode())
			}
			done := s.Totals.Done

			// the same list into the same room again: the preview refuses, as
			// the headless run does, until r asks for the resume (--resume)
			tm = teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(120, 40))
			walkToPreview(t, tm, "An unfinished run of this same list into this room", "press r")
			tm.Send(keyMsg("r"))
			// users added before the abort are now members: set aside by the
			// new plan; the preview still tells the journal's run
			waitScreen(t, tm, "Resuming: "+words.Progress(done, 60))
			start(tm)
			waitScreen(t, tm, "The run finished", "60 of 60 actions done", "a resumed run: the totals include the")
			tm.Type("q")
			fm = tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
			s = fm.summary.sum
			if s == nil || s.Totals.Done != s.Totals.Actions || s.Totals.Actions != 60 || s.Totals.Failed != 0 {
				t.Fatalf("resumed run: %+v", s)
			}
			if fm.run.resumedDone != done {
				t.Errorf("the run screen resumed from %d done; the preview said %d", fm.run.resumedDone, done)
			}
			t.Logf("aborted after %d done; the resumed plan had %d actions, %d done before", done, s.Totals.Actions, fm.run.resumedDone)
			st := w.State()
			for _, u := range w.Demo.Candidates[:60] {
				if c := podsimtest.Calls(st, u.ID); c.Add != 1 {
					t.Fatalf("user %d: %+v add calls, want exactly 1 over both runs", u.ID, c)
				}
			}
		})
	}
}

func TestFlowRunStopsByItselfWhenTheRoomIsDeactivated(t *testing.T) {
	w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 60 * time.Millisecond}, 60)
	tm := teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(80, 24))
	walkToPreview(t, tm)
	start(tm)
	waitScreen(t, tm, "Adding 60 users", "added 2")
	w.SetRoomActive(w.Demo.Small, false)
	waitScreen(t, tm, "stopped by itself")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	if s := fm.summary.sum; s == nil || s.StopReason == "" || fm.ExitCode() != 3 {
		t.Fatalf("summary %+v, exit %d", s, fm.ExitCode())
	}
}

func TestFlowResizeDuringRunAgainstPodsim(t *testing.T) {
	w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 20 * time.Millisecond}, 30)
	tm := teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(80, 24))
	walkToPreview(t, tm)
	start(tm)
	waitScreen(t, tm, "Adding 30 users")
	tm.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	waitScreen(t, tm, "The run finished")
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	tm.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	checkFits(t, fm.render(), 120, 40)
	if fm.run.table.width != 120 {
		t.Fatalf("table width %d after resize", fm.run.table.width)
	}
	golden.RequireEqual(t, []byte(w.sanitize(fm)))
}

func TestFlowGoingBackToAnotherRoomAgainstPodsim(t *testing.T) {
	w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond}, 5)
	tm := teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(120, 40))
	walkToPreview(t, tm)
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // preview -> room details
	waitScreen(t, tm, "enter: preview")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc}) // details -> room list
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	// the second room's stream ID is shown only on its details: a frame
	// diff may not redraw lines the first room's details had too
	waitScreen(t, tm, w.Demo.Medium)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen(t, tm, "s: start")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	if fm.preview.job == nil || fm.preview.job.Plan.Room.ID != w.Demo.Medium {
		t.Fatalf("the preview is not of the second room: %+v", fm.preview.job)
	}
	golden.RequireEqual(t, []byte(w.sanitize(fm)))
}

func containsAll(ids []int64, users []podsim.User) bool {
	set := map[int64]bool{}
	for _, id := range ids {
		set[id] = true
	}
	for _, u := range users {
		if !set[u.ID] {
			return false
		}
	}
	return true
}

func TestFlowFlagsSkipToThePreviewAndRemoveAgainstPodsim(t *testing.T) {
	w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond}, 6)
	// first add six users, then remove them with every step answered by flags
	opts := w.options()
	opts.ConfigPath, opts.CSVPath, opts.Stream = w.YAMLConfigPath(), w.csv, w.Demo.Small
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
	waitScreen(t, tm, "Add 6 users", "s: start")
	start(tm)
	waitScreen(t, tm, "The run finished")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))

	opts.Mode = bulk.ModeRemove
	tm = teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
	waitScreen(t, tm, "Remove 6 users", "s: start")
	start(tm)
	waitScreen(t, tm, "The run finished")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	if s := fm.summary.sum; s == nil || s.Totals.Removed != 6 {
		t.Fatalf("remove run: %+v", s)
	}
	left := w.MemberSet(t, w.Demo.Small)
	for _, u := range w.Demo.Candidates[:6] {
		if left[u.ID] {
			t.Fatalf("user %d is still in the room", u.ID)
		}
	}
}

// TestFlowRoomNamedLikeAStreamIDAgainstPodsim: --stream with a room's name
// that has the shape of a stream ID reaches that room's preview: the pod
// knows no room by that ID, so the wizard tries it as a name, as the
// headless run does (bulk.ResolveRoom).
func TestFlowRoomNamedLikeAStreamIDAgainstPodsim(t *testing.T) {
	w := startPod(t, podsim.Options{}, 2)
	const name = "TradingDeskEuropeRates1"
	id := w.AddRoom(podsim.Room{Name: name, Active: true, Members: []podsim.Member{{UserID: w.BotID, Owner: true}}})
	opts := w.options()
	opts.ConfigPath, opts.CSVPath, opts.Stream = w.ConfigPath(), w.csv, name
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
	waitScreen(t, tm, name, "Add 2 users", "s: start")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	if fm.made.room == nil || fm.made.room.Room.ID != id {
		t.Fatalf("the wizard chose %+v; want the room %s", fm.made.room, id)
	}
}
