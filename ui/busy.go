package ui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony"
	"roster/ui/words"
)

// busy is a screen's slow work (load a config, read a list, read a room,
// build a plan) behind a spinner: esc cancels it, other keys wait, and an
// answer that comes after a cancel, or after newer work was asked, is
// dropped. Every step uses this one type.
type busy struct {
	spin spinner.Model
	what string               // what is being done, as the screen says it; "" when idle
	gen  int                  // of the work in flight: its answer carries it
	stop context.CancelFunc   // cancels the work's context; nil when idle
	wait *symphony.WaitNotice // the pod's client is waiting to retry: counted down under what
}

// busyWaitMsg is a wait the work's client started (a retry), for the view
// to count down.
type busyWaitMsg struct {
	owner   *busy
	gen     int
	notice  symphony.WaitNotice
	notices <-chan symphony.WaitNotice
}

// busyDoneMsg is the answer of a piece of work, tagged with the busy that
// asked and its generation.
type busyDoneMsg struct {
	owner *busy
	gen   int
	msg   tea.Msg
}

// busyCancelledMsg is what update answers when esc cancelled the work.
type busyCancelledMsg struct{}

func newBusy() busy { return busy{spin: spinner.New(spinner.WithSpinner(spinner.Dot))} }

// start runs work off the update loop behind the spinner; what the work
// returns comes back from update once, unless cancelled or overtaken.
func (b *busy) start(what string, work tea.Cmd) tea.Cmd {
	return b.startWith(context.Background(), what, func(context.Context) tea.Cmd { return work })
}

// startWith is start for work that calls the pod: its context is
// cancelled with the work (esc), and the waits its client makes before a
// retry are shown, counted down, under what is being done.
func (b *busy) startWith(parent context.Context, what string, work func(context.Context) tea.Cmd) tea.Cmd {
	b.cancel()
	b.what = what
	b.gen++
	owner, gen := b, b.gen
	ctx, stop := context.WithCancel(parent)
	b.stop = stop
	notices := make(chan symphony.WaitNotice, 8)
	ctx = symphony.WithWaitNotice(ctx, func(n symphony.WaitNotice) {
		select {
		case notices <- n:
		default: // the view shows the latest; one dropped under a burst is overtaken anyway
		}
	})
	cmd := work(ctx)
	return tea.Batch(b.spin.Tick, listenWaits(owner, gen, notices), func() tea.Msg {
		msg := cmd()
		close(notices) // the client calls the notice within the work: none comes after
		return busyDoneMsg{owner: owner, gen: gen, msg: msg}
	})
}

// listenWaits takes the next wait the work's client announces.
func listenWaits(owner *busy, gen int, notices <-chan symphony.WaitNotice) tea.Cmd {
	return func() tea.Msg {
		n, ok := <-notices
		if !ok {
			return nil
		}
		return busyWaitMsg{owner: owner, gen: gen, notice: n, notices: notices}
	}
}

// active is true while work is on its way.
func (b *busy) active() bool { return b.what != "" }

// cancel drops the work in flight: its answer will not be taken.
func (b *busy) cancel() {
	if b.stop != nil {
		b.stop() // a wait in the client ends at once
		b.stop = nil
	}
	b.wait = nil
	if b.active() {
		b.what = ""
		b.gen++
	}
}

// update takes what concerns the work: its answer (returned), a late answer
// (dropped), the spinner's ticks, and the keys while busy (esc cancels and
// returns busyCancelledMsg; the others wait). handled is false for anything
// else, which the screen handles itself.
func (b *busy) update(msg tea.Msg, k KeyMap) (answer tea.Msg, handled bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case busyDoneMsg:
		if msg.owner != b || msg.gen != b.gen || !b.active() {
			return nil, true, nil // left behind: dropped
		}
		b.what, b.wait = "", nil
		if b.stop != nil {
			b.stop()
			b.stop = nil
		}
		return msg.msg, true, nil
	case busyWaitMsg:
		if msg.owner != b || msg.gen != b.gen || !b.active() {
			return nil, true, nil
		}
		n := msg.notice
		b.wait = &n
		return nil, true, listenWaits(msg.owner, msg.gen, msg.notices)
	case spinner.TickMsg:
		if msg.ID != b.spin.ID() {
			return nil, false, nil
		}
		if !b.active() {
			return nil, true, nil // the spinner stops with the work
		}
		b.spin, cmd = b.spin.Update(msg)
		return nil, true, cmd
	case tea.KeyMsg:
		if !b.active() {
			return nil, false, nil
		}
		if key.Matches(msg, k.Back) {
			b.cancel()
			return busyCancelledMsg{}, true, nil
		}
		return nil, true, nil // keys typed ahead wait for the answer
	}
	return nil, false, nil
}

// view is the spinner and what is being done, with the wait before a
// retry counted down while there is one.
func (b *busy) view() string {
	v := b.spin.View() + " " + b.what
	if w := b.wait; w != nil {
		if left := time.Until(w.Until); left > 0 {
			v += "\n  " + words.RetryWait(left, words.Until(time.Time{}, w.Until), w.Attempt, words.WaitReason(w.Op, w.Err))
		}
	}
	return v
}

// help is the keys while busy: esc cancels.
func (b *busy) help(k KeyMap) bindings { return k.cancelHelp() }
