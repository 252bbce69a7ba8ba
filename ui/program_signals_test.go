package ui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
	"roster/symphony/podsim"
)

// errHungUp is what a hung-up terminal's reads and writes give.
var errHungUp = errors.New("input/output error")

// fakeTerminal is the program's input and output: keys the test types and
// every frame the program writes. hangUp makes both fail, as the reads and
// writes of a terminal whose session dropped do.
type fakeTerminal struct {
	keys     chan string
	gone     chan struct{}
	goneOnce sync.Once
	closed   chan struct{}

	mu  sync.Mutex
	out bytes.Buffer
}

func newFakeTerminal(t *testing.T) *fakeTerminal {
	f := &fakeTerminal{keys: make(chan string), gone: make(chan struct{}), closed: make(chan struct{})}
	t.Cleanup(func() { close(f.closed) })
	return f
}

func (f *fakeTerminal) Read(p []byte) (int, error) {
	select {
	case k := <-f.keys:
		return copy(p, k), nil
	case <-f.gone:
		return 0, errHungUp
	case <-f.closed:
		return 0, io.EOF
	}
}

func (f *fakeTerminal) Write(p []byte) (int, error) {
	select {
	case <-f.gone:
		return 0, errHungUp
	default:
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.Write(p)
}

func (f *fakeTerminal) hangUp() { f.goneOnce.Do(func() { close(f.gone) }) }

func (f *fakeTerminal) text() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.String()
}

// waitText waits until the program has written every text.
func (f *fakeTerminal) waitText(t *testing.T, texts ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		all := true
		out := f.text()
		for _, s := range texts {
			all = all && strings.Contains(out, s)
		}
		if all {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the program did not show %q; it wrote:\n%s", texts, lastChars(f.text(), 3000))
}

func (f *fakeTerminal) typeKeys(t *testing.T, k string) {
	t.Helper()
	select {
	case f.keys <- k:
	case <-time.After(10 * time.Second):
		t.Fatalf("the program does not read the key %q", k)
	}
}

func lastChars(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// programRun is the wizard run by runProgram, as Run runs it, on a fake
// terminal with the signals the test sends.
type programRun struct {
	m      *Model
	term   *fakeTerminal
	sigs   chan os.Signal
	stdout *bytes.Buffer
	exits  chan int
	result chan programResult
}

type programResult struct {
	code int
	err  error
}

func startProgram(t *testing.T, opts Options, bound time.Duration) *programRun {
	t.Helper()
	r := &programRun{m: New(opts), term: newFakeTerminal(t), sigs: make(chan os.Signal, 4),
		stdout: &bytes.Buffer{}, exits: make(chan int, 1), result: make(chan programResult, 1)}
	set := programSetup{signals: r.sigs, runBound: bound,
		exit:    func(code int) { r.exits <- code },
		options: []tea.ProgramOption{tea.WithInput(r.term), tea.WithOutput(r.term)}}
	go func() {
		code, err := runProgram(r.m, r.stdout, set)
		r.result <- programResult{code, err}
	}()
	return r
}

func (r *programRun) wait(t *testing.T) programResult {
	t.Helper()
	select {
	case res := <-r.result:
		return res
	case <-time.After(40 * time.Second):
		t.Fatalf("the program did not end; it wrote:\n%s", lastChars(r.term.text(), 3000))
	}
	return programResult{}
}

// flagOptions are the options the flags give: config, list and room, so
// that the wizard opens on the preview.
func (w *podWorld) flagOptions() Options {
	o := w.options()
	o.ConfigPath, o.CSVPath, o.Stream = w.ConfigPath(), w.csv, w.Demo.Small
	o.OfferConfigs, o.OfferCSVs, o.SuggestRooms = nil, nil, nil
	return o
}

// startRun walks from the preview to a run with some users done.
func (r *programRun) startRun(t *testing.T, n int) {
	t.Helper()
	r.term.waitText(t, "journal and report go to", "s: start")
	r.term.typeKeys(t, "s")
	r.term.waitText(t, "Really add")
	r.term.typeKeys(t, "y")
	r.term.waitText(t, "Adding "+strconv.Itoa(n)+" users", "added 2")
}

// journalRecords reads the run's journal in out: its records' types and
// the last record.
func journalRecords(t *testing.T, out string) (types []string, last map[string]any) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(out, "*.jsonl"))
	if len(paths) != 1 {
		t.Fatalf("want one journal in %s, found %v", out, paths)
	}
	f, err := os.Open(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rec := map[string]any{}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("journal line %q: %v", sc.Text(), err)
		}
		types = append(types, rec["type"].(string))
		last = rec
	}
	return types, last
}

// assertAbortedWithReport checks what a run aborted by a signal or a lost
// terminal leaves: an aborted summary with users left to do, its report
// written, the journal ending on an "aborted" stop record.
func assertAbortedWithReport(t *testing.T, w *podWorld, m *Model, n int) {
	t.Helper()
	sum := m.summary.sum
	if sum == nil || !sum.Aborted {
		t.Fatalf("the run's summary is %+v, want an aborted run's", sum)
	}
	if sum.Totals.Done == 0 || sum.Totals.Done >= n {
		t.Fatalf("%d of %d users done: the abort came too late or too early for the test", sum.Totals.Done, n)
	}
	data, err := os.ReadFile(sum.ReportPath)
	if err != nil {
		t.Fatalf("the report was not written: %v", err)
	}
	if pending := strings.Count(string(data), ",pending,"); pending != n-sum.Totals.Done {
		t.Errorf("the report has %d pending users, want %d:\n%s", pending, n-sum.Totals.Done, data)
	}
	_, last := journalRecords(t, w.out)
	if last["type"] != "stop" || last["reason"] != "aborted" {
		t.Errorf("the journal ends on %v, want the stop record of an aborted run", last)
	}
	if m.ExitCode() != bulk.ExitAborted {
		t.Errorf("the model's exit code is %d, want 3", m.ExitCode())
	}
}

// TestHangupDuringARunAbortsItAndQuitsOnceTheReportIsWritten: a SIGHUP with
// the terminal still there aborts the run as `x` does; the program quits by
// itself once the summary is in, prints it, and exits 3.
func TestHangupDuringARunAbortsItAndQuitsOnceTheReportIsWritten(t *testing.T) {
	const n = 60
	w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 60 * time.Millisecond}, n)
	r := startProgram(t, w.flagOptions(), 30*time.Second)
	r.startRun(t, n)
	r.sigs <- syscall.SIGHUP
	res := r.wait(t)
	if res.code != bulk.ExitAborted || res.err != nil {
		t.Fatalf("after a hangup during the run: exit %d, %v; want 3 and no error", res.code, res.err)
	}
	assertAbortedWithReport(t, w, r.m, n)
	if !strings.Contains(r.stdout.String(), "Report:") || !strings.Contains(r.stdout.String(), "aborted") {
		t.Errorf("the summary is not printed at the end:\n%s", r.stdout)
	}
	select {
	case code := <-r.exits:
		t.Errorf("the process was ended (exit %d): one signal must not stop it at once", code)
	default:
	}
}

// TestLostTerminalDuringARunEndsTheRunBeforeReturning: the terminal goes
// (reads and writes fail, as after a hangup), so the program ends while the
// run is going. Run must abort the run and wait for its report before it
// returns, with or without the SIGHUP that comes with it.
func TestLostTerminalDuringARunEndsTheRunBeforeReturning(t *testing.T) {
	for name, hangup := range map[string]bool{"input fails": false, "input fails and SIGHUP": true} {
		t.Run(name, func(t *testing.T) {
			const n = 60
			w := startPod(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 60 * time.Millisecond}, n)
			r := startProgram(t, w.flagOptions(), 30*time.Second)
			r.startRun(t, n)
			r.term.hangUp()
			if hangup {
				r.sigs <- syscall.SIGHUP
			}
			res := r.wait(t)
			if res.code != bulk.ExitAborted {
				t.Fatalf("after the terminal went: exit %d (%v), want 3", res.code, res.err)
			}
			if !hangup && (res.err == nil || !errors.Is(res.err, errHungUp)) {
				t.Errorf("the terminal's failure is not reported: %v", res.err)
			}
			assertAbortedWithReport(t, w, r.m, n)
		})
	}
}

// TestHangupBeforeARunQuits: nothing was changed; the wizard quits as q
// does there: 3 before a run, and the job's code at the preview a dry run
// ends on.
func TestHangupBeforeARunQuits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dryRun bool
		sig    os.Signal
		want   int
	}{
		{"SIGHUP at the preview", false, syscall.SIGHUP, bulk.ExitAborted},
		{"SIGINT at the preview", false, os.Interrupt, bulk.ExitAborted},
		{"SIGHUP at a dry run's preview", true, syscall.SIGHUP, bulk.ExitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := startPod(t, podsim.Options{}, 5)
			opts := w.flagOptions()
			opts.DryRun = tc.dryRun
			r := startProgram(t, opts, 30*time.Second)
			r.term.waitText(t, "journal and report go to")
			r.sigs <- tc.sig
			res := r.wait(t)
			if res.code != tc.want || res.err != nil {
				t.Fatalf("%v at the preview: exit %d, %v; want %d and no error", tc.sig, res.code, res.err, tc.want)
			}
			if entries, _ := os.ReadDir(w.out); len(entries) != 0 {
				t.Errorf("a signal before the run left %d files in the out folder", len(entries))
			}
		})
	}
}

// TestSignalHandler: the first signal is a message to the program; a second
// kills the program, tells Run to stop at once, and ends the process with 3
// if Run does not return within the grace.
func TestSignalHandler(t *testing.T) {
	for _, tc := range []struct {
		sig  os.Signal
		want tea.Msg
	}{{syscall.SIGHUP, tea.QuitMsg{}}, {syscall.SIGTERM, tea.QuitMsg{}}, {os.Interrupt, tea.InterruptMsg{}}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			ch := make(chan os.Signal, 2)
			sent := make(chan tea.Msg, 2)
			killed := make(chan struct{}, 1)
			exits := make(chan int, 1)
			h := newSignalHandler(ch, func(m tea.Msg) { sent <- m }, func() { killed <- struct{}{} }, func(c int) { exits <- c })
			h.grace = 50 * time.Millisecond
			defer h.stop()
			ch <- tc.sig
			select {
			case m := <-sent:
				if m != tc.want {
					t.Fatalf("%v became %T, want %T", tc.sig, m, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%v sent nothing to the program", tc.sig)
			}
			if h.signalled() != tc.sig || h.stoppedAtOnce() != nil {
				t.Fatalf("after one %v: signalled %v, stopped at once %v", tc.sig, h.signalled(), h.stoppedAtOnce())
			}
			select {
			case <-killed:
				t.Fatal("one signal killed the program")
			case <-h.stopNow:
				t.Fatal("one signal stops at once")
			case <-time.After(100 * time.Millisecond):
			}
			ch <- syscall.SIGTERM
			select {
			case <-h.stopNow:
			case <-time.After(5 * time.Second):
				t.Fatal("a second signal does not stop at once")
			}
			<-killed
			if h.stoppedAtOnce() != syscall.SIGTERM {
				t.Errorf("stopped at once by %v, want SIGTERM", h.stoppedAtOnce())
			}
			select {
			case code := <-exits:
				if code != 3 {
					t.Errorf("exit %d after a second signal, want 3", code)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return and the process was not ended either")
			}
		})
	}
}

func TestSignalHandlerStopCallsOffTheExit(t *testing.T) {
	ch := make(chan os.Signal, 2)
	exits := make(chan int, 1)
	h := newSignalHandler(ch, func(tea.Msg) {}, func() {}, func(c int) { exits <- c })
	h.grace = 100 * time.Millisecond
	ch <- syscall.SIGHUP
	ch <- syscall.SIGINT
	<-h.stopNow
	h.stop() // Run returned in time
	select {
	case code := <-exits:
		t.Fatalf("the process was ended (%d) although Run returned", code)
	case <-time.After(300 * time.Millisecond):
	}
}

// TestRepeatedHangupDoesNotStopAtOnce: a dropped session hangs the job up
// more than once (its shell passes the hangup on, then the kernel sends
// another when that shell exits); the abort the first began must go on.
func TestRepeatedHangupDoesNotStopAtOnce(t *testing.T) {
	ch := make(chan os.Signal, 4)
	sent := make(chan tea.Msg, 4)
	killed := make(chan struct{}, 1)
	h := newSignalHandler(ch, func(m tea.Msg) { sent <- m }, func() { killed <- struct{}{} }, func(int) {})
	defer h.stop()
	ch <- syscall.SIGHUP
	ch <- syscall.SIGHUP
	ch <- syscall.SIGHUP
	select {
	case <-killed:
		t.Fatal("a repeated hangup killed the program")
	case <-h.stopNow:
		t.Fatal("a repeated hangup stops at once")
	case <-time.After(200 * time.Millisecond):
	}
	if len(sent) != 1 {
		t.Errorf("%d messages sent to the program for one hangup, want 1", len(sent))
	}
	ch <- syscall.SIGTERM // the operator's second signal still stops at once
	select {
	case <-h.stopNow:
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM after a hangup does not stop at once")
	}
}

// blockingRunner is a runner that returns only when told.
type blockingRunner struct {
	called  chan struct{}
	release chan struct{}
}

func (b *blockingRunner) Run(ctx context.Context) (*bulk.Summary, error) {
	close(b.called)
	<-b.release
	return &bulk.Summary{Aborted: true}, nil
}

func TestRunWatchSettle(t *testing.T) {
	t.Run("a runner the program never ran is run, aborted", func(t *testing.T) {
		w := &runWatch{}
		b := &blockingRunner{called: make(chan struct{}), release: make(chan struct{})}
		c := bulk.NewControl()
		wrapped := w.watch(b, c)
		close(b.release)
		res := w.settle(context.Background(), 5*time.Second, nil)
		if res.how != settleReturned || res.sum == nil || !c.Aborted() {
			t.Fatalf("settle: %+v, control aborted %v; want the runner run, aborted, and its summary", res, c.Aborted())
		}
		if _, err := wrapped.Run(context.Background()); !errors.Is(err, errRunTaken) {
			t.Fatalf("the program's late run: %v, want errRunTaken (a runner runs once)", err)
		}
	})
	t.Run("the wait is bounded", func(t *testing.T) {
		w := &runWatch{}
		b := &blockingRunner{called: make(chan struct{}), release: make(chan struct{})}
		defer close(b.release)
		go w.watch(b, bulk.NewControl()).Run(context.Background())
		<-b.called
		start := time.Now()
		if res := w.settle(context.Background(), 100*time.Millisecond, nil); res.how != settleTimedOut {
			t.Fatalf("settle with a runner that never returns: %+v, want a timeout", res)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("the bound was not kept")
		}
	})
	t.Run("a second signal ends the wait", func(t *testing.T) {
		w := &runWatch{}
		b := &blockingRunner{called: make(chan struct{}), release: make(chan struct{})}
		defer close(b.release)
		go w.watch(b, bulk.NewControl()).Run(context.Background())
		<-b.called
		stopNow := make(chan struct{})
		close(stopNow)
		if res := w.settle(context.Background(), 30*time.Second, stopNow); res.how != settleStopped {
			t.Fatalf("settle after a second signal: %+v, want stopped", res)
		}
	})
	t.Run("no runner", func(t *testing.T) {
		if res := (&runWatch{}).settle(context.Background(), time.Second, nil); res.how != settleNoRun {
			t.Fatalf("settle with no run: %+v", res)
		}
	})
}

// TestIgnoredHangupStaysIgnored: under nohup the hangup is ignored, and the
// wizard's signal handling must leave it so.
func TestIgnoredHangupStaysIgnored(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no hangup on Windows")
	}
	if signal.Ignored(syscall.SIGHUP) {
		t.Skip("the test process already ignores SIGHUP")
	}
	signal.Ignore(syscall.SIGHUP)
	defer signal.Reset(syscall.SIGHUP)
	ch := make(chan os.Signal, 1)
	stop := NotifySignals(ch)
	defer stop()
	if !signal.Ignored(syscall.SIGHUP) {
		t.Fatal("the wizard's signal handling un-ignored SIGHUP")
	}
}
