package bulk

import (
	"strings"
	"testing"

	"roster/symphony/podsim"
)

// warning is the plan's warning with code, or nil.
func warning(p *Plan, code string) *Warning {
	for i := range p.Warnings {
		if p.Warnings[i].Code == code {
			return &p.Warnings[i]
		}
	}
	return nil
}

// A removal names every owner it removes, and one that removes every
// owner but the bot is Blocked (a decision that says so) unless the
// request allows it; then it runs and the pod is left with the bot alone.
func TestRemovingTheLastOwnerIsBlockedUnlessAllowed(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: 1})
	members := p.addUsers("m", 3)
	room := p.room("owners", members) // the bot and name-owner2 own it
	st, _ := p.State().Room(room)
	var human int64
	for _, id := range st.Owners {
		if id != p.BotID {
			human = id
		}
	}
	s := p.session(t)
	list := idList(append([]int64{members[0], human}, members[1]))
	req := Request{Mode: ModeRemove, OutDir: t.TempDir()}

	j, err := req.Plan(testCtx(t), s, list, room)
	if err != nil {
		t.Fatal(err)
	}
	w := warning(j.Plan, "owners-removed")
	if w == nil || !strings.Contains(w.Message, "owners-owner2 (line 3)") || !strings.Contains(w.Message, "1 owner") {
		t.Fatalf("the warning naming the owners removed: %+v in %+v", w, j.Plan.Warnings)
	}
	d := j.Decision
	if d.Verdict != Blocked || !d.LastOwner || d.ExitCode() != ExitInput {
		t.Fatalf("decision %+v; want Blocked by the last owner, exit 2", d)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Code != "last-owner" || !strings.Contains(d.Blocks[0].Message, "owners-owner2 (line 3)") ||
		!strings.Contains(d.Blocks[0].Message, "the bot as its only owner") {
		t.Errorf("blocks %+v", d.Blocks)
	}
	if _, err := j.Start(nil); err == nil {
		t.Fatal("a blocked removal started")
	}

	// The same plan decided again with the permission, as the wizard's
	// second question and the flag do.
	j.AllowRemovingLastOwner = true
	j.Decide(j.Resume)
	if j.Decision.Verdict != Ready {
		t.Fatalf("allowed: %+v; want Ready", j.Decision)
	}
	r, err := j.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := drive(t, r); o.err != nil || o.summary.Totals.Removed != 3 {
		t.Fatalf("the run: %v %+v", o.err, o.summary)
	}
	st, _ = p.State().Room(room)
	if len(st.Owners) != 1 || st.Owners[0] != p.BotID {
		t.Errorf("owners after: %v; want the bot alone", st.Owners)
	}
}

// Removing one of two human owners is named but not blocked; removing the
// bot and the last human owner leaves no owner at all, and says so.
func TestOwnersRemovedNamedAndBlockWording(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: 1})
	members := p.addUsers("m", 2)
	room := p.room("two", members, func(r *podsim.Room) { r.Members[2].Owner = true })
	st, _ := p.State().Room(room)
	var humans []int64
	for _, id := range st.Owners {
		if id != p.BotID {
			humans = append(humans, id)
		}
	}
	if len(humans) != 2 {
		t.Fatalf("owners %v; want the bot and two people", st.Owners)
	}
	s := p.session(t)
	one, err := Request{Mode: ModeRemove, OutDir: t.TempDir()}.Plan(testCtx(t), s, idList(humans[:1]), room)
	if err != nil {
		t.Fatal(err)
	}
	if one.Decision.Verdict != Ready || warning(one.Plan, "owners-removed") == nil {
		t.Errorf("one of two owners: %+v, warnings %+v; want Ready and the owner named", one.Decision, one.Plan.Warnings)
	}
	all, err := Request{Mode: ModeRemove, OutDir: t.TempDir()}.Plan(testCtx(t), s, idList(append(humans, p.BotID)), room)
	if err != nil {
		t.Fatal(err)
	}
	d := all.Decision
	if d.Verdict != Blocked || len(d.Blocks) != 1 || !strings.Contains(d.Blocks[0].Message, "every owner") ||
		!strings.Contains(d.Blocks[0].Message, "no owner at all") {
		t.Errorf("every owner and the bot: %+v", d)
	}
	if w := warning(all.Plan, "owners-removed"); w == nil || !strings.Contains(w.Message, "3 owners") || !strings.Contains(w.Message, "the bot itself (line 4)") {
		t.Errorf("the owners named: %+v", w)
	}
}
