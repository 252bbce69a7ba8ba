package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/bulk"
	"roster/ui"
	"roster/ui/words"
)

// cmdRun parses the run flags, then opens the wizard (terminal) or runs headless.
func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, err := parseRunFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "roster: %v\n%s\n", err, runHint)
		return exitInput
	}
	if !f.NoTUI && isTerminal(stdin) && isTerminal(stdout) {
		return runTUI(f, stdout, stderr)
	}
	return runHeadless(f, stdout, stderr)
}

// isTerminal reports whether v is an *os.File open on a terminal. A
// character device is not enough: /dev/null is one, and cron jobs read it.
func isTerminal(v any) bool {
	file, ok := v.(*os.File)
	if !ok || file == nil {
		return false
	}
	return isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd())
}

// request is the run the flags ask for, as the job takes it: one room, or
// several (bulk.PrepareAny decides which).
func (f runFlags) request() bulk.EstateRequest {
	req := bulk.Request{ConfigPath: f.Config, Auth: symphony.AuthMethod(f.Auth), CSVPath: f.CSV, Column: f.Column,
		Stream: f.Stream, Interval: f.Interval, Window: f.Window, OutDir: f.Out, DryRun: f.DryRun, Resume: f.Resume.choice(),
		Limits: bulk.Limits{MaxWait: f.MaxWait, MaxOutage: f.MaxOutage}, AllowRemovingLastOwner: f.AllowRemovingLastOwner}
	if f.Remove {
		req.Mode = bulk.ModeRemove
	}
	er := bulk.EstateRequest{Request: req, RoomColumn: f.RoomColumn, Lanes: f.Lanes, SkipBlocked: f.SkipBlocked}
	if f.Rooms != nil {
		er.Rooms = *f.Rooms
	}
	return er
}

// runHeadless prints the plan and the job's decision, changes nothing
// without --yes, then runs the plan printing one line per outcome. It
// handles SIGINT, SIGTERM and SIGHUP itself: the first aborts cleanly
// (report written, exit 3), a second stops at once. Every decision is the
// job's; this only presents it.
func runHeadless(f runFlags, stdout, stderr io.Writer) int {
	missing := missingRunFlags(f)
	// A list with a room column names each row's room: without --stream,
	// the list is read to see (bulk.PrepareAny), and a list without one
	// gets the same words as a missing flag.
	noStream := len(missing) == 1 && missing[0] == "--stream"
	if len(missing) > 0 && !noStream {
		return missingFlags(stderr, missing)
	}
	sig := newSignalAbort(stderr)
	defer sig.stop()
	// When the reader of stdout goes away (`roster ... | tee log`, then
	// Ctrl-C), a write must fail quietly, not kill the process on SIGPIPE
	// before the abort has written the report.
	signal.Ignore(syscall.SIGPIPE)

	req := f.request()
	opened := false
	job, estate, err := bulk.PrepareAny(planningWaits(sig.ctx, stdout), req, func(s *bulk.Session, list *csvsource.List) {
		opened = true
		for _, w := range s.Config.Warnings {
			fmt.Fprintf(stderr, "roster: warning: %s\n", w)
		}
		// Which pod, as whom: a run meant for a test pod must not reach production unseen.
		fmt.Fprintf(stdout, "Pod       %s as %s (%s authentication, from %s)\n",
			s.Config.Pod.BaseURL(), s.Config.BotUsername, s.Method, f.Config)
		room := "the room"
		if bulk.ManyRooms(req.Rooms, list) {
			room = words.Counted(max(len(req.Rooms), len(list.Rooms)), "room", "rooms")
		}
		fmt.Fprintf(stdout, "Planning  reading %s and looking up %s...\n", room, words.Counted(len(list.Entries), "user", "users"))
	})
	if err != nil {
		if sig.ctx.Err() != nil {
			return failf(stderr, bulk.ExitAborted, "aborted while planning; nothing was changed")
		}
		if ie, ok := errors.AsType[*bulk.InputError](err); ok && noStream && !opened && ie.Input == bulk.InputRoom {
			return missingFlags(stderr, missing) // the list names no room
		}
		return failf(stderr, bulk.PlanExitCode(err), "%s", inputError(f, err))
	}
	if estate != nil {
		return runEstate(f, estate, sig, stdout, stderr)
	}
	defer job.Session.Close()
	d := job.Decision
	printPlan(stdout, job)
	if note := words.Notice(d); note != "" {
		fmt.Fprintf(stdout, "\n%s\n", note)
	}
	switch {
	case d.Verdict == bulk.NothingToDo:
		fmt.Fprintf(stdout, "\n%s\n", words.NothingToDo(d, job.Plan.Mode))
		return d.ExitCode()
	case !d.Startable():
		// The same words and code with or without --dry-run, so that a
		// script checking the plan first does not go on to a refusal.
		return failf(stderr, d.ExitCode(), "%s", words.Refusal(d, words.Headless))
	case f.DryRun:
		fmt.Fprintf(stdout, "\n%s\n", words.DryRun)
		return d.ExitCode()
	case !f.Yes:
		what := "make this change"
		switch n := job.ToGo(); {
		case n == 0: // a resume that only settles what the journal left unconfirmed
			what = "settle the journal's unconfirmed users from the member list"
		case n != 1:
			what = "make these " + words.Counted(n, "change", "changes")
		}
		fmt.Fprintf(stdout, "\nNothing was changed. To %s, run the same command again with --yes.\n", what)
		return bulk.ExitInput
	}
	if sig.ctx.Err() != nil {
		return failf(stderr, bulk.ExitAborted, "aborted before the run started; nothing was changed")
	}
	runner, err := job.Start(sig.control)
	if err != nil {
		return sayStartError(f, err, stderr)
	}
	sig.running()
	return runAndPrint(job, runner, stdout, stderr)
}

// sayStartError says why a run (of one room or many) could not start: a
// room another process is changing, or what else refused; it returns the
// exit code.
func sayStartError(f runFlags, err error, stderr io.Writer) int {
	if _, busy := errors.AsType[*bulk.BusyError](err); busy {
		return failf(stderr, bulk.RunExitCode(nil, err), "%s", words.Busy(err))
	}
	return failf(stderr, bulk.RunExitCode(nil, err), "cannot start the run: %s", inputError(f, err))
}

// runAndPrint runs a started job, printing one line per event, then the
// summary; it returns the job's exit code for the run.
func runAndPrint(job *bulk.Job, runner *bulk.Runner, stdout, stderr io.Writer) int {
	pr := newEventPrinter(stdout, job)
	var sum *bulk.Summary
	var runErr error
	printWhileRunning(runner.Events(), pr.event, func() { sum, runErr = runner.Run(context.Background()) })
	if sum == nil {
		sum = pr.summary()
	}
	code := bulk.RunExitCode(sum, runErr)
	if sum == nil {
		return failf(stderr, code, "the run stopped: %v\nThe journal in %s holds every finished user; %s", runErr, job.OutDir, words.GoOn)
	}
	pr.printSummary(sum, runErr, code)
	sayRunError(stderr, runErr)
	return code
}

// printWhileRunning gives a run's events to print, in order, while run
// runs, and waits for the last of them: they end once the run returns, and
// should they not, it waits no more than 5 s.
func printWhileRunning(events <-chan bulk.Event, print func(bulk.Event), run func()) {
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		for ev := range events {
			print(ev)
		}
	}()
	run()
	select {
	case <-printed:
	case <-time.After(5 * time.Second):
	}
}

// sayRunError says on stderr that the run could not keep its journal or
// write its report, after the summary.
func sayRunError(stderr io.Writer, runErr error) {
	if runErr != nil {
		fmt.Fprintf(stderr, "roster: the run stopped with an error: %v\n", runErr)
	}
}

// failf says why the command stops, on stderr, and returns its exit code.
func failf(stderr io.Writer, code int, format string, a ...any) int {
	fmt.Fprintf(stderr, "roster: "+format+"\n", a...)
	return code
}

// missingFlags says which flags a headless run lacks, with an example.
func missingFlags(stderr io.Writer, missing []string) int {
	verb := "are"
	if len(missing) == 1 {
		verb = "is"
	}
	return failf(stderr, bulk.ExitInput, "%s %s needed to run without the wizard, as in:\n  roster --config config.json --csv users.csv --stream ID --yes\n%s",
		strings.Join(missing, ", "), verb, runHint)
}

// missingRunFlags names the flags a headless run cannot do without.
func missingRunFlags(f runFlags) []string {
	var missing []string
	for _, v := range []struct{ name, value string }{{"--config", f.Config}, {"--csv", f.CSV}, {"--stream", f.Stream}} {
		if v.name == "--stream" && f.RoomColumn != "" {
			continue // each row names its room
		}
		if strings.TrimSpace(v.value) == "" {
			missing = append(missing, v.name)
		}
	}
	return missing
}

// inputError words a job's error with the flag to check, and the client's
// advice when it has one.
func inputError(f runFlags, err error) string {
	var ie *bulk.InputError
	if !errors.As(err, &ie) {
		return "cannot plan the run: " + err.Error() + adviceLine(err)
	}
	switch ie.Input {
	case bulk.InputConfig:
		if f.Auth != "" {
			return fmt.Sprintf("--config with --auth %s: %v%s", f.Auth, ie.Err, adviceLine(ie.Err))
		}
		return fmt.Sprintf("--config: %v%s", ie.Err, adviceLine(ie.Err))
	case bulk.InputList:
		return fmt.Sprintf("--csv: %v", ie.Err)
	case bulk.InputRoom:
		return fmt.Sprintf("--stream: %v", ie.Err)
	case bulk.InputOut:
		return fmt.Sprintf("--out %v", ie.Err)
	}
	return err.Error()
}

// signalAbort turns SIGINT, SIGTERM and SIGHUP into a clean abort: the first cancels
// planning or aborts the run through its Control (the runner then writes the
// report); a second stops the process at once, since the journal is already
// on disk up to the last finished user.
type signalAbort struct {
	ctx     context.Context // cancelled by the first signal (planning)
	cancel  context.CancelFunc
	control *bulk.Control
	ch      chan os.Signal
	done    chan struct{}
	mu      sync.Mutex
	started bool
	aborted bool      // the first signal came
	also    []aborter // more controls the first signal aborts (an estate run's)
	stderr  io.Writer
	exit    func(code int) // os.Exit; a test's recorder
}

func newSignalAbort(stderr io.Writer) *signalAbort {
	s := newAbortOn(make(chan os.Signal, 2), stderr, os.Exit)
	// the wizard's signals: a dropped SSH session hangs the run up, and is
	// aborted cleanly too, so the report is written (under nohup the
	// hangup stays ignored)
	ui.NotifySignals(s.ch)
	return s
}

// newAbortOn watches ch; newSignalAbort feeds it the process's signals.
func newAbortOn(ch chan os.Signal, stderr io.Writer, exit func(int)) *signalAbort {
	ctx, cancel := context.WithCancel(context.Background())
	s := &signalAbort{ctx: ctx, cancel: cancel, control: bulk.NewControl(),
		ch: ch, done: make(chan struct{}), stderr: stderr, exit: exit}
	go s.loop()
	return s
}

// aborter is a run's control as the signals see it: *bulk.Control, or
// *bulk.EstateControl for a run of several rooms.
type aborter interface{ Abort() }

// abortAlso makes the first signal abort c too (an estate run's control,
// made before its start as s.control is); c is aborted at once when the
// signal came already.
func (s *signalAbort) abortAlso(c aborter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.also = append(s.also, c)
	if s.aborted {
		c.Abort()
	}
}

// running records that the runner exists, for the wording of the messages.
func (s *signalAbort) running() {
	s.mu.Lock()
	s.started = true
	s.mu.Unlock()
}

func (s *signalAbort) loop() {
	count := 0
	var first os.Signal
	for {
		select {
		case <-s.done:
			return
		case got := <-s.ch:
			if count > 0 && got == syscall.SIGHUP {
				// A dropped session often hangs the process up twice, ms
				// apart (the shell passes it on, then the kernel): only
				// an interrupt or a termination stops at once.
				continue
			}
			count++
			s.mu.Lock()
			started := s.started
			s.mu.Unlock()
			if count > 1 {
				fmt.Fprintf(s.stderr, "\nroster: %s\n", words.StoppedAtOnce(first, got, started))
				s.exit(exitAborted)
				return
			}
			first = got
			if started {
				fmt.Fprintf(s.stderr, "\nroster: %v: aborting: the call in flight is cancelled (its user is checked against the room on resume) and the report written (an interrupt or a termination stops at once)\n", got)
			} else {
				fmt.Fprintf(s.stderr, "\nroster: %v: aborting\n", got)
				go s.stopPlanning(got)
			}
			s.control.Abort()
			s.mu.Lock()
			s.aborted = true
			for _, c := range s.also {
				c.Abort()
			}
			s.mu.Unlock()
			s.cancel()
		}
	}
}

// planningGrace is how long planning has to return after a signal before
// the process stops at once: a read that does not heed the cancel (the
// user list given as a pipe nobody writes to) must not keep it alive.
const planningGrace = 3 * time.Second

// stopPlanning ends the process when planning has not returned within
// planningGrace of a signal. Nothing has been changed then: a signalled
// run never starts.
func (s *signalAbort) stopPlanning(got os.Signal) {
	select {
	case <-s.done:
	case <-time.After(planningGrace):
		s.mu.Lock()
		started := s.started
		s.mu.Unlock()
		if started {
			return // the run began as the signal came: its abort writes the report
		}
		fmt.Fprintf(s.stderr, "roster: %v: planning did not stop within %s (a file or the pod does not answer); stopping at once. Nothing was changed.\n",
			got, planningGrace)
		s.exit(exitAborted)
	}
}

func (s *signalAbort) stop() {
	signal.Stop(s.ch)
	close(s.done)
	s.cancel()
}

// adviceLine is the client's advice for an error, on a line of its own; ""
// when it has none. The wizard's error box shows the same advice.
func adviceLine(err error) string {
	if a := symphony.Advice(err); a != "" {
		return "\n" + a
	}
	return ""
}
