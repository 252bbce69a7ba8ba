package ui

import (
	"strings"
	"time"
)

// sparkline counts results per bucket of time and draws the most recent
// buckets with block characters: throughput at a glance.
type sparkline struct {
	bucket  time.Duration
	width   int
	counts  []int     // oldest first, at most width
	current time.Time // start of the newest bucket
}

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

func newSparkline(bucket time.Duration, width int) sparkline {
	return sparkline{bucket: bucket, width: width}
}

// add counts one result at t; empty buckets between results count zero.
func (s *sparkline) add(t time.Time) {
	b := t.Truncate(s.bucket)
	switch {
	case len(s.counts) == 0:
		s.counts = []int{0}
		s.current = b
	case b.After(s.current):
		gap := int(b.Sub(s.current) / s.bucket)
		for i := 0; i < gap && i < s.width; i++ {
			s.counts = append(s.counts, 0)
		}
		s.current = b
	}
	// a result from an earlier bucket (clock skew) counts in the newest one
	s.counts[len(s.counts)-1]++
	if len(s.counts) > s.width {
		s.counts = append(s.counts[:0], s.counts[len(s.counts)-s.width:]...)
	}
}

// view draws the buckets scaled to the busiest one.
func (s *sparkline) view() string {
	if len(s.counts) == 0 {
		return ""
	}
	top := 0
	for _, c := range s.counts {
		top = max(top, c)
	}
	var b strings.Builder
	for _, c := range s.counts {
		if top == 0 || c == 0 {
			b.WriteRune(' ')
			continue
		}
		i := (c*len(sparkBlocks) - 1) / top
		b.WriteRune(sparkBlocks[min(i, len(sparkBlocks)-1)])
	}
	return b.String()
}
