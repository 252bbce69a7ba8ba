//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
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

// hangupRun is the wizard started in tmux against a simulated pod, its
// exit code written by the shell that started it.
type hangupRun struct {
	t        *testing.T
	s        *tmuxSession
	tmux     string
	bin      string
	pod      *podsimtest.Pod
	room     string
	users    []podsim.User
	out      string
	exitFile string
}

// shellQuote quotes a word for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// startHangupRun starts a paced pod and the list of n users for its medium
// room (about 480 members: past 500 the adds are paced at the interval, so
// the run lasts several seconds).
func startHangupRun(t *testing.T, tmux, bin string, n int) *hangupRun {
	t.Helper()
	pod := startPod(t, podsim.Options{PaceGap: 200 * time.Millisecond, Latency: 20 * time.Millisecond})
	r := &hangupRun{t: t, tmux: tmux, bin: bin, pod: pod, room: pod.Demo.Medium, users: pod.Demo.Candidates[600 : 600+n]}
	if members := len(pod.Room(t, r.room).Members); members+n < 500+20 {
		t.Fatalf("the medium room has %d members: %d users would not pace 20 adds", members, n)
	}
	dir := t.TempDir()
	r.out = filepath.Join(dir, "out")
	r.exitFile = filepath.Join(dir, "exit-code")
	writeFile(t, dir, "users.csv", idCSV(userIDs(r.users)...))
	return r
}

// rosterLine is the shell line that runs the wizard and records its exit
// code. The shell traps the hangup, so that it outlives a closed session to
// write the code; roster itself gets the hangup's default disposition.
func (r *hangupRun) rosterLine() string {
	args := []string{r.bin, "--config", r.pod.ConfigPath(), "--csv", filepath.Join(filepath.Dir(r.out), "users.csv"),
		"--stream", r.room, "--interval", "200ms", "--out", r.out}
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return "trap : HUP; " + strings.Join(args, " ") + "; echo $? > " + shellQuote(r.exitFile)
}

// newSession opens a private tmux server whose session runs argv.
func (r *hangupRun) newSession(argv ...string) {
	r.t.Helper()
	r.s = newTmux(r.t, r.tmux, "hup", 120, 40, argv...)
}

// toPreview waits for the preview the flags lead to.
func (r *hangupRun) toPreview() {
	r.t.Helper()
	r.s.waitText("Step 4", "s: start")
}

// startAndAwaitResults starts the run and waits until the journal holds
// some results.
func (r *hangupRun) startAndAwaitResults(results int) {
	r.t.Helper()
	r.toPreview()
	r.s.keys("s")
	r.s.waitText("Really add")
	r.s.keys("y")
	r.s.waitText("Adding")
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if j := r.journal(); j != nil && len(j.results) >= results {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatalf("the journal does not hold %d results within 60s; the screen shows:\n%s", results, r.s.screen())
}

// rosterPID is the roster process: the one whose command line starts with
// the binary and names this test's out folder.
func (r *hangupRun) rosterPID() int {
	r.t.Helper()
	pattern := "^" + regexp.QuoteMeta(r.bin) + " .*" + regexp.QuoteMeta(r.out)
	out, err := exec.Command("pgrep", "-f", pattern).Output()
	if err != nil {
		r.t.Fatalf("pgrep -f %q: %v", pattern, err)
	}
	fields := strings.Fields(string(out))
	if len(fields) != 1 {
		r.t.Fatalf("pgrep -f %q: want one process, got %q", pattern, out)
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil {
		r.t.Fatal(err)
	}
	return pid
}

// exitCode waits for the shell to write roster's exit code.
func (r *hangupRun) exitCode() int {
	r.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(r.exitFile); err == nil && bytes.HasSuffix(data, []byte("\n")) {
			code, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				r.t.Fatalf("exit code file: %q", data)
			}
			return code
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.t.Fatalf("roster did not exit within 60s of the hangup")
	return 0
}

// journalView is what the test reads of a journal.
type journalView struct {
	path    string
	started map[int64]bool   // a call was started for the user
	results map[int64]string // the user's outcome
	last    map[string]any   // the last record
}

// journal reads the run's journal; nil when there is none yet.
func (r *hangupRun) journal() *journalView {
	paths, _ := filepath.Glob(filepath.Join(r.out, "*.jsonl"))
	if len(paths) == 0 {
		return nil
	}
	if len(paths) > 1 {
		r.t.Fatalf("more than one journal in %s: %v", r.out, paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		r.t.Fatal(err)
	}
	j := &journalView{path: paths[0], started: map[int64]bool{}, results: map[int64]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var rec struct {
			Type    string `json:"type"`
			UserID  int64  `json:"userId"`
			Outcome string `json:"outcome"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue // a line being written
		}
		j.last = map[string]any{}
		json.Unmarshal(sc.Bytes(), &j.last)
		switch rec.Type {
		case "start":
			j.started[rec.UserID] = true
		case "result":
			j.results[rec.UserID] = rec.Outcome
		}
	}
	return j
}

// report reads the run's report: each user ID's outcome.
func (r *hangupRun) report() map[int64]string {
	r.t.Helper()
	paths, _ := filepath.Glob(filepath.Join(r.out, "*-report.csv"))
	if len(paths) != 1 {
		r.t.Fatalf("want one report in %s, found %v", r.out, paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		r.t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		r.t.Fatalf("report %s: %v", paths[0], err)
	}
	if len(rows) == 0 || rows[0][3] != "user ID" || rows[0][5] != "outcome" {
		r.t.Fatalf("report %s: unexpected header %v", paths[0], rows)
	}
	outcomes := map[int64]string{}
	for _, row := range rows[1:] {
		id, err := strconv.ParseInt(row[3], 10, 64)
		if err != nil {
			r.t.Fatalf("report row %v: user ID %q", row, row[3])
		}
		if _, dup := outcomes[id]; dup {
			r.t.Errorf("report: user %d listed twice", id)
		}
		outcomes[id] = row[5]
	}
	return outcomes
}

// assertAbortedCleanly checks what an aborted run must leave: exit 3, a
// report that lists every user of the plan (the done ones with their
// outcome, the rest pending), a journal that ends on its stop record, and
// a pod whose members match the journal.
func (r *hangupRun) assertAbortedCleanly(code int) {
	t := r.t
	t.Helper()
	if code != 3 {
		t.Fatalf("exit code %d, want 3; the screen shows:\n%s", code, r.s.screen())
	}
	j := r.journal()
	if j == nil {
		t.Fatal("no journal")
	}
	if j.last["type"] != "stop" || j.last["reason"] != "aborted" {
		t.Errorf("the journal ends on %v, want the stop record of an aborted run", j.last)
	}
	report := r.report()
	// A call that the abort cut may still reach the pod after its latency.
	settledState(t, r.pod)
	members := r.pod.MemberSet(t, r.room)
	done, pending := 0, 0
	for _, u := range r.users {
		got, listed := report[u.ID]
		if !listed {
			t.Errorf("user %d of the plan is not in the report", u.ID)
			continue
		}
		if want, ok := j.results[u.ID]; ok {
			done++
			if got != want {
				t.Errorf("user %d: the report says %q, the journal %q", u.ID, got, want)
			}
			if want == "added" && !members[u.ID] {
				t.Errorf("user %d is reported added but the pod does not have them", u.ID)
			}
			continue
		}
		pending++
		if got != "pending" {
			t.Errorf("user %d has no result in the journal; the report says %q, want pending", u.ID, got)
		}
		if !j.started[u.ID] && members[u.ID] {
			t.Errorf("user %d is a member although no call for them was journaled", u.ID)
		}
	}
	if len(report) != len(r.users) {
		t.Errorf("the report lists %d users, the plan %d", len(report), len(r.users))
	}
	if done == 0 || pending == 0 {
		t.Errorf("%d users done and %d pending: the hangup must come mid-run", done, pending)
	}
}

// TestWizardHangupInTmux runs the real binary's wizard in tmux and hangs it
// up: during a run it must abort the run as x does, write the report and
// the journal's stop record, and exit 3; before a run it quits with 3.
func TestWizardHangupInTmux(t *testing.T) {
	tmux := tmuxPath(t)
	bin := rosterBinary(t) // skipped with -short
	const n = 60

	// A hangup delivered twice, as a dropped session delivers it (the
	// login shell passes its hangup on to the job, and the kernel hangs
	// the job up again when that shell exits), the terminal still there:
	// the summary stays printed on the normal screen.
	t.Run("SIGHUP twice", func(t *testing.T) {
		r := startHangupRun(t, tmux, bin, n)
		r.newSession("sh", "-c", r.rosterLine()+"; sleep 600")
		r.startAndAwaitResults(3)
		pid := r.rosterPID()
		syscall.Kill(pid, syscall.SIGHUP)
		time.Sleep(2 * time.Millisecond)
		syscall.Kill(pid, syscall.SIGHUP)
		r.assertAbortedCleanly(r.exitCode())
		sc := r.s.waitText("The run was aborted", "Report:")
		if !strings.Contains(sc, "pending in the report") {
			t.Errorf("the summary left on the screen does not say the rest is pending:\n%s", sc)
		}
	})

	// The session closes with the wizard a foreground job of an
	// interactive shell, as when an SSH connection drops: the terminal is
	// gone (reads fail, writes fail) and the hangups come from the shell
	// and the kernel.
	t.Run("session closed", func(t *testing.T) {
		r := startHangupRun(t, tmux, bin, n)
		if bash, err := exec.LookPath("bash"); err == nil {
			r.newSession("env", "HISTFILE=/dev/null", "PS1=$ ", bash, "--norc", "--noprofile", "-i")
			r.s.waitText("$")
			r.s.keys("sh -c "+shellQuote(r.rosterLine()), "Enter")
		} else {
			r.newSession("sh", "-c", r.rosterLine())
		}
		r.startAndAwaitResults(3)
		pid := r.rosterPID()
		if out, err := r.s.run("kill-session", "-t", "roster"); err != nil {
			t.Fatalf("tmux kill-session: %v: %s", err, out)
		}
		r.assertAbortedCleanly(r.exitCode())
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("roster (pid %d) is still running after it wrote its exit code", pid)
		}
	})

	t.Run("before the run", func(t *testing.T) {
		r := startHangupRun(t, tmux, bin, n)
		before := r.pod.MemberSet(t, r.room)
		r.newSession("sh", "-c", r.rosterLine()+"; sleep 600")
		r.toPreview()
		syscall.Kill(r.rosterPID(), syscall.SIGHUP)
		if code := r.exitCode(); code != 3 {
			t.Fatalf("a hangup at the preview: exit code %d, want 3", code)
		}
		if j := r.journal(); j != nil {
			t.Errorf("a hangup before the run left a journal: %s", j.path)
		}
		after := r.pod.MemberSet(t, r.room)
		if len(after) != len(before) {
			t.Errorf("the room went from %d to %d members without a run", len(before), len(after))
		}
	})
}
