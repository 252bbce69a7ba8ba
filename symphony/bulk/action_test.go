package bulk

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// TestActionWords: the actions are written and read as the journal's words
// since its first version, and nothing else reads as an action.
func TestActionWords(t *testing.T) {
	for a, word := range map[Action]string{ActionAdd: "add", ActionRemove: "remove", ActionPromote: "promote"} {
		if a.String() != word {
			t.Errorf("%d.String() = %q, want %q", int(a), a.String(), word)
		}
		got, err := parseAction(word)
		if err != nil || got != a {
			t.Errorf("parseAction(%q) = %v, %v; want %v", word, got, err, a)
		}
		if b, err := a.MarshalText(); err != nil || string(b) != word {
			t.Errorf("%v.MarshalText() = %q, %v", a, b, err)
		}
	}
	for _, word := range []string{"", "demote", "Add", "PROMOTE", "owner", " add", "promoteOwner", "0", "3"} {
		if a, err := parseAction(word); err == nil {
			t.Errorf("parseAction(%q) = %v; want an error", word, a)
		}
		var a Action
		if err := a.UnmarshalText([]byte(word)); err == nil || a != actionNone {
			t.Errorf("UnmarshalText(%q) = %v, %v; want an error and no action", word, a, err)
		}
	}
	for _, a := range []Action{actionNone, Action(4), Action(-1), Action(99)} {
		if a.valid() {
			t.Errorf("%v is valid", a)
		}
		if b, err := a.MarshalText(); err == nil {
			t.Errorf("%v.MarshalText() = %q; want an error", a, b)
		}
		if s := a.String(); s == "add" || s == "remove" || s == "promote" {
			t.Errorf("Action(%d).String() = %q", int(a), s)
		}
	}
	if ModeAdd.change() != ActionAdd || ModeRemove.change() != ActionRemove || Mode(7).change().valid() {
		t.Errorf("Mode.change: add %v, remove %v, Mode(7) %v", ModeAdd.change(), ModeRemove.change(), Mode(7).change())
	}
	for _, tt := range []struct {
		t    task
		mode Mode
		want Action
	}{
		{task{}, ModeAdd, ActionAdd},
		{task{}, ModeRemove, ActionRemove},
		{task{promoteOnly: true}, ModeAdd, ActionPromote},
		{task{}, Mode(7), actionNone},
	} {
		if got := tt.t.action(tt.mode); got != tt.want {
			t.Errorf("%+v.action(%v) = %v, want %v", tt.t, tt.mode, got, tt.want)
		}
	}
}

// lockedLog is a request log the pod writes while the test reads it.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

// count is the number of logged requests whose line holds s.
func (l *lockedLog) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}

// changePath begins the paths of the membership changes (add, remove,
// promoteOwner, demoteOwner); the member list is read under /pod/v2.
const changePath = "/pod/v1/room/"

// TestUnknownActionIsNeverAPromotion: a call for a value that is not an
// action (or for a mode that has none) stops the run and reaches the pod
// not at all; it used to fall through to a promotion to owner. The same
// call with ActionPromote does promote, so the checks can tell.
func TestUnknownActionIsNeverAPromotion(t *testing.T) {
	log := &lockedLog{}
	p := startSim(t, podsim.Options{RequestLog: log})
	ids := p.addUsers("u", 2)
	room := p.room("Unknown", ids)
	plan := p.plan(t, room, ModeAdd, idList(ids, ids...), time.Millisecond)
	if len(plan.Actions) != 2 || !plan.Actions[0].PromoteOnly {
		t.Fatalf("the plan: %+v", plan.Actions)
	}
	r, err := NewRunner(p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	it := plan.Actions[0]
	owner := func() bool {
		rs, ok := p.State().Room(room)
		if !ok {
			t.Fatalf("room %s is not in the pod's state", room)
		}
		for _, id := range rs.Owners {
			if id == it.UserID {
				return true
			}
		}
		return false
	}
	for _, a := range []Action{Action(99), actionNone, Action(-3)} {
		c := r.call(ctx, it, a)
		if c.stop == "" || !strings.Contains(c.stop, "not a membership call") || c.attempts != 0 || c.change.Status != 0 {
			t.Errorf("call(%v) = %+v; want a stop before any attempt", a, c)
		}
	}
	// A mode with no action stops the task before its call, and before
	// the promotion its owner flag asks for.
	plan.Mode = Mode(7)
	res, stop := r.execute(ctx, task{index: 1, item: plan.Actions[1]})
	plan.Mode = ModeAdd
	if res != nil || !strings.Contains(stop, "not a membership call") {
		t.Errorf("execute with Mode(7) = %+v, %q; want the user left pending and the run stopped", res, stop)
	}
	if owner() {
		t.Fatal("a call for an unknown action made the user an owner")
	}
	if n := log.count(changePath); n != 0 {
		t.Fatalf("%d membership calls reached the pod for unknown actions", n)
	}
	r.journal.Close()
	st, err := readJournal(r.journal.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.inFlight) != 0 || st.done() != 0 {
		t.Errorf("the journal holds %d starts and %d results for unknown actions", len(st.inFlight), st.done())
	}

	// The control: the same call with ActionPromote does reach the pod.
	r.journal, err = appendJournal(r.journal.Path(), st.validEnd)
	if err != nil {
		t.Fatal(err)
	}
	defer r.journal.Close()
	if c := r.call(ctx, it, ActionPromote); c.stop != "" || c.err != nil || c.attempts != 1 {
		t.Fatalf("call(ActionPromote) = %+v", c)
	}
	if !owner() {
		t.Fatal("ActionPromote did not make the user an owner: the checks above prove nothing")
	}
	deadline := time.Now().Add(5 * time.Second)
	for log.count("/membership/promoteOwner") == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // the pod logs a request after its reply
	}
	if n := log.count(changePath); n != 1 {
		t.Errorf("%d membership calls logged after the one promotion, want 1", n)
	}
}
