package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// journalIn is the one journal in an out folder, as an absolute path.
func journalIn(t *testing.T, out string) string {
	t.Helper()
	found, _ := filepath.Glob(filepath.Join(out, "roster-*.jsonl"))
	if len(found) != 1 {
		t.Fatalf("journals in %s: %v; want one", out, found)
	}
	abs, err := filepath.Abs(found[0])
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestSecondProcessOnARoomExits2 runs the real binary into a room, and
// while it runs starts it again: into another out folder, into the same
// one with --resume, and as a dry run. Each second process exits 2 naming
// the first's PID and journal, and changes nothing: every user is added
// once. Then a run killed with SIGKILL leaves no lock behind: --resume
// finishes it.
func TestSecondProcessOnARoomExits2(t *testing.T) {
	bin := rosterBinary(t)
	pod := startPod(t, podsim.Options{Latency: 20 * time.Millisecond})
	users := pod.Demo.Candidates[400:480] // the medium room crosses 500 members: paced
	room := pod.Demo.Medium
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	outA, outB := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	args := func(out string, more ...string) []string {
		return append([]string{"--config", pod.ConfigPath(), "--csv", csvPath, "--stream", room,
			"--yes", "--no-tui", "--interval", "100ms", "--out", out}, more...)
	}

	first := startRoster(t, bin, args(outA)...)
	if !first.awaitOutcomes(t, 2) {
		t.Fatalf("the first run ended before 2 outcomes:\n%s", first.output())
	}
	journal := journalIn(t, outA)
	for _, second := range []struct {
		name string
		args []string
	}{
		{"another out folder", args(outB)},
		{"the same journal, --resume", args(outA, "--resume")},
		{"the same journal named", args(outB, "--resume", journal)},
		{"a dry run", args(outB, "--dry-run")},
	} {
		before := pod.State()
		p := startRoster(t, bin, second.args...)
		code := p.wait(t)
		if allMembers(t, pod, room, users) {
			t.Fatalf("the first run ended before %s was refused; the test needs a slower run", second.name)
		}
		if code != exitInput {
			t.Errorf("%s: exit %d while the first run holds the room, want 2:\n%s", second.name, code, p.output())
		}
		for _, want := range []string{fmt.Sprintf("PID %d", first.cmd.Process.Pid), journal, "is running on this room now", "Nothing was changed."} {
			if !strings.Contains(p.stderr.String(), want) {
				t.Errorf("%s: stderr does not say %q:\n%s", second.name, want, p.output())
			}
		}
		after := pod.State()
		for _, u := range users {
			if podsimtest.Calls(after, u.ID).Add > podsimtest.Calls(before, u.ID).Add+1 {
				t.Errorf("%s: user %d got more than the first run's one add meanwhile", second.name, u.ID)
			}
		}
	}
	if code := first.wait(t); code != exitOK {
		t.Fatalf("the first run: exit %d:\n%s", code, first.output())
	}
	st := pod.State()
	for _, u := range users {
		if c := podsimtest.Calls(st, u.ID); c.Add != 1 {
			t.Errorf("user %d: %d adds, want 1", u.ID, c.Add)
		}
	}
	if !allMembers(t, pod, room, users) {
		t.Error("not every user is a member at the end")
	}

	// A killed run's lock goes with it.
	more := pod.Demo.Candidates[480:500]
	csvPath = writeFile(t, dir, "users.csv", idCSV(userIDs(more)...))
	killed := startRoster(t, bin, args(outB)...)
	if !killed.awaitOutcomes(t, 2) {
		t.Fatalf("the run to kill ended before 2 outcomes:\n%s", killed.output())
	}
	killed.cmd.Process.Signal(syscall.SIGKILL)
	if code := killed.wait(t); code != -1 {
		t.Fatalf("SIGKILL: exit %d, want killed:\n%s", code, killed.output())
	}
	resumed := startRoster(t, bin, args(outB, "--resume")...)
	if code := resumed.wait(t); code != exitOK || !strings.Contains(resumed.stdoutText(), "Resuming the journal") {
		t.Fatalf("--resume after SIGKILL: exit %d, want 0 and a resume:\n%s", code, resumed.output())
	}
	if !allMembers(t, pod, room, more) {
		t.Error("the resumed run did not add every user")
	}
}
