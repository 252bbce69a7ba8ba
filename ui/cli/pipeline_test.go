package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
	"roster/ui"
	"roster/ui/words"
)

// startState is a folder, a list and a room as a run finds them: the same
// state is given to the dry run, the real headless run and the wizard's
// preview, and all three must take one decision, say one message and exit
// with one code.
type startState struct {
	name   string
	room   func(d *podsim.Demo) string
	resume string // "", "auto" (a bare --resume), or "file" (--resume FILE of the state's journal)
	// prepare leaves what the state needs in out (a journal); it returns
	// the journal to name with --resume FILE.
	prepare func(t *testing.T, pod *podsimtest.Pod, list, out string) string
	verdict bulk.Verdict
}

func small(d *podsim.Demo) string { return d.Small }

var startStates = []startState{
	{name: "no journal", room: small, verdict: bulk.Ready},
	{name: "unfinished journal, no --resume", room: small, prepare: unfinishedJournal, verdict: bulk.Unfinished},
	{name: "unfinished journal, --resume", room: small, resume: "auto", prepare: unfinishedJournal, verdict: bulk.Ready},
	{name: "--resume FILE of another room", room: small, resume: "file", prepare: otherRoomsJournal, verdict: bulk.CannotResume},
	{name: "deactivated room", room: func(d *podsim.Demo) string { return d.Deactivated }, verdict: bulk.Blocked},
	{name: "no permission", room: func(d *podsim.Demo) string { return d.Forbidden }, verdict: bulk.Blocked},
	{name: "--resume FILE that is no journal", room: small, resume: "file", prepare: garbageJournal, verdict: bulk.CannotResume},
	{name: "unreadable journal of this run in --out", room: small, resume: "auto", prepare: tornJournal, verdict: bulk.CannotResume},
	{name: "another run holds the room", room: small, resume: "auto", prepare: heldRoom, verdict: bulk.Busy},
}

// TestOneDecisionForEveryFace runs each start state through the job, the
// headless dry run, the headless real run and the wizard, each on a fresh
// pod and folder: the verdict is the job's, the words are words', and the
// exit codes agree.
func TestOneDecisionForEveryFace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a simulated pod per face and state; skipped with -short")
	}
	for _, st := range startStates {
		t.Run(st.name, func(t *testing.T) {
			// Each face gets a fresh pod and folder in the same state; the
			// job's decision on each is the one that face must present.
			job, _ := setUpState(t, st)
			if v := job.Decision.Verdict; v != st.verdict {
				t.Fatalf("the job decided %v (%s), want %v", v, words.Refusal(job.Decision, words.Headless), st.verdict)
			}
			code := job.Decision.ExitCode()
			for _, face := range []string{"dry run", "real run"} {
				t.Run(face, func(t *testing.T) {
					job, args := setUpState(t, st)
					d := job.Decision
					if d.Verdict != st.verdict || d.ExitCode() != code {
						t.Fatalf("the job decided %v, exit %d, on a state it decided %v, exit %d on before", d.Verdict, d.ExitCode(), st.verdict, code)
					}
					if face == "dry run" {
						args = append(args, "--dry-run")
					} else {
						args = append(args, "--yes")
					}
					r := runCmd(t, args...)
					if r.code != code {
						t.Errorf("exit %d, want the job's %d\n%s", r.code, code, r)
					}
					refusal := words.Refusal(d, words.Headless)
					switch {
					case refusal != "":
						if !strings.Contains(r.stderr, refusal) {
							t.Errorf("stderr lacks the job's refusal %q\n%s", refusal, r)
						}
					case face == "dry run":
						if !strings.Contains(r.stdout, words.DryRun) {
							t.Errorf("stdout lacks %q\n%s", words.DryRun, r)
						}
					default:
						if !strings.Contains(r.stdout, "every action succeeded") {
							t.Errorf("the run the job allowed did not finish well\n%s", r)
						}
					}
				})
			}

			t.Run("wizard dry run", func(t *testing.T) {
				job, _ := setUpState(t, st)
				d := job.Decision
				opts := wizardOptions(job)
				opts.DryRun = true
				tm := teatest.NewTestModel(t, ui.New(opts), teatest.WithInitialTermSize(400, 60))
				if refusal := words.Refusal(d, words.Wizard); refusal != "" {
					waitFor(t, tm, strings.Split(refusal, "\n")...)
				} else {
					waitFor(t, tm, words.DryRun)
				}
				tm.Type("q")
				fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*ui.Model)
				if got := fm.ExitCode(); got != code {
					t.Errorf("the wizard's dry run exits %d, want the job's %d", got, code)
				}
			})

			t.Run("wizard", func(t *testing.T) {
				job, _ := setUpState(t, st)
				d := job.Decision
				m := ui.New(wizardOptions(job))
				// wide enough that no sentence is wrapped
				tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(400, 60))
				refusal := words.Refusal(d, words.Wizard)
				if refusal != "" {
					waitFor(t, tm, strings.Split(refusal, "\n")...)
				} else {
					waitFor(t, tm, "s: start")
					tm.Type("s")
					tm.Type("y")
					waitFor(t, tm, "every action succeeded", words.ExitCode(bulk.ExitOK))
				}
				tm.Type("q")
				fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*ui.Model)
				if got := fm.ExitCode(); got != code {
					t.Errorf("the wizard exits %d, want the job's %d", got, code)
				}
			})
		})
	}
}

// setUpState starts a fresh pod, writes the list and the state's journal,
// and returns the job's decision on it and the headless flags for it.
func setUpState(t *testing.T, st startState) (*bulk.Job, []string) {
	t.Helper()
	pod := startPod(t, podsim.Options{Latency: 15 * time.Millisecond})
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	list := writeAddList(t, pod, dir, 4).path
	room := st.room(pod.Demo)
	journal := ""
	if st.prepare != nil {
		journal = st.prepare(t, pod, list, out)
	}
	args := []string{"--config", pod.ConfigPath(), "--csv", list, "--stream", room, "--out", out}
	req := bulk.Request{ConfigPath: pod.ConfigPath(), CSVPath: list, Stream: room, OutDir: out}
	switch st.resume {
	case "auto":
		args = append(args, "--resume")
		req.Resume.Auto = true
	case "file":
		args = append(args, "--resume", journal)
		req.Resume.File = journal
	}
	job, err := bulk.Prepare(context.Background(), req, nil)
	if err != nil {
		t.Fatalf("the job: %v", err)
	}
	t.Cleanup(job.Session.Close)
	return job, args
}

// wizardOptions are the flags of the job's request, as the wizard takes them.
func wizardOptions(job *bulk.Job) ui.Options {
	return ui.Options{ConfigPath: job.ConfigPath, CSVPath: job.CSVPath, Stream: job.Stream, OutDir: job.OutDir, Resume: job.Resume}
}

// unfinishedJournal runs the list into the small room and aborts it after
// its first result: the journal in out is unfinished, with some users done.
func unfinishedJournal(t *testing.T, pod *podsimtest.Pod, list, out string) string {
	t.Helper()
	return abortedRun(t, pod, list, pod.Demo.Small, out)
}

// otherRoomsJournal leaves an unfinished journal of the list into the
// medium room, to be named with --resume FILE for the small room.
func otherRoomsJournal(t *testing.T, pod *podsimtest.Pod, list, out string) string {
	t.Helper()
	return abortedRun(t, pod, list, pod.Demo.Medium, filepath.Join(filepath.Dir(out), "elsewhere"))
}

func abortedRun(t *testing.T, pod *podsimtest.Pod, list, room, out string) string {
	t.Helper()
	job, err := bulk.Prepare(context.Background(), bulk.Request{ConfigPath: pod.ConfigPath(), CSVPath: list, Stream: room, OutDir: out}, nil)
	if err != nil {
		t.Fatalf("the run to abort: %v", err)
	}
	defer job.Session.Close()
	control := bulk.NewControl()
	runner, err := job.Start(control)
	if err != nil {
		t.Fatalf("start the run to abort: %v", err)
	}
	go func() {
		for ev := range runner.Events() {
			if ev.Kind == bulk.EventResult {
				control.Abort()
			}
		}
	}()
	sum, err := runner.Run(context.Background())
	if err != nil || sum == nil || !sum.Aborted || sum.Totals.Done == 0 || sum.Totals.Done == sum.Totals.Actions {
		t.Fatalf("want a run aborted part way: %+v, %v", sum, err)
	}
	return sum.JournalPath
}

// heldRoom starts a run of the list into the small room from another out
// folder and holds it (started, not run) until the test ends, as another
// roster process would.
func heldRoom(t *testing.T, pod *podsimtest.Pod, list, out string) string {
	t.Helper()
	job, err := bulk.Prepare(context.Background(), bulk.Request{ConfigPath: pod.ConfigPath(), CSVPath: list,
		Stream: pod.Demo.Small, OutDir: filepath.Join(filepath.Dir(out), "elsewhere")}, nil)
	if err != nil {
		t.Fatalf("the run that holds the room: %v", err)
	}
	control := bulk.NewControl()
	runner, err := job.Start(control)
	if err != nil {
		t.Fatalf("start the run that holds the room: %v", err)
	}
	t.Cleanup(func() {
		control.Abort() // the run lets the room go as it returns
		go func() {
			for range runner.Events() {
			}
		}()
		runner.Run(context.Background())
		job.Session.Close()
	})
	return ""
}

// garbageJournal is a file that is no journal, named with --resume FILE.
func garbageJournal(t *testing.T, pod *podsimtest.Pod, list, out string) string {
	t.Helper()
	return writeFile(t, filepath.Dir(out), "not-a-journal.jsonl", "this is not a journal\n")
}

// tornJournal is an unfinished journal of this run whose body was damaged
// after its header: found by its header, it cannot be read.
func tornJournal(t *testing.T, pod *podsimtest.Pod, list, out string) string {
	t.Helper()
	path := unfinishedJournal(t, pod, list, out)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("{ damaged\n"); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitFor waits until the wizard's output holds every text.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !strings.Contains(string(b), strings.TrimSpace(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(20*time.Second))
}

var _ tea.Model = (*ui.Model)(nil)

// TestAStartThatFailsExitsTwo: the job allowed the run, but by the time
// the operator starts it its out folder cannot be made (it became a link
// to a path under a file: the tests run as root, so a folder without write
// permission would not do). Nothing was changed: the wizard exits 2, as
// the headless run does for every start that fails (bulk.RunExitCode of a
// *bulk.StartError), and says which folder.
func TestAStartThatFailsExitsTwo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a simulated pod; skipped with -short")
	}
	job, _ := setUpState(t, startState{name: "ready", room: small, verdict: bulk.Ready})
	if job.Decision.Verdict != bulk.Ready {
		t.Fatalf("the job decided %v; the test wants a start that fails after a Ready decision", job.Decision.Verdict)
	}
	tm := teatest.NewTestModel(t, ui.New(wizardOptions(job)), teatest.WithInitialTermSize(400, 60))
	waitFor(t, tm, "s: start")
	file := writeFile(t, filepath.Dir(job.OutDir), "blocker", "a file where a folder should be\n")
	if err := os.Symlink(filepath.Join(file, "sub"), job.OutDir); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	tm.Type("s")
	tm.Type("y")
	waitFor(t, tm, "prepare the run")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*ui.Model)
	if got := fm.ExitCode(); got != bulk.ExitInput {
		t.Errorf("the wizard exits %d after a start that failed, want %d as headless", got, bulk.ExitInput)
	}
}
