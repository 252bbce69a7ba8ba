package bulk

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"roster/symphony"
)

// Throttle is the backoff that runners sharing one session share: the
// lanes of a run over several rooms, one runner per room, side by side.
// Symphony's pace is per room, but its throttling is per caller: a 429
// that one room's call gets says that the bot, not that room, is going too
// fast, and every room's calls should slow down, not only the one that
// happened to be answered.
//
// The rule, decided here and only here: any 429 (with or without
// Retry-After) or 503 answer to a membership call holds every runner
// sharing the Throttle until the end of the wait the answered runner chose
// for its retry (the pod's Retry-After when it gave one, else the
// backoff). So a run of 503s holds every lane for as long as it lasts,
// each answer pushing the hold to its own retry's time, and one 503 holds
// them for one backoff: the pod cannot be told apart from a pod shedding
// load, and a lane that stays out of its way costs a few hundred
// milliseconds. Other failures (500, 502, 504, no answer) are not about
// the caller's rate and hold only the lane that met them; a pod that
// answers nothing is the client's outage limit's to judge, for every lane
// at once. When holds overlap the latest end is kept, never an earlier
// one. A 429 of a room's own pace is not told apart from the caller's (the
// pod says no more than 429): it holds the other lanes too, for at most
// that room's interval.
//
// Before each attempt, after its room's pace, a runner waits while the
// Throttle holds, and says so with an EventRetryWait whose message names
// the answer and the room that caused it, so that no wait is silent; a
// pause or an abort during it is honoured as in every wait. The hold adds
// to the pace, never replaces it: each room's calls stay spaced
// start-to-start by its interval. A runner's retry budget (RunOptions.
// RetryFor) and MaxWait apply as without a Throttle: the hold is never
// longer than a wait a runner accepted.
//
// The zero value and a nil *Throttle are usable: nil holds nothing (a run
// of one room needs none). A Throttle is safe for concurrent use.
type Throttle struct {
	mu    sync.Mutex
	until time.Time
	why   string // the answer that set until, and its room
}

// NewThrottle returns a Throttle that holds nothing yet.
func NewThrottle() *Throttle { return &Throttle{} }

// Until is the time every runner sharing t is held until (zero when no
// answer has held them yet; in the past once the hold is over).
func (t *Throttle) Until() time.Time {
	until, _ := t.held()
	return until
}

// held is the hold's end and why.
func (t *Throttle) held() (time.Time, string) {
	if t == nil {
		return time.Time{}, ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.until, t.why
}

// note holds every runner sharing t until until when err is an answer
// about the caller's rate (429 or 503, as the type says); room is the name
// of the room whose call got it.
func (t *Throttle) note(err error, until time.Time, room string) {
	var ae *symphony.APIError
	if t == nil || !errors.As(err, &ae) || (ae.Status != http.StatusTooManyRequests && ae.Status != http.StatusServiceUnavailable) {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if until.After(t.until) {
		t.until = until
		t.why = fmt.Sprintf("HTTP %d to a change in room %q", ae.Status, room)
	}
}

// holdText is the message of a wait for the Throttle.
func holdText(why string) string {
	return "the pod asked the bot to slow down (" + why + "): every room of the run waits until then"
}
