package bulk

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// slowLookups is the simulated pod's client with its look-ups by ID held
// back: every other call answers late, so that answers come back out of
// order, and the calls in flight at once are counted. With failID set, the
// call asking for that user fails at once instead, and every other call
// answers late.
type slowLookups struct {
	*symphony.Client
	mu                    sync.Mutex
	calls, inFlight, most int
	failID                int64
}

var errLookupRefused = errors.New("look-up refused by the test")

func (s *slowLookups) UsersByID(ctx context.Context, ids []int64) (*symphony.UserLookup, error) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.inFlight++
	s.most = max(s.most, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	fail := s.failID != 0 && slices.Contains(ids, s.failID)
	if !fail && (n%2 == 1 || s.failID != 0) {
		// late even when cancelled, as a call that is mid-reply would be
		time.Sleep(20 * time.Millisecond)
	}
	if fail {
		return nil, errLookupRefused
	}
	return s.Client.UsersByID(ctx, ids)
}

// TestLookUpsInFlight: the plan's look-up calls overlap, never more than
// lookAhead at once, and a plan whose answers came back out of order is
// the plan of answers in order: the same actions, the same names.
func TestLookUpsInFlight(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("ahead", p.addUsers("member", 10))
	ids := p.addUsers("new", 10*lookupBatch+50) // 11 look-up calls
	list := idList(ids)
	slow := &slowLookups{Client: p.client}
	got := planOn(t, slow, room, ModeAdd, list, 0)
	want := planOn(t, p.client, room, ModeAdd, list, 0)
	if slow.calls != 11 {
		t.Fatalf("%d look-up calls for %d IDs, want 11", slow.calls, len(ids))
	}
	if slow.most < 2 || slow.most > lookAhead {
		t.Errorf("%d look-up calls in flight at most; want 2 to %d", slow.most, lookAhead)
	}
	if !slices.Equal(got.Actions, want.Actions) {
		t.Errorf("the plan of out-of-order answers differs from the plan of answers in order")
	}
	for _, it := range want.Actions {
		if g, w := got.NameOf(it), want.NameOf(it); g != w || w == "" {
			t.Fatalf("user %d is named %q, want %q", it.UserID, g, w)
		}
	}
}

// TestLookUpFailureStopsTheRest: a failed look-up call is the plan's
// error, and no call is left in flight once BuildPlan has returned.
func TestLookUpFailureStopsTheRest(t *testing.T) {
	p := startSim(t, podsim.Options{})
	room := p.room("ahead", nil)
	ids := p.addUsers("new", 10*lookupBatch)
	slow := &slowLookups{Client: p.client, failID: ids[3*lookupBatch]} // the 4th call's first user
	_, err := BuildPlan(testCtx(t), slow, PlanRequest{StreamID: room, List: idList(ids)})
	if !errors.Is(err, errLookupRefused) {
		t.Fatalf("BuildPlan: %v, want the refused look-up", err)
	}
	slow.mu.Lock()
	calls, inFlight := slow.calls, slow.inFlight
	slow.mu.Unlock()
	if inFlight != 0 {
		t.Errorf("%d look-up calls still in flight after BuildPlan returned", inFlight)
	}
	time.Sleep(50 * time.Millisecond) // a call launched but not yet made would be made by now
	slow.mu.Lock()
	defer slow.mu.Unlock()
	if slow.calls != calls {
		t.Errorf("%d look-up calls made after BuildPlan returned", slow.calls-calls)
	}
	if slow.calls > 4+lookAhead-1 {
		t.Errorf("%d look-up calls made; the 4th failed, so at most %d", slow.calls, 4+lookAhead-1)
	}
	if slow.calls < 4 {
		t.Errorf("%d look-up calls made; the 4th should have failed", slow.calls)
	}
}
