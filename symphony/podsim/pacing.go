package podsim

import "net/http"

// pacingState counts changes that came too fast.
type pacingState struct {
	violations int
}

// msgPaced is the 429 message of PaceReject.
const msgPaced = "Too many membership changes in a large room: one change every few seconds is allowed"

// paceLocked applies Symphony's pacing rule to a change that is about to be
// made in r: in a room over PaceThreshold members, a change closer than
// PaceGap (minus PaceTolerance) to the previous accepted change is a
// violation. It is counted; with PaceReject it is also answered 429 with
// Retry-After set to the rest of the gap, and paceLocked returns false (the
// change is not made). Only changes that really change membership are paced
// and remembered: an "already a member" reply changes nothing.
func (s *Server) paceLocked(w http.ResponseWriter, r *room) bool {
	now := s.now()
	if len(r.members) > PaceThreshold && !r.lastChange.IsZero() {
		elapsed := now.Sub(r.lastChange)
		if elapsed < s.opts.PaceGap-s.opts.PaceTolerance {
			s.pacing.violations++
			if s.opts.PaceReject {
				writeRetryAfter(w, s.opts.PaceGap-elapsed, msgPaced)
				return false
			}
		}
	}
	r.lastChange = now
	return true
}
