package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the built binary in a real terminal: a private tmux
// server, keys sent with send-keys, the screen read with capture-pane.
type tmuxSession struct {
	t      *testing.T
	tmux   string
	socket string
}

// tmuxPath is the tmux binary; without one the test is skipped.
func tmuxPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (CI installs it)")
	}
	return path
}

// newTmux starts a private tmux server (its socket named by tag, the
// process and the time) that the test's end kills, with the session
// "roster" of w x h columns running argv.
func newTmux(t *testing.T, tmux, tag string, w, h int, argv ...string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, tmux: tmux, socket: fmt.Sprintf("roster-%s-%d-%d", tag, os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { s.run("kill-server") })
	args := append([]string{"new-session", "-d", "-s", "roster", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)}, argv...)
	if out, err := s.run(args...); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	return s
}

func (s *tmuxSession) run(args ...string) (string, error) {
	out, err := exec.Command(s.tmux, append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	return string(out), err
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := s.run(append([]string{"send-keys", "-t", "roster"}, keys...)...); err != nil {
		s.t.Fatalf("send-keys %v: %v: %s", keys, err, out)
	}
}

// resize sets the terminal's size, as a user dragging the window would.
func (s *tmuxSession) resize(w, h int) {
	s.t.Helper()
	if out, err := s.run("resize-window", "-t", "roster", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)); err != nil {
		s.t.Fatalf("resize-window: %v: %s", err, out)
	}
}

func (s *tmuxSession) screen() string {
	out, _ := s.run("capture-pane", "-p", "-J", "-t", "roster")
	return out
}

// waitFor polls the screen until cond holds; it fails with the last screen.
func (s *tmuxSession) waitFor(what string, cond func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		last = s.screen()
		if cond(last) {
			return last
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("waiting for %s: the screen shows:\n%s", what, last)
	return ""
}

func (s *tmuxSession) waitText(texts ...string) string {
	s.t.Helper()
	return s.waitFor(strings.Join(texts, " + "), func(sc string) bool {
		for _, x := range texts {
			if !strings.Contains(sc, x) {
				return false
			}
		}
		return true
	})
}

func number(t *testing.T, screen, pattern string) int {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no %q on the screen:\n%s", pattern, screen)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDemoInTmux runs `roster demo` in a real terminal through a whole run:
// config, users, room, preview, start, pause and resume, the summary, and
// the summary left on the normal screen after q.
func TestDemoInTmux(t *testing.T) {
	s, work, cache := demoInTmux(t, 120, 40)

	s.waitText("DEMO: simulated pod", "Step 1", "config.json")
	s.keys("Enter")
	s.waitText("Step 2", "demo-users.csv")
	s.keys("Enter")
	s.waitText("users to consider", "Problems, by line:")
	s.keys("Enter")
	s.waitText("Step 3", "MEMBERS", "enter to choose")
	s.keys("Enter")
	s.waitText("enter: preview the change")
	s.keys("Enter")
	sc := s.waitText("Step 4", "s: start")
	planned := number(t, sc, `Add (\d+) users to`)
	if planned == 0 {
		t.Fatalf("the demo plans no change:\n%s", sc)
	}
	// On a small terminal the plan scrolls, and the start line and the
	// question stay on screen under it.
	s.resize(80, 14)
	s.waitText("s: start", "more below", "? more keys")
	s.keys("End")
	s.waitText("s: start", "more above")
	s.keys("s")
	s.waitText("Really add", "y start")
	s.resize(120, 40)
	s.keys("y")
	s.waitText("Adding", "LINE")
	s.keys("p")
	sc = s.waitFor("paused or finished", func(sc string) bool {
		return strings.Contains(sc, "PAUSED") || strings.Contains(sc, "The run finished")
	})
	if strings.Contains(sc, "PAUSED") {
		s.keys("r")
		s.waitFor("resumed", func(sc string) bool { return !strings.Contains(sc, "PAUSED") })
	} else {
		t.Log("the run finished before p arrived; pause not exercised here")
	}
	sc = s.waitText("The run finished", "Report:", "Journal:")
	added := number(t, sc, `(\d+) added`)
	already := number(t, sc, `(\d+) already`)
	failed := number(t, sc, `(\d+) failed`)
	pending := 0 // the summary names the users not done only when there are some
	if regexp.MustCompile(`\d+ not done`).MatchString(sc) {
		pending = number(t, sc, `(\d+) not done`)
	}
	if pending != 0 || added == 0 || added+already+failed != planned {
		t.Fatalf("summary: added %d + already %d + failed %d, pending %d; the plan had %d:\n%s", added, already, failed, pending, planned, sc)
	}
	report := regexp.MustCompile(`Report:\s+(\S+)`).FindStringSubmatch(sc)[1]
	if _, err := os.Stat(report); err != nil {
		t.Fatalf("the report the summary names: %v", err)
	}
	outDir := filepath.Join(cache, "roster", "demo")
	if !strings.HasPrefix(report, outDir+string(filepath.Separator)) {
		t.Fatalf("the demo's report %s is not in %s", report, outDir)
	}

	s.keys("q")
	sc = s.waitText("ROSTER-EXIT=")
	if !strings.Contains(sc, "The run finished") || !strings.Contains(sc, "Report:") {
		t.Fatalf("the summary does not stay on the normal screen:\n%s", sc)
	}
	if !strings.Contains(sc, "journal and report are kept in "+outDir) {
		t.Fatalf("the exit does not say where the demo's files are:\n%s", sc)
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Fatalf("the demo left %d entries in the folder it ran in (%s)", len(entries), entries[0].Name())
	}
	code := number(t, sc, `ROSTER-EXIT=(\d+)`)
	if want := map[bool]int{true: 1, false: 0}[failed > 0]; code != want {
		t.Fatalf("exit code %d, want %d", code, want)
	}
}
