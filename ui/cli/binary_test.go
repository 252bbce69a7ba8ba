package cli

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// rosterProc is the real binary running headless in a test.
type rosterProc struct {
	cmd    *exec.Cmd
	lines  chan string // stdout, line by line; closed at EOF
	mu     sync.Mutex
	stdout strings.Builder
	stderr bytes.Buffer
	waited chan struct{}
	code   int
}

// startRoster starts the binary with no terminal (stdin is /dev/null).
func startRoster(t *testing.T, bin string, args ...string) *rosterProc {
	t.Helper()
	return startRosterIn(t, bin, "", nil, args...)
}

// runBinary runs the binary to its end as startRosterIn starts it, and
// gives its exit code and output.
func runBinary(t *testing.T, bin, dir string, env []string, args ...string) runResult {
	t.Helper()
	p := startRosterIn(t, bin, dir, env, args...)
	code := p.wait(t)
	return runResult{code, p.stdoutText(), p.stderr.String()}
}

// startRosterIn starts the binary with no terminal (stdin is /dev/null) in
// dir (the test's folder when ""), with env added to the environment.
func startRosterIn(t *testing.T, bin, dir string, env []string, args ...string) *rosterProc {
	t.Helper()
	p := &rosterProc{lines: make(chan string, 100000), waited: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = dir
	if env != nil {
		p.cmd.Env = append(os.Environ(), env...)
	}
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.stdout.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			p.lines <- sc.Text()
		}
		close(p.lines)
		err := p.cmd.Wait()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			p.code = ee.ExitCode() // -1 when killed by a signal
		default:
			p.code = -2
		}
		close(p.waited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.waited:
		default:
			p.cmd.Process.Kill()
			<-p.waited
		}
	})
	return p
}

// awaitOutcomes reads stdout until n outcome lines have been printed; it
// reports false when the output ended first.
func (p *rosterProc) awaitOutcomes(t *testing.T, n int) bool {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for seen := 0; seen < n; {
		select {
		case line, ok := <-p.lines:
			if !ok {
				return false
			}
			if outcomeLine.MatchString(line) {
				seen++
			}
		case <-deadline:
			t.Fatalf("no %d outcome lines within 30s; output so far:\n%s", n, p.output())
		}
	}
	return true
}

// wait waits for the process to end and returns its exit code.
func (p *rosterProc) wait(t *testing.T) int {
	t.Helper()
	go func() {
		for range p.lines { // keep the pipe drained
		}
	}()
	select {
	case <-p.waited:
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("roster did not end within 60s; output:\n%s", p.output())
	}
	return p.code
}

func (p *rosterProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return "--- stdout\n" + p.stdout.String() + "--- stderr\n" + p.stderr.String()
}

func (p *rosterProc) stdoutText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

// settledState is the pod's state once no membership call has landed for a
// while (calls cut by a client may still be finishing on the pod).
func settledState(t *testing.T, pod *podsimtest.Pod) podsim.State {
	t.Helper()
	prev := pod.State()
	for range 100 {
		time.Sleep(50 * time.Millisecond)
		cur := pod.State()
		if sameCalls(prev, cur) {
			return cur
		}
		prev = cur
	}
	t.Fatal("the pod's call counts did not settle within 5s")
	return prev
}

func sameCalls(a, b podsim.State) bool {
	if len(a.Calls) != len(b.Calls) {
		return false
	}
	for id, c := range a.Calls {
		if d := b.Calls[id]; d == nil || *c != *d {
			return false
		}
	}
	return true
}

// TestAbortWritesReportWhenStdoutIsGone reproduces `roster ... | tee log`
// then Ctrl-C: the reader of stdout is gone before the SIGINT arrives. The
// run must still abort cleanly and write its report, not die of SIGPIPE.
func TestAbortWritesReportWhenStdoutIsGone(t *testing.T) {
	bin := rosterBinary(t)
	pod := startPod(t, podsim.Options{Latency: 5 * time.Millisecond})
	users := pod.Demo.Candidates[700:740]
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	out := filepath.Join(dir, "out")
	cmd := exec.Command(bin, "--config", pod.ConfigPath(), "--csv", csvPath, "--stream", pod.Demo.Medium,
		"--yes", "--no-tui", "--interval", "10ms", "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for seen := 0; seen < 3 && sc.Scan(); {
		if outcomeLine.MatchString(sc.Text()) {
			seen++
		}
	}
	stdout.Close() // the reader goes away
	time.Sleep(50 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("roster did not end within 30s of SIGINT")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitAborted {
		t.Fatalf("exit %v, want exit 3 (stderr:\n%s)", err, stderr.String())
	}
	reports, _ := filepath.Glob(filepath.Join(out, "*-report.csv"))
	if len(reports) != 1 {
		t.Fatalf("%d reports in %s, want 1 (stderr:\n%s)", len(reports), out, stderr.String())
	}
}
