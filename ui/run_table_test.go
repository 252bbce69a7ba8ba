package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"roster/symphony/bulk"
)

func filledTable(n, w, h int) *runTable {
	t := newRunTable()
	t.width, t.height = w, h
	t.rows = make([]resultRow, 0, n)
	for i := 0; i < n; i++ {
		o := bulk.OutcomeAdded
		if i%17 == 0 {
			o = bulk.OutcomeFailed
		}
		t.add(resultRow{line: i + 2, user: fmt.Sprintf("user%06d@bank.example", i), outcome: o, status: 200, attempts: 1, message: "ok"})
	}
	return &t
}

func TestRunTableRendersOnlyTheVisibleWindow(t *testing.T) {
	for _, n := range []int{5, 100, 100000} {
		tb := filledTable(n, 80, 15)
		v := tb.view(NewStyles(DefaultTheme), nil)
		lines := strings.Split(v, "\n")
		want := min(n, 15) + 1
		if len(lines) != want {
			t.Fatalf("%d rows: view has %d lines, want %d", n, len(lines), want)
		}
		if !strings.Contains(lines[len(lines)-1], fmt.Sprintf("user%06d", n-1)) {
			t.Fatalf("%d rows: the newest row is not last: %q", n, lines[len(lines)-1])
		}
	}
}

func TestRunTableColumnsFitTheWidth(t *testing.T) {
	for _, w := range []int{80, 120, 200} {
		tb := filledTable(30, w, 10)
		tb.rows[29].message = strings.Repeat("a very long message ", 20)
		tb.rows[29].user = strings.Repeat("long.name", 20)
		checkFits(t, tb.view(NewStyles(DefaultTheme), nil), w, 11)
	}
}

func TestSparklineBucketsAndScales(t *testing.T) {
	s := newSparkline(time.Second, 5)
	base := fixedNow
	for i := 0; i < 8; i++ {
		s.add(base)
	}
	s.add(base.Add(1 * time.Second))
	s.add(base.Add(3 * time.Second)) // second 2 is empty
	if got := s.view(); got != "█▁ ▁" {
		t.Fatalf("sparkline = %q", got)
	}
	for i := 4; i < 12; i++ {
		s.add(base.Add(time.Duration(i) * time.Second))
	}
	if got := []rune(s.view()); len(got) != 5 {
		t.Fatalf("sparkline keeps %d buckets, want 5: %q", len(got), string(got))
	}
}

// BenchmarkRunViewRows100k is the run screen's whole View with 100,000
// results: it must cost what 100 rows cost (goal: under 2 ms).
func BenchmarkRunViewRows100k(b *testing.B) {
	m := New(Options{Now: func() time.Time { return fixedNow }})
	m.Update(teaSize(120, 40))
	plan := syntheticPlan(100000)
	m.sh.plan = plan
	m.step = stepRun
	m.layout()
	r := m.run
	r.starting, r.started = true, true
	tot := bulk.Totals{Actions: 100000}
	for i := 0; i < 100000; i++ {
		tot.Done++
		tot.Added++
		r.apply(bulk.Event{Kind: bulk.EventResult, Result: syntheticResult(i, bulk.OutcomeAdded, 200, ""), Totals: tot, Interval: 3 * time.Second})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}
