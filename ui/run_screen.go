package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
)

// runScreen shows a run live: counts, progress, pace, ETA, waits, throughput,
// the call in flight and a table of every user's outcome. It reads the
// runner's events one at a time and ticks only while a time on screen
// moves: a call in flight (tenths of a second), a countdown (seconds);
// paused or held, nothing moves and nothing wakes it.
type runScreen struct {
	sh      *shared
	table   runTable
	spark   sparkline
	barW    int
	control *bulk.Control
	runLife

	wantPause    bool // the operator paused (p) and has not resumed (r)
	holding      bool // the runner holds: paused, or held while the abort question is up
	confirmAbort bool
	question     string // the abort question when it is not the run's (a room of an estate run)
	totals       bulk.Totals
	interval     time.Duration
	wait         *bulk.Event // the retry or window wait on screen, if any
	next         *bulk.Event // the pace wait before the next change, if any
	inFlight     *bulk.Event // the call in flight (EventCalling), if any
	etaAt        time.Time   // when the run should end, at the rate seen so far
	stopReason   string
	note         string
	rate         bulk.Rate // the results so far, for the ETA
	resumedDone  int       // actions done before this run, when resuming
	resumeFrom   string    // the journal resumed, "" for a fresh run
	w, h         int
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
		s.ask()
	}
	return s.ensureTick()
}

// ask puts the abort question up and holds the run while it is: the call
// in flight finishes and is recorded, and no new change starts.
func (s *runScreen) ask() {
	s.confirmAbort = true
	if s.control != nil {
		s.control.Hold()
	}
}

// goOn takes the question down: the run goes on where it stopped, or stays
// paused if the operator had paused it.
func (s *runScreen) goOn() {
	s.confirmAbort = false
	if s.control != nil {
		s.control.Release()
	}
}

// abortOnSignal aborts the run: a signal came during it.
func (s *runScreen) abortOnSignal(note string) {
	s.abort()
	s.note = note
}

func (s *runScreen) setNote(note string) { s.note = note }

func (s *runScreen) abort() {
	s.confirmAbort = false
	s.aborting = true
	if s.control != nil {
		s.control.Abort()
	}
}

// paused is a pause in force: the runner holds, and not only for the
// abort question.
func (s *runScreen) paused() bool { return s.holding && (s.wantPause || !s.confirmAbort) }

// pausing is a pause asked for while the call in flight finishes.
func (s *runScreen) pausing() bool { return s.wantPause && !s.holding }

func (s *runScreen) update(msg tea.Msg) tea.Cmd { return s.runLife.update(s, s.sh, msg) }

// Cadences of the screen's ticks: what moves on screen sets how often it
// is redrawn between events.
const (
	inFlightTick = time.Second / renderFPS // a call's time counts up, at every frame
	secondTick   = time.Second             // countdowns show whole seconds
)

// moving is how often the screen must be redrawn for what it shows now;
// 0 when nothing on it moves (paused, held, finished, waiting for nothing).
func (s *runScreen) moving() time.Duration {
	if !s.running() {
		return 0
	}
	if s.inFlight != nil {
		return inFlightTick
	}
	now := s.sh.now()
	if s.holding {
		return 0
	}
	for _, w := range []*bulk.Event{s.wait, s.next} {
		if w != nil && w.Until.After(now) {
			return secondTick
		}
	}
	if !s.etaAt.IsZero() && s.etaAt.After(now) && s.totals.Done < s.totals.Actions {
		return secondTick
	}
	return 0
}

// ensureTick keeps one tick chain going at the cadence of what moves, and
// none when nothing does: a paused or held run does not wake the program.
func (s *runScreen) ensureTick() tea.Cmd {
	every := s.moving()
	switch {
	case every == 0:
		s.ticking = false
		s.tickGen++ // a pending tick ends its chain
		return nil
	case s.ticking && every >= s.tickEvery:
		return nil // the chain going is often enough
	}
	s.ticking, s.tickEvery = true, every
	s.tickGen++
	gen := s.tickGen
	return tea.Tick(every, func(time.Time) tea.Msg { return countdownTickMsg{gen: gen} })
}

func (s *runScreen) finishIfDone() tea.Cmd {
	if s.closed && s.returned {
		s.wait, s.next, s.inFlight = nil, nil, nil
		return s.sh.announce(runDoneMsg{summary: s.summary})
	}
	return nil
}

// apply folds one event into the screen.
func (s *runScreen) apply(ev bulk.Event) {
	if ev.Totals.Actions > 0 || ev.Kind == bulk.EventStarted {
		s.totals = ev.Totals
	}
	if ev.Interval > 0 || ev.Kind == bulk.EventStarted || ev.Kind == bulk.EventPaceWait {
		s.interval = ev.Interval
	}
	switch ev.Kind {
	case bulk.EventStarted:
		s.resumedDone = ev.Totals.Done
		s.estimate(eventTime(ev, s.sh.now()))
	case bulk.EventCalling:
		e := ev
		s.inFlight, s.next, s.wait = &e, nil, nil
	case bulk.EventPaceWait:
		e := ev
		s.next, s.inFlight = &e, nil
	case bulk.EventRetryWait, bulk.EventSettleWait, bulk.EventWindowWait:
		e := ev
		s.wait, s.inFlight, s.next = &e, nil, nil
	case bulk.EventResult:
		s.wait, s.inFlight = nil, nil
		if ev.Result != nil {
			s.table.add(rowOf(ev.Result))
			t := ev.Result.Time
			if t.IsZero() {
				t = s.sh.now()
			}
			s.rate.Result(t)
			s.spark.add(t)
		}
		s.estimate(eventTime(ev, s.sh.now()))
	case bulk.EventPaused:
		s.holding = true
		s.wait, s.next, s.inFlight = nil, nil, nil
	case bulk.EventResumed:
		s.holding = false
		s.estimate(eventTime(ev, s.sh.now()))
	case bulk.EventStopping:
		s.stopReason = ev.Message
	case bulk.EventFinished:
		s.wait, s.next, s.inFlight = nil, nil, nil
		if ev.Summary != nil {
			s.summary = ev.Summary
		}
	}
}

// eventTime is when the runner sent an event, or now when it says not.
func eventTime(ev bulk.Event, now time.Time) time.Time {
	if ev.Time.IsZero() {
		return now
	}
	return ev.Time
}

// estimate sets when the run should end, from t: the actions left at the rate seen so far, never faster than the
// pace. Between results the ETA on screen counts down to it.
func (s *runScreen) estimate(t time.Time) {
	s.etaAt = time.Time{}
	if d := s.rate.Left(s.totals.Actions-s.totals.Done, s.interval); d > 0 {
		s.etaAt = t.Add(d)
	}
}

func (s *runScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.sh.keys
	if s.confirmAbort {
		switch {
		case key.Matches(msg, k.Confirm):
			s.abort()
		case key.Matches(msg, k.Cancel):
			s.goOn()
		}
		return nil
	}
	s.note = ""
	switch {
	case key.Matches(msg, k.Pause) && s.running() && !s.wantPause && !s.paused() && s.control != nil:
		s.control.Pause()
		s.wantPause = true
	case key.Matches(msg, k.Resume) && (s.wantPause || s.paused()) && s.control != nil:
		s.control.Resume()
		s.wantPause = false
	case key.Matches(msg, k.Abort) && s.running() && !s.aborting:
		s.ask()
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
		enabled(k.Pause, run && !s.wantPause && !s.paused()),
		enabled(k.Resume, run && (s.wantPause || s.paused())),
		enabled(k.Abort, run && !s.aborting),
	}
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
	abortCC := k.ForceQuit
	abortCC.SetHelp("ctrl+c", "abort (asks)")
	return bindings{short: append(ctl, k.End), full: [][]key.Binding{ctl, nav, {abortCC}}}
}

func (s *runScreen) typing() bool { return false }
