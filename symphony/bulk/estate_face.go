package bulk

import "time"

// What the faces of an estate run read of it, beside Estate and Lane's
// fields: which rooms run, the time left of a run under way, the sum of
// the rooms' counts. Each is decided here once, so the wizard's lanes view
// and the headless lines say the same.

// Runs reports whether the room starts a run with the estate: planned and
// Ready.
func (l *Lane) Runs() bool { return l.runs() }

// CannotRun reports whether the room cannot run at all: it could not be
// resolved or planned (Err), or its plan is blocked. The estate's decision
// blocks on it, or leaves it out (Skipped) when the operator said so.
func (l *Lane) CannotRun() bool { return l.cannotRun() }

// Why is why a room cannot run, in one line: its error, or what blocks its
// plan; "" for a room that can.
func (l *Lane) Why() string {
	switch {
	case l.Err != nil:
		return l.Err.Error()
	case l.Job != nil && l.Job.Decision.Verdict == Blocked:
		return blockText(l.Job.Decision.Blocks)
	}
	return ""
}

// TimeLeft is how long an estate run under way still takes: the running
// rooms' time left (running, each holding a lane), then the queued rooms
// (queued, Estate.Lanes indexes) laid into the lanes as they come free, in
// order, each taking its plan's estimate.
func (e *Estate) TimeLeft(running []time.Duration, queued []int) time.Duration {
	each := append([]time.Duration(nil), running...)
	for _, i := range queued {
		if l := e.Lanes[i]; l.Job != nil {
			each = append(each, l.Job.Plan.Estimate)
		}
	}
	if len(each) == 0 {
		return 0
	}
	return laneMakespan(each, e.LaneCount())
}

// Plus is the sum of two rooms' counts, as the estate's summary adds them.
func (t Totals) Plus(o Totals) Totals { return t.plus(o) }
