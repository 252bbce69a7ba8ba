package bulk

import (
	"testing"
	"time"

	"roster/symphony/podsim"
)

// BenchmarkEstateLanes runs five rooms of over 500 members, 200 users each,
// all paced, side by side, and reports the run's time against the slowest
// room's bound (its paced calls x the interval: x-slowest-lane, goal
// <= 1.10) and against the rooms one after another (x-sequential, goal <=
// 0.25), and the pacing violations the pod counted over every run (a pod
// that forgives a third of the interval). Time is scaled: 30 ms stands for
// Symphony's 3 s.
//
//	go test ./symphony/bulk -run '^$' -bench EstateLanes -benchtime 3x
func BenchmarkEstateLanes(b *testing.B) {
	const (
		rooms    = 5
		per      = 200
		interval = 30 * time.Millisecond
	)
	p := startSim(b, podsim.Options{Latency: time.Millisecond, PaceGap: interval, PaceTolerance: interval / 3})
	var slowest, sequential float64
	violations := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ids, users := p.jumboRooms(rooms, per)
		e := p.planEstate(b, EstateRequest{Request: Request{Mode: ModeAdd, Interval: interval}}, roomList(ids, users))
		var bound, sum time.Duration
		for _, l := range e.Lanes {
			lane := time.Duration(l.Job.Plan.PacedCalls) * interval
			bound = max(bound, lane)
			sum += lane
		}
		b.StartTimer()
		start := time.Now()
		s, _, err := runEstate(b, e, nil, nil)
		took := time.Since(start)
		b.StopTimer()
		if err != nil || s.Totals.Added != rooms*per {
			b.Fatalf("run: %v %+v", err, s.Totals)
		}
		violations = p.State().PacingViolations
		slowest = max(slowest, float64(took)/float64(bound))
		sequential = max(sequential, float64(took)/float64(sum))
		b.StartTimer()
	}
	b.ReportMetric(slowest, "x-slowest-lane")
	b.ReportMetric(sequential, "x-sequential")
	b.ReportMetric(float64(violations), "pod-violations")
}
