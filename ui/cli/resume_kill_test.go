package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// TestKilledRunsResumeWithoutRepeatingAdds kills the real binary with
// SIGKILL at twelve points of a paced run of one room, each after up to six
// outcome lines or at an instant of the start, drawn from a seeded random
// source (logged), restarting it with --resume each time, until a run ends
// by itself (killUntilDone). Every user must end up a member, and no add
// may be repeated after a confirmed success: only the one add in flight at
// each kill may be sent twice.
func TestKilledRunsResumeWithoutRepeatingAdds(t *testing.T) {
	pod := startPod(t, podsim.Options{Latency: time.Millisecond})
	users := pod.Demo.Candidates[200:250] // the medium room crosses 500 members: paced
	room := pod.Demo.Medium
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	last := killUntilDone(t, pod, killedRun{
		args: []string{"--auth", "rsa", "--config", pod.ConfigPath(), "--csv", csvPath, "--stream", room,
			"--yes", "--no-tui", "--interval", testPace.String(), "--out", filepath.Join(dir, "out")},
		rooms: []string{room},
		users: [][]podsim.User{users},
		kills: drawKillPoints(t, 12, 7, 150*time.Millisecond, testPace),
	})
	if !strings.Contains(last.stdoutText(), "The run finished at") && !strings.Contains(last.stdoutText(), "Nothing to add") {
		t.Errorf("the last run did not say it finished:\n%s", last.output())
	}
}

// TestTerminatedRunWritesReportThenResumes sends SIGTERM (or SIGINT)
// mid-run: the run aborts cleanly with exit 3 and a report; a restart
// without --resume refuses to start over; with --resume JOURNAL it finishes
// the rest.
func TestTerminatedRunWritesReportThenResumes(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) { testAbortThenResume(t, sig) })
	}
}

func testAbortThenResume(t *testing.T, sig syscall.Signal) {
	bin := rosterBinary(t)
	pod := startPod(t, podsim.Options{Latency: 5 * time.Millisecond})
	users := pod.Demo.Candidates[300:340]
	room := pod.Demo.Medium
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	out := filepath.Join(dir, "out")
	args := []string{"--config", pod.ConfigPath(), "--csv", csvPath, "--stream", room,
		"--yes", "--no-tui", "--interval", "10ms", "--out", out}

	p := startRoster(t, bin, args...)
	if !p.awaitOutcomes(t, 5) {
		t.Fatalf("the run ended before 5 outcomes:\n%s", p.output())
	}
	p.cmd.Process.Signal(sig)
	if code := p.wait(t); code != exitAborted {
		t.Fatalf("after %v: exit %d, want 3:\n%s", sig, code, p.output())
	}
	if !strings.Contains(p.stderr.String(), "aborting: the call in flight is cancelled") {
		t.Errorf("stderr does not say the run is aborting:\n%s", p.output())
	}
	text := p.stdoutText()
	if !strings.Contains(text, "The run was aborted at") || !strings.Contains(text, "--resume") {
		t.Errorf("the aborted run's summary does not say it was aborted and how to go on:\n%s", p.output())
	}
	report := reportPath(text)
	if report == "" {
		t.Fatalf("the aborted run names no report:\n%s", p.output())
	}
	if data, err := os.ReadFile(report); err != nil || len(data) == 0 {
		t.Fatalf("the aborted run's report %s: %v (%d bytes)", report, err, len(data))
	}
	if allMembers(t, pod, room, users) {
		t.Fatalf("every user was added before the abort took effect; the test needs a slower run")
	}
	// A call the abort cut may still reach the pod's room logic after its
	// latency: take the counts once they have settled.
	addsAfterAbort := settledState(t, pod)

	again := startRoster(t, bin, args...)
	if code := again.wait(t); code != exitInput {
		t.Fatalf("a restart without --resume: exit %d, want 2:\n%s", code, again.output())
	}
	if !strings.Contains(again.stderr.String(), "--resume") || !strings.Contains(again.stderr.String(), out) {
		t.Errorf("the refusal does not name the journal and --resume:\n%s", again.output())
	}
	st := pod.State()
	for _, u := range users {
		if podsimtest.Calls(st, u.ID) != podsimtest.Calls(addsAfterAbort, u.ID) {
			t.Errorf("user %d: the refused restart made membership calls", u.ID)
		}
	}

	journal := journalPath(text)
	if journal == "" {
		t.Fatalf("the aborted run names no journal:\n%s", p.output())
	}
	resumed := startRoster(t, bin, append(args, "--resume", journal)...)
	if code := resumed.wait(t); code != exitOK {
		t.Fatalf("resume: exit %d, want 0:\n%s", code, resumed.output())
	}
	if !strings.Contains(resumed.stdoutText(), "Resuming the journal") {
		t.Errorf("the restart with --resume did not resume the journal:\n%s", resumed.output())
	}
	// One story: the plan, the start line and the summary count the
	// journal's run (the users added before the abort are done, not set
	// aside as members), as the aborted run's summary did.
	var done int
	if m := regexp.MustCompile(`(\d+) of (\d+) done: `).FindStringSubmatch(text); m == nil || m[2] != fmt.Sprint(len(users)) {
		t.Fatalf("the aborted run's summary has no count of %d users:\n%s", len(users), text)
	} else {
		done, _ = strconv.Atoi(m[1])
	}
	story := fmt.Sprintf("Resuming: %d of %d done, %d to go", done, len(users), len(users)-done)
	if got := strings.Count(resumed.stdoutText(), story); got != 2 {
		t.Errorf("%q is in the resumed output %d times, want 2 (the plan and the start line):\n%s", story, got, resumed.output())
	}
	if !strings.Contains(resumed.stdoutText(), fmt.Sprintf("%d of %d done: %d added", len(users), len(users), len(users))) {
		t.Errorf("the resumed run's summary does not count the whole run:\n%s", resumed.output())
	}
	st = pod.State()
	total := 0
	for _, u := range users {
		total += podsimtest.Calls(st, u.ID).Add
	}
	if !allMembers(t, pod, room, users) || total > len(users)+1 {
		t.Errorf("after resume: all members %v, %d adds for %d users (at most one repeat, for the call the abort cut)",
			allMembers(t, pod, room, users), total, len(users))
	}
}
