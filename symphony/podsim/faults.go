package podsim

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// faultState is the hostility in force; it lives behind s.mu.
type faultState struct {
	f         Faults
	rng       *rand.Rand
	burstLeft int       // 503s still owed by the current burst
	lastKill  time.Time // when KillSessionsEvery last fired
}

func (fs *faultState) reset(f Faults, now time.Time) {
	if f.Burst5xx < 1 {
		f.Burst5xx = 1
	}
	if f.RetryAfter <= 0 {
		f.RetryAfter = time.Second
	}
	fs.f = f
	fs.rng = newRand(f.Seed)
	fs.burstLeft = 0
	fs.lastKill = now
}

// SetFaults replaces the fault settings. The random generator restarts from
// f.Seed, so the same calls after SetFaults meet the same faults.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.reset(f, s.now())
}

// killSessionsIfDueLocked invalidates every session when KillSessionsEvery
// has passed since the last time. Checking on each call (rather than on a
// timer) is enough: a session can only be noticed dead by a call.
func (s *Server) killSessionsIfDueLocked(now time.Time) {
	fs := &s.faults
	every := fs.f.KillSessionsEvery
	if every <= 0 || now.Sub(fs.lastKill) < every {
		return
	}
	clear(s.sessions)
	fs.lastKill = now
}

// fault is what injectFault decided for one call.
type fault int

const (
	faultNone fault = iota
	faultDrop
	fault503
	fault429
)

// injectFaultLocked draws the fault of one /pod call. Drops come first (the
// connection dies before anything is said), then 503 bursts, then 429s.
func (s *Server) injectFaultLocked() fault {
	fs := &s.faults
	if fs.f.DropRate > 0 && s.randFloat() < fs.f.DropRate {
		return faultDrop
	}
	if fs.burstLeft > 0 {
		fs.burstLeft--
		return fault503
	}
	if fs.f.Rate5xx > 0 && s.randFloat() < fs.f.Rate5xx {
		fs.burstLeft = fs.f.Burst5xx - 1
		return fault503
	}
	if fs.f.Rate429 > 0 && s.randFloat() < fs.f.Rate429 {
		return fault429
	}
	return faultNone
}

// applyFault answers the call as the fault says and reports whether it did.
func (s *Server) applyFault(w http.ResponseWriter, f fault, retryAfter time.Duration) bool {
	switch f {
	case faultDrop:
		dropConnection(w)
	case fault503:
		writeError(w, http.StatusServiceUnavailable, msgUnavailable)
	case fault429:
		writeRetryAfter(w, retryAfter, msgTooManyRequests)
	default:
		return false
	}
	return true
}

// dropConnection closes the connection without a reply, as a load balancer
// that gives up does. The server speaks HTTP/1.1 only, so hijacking works.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
