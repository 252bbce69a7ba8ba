package bulk

import (
	"testing"
	"time"
)

func TestRateLeft(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 22, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		results   []time.Duration // since t0
		remaining int
		interval  time.Duration
		want      time.Duration
	}{
		{"nothing left", []time.Duration{0, time.Second}, 0, 3 * time.Second, 0},
		{"no result yet: the pace", nil, 10, 3 * time.Second, 30 * time.Second},
		{"no pace, one result: unknown", []time.Duration{0}, 10, 0, 0},
		{"slower than the pace: the rate seen", []time.Duration{0, 4 * time.Second, 8 * time.Second}, 10, 3 * time.Second, 40 * time.Second},
		{"faster than the pace cannot be: the pace", []time.Duration{0, time.Second, 2 * time.Second}, 10, 3 * time.Second, 30 * time.Second},
		{"no pace: the rate seen", []time.Duration{0, 200 * time.Millisecond}, 5, 0, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Rate
			for _, d := range tt.results {
				r.Result(t0.Add(d))
			}
			if r.Results() != len(tt.results) {
				t.Errorf("Results() = %d, want %d", r.Results(), len(tt.results))
			}
			if got := r.Left(tt.remaining, tt.interval); got != tt.want {
				t.Errorf("Left(%d, %v) = %v, want %v", tt.remaining, tt.interval, got, tt.want)
			}
		})
	}
}
