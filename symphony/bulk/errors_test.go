package bulk

import (
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

func TestBuildPlanRefusesBadInput(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Real", nil)
	list := idList(p.addUsers("u", 1))
	tests := []struct {
		name string
		req  PlanRequest
		want string
	}{
		{"no list", PlanRequest{StreamID: room}, "no user list"},
		{"unknown room", PlanRequest{StreamID: "bm9zdWNocm9vbQ", List: list}, "bm9zdWNocm9vbQ"},
		{"bad mode", PlanRequest{StreamID: room, List: list, Mode: 7}, "unknown mode"},
	}
	for _, tt := range tests {
		if _, err := BuildPlan(testCtx(t), p.client, tt.req); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want an error naming %q", tt.name, err, tt.want)
		}
	}
}

func TestNewRunnerRefusesTheWrongJournal(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Journals", nil)
	ids := p.addUsers("u", 3)
	dir := t.TempDir()
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	done := run(t, p.client, plan, RunOptions{OutDir: dir})
	if _, err := NewRunner(p.client, plan, RunOptions{OutDir: dir, ResumeFrom: done.summary.JournalPath}); err == nil || !strings.Contains(err.Error(), "finished") {
		t.Errorf("resuming a finished run: %v", err)
	}
	other := p.plan(t, room, ModeAdd, idList(p.addUsers("v", 2)), time.Millisecond)
	if _, err := NewRunner(p.client, other, RunOptions{OutDir: dir, ResumeFrom: done.summary.JournalPath}); err == nil || !strings.Contains(err.Error(), "another run") {
		t.Errorf("resuming another list's journal: %v", err)
	}
	if _, err := NewRunner(p.client, other, RunOptions{ResumeFrom: dir + "/nope.jsonl"}); err == nil || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Errorf("resuming a missing journal: %v", err)
	}
	r, err := NewRunner(p.client, other, RunOptions{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	drive(t, r)
	if _, err := r.Run(testCtx(t)); err == nil {
		t.Error("a runner ran twice")
	}
}

// TestJournalFailureStopsTheRun: a run that cannot journal stops at once
// rather than go on changing the room without a record.
func TestJournalFailureStopsTheRun(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("Full disk", nil)
	ids := p.addUsers("u", 3)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	r.journal.f.Close() // every write fails from now on
	out := drive(t, r)
	if out.err == nil || !strings.Contains(out.summary.StopReason, "journal") || out.summary.ExitCode() != 3 {
		t.Fatalf("err %v, stop %q", out.err, out.summary.StopReason)
	}
	if st := p.State(); len(st.Calls) != 0 {
		t.Errorf("calls were made without a journal: %v", st.Calls)
	}
}
