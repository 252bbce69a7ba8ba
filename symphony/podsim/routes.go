package podsim

import (
	"net/http"
	"time"
)

// authedHandler is a /pod handler that runs for a valid session's user.
type authedHandler func(w http.ResponseWriter, r *http.Request, caller *user)

// routes maps the spec's paths. The login and authenticator APIs have no
// basePath of their own; a pod serves them under /login and /sessionauth,
// the key manager under /relay and /keyauth. One listener serves them all.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /login/pubkey/authenticate", s.api(s.handleRSALogin(sessionTokenName)))
	mux.Handle("POST /relay/pubkey/authenticate", s.api(s.handleRSALogin(keyManagerTokenName)))
	mux.Handle("POST /sessionauth/v1/authenticate", s.api(s.handleCertLogin(sessionTokenName)))
	mux.Handle("POST /keyauth/v1/authenticate", s.api(s.handleCertLogin(keyManagerTokenName)))

	mux.Handle("GET /pod/v2/sessioninfo", s.pod(s.handleSessionInfo))
	mux.Handle("GET /pod/v3/users", s.pod(s.handleUsers))
	mux.Handle("GET /pod/v3/room/{id}/info", s.pod(s.handleRoomInfo))
	mux.Handle("POST /pod/v3/room/search", s.pod(s.handleRoomSearch))
	mux.Handle("GET /pod/v2/streams/{sid}/info", s.pod(s.handleStreamInfo))
	mux.Handle("GET /pod/v2/room/{id}/membership/list", s.pod(s.handleMemberList))
	mux.Handle("POST /pod/v1/room/{id}/membership/add", s.pod(s.handleMembership(actionAdd)))
	mux.Handle("POST /pod/v1/room/{id}/membership/remove", s.pod(s.handleMembership(actionRemove)))
	mux.Handle("POST /pod/v1/room/{id}/membership/promoteOwner", s.pod(s.handleMembership(actionPromote)))
	mux.Handle("POST /pod/v1/room/{id}/membership/demoteOwner", s.pod(s.handleMembership(actionDemote)))

	mux.HandleFunc("GET /_sim/state", s.handleState)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "No such endpoint: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// api adds the configured latency to a reply.
func (s *Server) api(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := s.opts.Latency; d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// pod wraps a /pod handler: latency, then the injected faults, then the
// sessionToken header (401 "Invalid session" when missing, unknown or
// expired). Faults come before the session check, as a gateway in front of
// the pod would answer them.
func (s *Server) pod(h authedHandler) http.Handler {
	return s.api(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		f := s.injectFaultLocked()
		retryAfter := s.faults.f.RetryAfter
		var caller *user
		if f == faultNone {
			caller = s.sessionUserLocked(r)
		}
		s.mu.Unlock()
		if s.applyFault(w, f, retryAfter) {
			return
		}
		if caller == nil {
			writeError(w, http.StatusUnauthorized, msgInvalidSession)
			return
		}
		h(w, r, caller)
	}))
}
