package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// PrepareTerminal settles colours before the program starts: NO_COLOR turns
// them off, and the background is queried now because adaptive colours would
// otherwise query the terminal while Bubble Tea owns it.
func PrepareTerminal() {
	if os.Getenv("NO_COLOR") != "" {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	lipgloss.SetHasDarkBackground(lipgloss.HasDarkBackground())
}

// runBound bounds how long Run waits for a run that the program left behind
// to write its report. Beyond it Run returns 3 anyway: the journal is on disk.
const runBound = 30 * time.Second

// Run opens the wizard on the terminal, and when it ends prints the summary
// on the normal screen (the alternate screen is cleared). It returns the CLI
// contract's exit code.
//
// SIGINT, SIGTERM and a hangup (SIGHUP, unless ignored as under nohup) are
// the wizard's for as long as Run runs: during a run the first aborts it as
// `x` does and the program quits once the report is written (exit 3);
// outside a run it quits as q does (before a run: 3, nothing was changed);
// a SIGINT or SIGTERM after it stops at once (exit 3). Run never returns
// while a run it started is still going: when the program ends first (after
// a hangup its terminal is gone, input fails and the program with it), the
// run is aborted and waited for, up to runBound.
func Run(opts Options, stdout io.Writer) (int, error) {
	PrepareTerminal()
	sigs := make(chan os.Signal, 4)
	stop := NotifySignals(sigs)
	defer stop()
	return runProgram(New(opts), stdout, programSetup{signals: sigs, exit: os.Exit, runBound: runBound})
}

// programSetup is what Run gives runProgram; tests give their own.
type programSetup struct {
	signals  <-chan os.Signal
	options  []tea.ProgramOption // after Run's own: a test's input and output
	exit     func(code int)      // the last resort after a second signal
	runBound time.Duration
}

// renderFPS is how often Bubble Tea's renderer wakes to draw what changed.
// Its ticker runs whether anything changed or not, so it sets what an idle
// wizard costs: at the default 60 a paused run woke the process about 90
// times a second (0.77% of a core measured in tmux, against 0.17% at 8).
// Eight frames a second still shows a key's echo within an eighth of a
// second and a call's time counting up.
const renderFPS = 8

func runProgram(m *Model, stdout io.Writer, set programSetup) (int, error) {
	w := &runWatch{}
	opts := append([]tea.ProgramOption{tea.WithAltScreen(), tea.WithFilter(w.filter), tea.WithoutSignalHandler(), tea.WithFPS(renderFPS)}, set.options...)
	p := tea.NewProgram(m, opts...)
	sig := newSignalHandler(set.signals, p.Send, p.Kill, set.exit)
	defer sig.stop()

	final, err := p.Run()
	fm, ok := final.(*Model)
	if !ok {
		fm = m
	}
	if s := sig.stoppedAtOnce(); s != nil {
		return bulk.ExitAborted, stoppedAtOnce(sig.signalled(), s, w.hasRunner())
	}
	// The program may have ended before the run did; the run then ends
	// here, aborted, before anything else.
	switch res := w.settle(fm.sh.ctx, set.runBound, sig.stopNow); res.how {
	case settleStopped:
		return bulk.ExitAborted, stoppedAtOnce(sig.signalled(), sig.stoppedAtOnce(), true)
	case settleTimedOut:
		return bulk.ExitAborted, fmt.Errorf("the aborted run did not end within %v of the wizard's end: stopping; the journal holds every finished user: run roster again with --resume to go on", set.runBound)
	case settleReturned:
		if fm.running() {
			// The summary the program did not see: the run screen ends
			// as it would have.
			fm.Update(runReturnedMsg{summary: res.sum, err: res.err})
			fm.Update(runClosedMsg{})
		}
	}

	fm.Close()
	if rep := fm.FinalReport(); rep != "" {
		fmt.Fprint(stdout, rep)
	}
	if errors.Is(err, tea.ErrInterrupted) && sig.signalled() == os.Interrupt {
		err = nil // the program's own SIGINT: a quit, as any signal's outside a run
	}
	// A signal outside a run quits as q does: before a run 3, nothing was
	// changed; at a preview that ends there (a dry run, nothing to do, a
	// refusal) the job's code; after a run the run's.
	code := fm.ExitCode()
	ran := fm.summary.sum != nil || fm.summary.err != nil
	if err != nil && !ran {
		code = bulk.ExitAborted // the terminal failed before a run: nothing was changed
	}
	if err != nil {
		return code, fmt.Errorf("terminal: %w", err)
	}
	return code, nil
}

// stoppedAtOnce says that a second signal ended the wizard.
func stoppedAtOnce(first, second os.Signal, running bool) error {
	return errors.New(words.StoppedAtOnce(first, second, running))
}

// Close releases the pod client's connections.
func (m *Model) Close() { m.made.session.Close() }

// runWatch follows the run's runner from outside the model, so that Run can
// finish a run that the program left behind: the filter wraps the runner
// when the model is given it, and the wrapper says when it returned.
type runWatch struct {
	mu      sync.Mutex
	runner  runnable
	control aborter
	claimed bool          // the runner's Run was called (by the program, or by settle)
	done    chan struct{} // closed when the runner returned
	sum     *bulk.Summary
	err     error
}

// filter is the program's filter: it watches the runner, then lets
// signalFilter turn signals during a run into an abort.
func (w *runWatch) filter(tm tea.Model, msg tea.Msg) tea.Msg {
	if rs, ok := msg.(runStartedMsg); ok && rs.runner != nil {
		rs.runner = w.watch(rs.runner, rs.control)
		msg = rs
	}
	return signalFilter(tm, msg)
}

func (w *runWatch) watch(r runnable, c aborter) runnable {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.runner, w.control, w.claimed, w.done = r, c, false, make(chan struct{})
	return watchedRunner{w: w}
}

func (w *runWatch) hasRunner() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.runner != nil
}

// claim lets one caller run the runner: the program's command, or settle
// once the program has ended without calling it.
func (w *runWatch) claim() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.claimed {
		return false
	}
	w.claimed = true
	return true
}

func (w *runWatch) run(ctx context.Context) (*bulk.Summary, error) {
	w.mu.Lock()
	r, done := w.runner, w.done
	w.mu.Unlock()
	sum, err := r.Run(ctx)
	w.mu.Lock()
	w.sum, w.err = sum, err
	w.mu.Unlock()
	close(done)
	return sum, err
}

// errRunTaken is what the program's run command gets when the program ended
// before it ran and settle ran the runner instead (nobody reads it).
var errRunTaken = errors.New("the run was finished after the wizard ended")

// watchedRunner is the runner as the program runs it.
type watchedRunner struct{ w *runWatch }

func (r watchedRunner) Run(ctx context.Context) (*bulk.Summary, error) {
	if !r.w.claim() {
		return nil, errRunTaken
	}
	return r.w.run(ctx)
}

type settleHow int

const (
	settleNoRun    settleHow = iota // no runner was made
	settleReturned                  // the runner returned (sum, err)
	settleTimedOut                  // it did not return within the bound
	settleStopped                   // a second signal came while waiting
)

type settled struct {
	how settleHow
	sum *bulk.Summary
	err error
}

// settle makes sure the run is over once the program has ended. A run
// still going is aborted (the call in flight is cancelled; the runner
// writes the journal's stop record and the report); one the program never
// started is run aborted, which writes them too. Then it waits for the
// runner to return, up to bound, or until stopNow is closed.
func (w *runWatch) settle(ctx context.Context, bound time.Duration, stopNow <-chan struct{}) settled {
	w.mu.Lock()
	control, done := w.control, w.done
	w.mu.Unlock()
	if done == nil {
		return settled{how: settleNoRun}
	}
	select {
	case <-done:
	default:
		if control != nil {
			control.Abort()
		}
		if w.claim() {
			go w.run(ctx)
		}
		t := time.NewTimer(bound)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			return settled{how: settleTimedOut}
		case <-stopNow:
			return settled{how: settleStopped}
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return settled{how: settleReturned, sum: w.sum, err: w.err}
}
