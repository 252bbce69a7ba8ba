package bulk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"roster/symphony"
)

// callResult is what the attempts of one call came to.
type callResult struct {
	change   symphony.Change
	err      error // the last error when the call failed
	attempts int
	retried  time.Duration // from the first attempt's start to giving up
	stop     string        // the run must stop: nothing can succeed
	aborted  bool          // cut short by an abort; the outcome is unknown
}

// execute does one task: the add or removal, then the promotion an owner
// flag asks for. It returns nil when an abort or a stop left the user's
// outcome unknown (the user stays pending and is checked on resume).
func (r *Runner) execute(ctx context.Context, t task) (*Result, string) {
	it := t.item
	res := &Result{Index: t.index, Item: it, Name: r.nameOf(it)}
	if !t.promoteOnly {
		c := r.call(ctx, it, r.plan.Mode.change())
		res.Attempts = c.attempts
		switch {
		case c.aborted:
			if c.attempts > 0 { // not when the abort came during the wait before the first attempt
				r.inFlight = &it
			}
			return nil, ""
		case c.stop != "":
			// The pod refused for a reason that is not this user's: the
			// user is left pending, to be done when the cause is fixed.
			return nil, c.stop
		case c.err != nil && r.plan.Mode == ModeRemove && notMember(c.err):
			res.Status = statusOf(c.err)
			res.Message = withoutStatus(c.err.Error(), res.Status)
			res.Outcome = OutcomeNotMember
			if c.attempts > 1 {
				// An earlier attempt reached the pod but its reply was
				// lost: this run removed the user.
				res.Outcome, res.Message = OutcomeRemoved, "removed (the reply to an earlier attempt was lost; the pod no longer lists the user)"
				r.totals.Members--
			}
			res.Time = r.now()
			return res, ""
		case c.err != nil:
			res.Outcome, res.Status = OutcomeFailed, statusOf(c.err)
			res.Message = withoutStatus(failureText(c), res.Status)
			res.Time = r.now()
			return res, ""
		}
		res.Status, res.Message = c.change.Status, c.change.Message
		if c.change.Outcome == symphony.Unconfirmed {
			// Never counted on faith: the member list settles it before the
			// run ends (settleRun), and an owner's promotion waits for that.
			res.Outcome, res.Unsettled = OutcomeUnconfirmed, r.plan.Mode.change()
			res.Message = unconfirmedText(res.Unsettled, c.change.Why)
			res.Time = r.now()
			return res, ""
		}
		if c.change.Outcome == symphony.AlreadyMemberOrXpod && r.plan.Mode == ModeAdd {
			// The plan's member list did not show the user: a user of
			// another pod whom the pod adds later (or, on a retry, an
			// earlier attempt that did add). The member list settles it.
			res.Outcome, res.Unsettled = OutcomeCrossPodPending, ActionAdd
			res.Message = crossPodText(c.change.Message)
			res.Time = r.now()
			return res, ""
		}
		res.Outcome = r.applied(c)
		if res.Outcome == OutcomeAdded && c.change.Outcome == symphony.AlreadyMember {
			res.Message = "added (the reply to an earlier attempt was lost; the pod already lists the user)"
		}
	} else if t.base != nil {
		*res = *t.base
		res.Index = t.index
	} else {
		res.Outcome = t.outcome
		if res.Outcome == outcomeNone {
			res.Outcome = OutcomeAlreadyMember
		}
	}
	if r.plan.Mode == ModeAdd && it.Owner && (res.Outcome == OutcomeAdded || res.Outcome == OutcomeAlreadyMember) {
		c := r.call(ctx, it, ActionPromote)
		// the attempts of one call: an owner added at once and promoted
		// at once made one attempt of each, not two of anything
		res.Attempts = max(res.Attempts, c.attempts)
		switch {
		case c.aborted:
			res.Message = joinText(res.Message, "not promoted to owner: the run was aborted; the promotion is made on resume")
		case c.stop != "":
			res.Message = joinText(res.Message, "not promoted to owner: the run stopped")
			res.Time = r.now()
			return res, c.stop
		case c.err != nil:
			res.Status = statusOf(c.err)
			res.Message = joinText(res.Message, "the promotion to owner failed: "+failureText(c))
		case c.change.Outcome == symphony.Unconfirmed:
			res.Status, res.Unsettled = c.change.Status, ActionPromote
			res.Message = joinText(res.Message, unconfirmedText(ActionPromote, c.change.Why))
		default:
			res.Promoted = true
			res.Status = c.change.Status
		}
	}
	res.Time = r.now()
	return res, ""
}

// applied turns a successful call into the user's outcome and keeps the
// live member count.
func (r *Runner) applied(c callResult) Outcome {
	if r.plan.Mode == ModeRemove {
		r.totals.Members--
		return OutcomeRemoved
	}
	if c.change.Outcome == symphony.AlreadyMember {
		if c.attempts > 1 {
			// An earlier attempt reached the pod but its reply was lost:
			// this run added the user.
			r.totals.Members++
			return OutcomeAdded
		}
		return OutcomeAlreadyMember
	}
	r.totals.Members++
	return OutcomeAdded
}

// call makes one membership call, retrying what can be retried. Every
// attempt waits for the pace when the room is over the threshold, and a
// pause asked for during a wait holds the run before the attempt.
func (r *Runner) call(ctx context.Context, it Item, action Action) callResult {
	var c callResult
	if !action.valid() {
		// Never taken for another call: a value that is not an action is
		// a fault of this program, and no user's call can be trusted.
		c.stop = fmt.Sprintf("internal error: %v is not a membership call (add, remove or promote); nothing was called for %s", action, it.Input)
		return c
	}
	promote := action == ActionPromote
	// The start record is written before the wait for the pace, so that
	// its fsync does not delay the call's start: the pace is measured from
	// the previous start, so any delay after the wait would add up.
	name := r.nameOf(it)
	if err := r.journal.start(it, name, action, r.now()); err != nil {
		c.stop = journalStopText(err)
		return c
	}
	var first time.Time // the first attempt's start: the retry budget runs from it
	for attempt := 1; ; attempt++ {
		if err := r.gate(ctx, promote, attempt); err != nil {
			c.aborted = true
			if attempt == 1 {
				// No call was made: its start record is taken back, so
				// that a resume does not take the user for one in flight.
				// A failing journal is told by the run's stop record.
				_ = r.journal.withdraw(startRecord(it, name, action, r.now()), r.now())
			}
			return c
		}
		started := r.now()
		if attempt == 1 {
			first = started
		}
		r.pacer.Started(started)
		if r.startHook != nil {
			r.startHook(started)
		}
		c.attempts = attempt
		r.emitAt(started, Event{Kind: EventCalling, Call: &Call{Item: it, Name: name, Action: action}, Attempt: attempt, Interval: r.currentInterval()})
		if attempt == 1 && r.next != nil && r.next.item.UserID != it.UserID {
			// The next call's start record goes to disk while this call
			// is in flight (Journal.startAhead).
			r.journal.startAhead(r.next.item, r.nameOf(r.next.item), r.next.action(r.plan.Mode), started)
		}
		var err error
		switch action {
		case ActionAdd:
			c.change, err = r.pod.AddMember(ctx, r.plan.StreamID, it.UserID)
		case ActionRemove:
			c.change, err = r.pod.RemoveMember(ctx, r.plan.StreamID, it.UserID)
		case ActionPromote:
			c.change, err = r.pod.PromoteOwner(ctx, r.plan.StreamID, it.UserID)
		}
		if err == nil {
			c.err = nil
			return c
		}
		c.err = err
		if ctx.Err() != nil {
			c.aborted = true
			return c
		}
		if c.stop = r.stopReason(ctx, err); c.stop != "" {
			return c
		}
		wait, giveUp := r.retry.Next(attempt, err)
		if giveUp == nil && r.retryFor > 0 {
			left := r.retryFor - r.now().Sub(first)
			switch {
			case left <= 0:
				giveUp = err // the budget is spent; Retry-After waits count in it
			case wait > left && !askedToWait(err):
				wait = left // the backoff's own wait ends with the budget
			}
		}
		c.retried = r.now().Sub(first)
		if symphony.IsWaitTooLong(giveUp) {
			// Not this user's fault: every call would be asked the same.
			c.stop = giveUp.Error() + "; resume the run later"
			return c
		}
		if giveUp != nil {
			c.stop = r.probe(ctx, c)
			return c
		}
		until := r.now().Add(wait)
		r.opts.Throttle.note(err, until, r.plan.Room.Name) // a 429 or 503 holds every room's runner too
		r.emit(Event{Kind: EventRetryWait, Until: until, Attempt: attempt + 1, Message: retryText(err),
			Interval: r.currentInterval()})
		if err := r.waitUntil(ctx, until); err != nil {
			c.aborted = true
			return c
		}
	}
}

// stopReason says why err means that no call can succeed, or "" when it is
// about this user only (or may pass).
func (r *Runner) stopReason(ctx context.Context, err error) string {
	var ae *symphony.APIError
	isAPI := errors.As(err, &ae)
	switch {
	case errors.Is(err, symphony.ErrPodGone):
		return err.Error() + "; resume the run when the pod answers again"
	case errors.Is(err, symphony.ErrAuthFailed):
		return authStopReason(err)
	case symphony.ClassOf(err) == symphony.ClassReauth:
		return "authentication is failing: the pod refused the session even after signing in again (" + err.Error() + ")"
	case !isAPI || ae.Class != symphony.ClassPermanent || notMember(err):
		return ""
	case ae.Status == 0:
		// No reply, and trying again cannot help (a certificate refused,
		// an unknown host): that holds for every user.
		return "the pod cannot be reached: " + err.Error()
	case ae.Status == http.StatusBadRequest || ae.Status == http.StatusForbidden || ae.Status == http.StatusNotFound:
		// A 400, 403 or 404 may be about this user (an information barrier,
		// say) or about the room and the bot; the room tells which.
		return r.recheckRoom(ctx, ae)
	}
	return ""
}

// authCheckHint is what to check when the bot cannot sign in, for the
// errors whose text does not say already.
const authCheckHint = "check the bot's username and its private key or certificate in the config, and that the pod knows them"

// authStopReason says once that authentication failed: the client's login
// errors already start with "authentication failed", and a prefix of ours
// would say it twice.
func authStopReason(err error) string {
	prefix := symphony.ErrAuthFailed.Error() + ": "
	msg := err.Error()
	if i := strings.Index(msg, prefix); i >= 0 {
		msg = msg[:i] + msg[i+len(prefix):]
	}
	msg = prefix + msg
	if !strings.Contains(msg, "; check ") {
		msg += "; " + authCheckHint
	}
	return msg
}

// probe tells, when a user's retries ran out, whether the pod answers at
// all: if even a read of the room fails, nothing can succeed and the run
// stops (the user stays pending) rather than fail every user in turn.
func (r *Runner) probe(ctx context.Context, c callResult) string {
	if symphony.ClassOf(c.err) != symphony.ClassRetry {
		return ""
	}
	if _, err := r.pod.RoomInfo(ctx, r.plan.StreamID); err != nil && ctx.Err() == nil {
		return fmt.Sprintf("the pod is not answering: %s in %s failed (%s), and reading the room failed too (%s)",
			plural(c.attempts, "attempt", "attempts"), FormatDuration(c.retried), c.err.Error(), err.Error())
	}
	return ""
}

// recheckRoom reads the room, its members and the session again after a
// refusal, and says why the run must stop, or "" when it may go on.
func (r *Runner) recheckRoom(ctx context.Context, ae *symphony.APIError) string {
	deactivatedText := strings.Contains(strings.ToLower(ae.Message), "deactivated room")
	room, err := r.pod.RoomInfo(ctx, r.plan.StreamID)
	if err != nil {
		if deactivatedText {
			return "the room was deactivated: " + ae.Message
		}
		if gone := (*symphony.APIError)(nil); errors.As(err, &gone) && gone.Class == symphony.ClassPermanent && gone.Status != 0 {
			return fmt.Sprintf("the room can no longer be read (%s), so no change can succeed: %s", err.Error(), ae.Message)
		}
		if ae.Status == http.StatusForbidden {
			return fmt.Sprintf("the pod refused with 403 (%s) and the room could not be read to tell why: %v", ae.Message, err)
		}
		return ""
	}
	if !room.Active || deactivatedText {
		return "the room was deactivated during the run: " + ae.Message
	}
	if ae.Status != http.StatusForbidden {
		return ""
	}
	caller, err := r.pod.SessionInfo(ctx)
	if err != nil {
		return fmt.Sprintf("the pod refused with 403 (%s) and the session could not be read to tell why: %v", ae.Message, err)
	}
	members, err := r.pod.Members(ctx, r.plan.StreamID)
	if err != nil {
		return fmt.Sprintf("the pod refused with 403 (%s) and the members could not be read to tell why: %v", ae.Message, err)
	}
	probe := &Plan{Room: *room, Mode: r.plan.Mode, Caller: *caller}
	if perm := permission(probe, memberIndex(members)); !perm.Allowed {
		return "the bot lost its permission on the room: " + perm.Reason + " (" + ae.Message + ")"
	}
	return ""
}

// statusOf is an error's HTTP status, 0 for a network error.
func statusOf(err error) int {
	var ae *symphony.APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// withoutStatus is an error's text without the " (HTTP n)" the client adds
// to it, for a result or a wait that shows the status n beside the text
// (the report's and the tables' HTTP column, "HTTP n: ..."): said once.
func withoutStatus(text string, status int) string {
	if status == 0 {
		return text
	}
	return strings.TrimSuffix(text, fmt.Sprintf(" (HTTP %d)", status))
}

// failureText explains a failed call for the report.
func failureText(c callResult) string {
	if symphony.ClassOf(c.err) == symphony.ClassRetry {
		return fmt.Sprintf("gave up after %s in %s: %s", plural(c.attempts, "attempt", "attempts"), FormatDuration(c.retried), c.err.Error())
	}
	return c.err.Error()
}

func retryText(err error) string {
	var ae *symphony.APIError
	if errors.As(err, &ae) && ae.Status != 0 {
		return fmt.Sprintf("HTTP %d: %s", ae.Status, withoutStatus(ae.Error(), ae.Status))
	}
	return err.Error()
}

// askedToWait reports whether err carries the pod's Retry-After.
func askedToWait(err error) bool {
	var ae *symphony.APIError
	return errors.As(err, &ae) && ae.RetryAfter > 0
}

// readWaitText says why a read call waits: the call and its last error.
func readWaitText(n symphony.WaitNotice) string {
	return n.Op + ": " + retryText(n.Err)
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// notMember reports whether a removal was refused because the user is not
// in the room.
func notMember(err error) bool {
	var ae *symphony.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(ae.Message), "not a member")
}
