package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"roster/csvsource"
	"roster/symphony/bulk"
)

// Messages that commands send back: the results of work done off the update loop.

type configLoadedMsg struct {
	path    string
	session *Session
}

type configFailedMsg struct {
	path string
	err  error
}

type csvLoadedMsg struct {
	path string
	list *csvsource.List
}

type csvFailedMsg struct {
	path string
	err  error
}

type roomsFoundMsg struct {
	query string
	rooms []RoomChoice
	total int
	err   error
}

type roomLoadedMsg struct {
	room *RoomChoice
	err  error
}

type planBuiltMsg struct {
	job *bulk.Job
	err error
}

// estatePlannedMsg is an estate run planned: every room read and planned,
// and the whole run decided.
type estatePlannedMsg struct {
	estate *bulk.Estate
	err    error
}

// runnable is what the run screen needs of a runner (a *bulk.Runner).
type runnable interface {
	Run(ctx context.Context) (*bulk.Summary, error)
}

// aborter is what stops a run from outside the screen: a run's
// *bulk.Control, or an estate run's *bulk.EstateControl.
type aborter interface{ Abort() }

type runStartedMsg struct {
	runner  runnable
	control aborter
	events  <-chan bulk.Event
}

type runFailedMsg struct{ err error }

type runEventMsg struct{ ev bulk.Event }

type runClosedMsg struct{}

type runDrainedMsg struct{}

type runReturnedMsg struct {
	summary *bulk.Summary
	err     error
}

// countdownTickMsg drives a visible countdown; gen drops ticks of an old countdown.
type countdownTickMsg struct{ gen int }

// Step completion messages: a screen announces it is done with what it
// produced; the root keeps it (made) and moves on.

type configDoneMsg struct{ session *Session }
type csvDoneMsg struct{ list *csvsource.List }
type roomDoneMsg struct{ room *RoomChoice }
type startRunMsg struct {
	job    *bulk.Job
	estate *bulk.Estate // an estate run: job is nil
}
type runDoneMsg struct{ summary *bulk.Summary }
type backMsg struct{}

// announce is how a screen says it is done: the root handles the message
// right after the screen's update, before the next key, so that keys typed
// ahead never reach a screen that is already left behind.
func (sh *shared) announce(m tea.Msg) tea.Cmd {
	sh.announced = append(sh.announced, m)
	return nil
}
