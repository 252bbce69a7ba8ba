package bulk

import "time"

// What the faces of an estate run read of it, beside Estate and Lane's
// fields and methods: the time left of a run under way. It is decided here
// once, so the wizard's lanes view and the headless lines say the same.

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
