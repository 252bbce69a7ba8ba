package bulk

import "time"

// Rate measures a run as its results come, for an honest estimate of the
// time left, the same on the run screen and in the headless progress lines.
// The pace is only a floor: latency, promotions (a second call) and retry
// waits make a run slower, and the rate seen so far shows it.
type Rate struct {
	first, last time.Time
	results     int
}

// Result records a result that came at t.
func (r *Rate) Result(t time.Time) {
	if r.results == 0 {
		r.first = t
	}
	r.last = t
	r.results++
}

// Results is how many results were recorded.
func (r *Rate) Results() int { return r.results }

// Left is how long the remaining actions take at the slower of the pace and
// the rate seen so far; 0 when nothing is left, or when there is no pace and
// not yet two results to measure a rate from.
func (r *Rate) Left(remaining int, interval time.Duration) time.Duration {
	if remaining <= 0 {
		return 0
	}
	per := interval
	if r.results > 1 {
		per = max(per, r.last.Sub(r.first)/time.Duration(r.results-1))
	}
	return time.Duration(remaining) * per
}
