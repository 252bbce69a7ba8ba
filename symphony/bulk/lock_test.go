package bulk

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/csvsource"
	"roster/symphony/podsim"
)

// session is a job's session on the simulated pod, logged in as the bot.
func (p *simPod) session(t *testing.T) *Session {
	t.Helper()
	s := &Session{Config: p.cfg, Pod: p.client}
	if err := s.Login(testCtx(t)); err != nil {
		t.Fatalf("Login: %v", err)
	}
	return s
}

// job plans a run of list into room with the out folder out, as a face does.
func (p *simPod) job(t *testing.T, s *Session, room string, list *csvsource.List, out string, resume ResumeChoice) *Job {
	t.Helper()
	j, err := Request{Mode: ModeAdd, OutDir: out, Resume: resume}.Plan(testCtx(t), s, list, room)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return j
}

// busyError is err as a *BusyError, or fails the test.
func busyError(t *testing.T, what string, err error) *BusyError {
	t.Helper()
	busy, ok := errors.AsType[*BusyError](err)
	if !ok {
		t.Fatalf("%s: want a *BusyError, got %v", what, err)
	}
	return busy
}

// assertAddedOnce checks that the pod took one add for each user, no more.
func assertAddedOnce(t *testing.T, p *simPod, room string, ids []int64) {
	t.Helper()
	st := p.State()
	rs, _ := st.Room(room)
	in := map[int64]bool{}
	for _, id := range rs.Members {
		in[id] = true
	}
	for _, id := range ids {
		c := st.Calls[id]
		if c == nil || c.Add != 1 || !in[id] {
			t.Errorf("user %d: calls %+v, member %v; want one add and a member", id, c, in[id])
		}
	}
}

// Two runs of one list into one room, from two out folders or one, planned
// at once: the first to start holds the room until its run ends, the
// second is refused at its decision and at its start, naming the first's
// PID and journal, and a plan made before the first ran is refused after
// it ended. Every user is added once.
func TestOneWriterPerRoom(t *testing.T) {
	for _, sameOut := range []bool{false, true} {
		name := "different out folders"
		if sameOut {
			name = "one out folder"
		}
		t.Run(name, func(t *testing.T) {
			p := startSim(t, podsim.Options{PaceGap: 1})
			ids := p.addUsers("u", 6)
			room := p.room("locked", nil)
			list := idList(ids)
			s := p.session(t)
			outA := t.TempDir()
			outB := t.TempDir()
			if sameOut {
				outB = outA
			}
			a := p.job(t, s, room, list, outA, ResumeChoice{})
			b := p.job(t, s, room, list, outB, ResumeChoice{})
			if a.Decision.Verdict != Ready || b.Decision.Verdict != Ready {
				t.Fatalf("verdicts before any run: %v, %v; want Ready", a.Decision.Verdict, b.Decision.Verdict)
			}
			ra, err := a.Start(nil)
			if err != nil {
				t.Fatalf("first Start: %v", err)
			}
			journal, _ := filepath.Abs(ra.JournalPath())

			_, err = b.Start(nil)
			busy := busyError(t, "second Start while the first holds the room", err)
			if busy.Holder.PID != os.Getpid() || busy.Holder.Journal != journal {
				t.Errorf("holder %+v; want PID %d and journal %s", busy.Holder, os.Getpid(), journal)
			}
			for _, want := range []string{"PID " + strconv.Itoa(os.Getpid()), journal} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the refusal %q does not name %q", err, want)
				}
			}

			// A third face looking now (a preview, a dry run) sees the run.
			c := p.job(t, s, room, list, outB, ResumeChoice{Auto: true})
			if c.Decision.Verdict != Busy || c.Decision.ExitCode() != ExitInput {
				t.Fatalf("decision while a run holds the room: %+v; want Busy, exit 2", c.Decision)
			}
			if h := busyError(t, "Decision.Err", c.Decision.Err).Holder; h.PID != os.Getpid() || h.Journal != journal {
				t.Errorf("the decision names %+v", h)
			}
			if code := RunExitCode(nil, err); code != ExitInput {
				t.Errorf("RunExitCode of a busy start = %d; want 2", code)
			}

			if o := drive(t, ra); o.err != nil || o.summary.Totals.Added != len(ids) {
				t.Fatalf("first run: %v, %+v", o.err, o.summary)
			}
			// Free again, but b's plan was made before a ran: out of date.
			_, err = b.Start(nil)
			if !busyError(t, "a plan made before the last run", err).Changed {
				t.Errorf("want Changed, got %v", err)
			}
			if d := p.job(t, s, room, list, outB, ResumeChoice{}).Decision; d.Verdict != NothingToDo {
				t.Errorf("a plan made after the run: %v; want NothingToDo", d.Verdict)
			}
			assertAddedOnce(t, p, room, ids)
		})
	}
}

// Two resumes of one journal: the second is refused at its start, naming
// the first and the journal, and the users left are added once.
func TestOneWriterPerJournal(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: 1})
	ids := p.addUsers("u", 6)
	room := p.room("resumed", nil)
	list := idList(ids)
	s := p.session(t)
	out := t.TempDir()

	first := p.job(t, s, room, list, out, ResumeChoice{})
	control := NewControl()
	r, err := first.Start(control)
	if err != nil {
		t.Fatal(err)
	}
	driveWatching(t, r, func(ev Event, evs []Event) {
		if countKind(evs, EventResult) == 2 {
			control.Abort()
		}
	})
	journal := r.JournalPath()

	a := p.job(t, s, room, list, out, ResumeChoice{File: journal})
	b := p.job(t, s, room, list, out, ResumeChoice{Auto: true})
	if a.Decision.Verdict != Ready || b.Decision.Resume == nil || b.Decision.Resume.Path != journal {
		t.Fatalf("decisions: %+v / %+v; want both to resume %s", a.Decision, b.Decision, journal)
	}
	ra, err := a.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(journal)
	_, err = b.Start(nil)
	if h := busyError(t, "second resume", err).Holder; h.PID != os.Getpid() || h.Journal != abs {
		t.Errorf("holder %+v; want this process and %s", h, abs)
	}
	if o := drive(t, ra); o.err != nil || o.summary.Totals.Added != len(ids) {
		t.Fatalf("resumed run: %v, %+v", o.err, o.summary)
	}
	assertAddedOnce(t, p, room, ids)
}

// The journal's own lock: a process that holds the journal (another user,
// whose room lock is in another cache folder) refuses a resume of it.
func TestJournalLockedRefusesResume(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: 1})
	ids := p.addUsers("u", 3)
	room := p.room("journal", nil)
	list := idList(ids)
	s := p.session(t)
	out := t.TempDir()
	r, err := p.job(t, s, room, list, out, ResumeChoice{}).Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	journal := r.JournalPath()
	r.release() // the room lock goes, as if it were another user's
	r.release = nil
	r.journal.Close()
	f, held, err := takeLock(journal, false)
	if err != nil || held {
		t.Fatalf("lock the journal: held %v, %v", held, err)
	}
	defer f.Close()
	j := p.job(t, s, room, list, out, ResumeChoice{Auto: true})
	_, err = j.Start(nil)
	busy := busyError(t, "resume of a held journal", err)
	abs, _ := filepath.Abs(journal)
	if busy.Journal != abs || !strings.Contains(err.Error(), abs) {
		t.Errorf("the refusal %q does not name the journal %s", err, abs)
	}
}

// A lock whose holder was killed (SIGKILL: no chance to let it go) does
// not block: the kernel let it go with the process.
func TestLockOfAKilledProcessDoesNotBlock(t *testing.T) {
	if os.Getenv("ROSTER_LOCK_HELPER") != "" {
		return
	}
	path := filepath.Join(t.TempDir(), "room.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), "ROSTER_LOCK_HELPER="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the helper said %q", line)
	}
	f, held, err := takeLock(path, true)
	if err != nil || !held {
		t.Fatalf("while the helper lives: held %v, %v; want held", held, err)
	}
	if h := readHolder(f); h.PID != cmd.Process.Pid {
		t.Errorf("holder PID %d; want the helper's %d", h.PID, cmd.Process.Pid)
	}
	f.Close()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	f, held, err = takeLock(path, true)
	if err != nil || held {
		t.Fatalf("after the helper was killed: held %v, %v; want the lock", held, err)
	}
	f.Close()
}

// TestLockHelperProcess is the killed holder of TestLockOfAKilledProcessDoesNotBlock.
func TestLockHelperProcess(t *testing.T) {
	path := os.Getenv("ROSTER_LOCK_HELPER")
	if path == "" {
		t.Skip("the helper process of TestLockOfAKilledProcessDoesNotBlock")
	}
	f, held, err := takeLock(path, true)
	if err != nil || held {
		os.Exit(1)
	}
	if err := writeHolder(f, Holder{PID: os.Getpid()}); err != nil {
		os.Exit(1)
	}
	os.Stdout.WriteString("locked\n")
	time.Sleep(time.Hour) // until killed
}
