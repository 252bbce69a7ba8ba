package ui

import (
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"roster/symphony/podsim"
)

// signalled runs the wizard behind the program's signal filter, as Run
// installs it: teatest starts its program without signals or filter, so a
// sigMsg sent by the test stands for the QuitMsg or InterruptMsg that Bubble
// Tea makes of SIGTERM or SIGINT.
type signalled struct{ *Model }

type sigMsg struct{ msg tea.Msg }

func (s signalled) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if sm, ok := msg.(sigMsg); ok {
		msg = signalFilter(s.Model, sm.msg)
		switch msg.(type) {
		case tea.QuitMsg, tea.InterruptMsg:
			return s, tea.Quit // what the program loop does with them
		}
	}
	_, cmd := s.Model.Update(msg)
	return s, cmd
}

func TestSignalDuringRunAbortsAndWritesTheReport(t *testing.T) {
	for name, sig := range map[string]tea.Msg{"SIGTERM": tea.QuitMsg{}, "SIGINT": tea.InterruptMsg{}} {
		t.Run(name, func(t *testing.T) {
			w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 60 * time.Millisecond}, 60)
			tm := teatest.NewTestModel(t, signalled{New(w.options())}, teatest.WithInitialTermSize(80, 24))
			walkToPreview(t, tm)
			start(tm)
			waitScreen(t, tm, "Adding 60 users", "added 2")
			tm.Send(sigMsg{sig})
			// no key: the program quits by itself once the run is aborted
			fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(signalled).Model
			s := fm.summary.sum
			if s == nil || !s.Aborted || s.Totals.Done >= 60 {
				t.Fatalf("a signal during the run: summary %+v, want an aborted run's", s)
			}
			if _, err := os.Stat(s.ReportPath); err != nil {
				t.Fatalf("the report was not written: %v", err)
			}
			if fm.ExitCode() != 3 {
				t.Fatalf("exit code %d, want 3", fm.ExitCode())
			}
		})
	}
}

func TestSignalOutsideARunQuits(t *testing.T) {
	m := New(Options{})
	for _, sig := range []tea.Msg{tea.QuitMsg{}, tea.InterruptMsg{}} {
		if got := signalFilter(m, sig); got != sig {
			t.Errorf("before any run, %T became %T; want it passed on (quit)", sig, got)
		}
	}
}
