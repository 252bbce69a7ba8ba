package bulk

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/csvsource/heapwatch"
	"roster/symphony/podsim"
)

// The benchmarks of the README's "Performance" table. Time is scaled as in
// the other benchmarks: 30 ms stands for Symphony's 3 s pace and 3 ms for
// a pod's 300 ms reply. Each reports a ratio (b.ReportMetric), which is
// what the table holds: absolute times depend on the machine.

// BenchmarkRunnerVsBareLoop makes 2,000 adds (no pacing: the interval is
// 1 ns) through roster's runner, journal on disk, and the same 2,000 calls
// through a bare loop on the same client, and reports the runner's time
// over the loop's (x-bare), and the same ratio net of the pod's 3 ms reply
// time (x-bare-net: what a call costs on our side, the figure of the
// README's table). The two go in turns of 250 calls (a run of 250 users
// against 250 bare calls, which goes first alternating), so that a change
// in the machine's load falls on both alike; each run's own cost (its
// journal's header, its end record and report) is counted in its calls.
//
//	go test ./symphony/bulk -run '^$' -bench RunnerVsBareLoop -benchtime 1x -count 3
func BenchmarkRunnerVsBareLoop(b *testing.B) {
	const (
		n       = 2000
		turn    = 250
		latency = 3 * time.Millisecond
	)
	p := startSim(b, podsim.Options{Latency: latency})
	ctx := context.Background()
	var bare, runner time.Duration
	for i := 0; i < b.N; i++ {
		for k := 0; k < n/turn; k++ {
			b.StopTimer()
			bareRoom, bareUsers := p.room("bare", nil), p.addUsers("bare", turn)
			room := p.room("runner", nil)
			plan := p.plan(b, room, ModeAdd, idList(p.addUsers("runner", turn)), time.Nanosecond)
			dir := b.TempDir()
			b.StartTimer()

			loop := func() {
				start := time.Now()
				for _, id := range bareUsers {
					if _, err := p.client.AddMember(ctx, bareRoom, id); err != nil {
						b.Fatal(err)
					}
				}
				bare += time.Since(start)
			}
			if k%2 == 0 {
				loop()
			}
			start := time.Now()
			out := run(b, p.client, plan, RunOptions{OutDir: dir, Retry: fastRetry})
			runner += time.Since(start)
			if out.err != nil || out.summary.Totals.Added != turn {
				b.Fatalf("run: %v %+v", out.err, out.summary.Totals)
			}
			if k%2 == 1 {
				loop()
			}
		}
	}
	b.ReportMetric(float64(bare)/float64(b.N)/n/1e6, "bare-ms/call")
	b.ReportMetric(float64(runner)/float64(b.N)/n/1e6, "runner-ms/call")
	b.ReportMetric(float64(runner)/float64(bare), "x-bare")
	waited := time.Duration(b.N) * n * latency
	b.ReportMetric(float64(runner-waited)/float64(bare-waited), "x-bare-net")
}

// BenchmarkGuidanceBound adds 1,200 users to a room of 300 at a 30 ms
// interval: 201 unpaced calls (the room reaches 500), then one call per
// interval. The guidance bound is the least time the guidance allows: the
// unpaced calls at a bare loop's speed (measured in the same iteration),
// then one interval per paced call. It reports the run's time over that
// bound, and the worst gap between two paced starts over the interval.
// The "loaded" cases run as many busy processes as there are processors
// beside the run and its bare loop. late-ms is how late a paced start was on average, after
// the interval since the previous start: what adds up over a run.
// "loaded-300ms" scales time ten times less (a 300 ms interval, 30 ms
// replies; 60 paced calls): a stall of the machine is then measured
// against an interval nearer the real 3 s.
//
//	go test ./symphony/bulk -run '^$' -bench GuidanceBound -benchtime 1x -count 3
func BenchmarkGuidanceBound(b *testing.B) {
	busy := runtime.GOMAXPROCS(0)
	for _, c := range []struct {
		name     string
		busy     int
		n        int
		interval time.Duration
	}{
		{"idle", 0, 1200, 30 * time.Millisecond},
		{"loaded", busy, 1200, 30 * time.Millisecond},
		{"loaded-300ms", busy, 261, 300 * time.Millisecond},
	} {
		b.Run(c.name, func(b *testing.B) { guidanceBound(b, c.busy, c.n, c.interval) })
	}
}

func guidanceBound(b *testing.B, busy, n int, interval time.Duration) {
	const before = 300
	latency := interval / 10
	p := startSim(b, podsim.Options{Latency: latency, PaceGap: interval, PaceTolerance: interval - time.Millisecond})
	ctx := context.Background()
	var ratio, worst, late float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		room := p.room("guidance", p.addUsers("member", before-2))
		plan := p.plan(b, room, ModeAdd, idList(p.addUsers("new", n)), interval)
		unpaced := n - plan.PacedCalls
		bareRoom, bareUsers := p.room("bare", nil), p.addUsers("bare", unpaced)
		// The bare loop runs under the same load as the run: the bound is
		// what this machine allows now, not what it allowed idle.
		stopLoad := busyLoad(b, busy)
		start := time.Now()
		for _, id := range bareUsers {
			if _, err := p.client.AddMember(ctx, bareRoom, id); err != nil {
				b.Fatal(err)
			}
		}
		bound := time.Since(start) + time.Duration(plan.PacedCalls)*interval
		b.StartTimer()

		log := &startLog{}
		start = time.Now()
		out := runLogged(b, p.client, plan, RunOptions{OutDir: b.TempDir(), Retry: fastRetry}, log, nil)
		took := time.Since(start)
		b.StopTimer()
		stopLoad()
		if out.err != nil || out.summary.Totals.Added != n {
			b.Fatalf("run: %v %+v", out.err, out.summary.Totals)
		}
		ratio = max(ratio, float64(took)/float64(bound))
		worst = max(worst, float64(log.maxGap(unpaced))/float64(interval))
		late += float64(log.lateness(unpaced, interval)) / 1e6
		b.StartTimer()
	}
	b.ReportMetric(ratio, "x-bound")
	b.ReportMetric(worst, "worst-gap-x")
	b.ReportMetric(late/float64(b.N), "late-ms")
}

// lateness is the mean of how much later than one interval after the
// previous start each start from index from+1 on came.
func (s *startLog) lateness(from int, interval time.Duration) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sum time.Duration
	n := 0
	for i := from + 1; i < len(s.starts); i++ {
		sum += s.starts[i].Sub(s.starts[i-1]) - interval
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / time.Duration(n)
}

// maxGap is the largest gap between consecutive starts from index from on.
func (s *startLog) maxGap(from int) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var gap time.Duration
	for i := from + 1; i < len(s.starts); i++ {
		gap = max(gap, s.starts[i].Sub(s.starts[i-1]))
	}
	return gap
}

// busyLoad starts n shell loops that burn processor time, as other
// programs on a loaded machine do, until stopped.
func busyLoad(b *testing.B, n int) (stop func()) {
	var cmds []*exec.Cmd
	for range n {
		c := exec.Command("sh", "-c", "while :; do :; done")
		if err := c.Start(); err != nil {
			b.Fatalf("start a busy loop: %v", err)
		}
		cmds = append(cmds, c)
	}
	return func() {
		for _, c := range cmds {
			_ = c.Process.Kill()
			_ = c.Wait()
		}
	}
}

// BenchmarkPlanMemory plans a list of 100,000 user IDs (1,000 look-ups of
// 100) into a room of 300, and reports what planning costs per user: the
// heap the plan holds once built (held-B/user), the highest heap during
// the build over the heap before it (peak-B/user; the simulated pod's own
// garbage is in it too), and what the build allocated (alloc-B/user).
//
// ROSTER_PLAN_USERS sets another list size (1000000, 10000000); cpu-us/user
// is the processor time of the whole process during the build, the
// simulated pod's share included.
//
//	go test ./symphony/bulk -run '^$' -bench PlanMemory -benchtime 1x -count 3
//	ROSTER_PLAN_USERS=10000000 go test ./symphony/bulk -run '^$' -bench PlanMemory -benchtime 1x -timeout 1h
func BenchmarkPlanMemory(b *testing.B) {
	n := 100_000
	if v := os.Getenv("ROSTER_PLAN_USERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("ROSTER_PLAN_USERS=%q: want a number of users, such as 1000000", v)
		}
	}
	p := startSim(b, podsim.Options{})
	room := p.room("memory", p.addUsers("member", 298))
	list := idList(p.addUsers("new", n))
	ctx := context.Background()
	var held, peak, alloc, cpu float64
	cpuOK := true
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := heapwatch.Peak()
		cpu0, ok0 := processCPU()
		b.StartTimer()
		plan, err := BuildPlan(ctx, p.client, PlanRequest{StreamID: room, List: list})
		b.StopTimer()
		cpu1, ok1 := processCPU()
		cpuOK = cpuOK && ok0 && ok1
		cpu += float64(cpu1-cpu0) / 1e3 / float64(n)
		top := stop()
		if err != nil || len(plan.Actions) != n {
			b.Fatalf("plan: %v", err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		held += float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
		peak += float64(int64(top)-int64(before.HeapAlloc)) / float64(n)
		alloc += float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
		runtime.KeepAlive(plan)
	}
	b.ReportMetric(held/float64(b.N), "held-B/user")
	b.ReportMetric(peak/float64(b.N), "peak-B/user")
	b.ReportMetric(alloc/float64(b.N), "alloc-B/user")
	if cpuOK {
		b.ReportMetric(cpu/float64(b.N), "cpu-us/user")
	}
}

// processCPU is the processor time (user and system) this process has
// used, from /proc/self/stat (Linux; clock ticks of 10 ms); ok is false
// where that file is not.
func processCPU() (d time.Duration, ok bool) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command's closing parenthesis; utime and
	// stime are the 12th and 13th of them.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

// BenchmarkPlanLookAhead plans 50,000 user IDs (500 look-up calls) with
// the simulated pod answering every call in 3 ms (a 300 ms pod, scaled),
// and reports the plan's time over the time of 500 such replies one after
// the other (x-serial): what lookAhead's calls in flight save when the
// pod's reply, not this side's work, is the look-up's time.
//
//	go test ./symphony/bulk -run '^$' -bench PlanLookAhead -benchtime 1x -count 3
func BenchmarkPlanLookAhead(b *testing.B) {
	const (
		n       = 50_000
		latency = 3 * time.Millisecond
	)
	p := startSim(b, podsim.Options{Latency: latency})
	room := p.room("ahead", nil)
	list := idList(p.addUsers("new", n))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := BuildPlan(ctx, p.client, PlanRequest{StreamID: room, List: list})
		if err != nil || len(plan.Actions) != n {
			b.Fatalf("plan: %v", err)
		}
	}
	serial := time.Duration(b.N) * (n / lookupBatch) * latency
	b.ReportMetric(float64(b.Elapsed())/float64(serial), "x-serial")
}
