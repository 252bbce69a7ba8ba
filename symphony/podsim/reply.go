package podsim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// apiError is Symphony's Error object: {"code": n, "message": "..."}.
type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// successResponse is Symphony's SuccessResponse object of the membership calls.
type successResponse struct {
	Format  string `json:"format"`
	Message string `json:"message"`
}

// Messages the pod answers with; some are the spec's examples, some were
// observed on real pods, the rest are our choice and say so (doc.go lists
// which is which).
const (
	msgInvalidSession = "Invalid session"                                                   // spec: every 401
	msgNoEntitlement  = "The user lacks the required entitlement to perform this operation" // spec: every 403
	msgStreamNotFound = "Stream not found."                                                 // observed: an unknown stream ID
	// Observed, word for word, as the 200 of membership/add for a user
	// already in the room, and for an external user added to a cross-pod
	// room (who joins later).
	msgAlreadyMemberOrXpod = "Member already part of the room or Xpod request will be processed asynchronously"
	msgDeactivatedAdd      = "Cannot add member to a deactivated room"
	msgTooManyRequests     = "Too many requests, retry later"
	msgUnavailable         = "Service temporarily unavailable"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"code":500,"message":"podsim: cannot encode reply"}`)
	}
	writeBody(w, status, body)
}

// writeBody writes a JSON body already encoded.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, apiError{Code: status, Message: message})
}

// writeRetryAfter answers 429 with a Retry-After header in whole seconds, as
// HTTP defines it (rounded up, at least 1), and X-Retry-After-Ms with the
// precise wait in milliseconds (at least 1), so that tests with millisecond
// time scales can honour the real wait. A client should prefer
// X-Retry-After-Ms when present: no real pod sends it.
func writeRetryAfter(w http.ResponseWriter, wait time.Duration, message string) {
	ms := (wait + time.Millisecond - 1) / time.Millisecond
	if ms < 1 {
		ms = 1
	}
	secs := (wait + time.Second - 1) / time.Second
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	w.Header().Set("X-Retry-After-Ms", strconv.FormatInt(int64(ms), 10))
	writeError(w, http.StatusTooManyRequests, message)
}
