package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// busy is a screen's slow work (load a config, read a list, read a room,
// build a plan) behind a spinner: esc cancels it, other keys wait, and an
// answer that comes after a cancel, or after newer work was asked, is
// dropped. Every step uses this one type.
type busy struct {
	spin spinner.Model
	what string // what is being done, as the screen says it; "" when idle
	gen  int    // of the work in flight: its answer carries it
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
	b.what = what
	b.gen++
	owner, gen := b, b.gen
	return tea.Batch(b.spin.Tick, func() tea.Msg { return busyDoneMsg{owner: owner, gen: gen, msg: work()} })
}

// active is true while work is on its way.
func (b *busy) active() bool { return b.what != "" }

// cancel drops the work in flight: its answer will not be taken.
func (b *busy) cancel() {
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
		b.what = ""
		return msg.msg, true, nil
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

// view is the spinner and what is being done.
func (b *busy) view() string { return b.spin.View() + " " + b.what }

// help is the keys while busy: esc cancels.
func (b *busy) help(k KeyMap) bindings { return k.cancelHelp() }
