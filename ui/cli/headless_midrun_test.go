package cli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// hookWriter is a run's stdout that calls hook once, when the first outcome
// line has been written: the test changes the pod mid-run there.
type hookWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	hook  func()
	fired bool
}

func (w *hookWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if !w.fired && outcomeLine.Match(w.buf.Bytes()) {
		w.fired = true
		w.hook()
	}
	return n, err
}

// runMidRun runs cmdRun into the medium room, which passes 500 members, so
// that the last users are paced well after the first outcome; hook runs at
// the first outcome.
func runMidRun(t *testing.T, pod *podsimtest.Pod, users []podsim.User, hook func()) runResult {
	t.Helper()
	dir := t.TempDir()
	path := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	if n := len(pod.Room(t, pod.Demo.Medium).Members); n+len(users) < 500+10 {
		t.Fatalf("the medium room has %d members: %d users would not pace at least 10 adds", n, len(users))
	}
	stdout := &hookWriter{hook: hook}
	var stderr bytes.Buffer
	code := cmdRun([]string{"--config", pod.ConfigPath(), "--csv", path, "--stream", pod.Demo.Medium,
		"--yes", "--interval", "40ms", "--out", dir}, nil, stdout, &stderr)
	return runResult{code, stdout.buf.String(), stderr.String()}
}

func TestHeadlessExitsOneWhenSomeUsersFail(t *testing.T) {
	pod := startPod(t, podsim.Options{PaceGap: 40 * time.Millisecond})
	users := pod.Demo.Candidates[400:430]
	victim := users[len(users)-1]
	r := runMidRun(t, pod, users, func() { pod.SetUserActive(victim.ID, false) })
	if r.code != exitFailed {
		t.Fatalf("a user deactivated mid-run: want exit 1\n%s", r)
	}
	failedAt := strings.Index(r.stdout, "Failed (1):")
	totalsAt := strings.Index(r.stdout, "30 of 30 done: 29 added, 0 already, 1 failed")
	if failedAt < 0 || totalsAt < failedAt {
		t.Errorf("the summary does not list the failure first, then 29 added and 1 failed\n%s", r)
	}
	if !strings.Contains(r.stdout[failedAt:], fmt.Sprintf("line %-6d %-*d HTTP 400", len(users)+1, minUserW, victim.ID)) {
		t.Errorf("the failure list does not give the victim's line, ID and status\n%s", r)
	}
	members := pod.MemberSet(t, pod.Demo.Medium)
	for _, u := range users[:len(users)-1] {
		if !members[u.ID] {
			t.Errorf("user %d was not added; one failure must not stop the run", u.ID)
		}
	}
}

func TestHeadlessStopsWhenTheRoomIsDeactivated(t *testing.T) {
	pod := startPod(t, podsim.Options{PaceGap: 40 * time.Millisecond})
	users := pod.Demo.Candidates[500:530]
	r := runMidRun(t, pod, users, func() { pod.SetRoomActive(pod.Demo.Medium, false) })
	if r.code != exitAborted {
		t.Fatalf("room deactivated mid-run: want exit 3\n%s", r)
	}
	for _, want := range []string{"stopping: ", "The run stopped by itself at ", "run roster again with the same config, list and room and --resume"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
	if report := reportPath(r.stdout); report == "" {
		t.Errorf("a run that stopped by itself names no report\n%s", r)
	} else if _, err := os.Stat(report); err != nil {
		t.Errorf("report: %v", err)
	}

	// Its journal is unfinished; resuming it with another list into another
	// room must be refused, not mixed up.
	journal := journalPath(r.stdout)
	if journal == "" {
		t.Fatalf("no journal named\n%s", r)
	}
	dir := t.TempDir()
	other := writeAddList(t, pod, dir, 3)
	before := pod.MemberSet(t, pod.Demo.Small)
	r = runCmd(t, "--config", pod.ConfigPath(), "--csv", other.path, "--stream", pod.Demo.Small,
		"--yes", "--out", dir, "--resume", journal)
	if r.code != exitInput || !strings.Contains(r.stderr, "of another run") || !strings.Contains(r.stderr, journal) {
		t.Errorf("--resume with the journal of another run: want exit 2 naming the journal\n%s", r)
	}
	assertUnchanged(t, pod, pod.Demo.Small, before, other.toAdd)
}

// TestHeadlessWaitsForTheWindowAndAbortsWhileWaiting starts a run whose
// window opens in two hours: it must say until when it waits, change
// nothing, and abort at once on SIGTERM with exit 3.
func TestHeadlessWaitsForTheWindowAndAbortsWhileWaiting(t *testing.T) {
	bin := rosterBinary(t)
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	list := writeAddList(t, pod, dir, 4)
	now := time.Now()
	opens := now.Add(2 * time.Hour)
	window := opens.Format("15:04") + "-" + now.Add(3*time.Hour).Format("15:04")
	before := pod.MemberSet(t, pod.Demo.Small)

	p := startRoster(t, bin, "--config", pod.ConfigPath(), "--csv", list.path, "--stream", pod.Demo.Small,
		"--yes", "--no-tui", "--window", window, "--out", dir)
	want := "outside the run window " + window + ": waiting "
	deadline := time.After(30 * time.Second)
	for waiting := false; !waiting; {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("the run ended without waiting for the window %s:\n%s", window, p.output())
			}
			waiting = strings.Contains(line, want) && strings.Contains(line, ", until ") && strings.Contains(line, opens.Format("15:04"))
		case <-deadline:
			t.Fatalf("no %q within 30s:\n%s", want, p.output())
		}
	}
	if !strings.Contains(p.stdoutText(), "Window    changes only between "+opens.Format("15:04")) {
		t.Errorf("the plan does not show the window:\n%s", p.output())
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != exitAborted {
		t.Fatalf("SIGTERM while waiting for the window: exit %d, want 3:\n%s", code, p.output())
	}
	if !strings.Contains(p.stdoutText(), "0 of 4 done") {
		t.Errorf("the summary does not say nothing was done:\n%s", p.output())
	}
	assertUnchanged(t, pod, pod.Demo.Small, before, list.toAdd)
}
