package bulk

// LeaveOutHelps reports whether the run is blocked only by rooms that
// cannot run, and would start without them (SkipBlocked): at least one
// other room is Ready. The wizard asks whether to leave them out only then.
func (e *Estate) LeaveOutHelps() bool {
	if e.SkipBlocked || e.Decision.Verdict != Blocked {
		return false
	}
	for _, l := range e.Lanes {
		if l.Runs() {
			return true
		}
	}
	return false
}
