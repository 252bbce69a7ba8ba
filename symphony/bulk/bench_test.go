package bulk

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// BenchmarkScheduleVsSleep compares the runner with the old script's
// strategy (a fixed sleep after every call) on the same simulated pod with
// the same latency, for a room that grows from 450 to 1,050 members. Time
// is scaled: the interval stands for Symphony's 3 s and the latency for a
// pod's reply time, in the same proportion (3 s : 600 ms).
//
//	go test ./symphony/bulk -run '^$' -bench ScheduleVsSleep -benchtime 1x
func BenchmarkScheduleVsSleep(b *testing.B) {
	const (
		interval = 5 * time.Millisecond
		latency  = time.Millisecond
		before   = 450
		adds     = 600
	)
	p := startSim(b, podsim.Options{PaceGap: interval, PaceTolerance: interval - time.Millisecond, Latency: latency})
	var oldTotal, newTotal time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		oldRoom := p.room("old", p.addUsers("old-member", before-2))
		oldUsers := p.addUsers("old-new", adds)
		newRoom := p.room("new", p.addUsers("new-member", before-2))
		newUsers := p.addUsers("new-new", adds)
		plan := p.plan(b, newRoom, ModeAdd, idList(newUsers), interval)
		ctx := context.Background()
		b.StartTimer()

		start := time.Now()
		for _, id := range oldUsers {
			if _, err := p.client.AddMember(ctx, oldRoom, id); err != nil {
				b.Fatal(err)
			}
			time.Sleep(interval)
		}
		oldTotal += time.Since(start)

		start = time.Now()
		out := run(b, p.client, plan, RunOptions{OutDir: b.TempDir(), Retry: fastRetry})
		newTotal += time.Since(start)
		if out.err != nil || out.summary.Totals.Added != adds {
			b.Fatalf("run: %v %+v", out.err, out.summary.Totals)
		}
	}
	if v := p.State().PacingViolations; v != 0 {
		b.Errorf("%d pacing violations", v)
	}
	b.ReportMetric(oldTotal.Seconds()/float64(b.N), "sleep-after-s")
	b.ReportMetric(newTotal.Seconds()/float64(b.N), "scheduled-s")
	b.ReportMetric(float64(oldTotal)/float64(newTotal), "ratio")
}

// BenchmarkJumboRun measures how close a fully paced run comes to the
// pacing bound N x interval (1,200 adds into a room of 1,100).
//
//	go test ./symphony/bulk -run '^$' -bench JumboRun -benchtime 1x
func BenchmarkJumboRun(b *testing.B) {
	const (
		n        = 1200
		interval = 5 * time.Millisecond
	)
	p := startSim(b, podsim.Options{PaceGap: interval, PaceTolerance: interval - time.Millisecond})
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		room := p.room("jumbo", p.addUsers("member", 1098))
		plan := p.plan(b, room, ModeAdd, idList(p.addUsers("new", n)), interval)
		b.StartTimer()
		start := time.Now()
		out := run(b, p.client, plan, RunOptions{OutDir: b.TempDir(), Retry: fastRetry})
		total += time.Since(start)
		if out.summary.Totals.Added != n {
			b.Fatalf("%+v", out.summary.Totals)
		}
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(n*interval), "x-bound")
}

// BenchmarkJournalRecord is the cost of one journal record: a start record,
// made durable (fsync) before its call as the runner does, and a result
// record, written without an fsync (the next start's makes it durable).
// One change costs one of each.
//
//	go test ./symphony/bulk -run '^$' -bench JournalRecord -benchtime 2000x
func BenchmarkJournalRecord(b *testing.B) {
	p := journalPlan()
	res := Result{Time: time.Now(), Item: p.Actions[0], Name: "A", Outcome: OutcomeAdded, Status: 200, Message: "Member added", Attempts: 1}
	b.Run("start-fsync", func(b *testing.B) {
		j, err := createJournal(b.TempDir(), p, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := j.start(res.Item, res.Name, ActionAdd, res.Time); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("result-written", func(b *testing.B) {
		j, err := createJournal(b.TempDir(), p, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := j.result(res, ActionAdd); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBuildPlan10k plans a list of 10,000 user IDs (100 look-ups of
// 100) into a room of 2,000 members.
//
//	go test ./symphony/bulk -run '^$' -bench BuildPlan -benchtime 3x -benchmem
func BenchmarkBuildPlan10k(b *testing.B) {
	p := startSim(b, podsim.Options{})
	room := p.room("big", p.addUsers("member", 2000))
	list := idList(p.addUsers("new", 10000))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := BuildPlan(ctx, p.client, PlanRequest{StreamID: room, List: list})
		if err != nil || len(plan.Actions) != 10000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkReport100k writes the report of a 100,000-user run.
//
//	go test ./symphony/bulk -run '^$' -bench Report100k -benchtime 3x -benchmem
func BenchmarkReport100k(b *testing.B) {
	rows := make([]reportRow, 100000)
	for i := range rows {
		rows[i] = reportRow{Item: Item{Line: int32(i + 2), Input: "user" + itoa(int64(i)) + "@example.com", UserID: int64(1e6 + i)}, Name: "User",
			Outcome: OutcomeAdded, Status: 200, Message: "Member added", Attempts: 1, Time: time.Now()}
	}
	path := filepath.Join(b.TempDir(), "r.csv")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := writeReport(path, rows); err != nil {
			b.Fatal(err)
		}
	}
}
