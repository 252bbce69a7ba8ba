package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
)

// runLife is what a run screen's life is, the same for one room
// (runScreen) and for many (lanesScreen): the runner prepared off the
// update loop, then its events read one at a time, the runner returned and
// its channel closed (or given up on after drainTimeout), and the ticks of
// the chain still current.
type runLife struct {
	events            <-chan bulk.Event
	starting, started bool
	closed, returned  bool
	aborting          bool
	summary           *bulk.Summary
	err               error
	tickGen           int           // drops the ticks of an earlier chain
	ticking           bool          // a tick chain is going
	tickEvery         time.Duration // the going chain's cadence
}

// liveScreen is what runLife asks of the screen it drives.
type liveScreen interface {
	apply(bulk.Event)      // one event folded in
	ensureTick() tea.Cmd   // a tick chain when a time on screen moves
	finishIfDone() tea.Cmd // the summary, once the run returned and its events are shown
	key(tea.KeyMsg) tea.Cmd
}

// update takes a message of the run's life for the screen s.
func (l *runLife) update(s liveScreen, sh *shared, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case runStartedMsg:
		l.started = true
		l.events = msg.events
		if l.aborting { // aborted while the runner was being prepared
			msg.control.Abort()
		}
		return tea.Batch(runCmd(sh.ctx, msg.runner), waitEventCmd(l.events))
	case runFailedMsg:
		l.err = msg.err
		l.closed, l.returned = true, true
		return sh.announce(runDoneMsg{})
	case runEventMsg:
		s.apply(msg.ev)
		return tea.Batch(s.ensureTick(), waitEventCmd(l.events))
	case runClosedMsg:
		l.closed = true
		return s.finishIfDone()
	case runReturnedMsg:
		l.returned = true
		if msg.summary != nil && l.summary == nil {
			l.summary = msg.summary
		}
		l.err = msg.err
		if !l.closed {
			// The runner closes its channel when it returns; should it not,
			// the summary still comes.
			return tea.Tick(drainTimeout, func(time.Time) tea.Msg { return runDrainedMsg{} })
		}
		return s.finishIfDone()
	case runDrainedMsg:
		if !l.closed {
			l.closed = true
			return s.finishIfDone()
		}
		return nil
	case countdownTickMsg:
		if msg.gen != l.tickGen {
			return nil // a chain left behind
		}
		l.ticking = false
		return s.ensureTick()
	case tea.KeyMsg:
		return tea.Batch(s.key(msg), s.ensureTick())
	}
	return nil
}
