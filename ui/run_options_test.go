package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"roster/symphony"
)

// flakyPod refuses the first adds with a retryable 503, then accepts.
type flakyPod struct {
	fakePod
	mu       sync.Mutex
	failures int
	calls    int
}

func (p *flakyPod) AddMember(ctx context.Context, id string, user int64) (symphony.Change, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if p.calls <= p.failures {
		return symphony.Change{}, &symphony.APIError{Status: 503, Class: symphony.ClassRetry, Message: "Service Unavailable"}
	}
	return symphony.Change{Outcome: symphony.Changed, Status: 200, Message: "Member added"}, nil
}

// The wizard's run honours the config's retry policy, as the headless run
// does: a config asking for 2 attempts fails a user after 2, instead of
// retrying for bulk's default 10 minutes.
func TestRunScreenUsesTheConfigsRetryPolicy(t *testing.T) {
	plan := syntheticPlan(1)
	plan.MembersBefore, plan.MembersAfter = 10, 11 // no pace
	m := newSized(t, Options{OutDir: t.TempDir()}, 80, 24)
	atStep(t, m, stepRun, plan)
	pod := &flakyPod{fakePod: fakePod{rooms: map[string]symphony.Room{plan.StreamID: plan.Room}}, failures: 3}
	m.made.session.Pod = pod
	m.made.session.Config.Retry = symphony.RetryPolicy{MaxAttempts: 2, Initial: time.Millisecond, Max: time.Millisecond}

	msg := m.run.start()()
	started, ok := msg.(runStartedMsg)
	if !ok {
		t.Fatalf("the run did not start: %#v", msg)
	}
	go func() {
		for range started.events {
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := started.runner.Run(ctx)
	if err != nil || sum == nil {
		t.Fatalf("run: %v", err)
	}
	if sum.Totals.Failed != 1 || sum.Totals.Added != 0 {
		t.Errorf("totals = %+v; want the user failed after the config's 2 attempts", sum.Totals)
	}
	if pod.calls != 2 {
		t.Errorf("%d add calls; the config allows 2 attempts", pod.calls)
	}
}
