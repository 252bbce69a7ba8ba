package bulk

import (
	"testing"
	"time"

	"roster/symphony/podsim"
)

// TestEstimateWithACallTime: paced calls start an interval apart, so each
// takes the longer of the interval and the call; unpaced calls take the
// call's time.
func TestEstimateWithACallTime(t *testing.T) {
	tests := []struct {
		name      string
		members   int
		actions   int
		interval  time.Duration
		callTime  time.Duration
		want      time.Duration
		wantPaced int
	}{
		{"unpaced: the call time each", 10, 31, 20 * time.Millisecond, time.Millisecond, 31 * time.Millisecond, 0},
		{"paced, fast pod: the interval each", 1200, 31, 20 * time.Millisecond, time.Millisecond, 31 * 20 * time.Millisecond, 31},
		{"paced, slow pod: the call time each", 1200, 31, 20 * time.Millisecond, 250 * time.Millisecond, 31 * 250 * time.Millisecond, 31},
		{"crossing 500: 2 unpaced, then paced", 498, 4, time.Second, 10 * time.Millisecond, 2*10*time.Millisecond + 2*time.Second, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, paced := estimate(ModeAdd, make([]Item, tt.actions), tt.members, tt.interval, tt.callTime)
			if got != tt.want || paced != tt.wantPaced {
				t.Errorf("estimate = %v, %d paced; want %v, %d", got, paced, tt.want, tt.wantPaced)
			}
		})
	}
}

func TestCallTimerMedianIsBounded(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		samples []time.Duration
		want    time.Duration
	}{
		{nil, 250 * ms},
		{[]time.Duration{900 * ms, 3 * ms, 5 * ms}, 5 * ms}, // a slow sign-in does not count
		{[]time.Duration{2 * ms, 4 * ms, 6 * ms, 400 * ms}, 5 * ms},
		{[]time.Duration{10 * time.Microsecond}, MinCallTime},
		{[]time.Duration{time.Minute}, MaxCallTime},
	}
	for _, tt := range tests {
		c := callTimer{samples: tt.samples}
		if got := c.callTime(250 * ms); got != tt.want {
			t.Errorf("callTime(%v) = %v, want %v", tt.samples, got, tt.want)
		}
	}
}

// TestPlanMeasuresTheCallTime: the plan times its read calls against the
// pod, so a pod that answers slowly gets a longer estimate than one that
// answers at once; an injected call time wins. (The simulated pod's latency
// is a floor of every reply, so the check cannot be flaky.)
func TestPlanMeasuresTheCallTime(t *testing.T) {
	const latency = 300 * time.Millisecond
	p := startSim(t, podsim.Options{Latency: latency})
	room := p.room("Timed", nil)
	ids := p.addUsers("u", 5)
	plan := p.plan(t, room, ModeAdd, idList(ids), time.Millisecond)
	if plan.CallTime < latency || plan.CallTime > MaxCallTime {
		t.Errorf("CallTime = %v; every reply takes at least %v", plan.CallTime, latency)
	}
	if want := time.Duration(len(ids)) * plan.CallTime; plan.Estimate != want {
		t.Errorf("Estimate = %v, want %d unpaced calls of %v = %v", plan.Estimate, len(ids), plan.CallTime, want)
	}

	injected, err := BuildPlan(testCtx(t), p.client, PlanRequest{StreamID: room, Mode: ModeAdd, List: idList(ids),
		Interval: time.Millisecond, CallTime: 7 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if injected.CallTime != 7*time.Millisecond || injected.Estimate != 35*time.Millisecond {
		t.Errorf("injected: CallTime %v, Estimate %v; want 7ms and 35ms", injected.CallTime, injected.Estimate)
	}
}
