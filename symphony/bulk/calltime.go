package bulk

import (
	"slices"
	"time"
)

// Bounds of the measured call time: a pod cannot answer a membership call
// faster than a loopback round trip and the journal's fsync, and a read
// slower than MaxCallTime says more about a hiccup than about the pod.
const (
	MinCallTime = time.Millisecond
	MaxCallTime = 10 * time.Second
)

// lookupBatch is how many users one look-up call carries (the pod's limit;
// the client splits longer look-ups into calls of this size).
const lookupBatch = 100

// callTimer times the plan's read calls, so that Estimate uses this pod's
// round trip instead of a guess: a pod on the same network answers in a few
// ms, a pod across the world in hundreds.
type callTimer struct {
	samples []time.Duration
}

// time runs f, which makes calls HTTP calls, and keeps the time of one.
func (c *callTimer) time(calls int, f func() error) error {
	start := time.Now()
	err := f()
	if err == nil && calls > 0 {
		c.samples = append(c.samples, time.Since(start)/time.Duration(calls))
	}
	return err
}

// add keeps the time of one call made elsewhere.
func (c *callTimer) add(took time.Duration) { c.samples = append(c.samples, took) }

// callTime is the median of the samples, bounded; with none, the fallback.
// The median, because the first call may include signing in and a member
// list of a jumbo room is long: neither is a membership call's time.
func (c *callTimer) callTime(fallback time.Duration) time.Duration {
	if len(c.samples) == 0 {
		return fallback
	}
	s := slices.Clone(c.samples)
	slices.Sort(s)
	mid := s[len(s)/2]
	if len(s)%2 == 0 {
		mid = (s[len(s)/2-1] + mid) / 2
	}
	return min(max(mid, MinCallTime), MaxCallTime)
}
