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

// runHeadless prints the plan, changes nothing without --yes, then runs the
// plan printing one line per outcome. It handles SIGINT, SIGTERM and SIGHUP itself:
// the first aborts cleanly (report written, exit 3), a second stops at once.
func runHeadless(f runFlags, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "roster: "+format+"\n", a...)
		return code
	}
	if missing := missingRunFlags(f); len(missing) > 0 {
		verb := "are"
		if len(missing) == 1 {
			verb = "is"
		}
		return fail(exitInput, "%s %s needed to run without the wizard, as in:\n  roster --config config.json --csv users.csv --stream ID --yes\n%s",
			strings.Join(missing, ", "), verb, runHint)
	}
	interval, window := f.Interval, f.Window // parsed by parseRunFlags
	streamID, err := symphony.ParseStreamID(f.Stream)
	if err != nil {
		return fail(exitInput, "--stream: %v", err)
	}
	list, err := csvsource.ReadFile(f.CSV, csvsource.Options{Column: f.Column})
	if err != nil {
		return fail(exitInput, "--csv: %v", err)
	}
	cfg, err := symphony.LoadConfig(f.Config)
	if err != nil {
		return fail(exitInput, "--config: %v", err)
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(stderr, "roster: warning: %s\n", w)
	}
	client, err := symphony.NewClient(cfg, symphony.Options{Auth: symphony.AuthMethod(f.Auth)})
	if err != nil {
		if f.Auth != "" {
			return fail(exitInput, "--config with --auth %s: %v", f.Auth, err)
		}
		return fail(exitInput, "--config: %v", err)
	}
	defer client.Close()
	outDir := f.Out
	if outDir == "" {
		outDir = "."
	}
	if st, err := os.Stat(outDir); err == nil && !st.IsDir() {
		return fail(exitInput, "--out %s is a file; give a folder for the journal and report", outDir)
	}

	sig := newSignalAbort(stderr)
	defer sig.stop()
	// When the reader of stdout goes away (`roster ... | tee log`, then
	// Ctrl-C), a write must fail quietly, not kill the process on SIGPIPE
	// before the abort has written the report.
	signal.Ignore(syscall.SIGPIPE)

	mode := bulk.ModeAdd
	if f.Remove {
		mode = bulk.ModeRemove
	}
	// Which pod, as whom: a run meant for a test pod must not reach production unseen.
	fmt.Fprintf(stdout, "Pod       %s as %s (%s authentication, from %s)\n",
		cfg.Pod.BaseURL(), cfg.BotUsername, client.Method(), f.Config)
	fmt.Fprintf(stdout, "Planning  reading the room and looking up %s...\n", bulk.Counted(len(list.Entries), "user", "users"))
	plan, err := bulk.BuildPlan(sig.ctx, client, bulk.PlanRequest{StreamID: streamID, Mode: mode, List: list, Interval: interval})
	if err != nil {
		if sig.ctx.Err() != nil {
			return fail(exitAborted, "aborted while planning; nothing was changed")
		}
		return fail(exitInput, "cannot plan the run: %v%s", err, planHint(err))
	}
	// A run that resumes a journal is the journal's run: the plan is
	// printed with its counts (users finished before the abort are members
	// now, and the rebuilt plan alone would count them as set aside).
	previewed := previewResume(f, plan, outDir)
	printPlan(stdout, plan, list, f, window, previewed)

	switch {
	case f.DryRun:
		fmt.Fprintln(stdout, "\nDry run: nothing was changed.")
		if plan.Blocked() {
			// A blocked plan is exit 2 with or without --dry-run, so that a
			// script checking the plan first does not go on to a refusal.
			return fail(exitInput, "the run would be refused: %s", blockReasons(plan))
		}
		return exitOK
	case plan.Blocked():
		return fail(exitInput, "the run cannot start: %s\nNothing was changed.", blockReasons(plan))
	case len(plan.Actions) == 0 && (previewed == nil || previewed.ToGo() == 0):
		fmt.Fprintf(stdout, "\nNothing to %s: every user in the list is set aside (see above). Nothing was changed.\n", plan.Mode)
		return exitOK
	case !f.Yes:
		what := "this change"
		if n := len(plan.Actions); n != 1 {
			what = "these " + bulk.Counted(n, "change", "changes")
		}
		fmt.Fprintf(stdout, "\nNothing was changed. To make %s, run the same command again with --yes.\n", what)
		return exitInput
	}

	resumeFrom, code := chooseJournal(f, plan, outDir, stdout, stderr)
	if code != exitOK {
		return code
	}
	var resume *bulk.ResumeInfo
	if resumeFrom != "" {
		if resume, err = bulk.InspectResume(resumeFrom, plan); err != nil {
			return fail(exitInput, "--resume: %v\nNothing was changed.", err)
		}
		fmt.Fprintf(stdout, "\nResuming the journal %s: %s.\n", resumeFrom, strings.TrimPrefix(resume.String(), "Resuming: "))
	}
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return fail(exitInput, "--out: cannot create the folder for the journal and report: %v", err)
	}
	if sig.ctx.Err() != nil {
		return fail(exitAborted, "aborted before the run started; nothing was changed")
	}
	runner, err := bulk.NewRunner(client, plan, bulk.RunOptions{
		OutDir: outDir, Interval: interval, Window: window, ResumeFrom: resumeFrom, Control: sig.control,
	}.WithConfig(cfg))
	if err != nil {
		return fail(exitInput, "cannot start the run: %v", err)
	}
	sig.running()

	pr := newEventPrinter(stdout, plan, window)
	pr.resume = resume
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		for ev := range runner.Events() {
			pr.event(ev)
		}
	}()
	sum, runErr := runner.Run(context.Background())
	select {
	case <-printed:
	case <-time.After(5 * time.Second):
		// Events should be closed once Run returns; never hang on it.
	}
	if sum == nil {
		sum = pr.summary()
	}
	if sum == nil {
		return fail(exitAborted, "the run stopped: %v\nThe journal in %s holds every finished user; run again with --resume to go on.", runErr, outDir)
	}
	pr.printSummary(sum, runErr)
	if runErr != nil {
		fmt.Fprintf(stderr, "roster: the run stopped with an error: %v\n", runErr)
		if code := sum.ExitCode(); code != exitOK {
			return code
		}
		return exitAborted
	}
	return sum.ExitCode()
}

// missingRunFlags names the flags a headless run cannot do without.
func missingRunFlags(f runFlags) []string {
	var missing []string
	for _, v := range []struct{ name, value string }{{"--config", f.Config}, {"--csv", f.CSV}, {"--stream", f.Stream}} {
		if strings.TrimSpace(v.value) == "" {
			missing = append(missing, v.name)
		}
	}
	return missing
}

// planHint says which flag to check when planning fails for a reason the
// user can fix.
func planHint(err error) string {
	var ae *symphony.APIError
	switch {
	case errors.Is(err, symphony.ErrAuthFailed):
		return "\nCheck --config: the bot's username, its key or certificate, and the pod's addresses."
	case errors.As(err, &ae) && (ae.Status == 400 || ae.Status == 404) && strings.Contains(ae.Op, "/room/"):
		// A pod answers an unknown stream ID with 400 "Stream not found."
		return "\nCheck --stream: it must be the room's stream ID, as the room's details in Symphony show it."
	}
	return ""
}

// blockReasons joins the messages of the warnings that block the run.
func blockReasons(p *bulk.Plan) string {
	var why []string
	for _, w := range p.Warnings {
		if w.Level == bulk.LevelBlock {
			why = append(why, w.Message)
		}
	}
	return strings.Join(why, "; ")
}

// chooseJournal settles which journal the run continues, if any. Headless,
// a matching unfinished journal is resumed only when --resume says so:
// without it the run refuses rather than risk repeating or losing track.
func chooseJournal(f runFlags, plan *bulk.Plan, outDir string, stdout, stderr io.Writer) (string, int) {
	if f.Resume != "" && f.Resume != resumeAuto {
		st, err := os.Stat(f.Resume)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "roster: --resume %s: %v\n", f.Resume, statReason(err))
			return "", exitInput
		case st.IsDir():
			fmt.Fprintf(stderr, "roster: --resume %s is a folder; give the journal file, or a bare --resume to find it in --out\n", f.Resume)
			return "", exitInput
		}
		return f.Resume, exitOK
	}
	if _, err := os.Stat(outDir); errors.Is(err, os.ErrNotExist) {
		if f.Resume == resumeAuto {
			fmt.Fprintf(stdout, "\nNo journal to resume: %s does not exist yet. Starting a new run.\n", outDir)
		}
		return "", exitOK // a new folder holds no journal
	}
	path, done, err := bulk.FindResumable(outDir, plan)
	if err != nil {
		fmt.Fprintf(stderr, "roster: --out %s: cannot look for an unfinished journal: %v\n", outDir, err)
		return "", exitInput
	}
	switch {
	case path != "" && f.Resume == "":
		fmt.Fprintf(stderr, "roster: an unfinished run of this same list into this room is in the journal %s (%d done).\n"+
			"Nothing was changed. Add --resume to continue it (finished users are skipped), or move that journal away to start over.\n",
			path, done)
		return "", exitInput
	case path == "" && f.Resume == resumeAuto:
		fmt.Fprintf(stdout, "\nNo unfinished journal of this run in %s: starting a new run.\n", outDir)
	}
	return path, exitOK
}

// previewResume finds, quietly, the journal a --resume run will continue,
// for the plan's counts; chooseJournal decides and words the problems.
func previewResume(f runFlags, plan *bulk.Plan, outDir string) *bulk.ResumeInfo {
	path := f.Resume
	switch f.Resume {
	case "":
		return nil
	case resumeAuto:
		found, _, err := bulk.FindResumable(outDir, plan)
		if err != nil || found == "" {
			return nil
		}
		path = found
	}
	info, err := bulk.InspectResume(path, plan)
	if err != nil {
		return nil
	}
	return info
}

// statReason words a stat error without repeating the path.
func statReason(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
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
	stderr  io.Writer
	exit    func(code int) // os.Exit; a test's recorder
}

func newSignalAbort(stderr io.Writer) *signalAbort {
	s := newAbortOn(make(chan os.Signal, 2), stderr, os.Exit)
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	// A dropped SSH session hangs the run up: abort it cleanly too, so the
	// report is written. Under nohup the hangup is ignored, and stays so:
	// Notify would undo that.
	if !signal.Ignored(syscall.SIGHUP) {
		signal.Notify(s.ch, syscall.SIGHUP)
	}
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

// running records that the runner exists, for the wording of the messages.
func (s *signalAbort) running() {
	s.mu.Lock()
	s.started = true
	s.mu.Unlock()
}

func (s *signalAbort) loop() {
	count := 0
	for {
		select {
		case <-s.done:
			return
		case got := <-s.ch:
			count++
			s.mu.Lock()
			started := s.started
			s.mu.Unlock()
			if count > 1 {
				fmt.Fprintf(s.stderr, "\nroster: %v again: stopping at once. The journal holds every finished user; run again with --resume to go on.\n", got)
				s.exit(exitAborted)
				return
			}
			if started {
				fmt.Fprintf(s.stderr, "\nroster: %v: aborting: the call in flight is cancelled (its user is checked against the room on resume) and the report written (send it again to stop at once)\n", got)
			} else {
				fmt.Fprintf(s.stderr, "\nroster: %v: aborting\n", got)
			}
			s.control.Abort()
			s.cancel()
		}
	}
}

func (s *signalAbort) stop() {
	signal.Stop(s.ch)
	close(s.done)
	s.cancel()
}
