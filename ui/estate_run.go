package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
)

// lanesScreen is the run screen of an estate run: the whole run's totals on
// top, then one line per room (progress, pace, members, ETA, state). enter
// opens the selected room's own run screen (its per-user table, fed by the
// room's events), esc goes back. p, r and x act on the whole run; P, R and
// X on the selected room. Like the single run screen, it ticks only while
// a time on screen moves.
type lanesScreen struct {
	sh      *shared
	estate  *bulk.Estate
	lanes   []*laneView
	control *bulk.EstateControl
	runLife

	confirmAbort bool // the whole run's abort question is up
	confirmLane  int  // the room whose abort question is up; -1 for none
	selected     int  // the room the cursor is on
	top          int  // the first room line shown
	open         bool // the selected room's own screen is shown
	note         string
	w, h         int
}

// laneView is one room of the run: the lane, and a run screen of its own
// that folds the room's events (its counts, pace, waits, ETA and table).
type laneView struct {
	lane *bulk.Lane
	run  *runScreen    // nil for a room that does not run
	sum  *bulk.Summary // the room's, from its last event
}

func newLanesScreen(sh *shared) *lanesScreen {
	return &lanesScreen{sh: sh, confirmLane: -1}
}

// enter starts the estate run the preview confirmed.
func (s *lanesScreen) enter(made) tea.Cmd { return s.start() }

func (s *lanesScreen) start() tea.Cmd {
	e := s.sh.estate
	s.estate = e
	s.starting = true
	s.control = bulk.NewEstateControl(len(e.Lanes))
	s.lanes = make([]*laneView, len(e.Lanes))
	for i, l := range e.Lanes {
		lv := &laneView{lane: l}
		if l.Runs() {
			// the room's screen reads its own job and plan
			sub := *s.sh
			sub.job, sub.plan, sub.announced = l.Job, l.Job.Plan, nil
			lv.run = newRunScreen(&sub)
			lv.run.control = s.control.Lane(i)
			lv.run.totals.Actions = len(l.Job.Plan.Actions)
			lv.run.totals.Members = l.Job.Plan.MembersBefore
			if r := l.Job.Decision.Resume; r != nil {
				lv.run.resumeFrom = r.Path
			}
		}
		s.lanes[i] = lv
	}
	s.layout()
	if s.sh.opts.OnRunStart != nil {
		s.sh.opts.OnRunStart()
	}
	return startEstateCmd(e, s.control)
}

// running is true from the start until the runner has returned and its
// events are all shown.
func (s *lanesScreen) running() bool { return s.starting && !(s.closed && s.returned) }

// runs are the rooms that run, for the keys that act on each.
func (s *lanesScreen) runs() []*laneView {
	var out []*laneView
	for _, lv := range s.lanes {
		if lv.run != nil {
			out = append(out, lv)
		}
	}
	return out
}

// live reports whether a room's run has not ended.
func (lv *laneView) live() bool { return lv.run != nil && lv.sum == nil }

// askAbort is ctrl+c during a run: ask first; a second ctrl+c confirms.
func (s *lanesScreen) askAbort() tea.Cmd {
	if s.confirmAbort {
		s.abortAll()
		return nil
	}
	if !s.aborting {
		s.askAll()
	}
	return s.ensureTick()
}

// askAll puts the whole run's abort question up and holds every room
// while it is.
func (s *lanesScreen) askAll() {
	s.goOnLane()
	s.confirmAbort = true
	s.control.Hold()
	for _, lv := range s.runs() {
		lv.run.confirmAbort, lv.run.question = true, ""
	}
}

func (s *lanesScreen) goOnAll() {
	s.confirmAbort = false
	s.control.Release()
	for _, lv := range s.runs() {
		lv.run.confirmAbort = false
	}
}

func (s *lanesScreen) abortAll() {
	s.confirmAbort = false
	s.aborting = true
	s.control.Abort()
	for _, lv := range s.runs() {
		lv.run.confirmAbort, lv.run.aborting = false, true
	}
}

// askLane puts a room's abort question up and holds that room only.
func (s *lanesScreen) askLane(i int) {
	lv := s.lanes[i]
	s.confirmLane = i
	s.control.Lane(i).Hold()
	lv.run.confirmAbort = true
	lv.run.question = fmt.Sprintf("Abort the room %q? It holds while you decide; the other rooms go on. y: abort · n: go on", lv.lane.Name())
}

func (s *lanesScreen) goOnLane() {
	if s.confirmLane < 0 {
		return
	}
	lv := s.lanes[s.confirmLane]
	s.control.Lane(s.confirmLane).Release()
	lv.run.confirmAbort, lv.run.question = false, ""
	s.confirmLane = -1
}

func (s *lanesScreen) abortLane() {
	i := s.confirmLane
	lv := s.lanes[i]
	s.control.Lane(i).Abort()
	lv.run.confirmAbort, lv.run.question, lv.run.aborting = false, "", true
	s.confirmLane = -1
}

// abortOnSignal aborts every room: a signal came during the run.
func (s *lanesScreen) abortOnSignal(note string) {
	s.abortAll()
	s.note = note
}

func (s *lanesScreen) setNote(note string) { s.note = note }

func (s *lanesScreen) update(msg tea.Msg) tea.Cmd { return s.runLife.update(s, s.sh, msg) }

func (s *lanesScreen) finishIfDone() tea.Cmd {
	if s.closed && s.returned {
		for _, lv := range s.runs() {
			lv.run.wait, lv.run.next, lv.run.inFlight = nil, nil, nil
			lv.run.closed, lv.run.returned = true, true
		}
		return s.sh.announce(runDoneMsg{summary: s.summary})
	}
	return nil
}

// apply gives a room's event to the room's screen; the estate's own last
// event carries the whole run's summary.
func (s *lanesScreen) apply(ev bulk.Event) {
	if ev.Lane == bulk.AllLanes {
		if ev.Kind == bulk.EventFinished && ev.Summary != nil {
			s.summary = ev.Summary
		}
		return
	}
	if ev.Lane < 0 || ev.Lane >= len(s.lanes) || s.lanes[ev.Lane].run == nil {
		return
	}
	lv := s.lanes[ev.Lane]
	r := lv.run
	if ev.Kind == bulk.EventStarted {
		r.starting, r.started = true, true
	}
	r.apply(ev)
	if ev.Kind == bulk.EventFinished {
		lv.sum = r.summary
		if lv.sum == nil {
			lv.sum = &bulk.Summary{Totals: r.totals}
		}
		r.closed, r.returned = true, true
		r.wantPause = false
	}
}

// Ticks: a room's times move as on the single run screen; the call in
// flight counts up only in the open room's table, so the lines of the
// other rooms need a tick a second at most.
func (s *lanesScreen) moving() time.Duration {
	if !s.running() {
		return 0
	}
	every := time.Duration(0)
	for i, lv := range s.lanes {
		if !lv.live() {
			continue
		}
		d := lv.run.moving()
		if d == inFlightTick && !(s.open && i == s.selected) {
			d = secondTick
		}
		if d > 0 && (every == 0 || d < every) {
			every = d
		}
	}
	return every
}

func (s *lanesScreen) ensureTick() tea.Cmd {
	every := s.moving()
	switch {
	case every == 0:
		s.ticking = false
		s.tickGen++
		return nil
	case s.ticking && every >= s.tickEvery:
		return nil
	}
	s.ticking, s.tickEvery = true, every
	s.tickGen++
	gen := s.tickGen
	return tea.Tick(every, func(time.Time) tea.Msg { return countdownTickMsg{gen: gen} })
}

// Whole-run and room controls, as the keys enable them.

func (s *lanesScreen) canPauseAll() bool {
	for _, lv := range s.runs() {
		if lv.live() && !lv.run.wantPause {
			return s.running()
		}
	}
	return false
}

func (s *lanesScreen) canResumeAll() bool {
	for _, lv := range s.runs() {
		if lv.live() && lv.run.wantPause {
			return true
		}
	}
	return false
}

// sel is the selected room's view.
func (s *lanesScreen) sel() *laneView {
	if s.selected < 0 || s.selected >= len(s.lanes) {
		return nil
	}
	return s.lanes[s.selected]
}

func (s *lanesScreen) canPauseRoom() bool {
	lv := s.sel()
	return lv != nil && lv.live() && !lv.run.wantPause && !s.aborting
}

func (s *lanesScreen) canResumeRoom() bool {
	lv := s.sel()
	return lv != nil && lv.live() && lv.run.wantPause
}

func (s *lanesScreen) canAbortRoom() bool {
	lv := s.sel()
	return lv != nil && lv.live() && !lv.run.aborting && !s.aborting
}

func (s *lanesScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.sh.keys
	if s.confirmAbort || s.confirmLane >= 0 {
		switch {
		case key.Matches(msg, k.Confirm) && s.confirmAbort:
			s.abortAll()
		case key.Matches(msg, k.Confirm):
			s.abortLane()
		case key.Matches(msg, k.Cancel) && s.confirmAbort:
			s.goOnAll()
		case key.Matches(msg, k.Cancel):
			s.goOnLane()
		}
		return nil
	}
	s.note = ""
	switch {
	case key.Matches(msg, k.Pause) && s.canPauseAll():
		s.control.Pause()
		for _, lv := range s.runs() {
			if lv.live() {
				lv.run.wantPause = true
			}
		}
	case key.Matches(msg, k.Resume) && s.canResumeAll():
		s.control.Resume()
		for _, lv := range s.runs() {
			lv.run.wantPause = false
		}
	case key.Matches(msg, k.Abort) && s.running() && !s.aborting:
		s.askAll()
	case key.Matches(msg, k.PauseRoom) && s.canPauseRoom():
		s.control.Lane(s.selected).Pause()
		s.sel().run.wantPause = true
	case key.Matches(msg, k.ResumeRoom) && s.canResumeRoom():
		s.control.Lane(s.selected).Resume()
		s.sel().run.wantPause = false
	case key.Matches(msg, k.AbortRoom) && s.canAbortRoom():
		s.askLane(s.selected)
	case s.open:
		s.roomKey(msg)
	case key.Matches(msg, k.Open) && s.sel() != nil && s.sel().run != nil:
		s.open = true
		s.layout()
	case key.Matches(msg, k.Up):
		s.move(-1)
	case key.Matches(msg, k.Down):
		s.move(1)
	case key.Matches(msg, k.PageUp):
		s.move(-max(s.roomRows()-1, 1))
	case key.Matches(msg, k.PageDown):
		s.move(max(s.roomRows()-1, 1))
	case key.Matches(msg, k.Home):
		s.move(-len(s.lanes))
	case key.Matches(msg, k.End):
		s.move(len(s.lanes))
	}
	return nil
}

// roomKey is a key while a room's own screen is open: esc goes back to
// every room, the others scroll its table.
func (s *lanesScreen) roomKey(msg tea.KeyMsg) {
	k := s.sh.keys
	t := &s.sel().run.table
	switch {
	case key.Matches(msg, k.Back):
		s.open = false
	case key.Matches(msg, k.Up):
		t.scroll(-1)
	case key.Matches(msg, k.Down):
		t.scroll(1)
	case key.Matches(msg, k.PageUp):
		t.scroll(-max(t.height-1, 1))
	case key.Matches(msg, k.PageDown):
		t.scroll(max(t.height-1, 1))
	case key.Matches(msg, k.Home):
		t.home()
	case key.Matches(msg, k.End):
		t.end()
	}
}

// move moves the cursor by delta rooms, keeping it on screen.
func (s *lanesScreen) move(delta int) {
	s.selected = max(0, min(s.selected+delta, len(s.lanes)-1))
	rows := s.roomRows()
	switch {
	case s.selected < s.top:
		s.top = s.selected
	case s.selected >= s.top+rows:
		s.top = s.selected - rows + 1
	}
}

func (s *lanesScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

// layout sizes every room's own screen to the room under the line that
// says which room it is.
func (s *lanesScreen) layout() {
	for _, lv := range s.runs() {
		lv.run.setSize(s.w, max(s.h-1, 3))
	}
	s.move(0)
}

func (s *lanesScreen) help() bindings {
	k := s.sh.keys
	if s.confirmAbort || s.confirmLane >= 0 {
		return oneLine(k.Confirm, k.Cancel)
	}
	pause, resume, abort := k.Pause, k.Resume, k.Abort
	// the whole run's keys are the plain ones; the ? panel says "all rooms"
	pause.SetHelp("p", "pause")
	resume.SetHelp("r", "resume")
	abort.SetHelp("x", "abort")
	run := s.running()
	whole := []key.Binding{enabled(pause, s.canPauseAll()), enabled(resume, s.canResumeAll()), enabled(abort, run && !s.aborting)}
	room := []key.Binding{enabled(k.PauseRoom, s.canPauseRoom()), enabled(k.ResumeRoom, s.canResumeRoom()), enabled(k.AbortRoom, s.canAbortRoom())}
	abortCC := k.ForceQuit
	abortCC.SetHelp("ctrl+c", "abort all rooms (asks)")
	pause.SetHelp("p", "pause all rooms")
	resume.SetHelp("r", "resume all rooms")
	abort.SetHelp("x", "abort all rooms (asks)")
	wholeFull := []key.Binding{enabled(pause, s.canPauseAll()), enabled(resume, s.canResumeAll()), enabled(abort, run && !s.aborting)}
	if s.open {
		back := k.Back
		back.SetHelp("esc", "all rooms")
		nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
		short := append(append([]key.Binding{back}, whole...), room...)
		return bindings{short: short, full: [][]key.Binding{wholeFull, room, append([]key.Binding{back}, nav...), {abortCC}}}
	}
	up, down := k.Up, k.Down
	up.SetHelp("↑/k", "room above")
	down.SetHelp("↓/j", "room below")
	open := enabled(k.Open, s.sel() != nil && s.sel().run != nil)
	short := append(append(append([]key.Binding{}, whole...), room...), open)
	return bindings{short: short, full: [][]key.Binding{wholeFull, room, {open, up, down, k.PageUp, k.PageDown}, {abortCC}}}
}

func (s *lanesScreen) typing() bool { return false }
