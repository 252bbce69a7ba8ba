package ui

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
)

// signalAbortMsg is a SIGTERM, SIGINT or hangup from outside that came during a run.
type signalAbortMsg struct{}

// signalFilter keeps a signal from cutting a run short. The program's
// signal handler (signalHandler, in place of Bubble Tea's own) turns
// SIGTERM (kill, a closing session) and SIGHUP (a dropped SSH session, a
// closed terminal window) into QuitMsg and SIGINT into InterruptMsg, and
// either ends the program at once: during a run that would leave the run
// going while the process exits, with no report written. Instead the run is
// aborted as `x` aborts it, and the program quits once the summary is in.
// Outside a run the program quits. A second SIGINT or SIGTERM ends the
// process at once (the journal is on disk up to the last finished user).
func signalFilter(tm tea.Model, msg tea.Msg) tea.Msg {
	m, ok := tm.(*Model)
	if !ok {
		return msg
	}
	switch msg.(type) {
	case tea.QuitMsg, tea.InterruptMsg:
		if m.running() && !m.quitting {
			return signalAbortMsg{}
		}
	}
	return msg
}

// abortOnSignal aborts the run and quits once its summary is in.
func (m *Model) abortOnSignal() tea.Cmd {
	m.quitAfterRun = true
	m.live().abortOnSignal("Signal received: aborting the run; the report is written, then roster exits.")
	return nil
}

// NotifySignals sends the signals that end a run, the wizard or headless, to ch: SIGINT, SIGTERM
// and SIGHUP. A hangup that is ignored (nohup) stays ignored: Notify would
// undo that. Windows has no hangup; SIGHUP is never sent there. The
// returned func stops the delivery (the signals' default actions return).
func NotifySignals(ch chan<- os.Signal) (stop func()) {
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	if !signal.Ignored(syscall.SIGHUP) {
		signal.Notify(ch, syscall.SIGHUP)
	}
	return func() { signal.Stop(ch) }
}

// signalMsg is what the first signal tells the program, as Bubble Tea's own
// handler would: SIGINT interrupts, SIGTERM and SIGHUP quit. signalFilter
// turns either into an abort during a run.
func signalMsg(sig os.Signal) tea.Msg {
	if sig == os.Interrupt {
		return tea.InterruptMsg{}
	}
	return tea.QuitMsg{}
}

// stopGrace is how long a second signal lets the program restore the
// terminal before the process exits regardless.
const stopGrace = time.Second

// signalHandler takes the wizard's signals for the life of the program and
// past it, while Run waits for a run the program left behind. The first
// signal goes to the program as a message (send), never waiting for it. A
// SIGINT or SIGTERM after it stops at once: the program is killed (kill: it
// restores the terminal), Run returns 3 without waiting for the run
// (stopNow), and should Run not get there within stopGrace, exit ends the
// process with 3.
//
// A hangup never stops at once: a dropped session delivers it more than
// once, a few milliseconds apart (the login shell passes its hangup on to
// the job, and the kernel hangs up the job again when that shell exits), and
// the second must not cut short the abort the first began.
type signalHandler struct {
	ch    <-chan os.Signal
	send  func(tea.Msg)
	kill  func()
	exit  func(code int)
	grace time.Duration

	stopNow chan struct{} // closed by a second signal that stops at once
	done    chan struct{} // closed by stop
	once    sync.Once

	mu       sync.Mutex
	first    os.Signal
	stopping os.Signal
	timer    *time.Timer
}

func newSignalHandler(ch <-chan os.Signal, send func(tea.Msg), kill func(), exit func(int)) *signalHandler {
	h := &signalHandler{ch: ch, send: send, kill: kill, exit: exit, grace: stopGrace,
		stopNow: make(chan struct{}), done: make(chan struct{})}
	go h.loop()
	return h
}

func (h *signalHandler) loop() {
	for {
		select {
		case <-h.done:
			return
		case sig := <-h.ch:
			h.mu.Lock()
			select {
			case <-h.done: // Run has returned: too late to stop anything
				h.mu.Unlock()
				return
			default:
			}
			switch {
			case h.first == nil:
				h.first = sig
				h.mu.Unlock()
				// Send waits for the program to take the message (or to
				// end): a second signal must not wait behind it.
				go h.send(signalMsg(sig))
				continue
			case sig == syscall.SIGHUP:
				h.mu.Unlock()
				continue // the same hangup again
			}
			h.stopping = sig
			h.timer = time.AfterFunc(h.grace, func() { h.exit(bulk.ExitAborted) })
			h.mu.Unlock()
			close(h.stopNow)
			h.kill()
			return
		}
	}
}

// signalled is the first signal received, nil when none came.
func (h *signalHandler) signalled() os.Signal {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.first
}

// stoppedAtOnce is the signal that stopped the wizard at once, nil when
// none did.
func (h *signalHandler) stoppedAtOnce() os.Signal {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stopping
}

// stop ends the handling; Run is returning, so the last-resort exit is
// called off.
func (h *signalHandler) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.once.Do(func() { close(h.done) })
	if h.timer != nil {
		h.timer.Stop()
	}
}
