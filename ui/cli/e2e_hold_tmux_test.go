package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// demoInTmux builds the binary and opens `roster demo` in a private tmux
// server at w x h; it returns the session, the folder the demo runs in and
// the cache folder that holds the demo's journal and report. The shell line
// keeps the pane after roster exits, to read what it printed.
func demoInTmux(t *testing.T, w, h int) (s *tmuxSession, work, cache string) {
	t.Helper()
	tmux := tmuxPath(t)
	bin := rosterBinary(t) // skipped with -short
	dir := t.TempDir()
	work = filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	cache = filepath.Join(dir, "cache") // the demo's files: a test's own cache folder
	cmdline := fmt.Sprintf("cd %q && XDG_CACHE_HOME=%q HOME=%q %q demo; echo ROSTER-EXIT=$?; sleep 600", work, cache, cache, bin)
	return newTmux(t, tmux, "hold", w, h, "sh", "-c", cmdline), work, cache
}

// startDemoRun walks the demo's wizard to a started run.
func (s *tmuxSession) startDemoRun() {
	s.t.Helper()
	s.waitText("DEMO: simulated pod", "Step 1", "config.json")
	s.keys("Enter")
	s.waitText("Step 2", "demo-users.csv")
	s.keys("Enter")
	s.waitText("Problems, by line:")
	s.keys("Enter")
	s.waitText("Step 3", "MEMBERS")
	s.keys("Enter")
	s.waitText("enter: preview the change")
	s.keys("Enter")
	s.waitText("Step 4", "s: start")
	s.keys("s")
	s.waitText("Really add")
	s.keys("y")
	s.waitText("Adding", "LINE")
}

// rosterPID is the roster process in the pane (the shell's child).
func (s *tmuxSession) rosterPID() int {
	s.t.Helper()
	out, err := s.run("list-panes", "-t", "roster", "-F", "#{pane_pid}")
	if err != nil {
		s.t.Fatalf("list-panes: %v: %s", err, out)
	}
	sh := strings.TrimSpace(out)
	children, err := os.ReadFile(fmt.Sprintf("/proc/%s/task/%s/children", sh, sh))
	if err != nil {
		s.t.Skipf("cannot find the roster process (no /proc here): %v", err)
	}
	f := strings.Fields(string(children))
	if len(f) == 0 {
		s.t.Fatal("the pane's shell has no child: roster is not running")
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil {
		s.t.Fatal(err)
	}
	return pid
}

// cpuTime is the CPU time a process's threads have used, from schedstat
// (nanoseconds, not the 10 ms ticks of /proc/PID/stat).
func cpuTime(t *testing.T, pid int) (time.Duration, int) {
	t.Helper()
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(tasks) == 0 {
		t.Skipf("no schedstat for process %d", pid)
	}
	var ns int64
	var switches int
	for _, p := range tasks {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // a thread that ended
		}
		f := strings.Fields(string(b))
		n, _ := strconv.ParseInt(f[0], 10, 64)
		ns += n
		if st, err := os.ReadFile(filepath.Join(filepath.Dir(p), "status")); err == nil {
			for _, l := range strings.Split(string(st), "\n") {
				if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
					c, _ := strconv.Atoi(strings.TrimSpace(v))
					switches += c
				}
			}
		}
	}
	return time.Duration(ns), switches
}

// TestDemoAbortQuestionHoldsTheRunInTmux runs the demo in a real terminal at
// 80x24: while "Abort the run?" is up the progress does not move (the
// demo's pace is 30 ms: some 60 changes would start in the two seconds), n
// lets the run go on to its end; then, paused, it measures what the idle
// wizard costs. The figure is logged, not asserted (the machine's load
// would make any bound flaky); ROSTER_IDLE_SECONDS sets how long it is
// measured (the README's figure is over 30 s).
func TestDemoAbortQuestionHoldsTheRunInTmux(t *testing.T) {
	s, _, _ := demoInTmux(t, 80, 24)
	s.startDemoRun()
	s.keys("x")
	sc := s.waitText("Abort the run?", "HELD")
	held := number(t, sc, `(\d+)/36`)
	time.Sleep(2 * time.Second)
	sc = s.screen()
	if now := number(t, sc, `(\d+)/36`); now != held || !strings.Contains(sc, "Abort the run?") {
		t.Fatalf("while the abort question was up the run went from %d/36 to %d/36:\n%s", held, now, sc)
	}
	s.keys("n")
	s.waitFor("the run going on", func(sc string) bool {
		return !strings.Contains(sc, "HELD") && !strings.Contains(sc, "Abort the run?")
	})
	s.keys("p")
	sc = s.waitFor("paused or finished", func(sc string) bool {
		return strings.Contains(sc, "PAUSED") || strings.Contains(sc, "The run finished")
	})
	if strings.Contains(sc, "PAUSED") {
		secs := 5
		if v, err := strconv.Atoi(os.Getenv("ROSTER_IDLE_SECONDS")); err == nil && v > 0 {
			secs = v
		}
		pid := s.rosterPID()
		time.Sleep(500 * time.Millisecond) // the last frame drawn
		cpu0, sw0 := cpuTime(t, pid)
		time.Sleep(time.Duration(secs) * time.Second)
		cpu1, sw1 := cpuTime(t, pid)
		t.Logf("paused wizard (roster demo, 80x24) over %ds: %.3f%% of a core, %.0f context switches a second",
			secs, 100*float64(cpu1-cpu0)/float64(time.Duration(secs)*time.Second), float64(sw1-sw0)/float64(secs))
		s.keys("r")
	} else {
		t.Log("the run finished before p arrived; the idle cost was not measured")
	}
	sc = s.waitText("The run finished", "Report:")
	if strings.Contains(sc, "aborted") {
		t.Fatalf("n did not let the run go on:\n%s", sc)
	}
	if pending := strings.Contains(sc, "not done"); pending {
		t.Fatalf("users left not done after n:\n%s", sc)
	}
	s.keys("q")
	sc = s.waitText("ROSTER-EXIT=")
	if code := number(t, sc, `ROSTER-EXIT=(\d+)`); code > 1 {
		t.Fatalf("exit code %d after a run that went on:\n%s", code, sc)
	}
}
