package bulk

import (
	"context"
	"sync"
)

// Control pauses, resumes and aborts a run from another goroutine.
//
// Pause lets the call in flight finish and then holds the run before the
// next call (a wait for the pace, a retry or the window is cut short).
// Abort cancels the call in flight through its context: the user it was
// for is left pending and is checked against the member list on resume.
//
// Hold is a pause of its own, for while the operator is asked whether to
// abort: it holds the run as Pause does, and Release lets it go on unless
// a pause was asked for too (a run paused before the question stays
// paused after it).
type Control struct {
	mu      sync.Mutex
	paused  bool
	held    bool
	changed chan struct{} // closed and replaced on every change: a broadcast
	abort   context.Context
	cancel  context.CancelFunc
}

// NewControl returns a control for one run.
func NewControl() *Control {
	ctx, cancel := context.WithCancel(context.Background())
	return &Control{changed: make(chan struct{}), abort: ctx, cancel: cancel}
}

// Pause asks the run to hold after the call in flight.
func (c *Control) Pause() { c.set(true) }

// Resume lets a paused run go on.
func (c *Control) Resume() { c.set(false) }

// Hold holds the run after the call in flight, as Pause does, until Release.
func (c *Control) Hold() { c.setHeld(true) }

// Release ends a Hold; a run that is also paused stays paused.
func (c *Control) Release() { c.setHeld(false) }

// Held reports whether a Hold is in force.
func (c *Control) Held() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.held
}

// Abort stops the run: the call in flight is cancelled, the report written.
func (c *Control) Abort() {
	c.cancel()
	c.mu.Lock()
	c.broadcast()
	c.mu.Unlock()
}

// Paused reports whether a pause is asked for.
func (c *Control) Paused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused
}

// Aborted reports whether Abort was called.
func (c *Control) Aborted() bool { return c.abort.Err() != nil }

func (c *Control) set(paused bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paused != paused {
		c.paused = paused
		c.broadcast()
	}
}

func (c *Control) setHeld(held bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held != held {
		wasHolding := c.paused || c.held
		c.held = held
		if wasHolding != (c.paused || c.held) {
			c.broadcast()
		}
	}
}

func (c *Control) broadcast() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// state returns whether the run must hold (a pause or a hold is asked for)
// and a channel closed at the next change.
func (c *Control) state() (bool, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused || c.held, c.changed
}
