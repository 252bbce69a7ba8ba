package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
)

// runScreen shows a run live: counts, progress, pace, ETA, waits, throughput
// and a table of every user's outcome. It reads the runner's events one at a
// time and ticks only while a countdown is on screen.
type runScreen struct {
	sh      *shared
	table   runTable
	spark   sparkline
	barW    int
	control *bulk.Control
	events  <-chan bulk.Event

	starting, started bool
	closed, returned  bool
	paused, pausing   bool
	confirmAbort      bool
	aborting          bool
	totals            bulk.Totals
	interval          time.Duration
	wait              *bulk.Event // the wait on screen, if any
	tickGen           int
	ticking           bool
	stopReason        string
	summary           *bulk.Summary
	err               error
	note              string
	rate              bulk.Rate // the results so far, for the ETA
	resumedDone       int       // actions done before this run, when resuming
	resumeFrom        string    // the journal resumed, "" for a fresh run
	w, h              int
}

func newRunScreen(sh *shared) *runScreen {
	return &runScreen{sh: sh, table: newRunTable(), spark: newSparkline(time.Second, 16)}
}

// start prepares the runner (journal opened or resumed) off the update loop.
func (s *runScreen) start() tea.Cmd {
	s.starting = true
	if s.sh.job.Decision.Resume != nil {
		s.resumeFrom = s.sh.job.Decision.Resume.Path
	}
	s.control = bulk.NewControl()
	if s.sh.plan != nil {
		s.totals.Actions = len(s.sh.plan.Actions)
		s.totals.Members = s.sh.plan.MembersBefore
	}
	if s.sh.opts.OnRunStart != nil {
		s.sh.opts.OnRunStart()
	}
	return startRunCmd(s.sh.job, s.control)
}

// running is true from the start until the runner has returned and its
// events are all shown.
func (s *runScreen) running() bool { return s.starting && !(s.closed && s.returned) }

// askAbort is ctrl+c during a run: ask first; a second ctrl+c confirms.
func (s *runScreen) askAbort() tea.Cmd {
	if s.confirmAbort {
		s.abort()
		return nil
	}
	if !s.aborting {
		s.confirmAbort = true
	}
	return nil
}

func (s *runScreen) abort() {
	s.confirmAbort = false
	s.aborting = true
	if s.control != nil {
		s.control.Abort()
	}
}

func (s *runScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case runStartedMsg:
		s.started = true
		s.events = msg.events
		if s.aborting { // aborted while the runner was being prepared
			s.control.Abort()
		}
		return tea.Batch(runCmd(s.sh.ctx, msg.runner), waitEventCmd(s.events))
	case runFailedMsg:
		s.err = msg.err
		s.closed, s.returned = true, true
		return s.sh.announce(runDoneMsg{})
	case runEventMsg:
		cmd := s.apply(msg.ev)
		return tea.Batch(cmd, waitEventCmd(s.events))
	case runClosedMsg:
		s.closed = true
		return s.finishIfDone()
	case runReturnedMsg:
		s.returned = true
		if msg.summary != nil && s.summary == nil {
			s.summary = msg.summary
		}
		s.err = msg.err
		if !s.closed {
			// The runner closes its channel when it returns; should it not,
			// the summary still comes.
			return tea.Tick(drainTimeout, func(time.Time) tea.Msg { return runDrainedMsg{} })
		}
		return s.finishIfDone()
	case runDrainedMsg:
		if !s.closed {
			s.closed = true
			return s.finishIfDone()
		}
		return nil
	case countdownTickMsg:
		if msg.gen != s.tickGen || s.wait == nil || !s.wait.Until.After(s.sh.now()) {
			s.ticking = false
			return nil
		}
		return countdownTick(s.tickGen)
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

func (s *runScreen) finishIfDone() tea.Cmd {
	if s.closed && s.returned {
		s.wait = nil
		return s.sh.announce(runDoneMsg{summary: s.summary})
	}
	return nil
}

// apply folds one event into the screen.
func (s *runScreen) apply(ev bulk.Event) tea.Cmd {
	if ev.Totals.Actions > 0 || ev.Kind == bulk.EventStarted {
		s.totals = ev.Totals
	}
	if ev.Interval > 0 || ev.Kind == bulk.EventStarted || ev.Kind == bulk.EventPaceWait {
		s.interval = ev.Interval
	}
	switch ev.Kind {
	case bulk.EventStarted:
		s.resumedDone = ev.Totals.Done
	case bulk.EventPaceWait:
		s.wait = nil // the pace is shown on its own line; no countdown for it
	case bulk.EventRetryWait, bulk.EventWindowWait:
		e := ev
		s.wait = &e
		if !s.ticking && e.Until.After(s.sh.now()) {
			s.ticking = true
			s.tickGen++
			return countdownTick(s.tickGen)
		}
	case bulk.EventResult:
		s.wait = nil
		if ev.Result != nil {
			s.table.add(rowOf(ev.Result))
			t := ev.Result.Time
			if t.IsZero() {
				t = s.sh.now()
			}
			s.rate.Result(t)
			s.spark.add(t)
		}
	case bulk.EventPaused:
		s.paused, s.pausing = true, false
		s.wait = nil
	case bulk.EventResumed:
		s.paused = false
	case bulk.EventStopping:
		s.stopReason = ev.Message
	case bulk.EventFinished:
		s.wait = nil
		if ev.Summary != nil {
			s.summary = ev.Summary
		}
	}
	return nil
}

func (s *runScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.sh.keys
	if s.confirmAbort {
		switch {
		case key.Matches(msg, k.Confirm):
			s.abort()
		case key.Matches(msg, k.Cancel):
			s.confirmAbort = false
		}
		return nil
	}
	s.note = ""
	switch {
	case key.Matches(msg, k.Pause) && s.running() && !s.paused && s.control != nil:
		s.control.Pause()
		s.pausing = true
	case key.Matches(msg, k.Resume) && (s.paused || s.pausing) && s.control != nil:
		s.control.Resume()
		s.pausing = false
	case key.Matches(msg, k.Abort) && s.running() && !s.aborting:
		s.confirmAbort = true
	case key.Matches(msg, k.Up):
		s.table.scroll(-1)
	case key.Matches(msg, k.Down):
		s.table.scroll(1)
	case key.Matches(msg, k.PageUp):
		s.table.scroll(-max(s.table.height-1, 1))
	case key.Matches(msg, k.PageDown):
		s.table.scroll(max(s.table.height-1, 1))
	case key.Matches(msg, k.Home):
		s.table.home()
	case key.Matches(msg, k.End):
		s.table.end()
	}
	return nil
}

// drainTimeout bounds the wait for the event channel to close after the runner returned.
const drainTimeout = 2 * time.Second

// runHeaderLines is how many lines the screen shows above the table's rows
// (five status lines, a blank, the column names); one more is kept below
// for the scroll position.
const runHeaderLines = 7

func (s *runScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.table.width = w
	s.table.height = max(h-runHeaderLines-1, 1)
	s.barW = max(w-24, 10)
}

func (s *runScreen) help() bindings {
	k := s.sh.keys
	if s.confirmAbort {
		short := []key.Binding{k.Confirm, k.Cancel}
		return oneLine(short...)
	}
	run := s.running()
	ctl := []key.Binding{
		enabled(k.Pause, run && !s.paused && !s.pausing),
		enabled(k.Resume, run && (s.paused || s.pausing)),
		enabled(k.Abort, run && !s.aborting),
	}
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
	abortCC := k.ForceQuit
	abortCC.SetHelp("ctrl+c", "abort (asks)")
	return bindings{short: append(ctl, k.End), full: [][]key.Binding{ctl, nav, {abortCC}}}
}

func (s *runScreen) typing() bool { return false }
