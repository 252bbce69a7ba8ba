package podsim

import (
	"net/http"
	"time"
)

// pacingState counts changes that came too fast, and holds the per-caller
// throttle (Options.CallerGap).
type pacingState struct {
	violations int                 // in all rooms; each room counts its own too
	lastCall   map[int64]time.Time // the start of each caller's last membership call let through
	throttled  int                 // membership calls answered 429 by the per-caller throttle
}

// msgPaced is the 429 message of PaceReject.
const msgPaced = "Too many membership changes in a large room: one change every few seconds is allowed"

// msgCallerThrottled is the 429 of the per-caller throttle (Options.CallerGap):
// our own words (doc.go says why), naming that the limit is the caller's.
const msgCallerThrottled = "Too many requests from this user: slow down and retry after the time given"

// paceLocked applies Symphony's pacing rule to a change that is about to be
// made in r: in a room over PaceThreshold members, a change closer than
// PaceGap (minus PaceTolerance) to the previous accepted change is a
// violation. It is counted (in the room and in all); with PaceReject it is
// also answered 429 with Retry-After set to the rest of the gap, and
// paceLocked returns false (the change is not made). Only changes that
// really change membership are paced and remembered: an "already a member"
// reply changes nothing.
func (s *Server) paceLocked(w http.ResponseWriter, r *room) bool {
	now := s.now()
	if len(r.members) > PaceThreshold && !r.lastChange.IsZero() {
		elapsed := now.Sub(r.lastChange)
		if elapsed < s.opts.PaceGap-s.opts.PaceTolerance {
			s.pacing.violations++
			r.violations++
			if s.opts.PaceReject {
				writeRetryAfter(w, s.opts.PaceGap-elapsed, msgPaced)
				return false
			}
		}
	}
	r.lastChange = now
	return true
}

// throttleCallerLocked applies Options.CallerGap to a membership call of
// caller, in any room: a call closer than CallerGap to the caller's last
// call let through is answered 429 with Retry-After set to the rest of the
// gap, counted, and not made; throttleCallerLocked then returns false. A
// call let through starts the next gap whatever the room logic answers:
// a gateway that limits a caller's rate does not know what the call did.
func (s *Server) throttleCallerLocked(w http.ResponseWriter, caller *user) bool {
	gap := s.opts.CallerGap
	if gap <= 0 {
		return true
	}
	now := s.now()
	if last, ok := s.pacing.lastCall[caller.ID]; ok {
		if elapsed := now.Sub(last); elapsed < gap {
			s.pacing.throttled++
			writeRetryAfter(w, gap-elapsed, msgCallerThrottled)
			return false
		}
	}
	if s.pacing.lastCall == nil {
		s.pacing.lastCall = make(map[int64]time.Time)
	}
	s.pacing.lastCall[caller.ID] = now
	return true
}
