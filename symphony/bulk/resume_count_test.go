package bulk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// TestInspectResumeCountsAsTheRunner: for one journal and one rebuilt plan,
// the preview's figures (InspectResume) are the resumed run's (its
// EventStarted totals). The journal shows two users done, a call in flight
// that took effect (the rebuilt plan sets that user aside, so only the
// member list tells) and one that did not (still an action of the plan);
// one user was never started.
func TestInspectResumeCountsAsTheRunner(t *testing.T) {
	for _, mode := range []Mode{ModeAdd, ModeRemove} {
		t.Run(mode.String(), func(t *testing.T) {
			p := startSim(t, podsim.Options{PaceGap: time.Millisecond})
			ids := p.addUsers("u", 5)
			var room string
			change, took := p.client.AddMember, OutcomeAdded
			if mode == ModeAdd {
				room = p.room("Figures", nil)
			} else {
				room = p.room("Figures", ids)
				change, took = p.client.RemoveMember, OutcomeRemoved
			}
			list := idList(ids)
			plan := p.plan(t, room, mode, list, time.Millisecond)
			if len(plan.Actions) != 5 {
				t.Fatalf("the plan has %d actions, want 5", len(plan.Actions))
			}
			dir := t.TempDir()
			r, err := NewRunner(p.client, plan, RunOptions{OutDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			ctx, action := testCtx(t), mode.change()
			done, landed, lost, never := plan.Actions[:2], plan.Actions[2], plan.Actions[3], plan.Actions[4]
			for _, it := range done {
				if _, err := change(ctx, room, it.UserID); err != nil {
					t.Fatal(err)
				}
				if err := r.journal.start(it, r.nameOf(it), action, time.Now()); err != nil {
					t.Fatal(err)
				}
				if err := r.journal.result(Result{Time: time.Now(), Item: it, Outcome: took, Status: 200, Attempts: 1}, action); err != nil {
					t.Fatal(err)
				}
			}
			if err := r.journal.start(landed, r.nameOf(landed), action, time.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := change(ctx, room, landed.UserID); err != nil {
				t.Fatal(err)
			}
			if err := r.journal.start(lost, r.nameOf(lost), action, time.Now()); err != nil {
				t.Fatal(err)
			}
			path := r.journal.Path()
			r.journal.Close()

			again := p.plan(t, room, mode, list, time.Millisecond)
			if len(again.Actions) != 2 || len(again.SetAside) != 3 {
				t.Fatalf("the rebuilt plan has %d actions and %d set aside, want 2 and 3 (the test no longer covers a user in flight whom the plan sets aside)",
					len(again.Actions), len(again.SetAside))
			}
			info, err := InspectResume(path, again)
			if err != nil {
				t.Fatal(err)
			}
			if info.Actions != 5 || info.Done != 2 || info.InFlight != 2 || info.ToGo() != 3 || len(info.SetAside) != 0 {
				t.Errorf("InspectResume: %+v, %d in flight, %d set aside; want 2 of 5 done, 2 in flight, none set aside",
					info, info.InFlight, len(info.SetAside))
			}
			out := run(t, p.client, again, RunOptions{OutDir: dir, ResumeFrom: path, Retry: fastRetry})
			if out.err != nil {
				t.Fatal(out.err)
			}
			started := out.events[0]
			if started.Kind != EventStarted || started.Totals.Actions != info.Actions || started.Totals.Done != info.Done {
				t.Errorf("the runner started with %+v; the preview said %+v", started.Totals, info)
			}
			if tot := out.summary.Totals; tot.Actions != info.Actions || tot.Done != info.Actions || out.summary.ExitCode() != 0 {
				t.Errorf("the resumed run ended with %+v (exit %d); the preview said %d actions", tot, out.summary.ExitCode(), info.Actions)
			}
			// The two in flight are the two the preview counted: one settled
			// from the member list, one called again.
			results, calls := out.results(), p.State().Calls
			if res := results[landed.UserID]; res.Outcome != took || res.Attempts != 0 || !strings.Contains(res.Message, "in flight") {
				t.Errorf("the call in flight that took effect: %+v", res)
			}
			if res := results[lost.UserID]; res.Outcome != took || res.Attempts != 1 {
				t.Errorf("the call in flight that did not take effect: %+v", res)
			}
			for _, it := range []Item{landed, lost, never} {
				if c := calls[it.UserID]; c == nil || c.Add+c.Remove != 1 {
					t.Errorf("user %d: %+v calls reached the pod, want 1", it.UserID, c)
				}
			}
			if len(results) != 3 {
				t.Errorf("the resumed run reported %d results, want 3", len(results))
			}
		})
	}
}

// TestResumeAVersion1Journal resumes a journal written before actions had a
// type (testdata/journal-v1-aborted.jsonl): a promote-only owner done, an
// owner added and promoted, a user's add in flight at the abort, one user
// to go. The pod is set up as the abort left it, with the add in flight
// landed.
func TestResumeAVersion1Journal(t *testing.T) {
	p := startSim(t, podsim.Options{})
	var ids []int64
	for i, name := range []string{"m", "u0", "u1", "u2"} {
		ids = append(ids, p.AddUser(podsim.User{ID: 9100000000001 + int64(i), Username: "fixture-" + name,
			Email: "fixture-" + name + "@example.com", DisplayName: "Fixture " + name, Active: true}))
	}
	room := p.room("Fixture Room", nil, func(r *podsim.Room) {
		r.ID = "llcPmCvOq5RU5yGBGRX66n___peoM7cPdA"
		r.Members = append(r.Members, podsim.Member{UserID: ids[0], Owner: true}, podsim.Member{UserID: ids[1], Owner: true},
			podsim.Member{UserID: ids[2]})
	})
	list := idList(ids, ids[0], ids[1])
	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	old, err := os.ReadFile("testdata/journal-v1-aborted.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "roster-fixture-room-20261205T025512Z.jsonl")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	found, done, err := FindResumable(dir, plan)
	if err != nil || found != path || done != 2 {
		t.Fatalf("FindResumable = %q, %d, %v; want %q, 2 (the plan's hash %s)", found, done, err, path, plan.InputHash)
	}
	info, err := InspectResume(path, plan)
	if err != nil {
		t.Fatal(err)
	}
	if info.Actions != 4 || info.Done != 2 || info.InFlight != 1 || len(info.SetAside) != 0 {
		t.Errorf("InspectResume: %+v, %d in flight, set aside %+v", info, info.InFlight, info.SetAside)
	}
	out := run(t, p.client, plan, RunOptions{OutDir: dir, ResumeFrom: path, Retry: fastRetry})
	if out.err != nil {
		t.Fatal(out.err)
	}
	if started := out.events[0]; started.Totals.Actions != 4 || started.Totals.Done != 2 {
		t.Errorf("resumed start: %+v", started.Totals)
	}
	tot := out.summary.Totals
	if tot.Done != 4 || tot.Added != 3 || tot.Already != 1 || tot.Promoted != 2 || out.summary.ExitCode() != 0 {
		t.Errorf("resumed totals %+v", tot)
	}
	if res := out.results()[ids[2]]; res.Outcome != OutcomeAdded || res.Attempts != 0 || !strings.Contains(res.Message, "in flight") {
		t.Errorf("the add in flight: %+v", res)
	}
	calls := p.State().Calls
	if c := calls[ids[2]]; c != nil && c.Add != 0 {
		t.Errorf("the add in flight was made again: %+v", c)
	}
	if c := calls[ids[3]]; c == nil || c.Add != 1 {
		t.Errorf("the user to go: %+v adds", c)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(after), string(old)) {
		t.Error("resuming rewrote the journal's earlier lines")
	}
	st, err := readJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if !st.finished || st.done() != 4 {
		t.Errorf("the journal after the resume: finished %v, %d done", st.finished, st.done())
	}
}
