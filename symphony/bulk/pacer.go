package bulk

import "time"

// Pacer spaces the starts of membership calls. It holds no clock of its own:
// the runner asks it when the next call may start and tells it when one did,
// so that it can be tested with plain times.
//
// The interval is measured from the previous call's start, not its end: a
// run of N paced calls takes N x interval, not N x (interval + latency).
// It is measured from the previous ACTUAL start, whatever delayed it (a
// pause, a retry wait, a slow reply), so there is never a catch-up burst: a
// call that starts late does not let the next one start early.
type Pacer struct {
	interval time.Duration
	last     time.Time // start of the previous call, paced or not; zero before the first
}

// NewPacer returns a pacer for the interval.
func NewPacer(interval time.Duration) *Pacer { return &Pacer{interval: interval} }

// Interval is the pace.
func (p *Pacer) Interval() time.Duration { return p.interval }

// Next is the earliest time a call may start: now when it is not paced or
// the previous start is at least one interval ago.
func (p *Pacer) Next(now time.Time, paced bool) time.Time {
	if !paced || p.last.IsZero() {
		return now
	}
	if next := p.last.Add(p.interval); next.After(now) {
		return next
	}
	return now
}

// Started records that a call started at t. Every call is recorded, paced
// or not, so that the first paced call is spaced from the unpaced one
// before it.
func (p *Pacer) Started(t time.Time) { p.last = t }

// Last is the previous call's start, zero before the first.
func (p *Pacer) Last() time.Time { return p.last }
