package bulk

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Settling. A change the pod answered with a 2xx that is not its
// documented success reply (symphony.Unconfirmed) is journaled as it is:
// an "unconfirmed" result whose Unsettled names the call. It is never
// counted as made on faith. Before the run ends, settleRun reads the
// room's member list once and settleFromMembers turns each such result
// into the outcome the list shows, marked Settled, which replaces it in
// the journal, the totals and the report. A run that stops (or cannot read
// the list) leaves them unconfirmed; the resume reads the list anyway and
// settles them first (prepareResume).
//
// Another reason to wait for the member list (a reply that says the change
// will be made later, say) is one more case of settleFromMembers: a result
// it returns as not settled stays as it is, for the next pass or the
// resume.

// settleRounds bounds the passes of settleRun: a settled add of an owner
// is followed by its promotion, whose reply may need settling in turn.
const settleRounds = 3

// settleRun settles, from the member list, every result whose change the
// pod's reply did not confirm. Users of other pods whose adds the pod makes
// later (OutcomeCrossPodPending) are waited for: the list is read again
// at gaps that start at the plan interval and double up to crossPodMaxGap,
// for up to RunOptions.CrossPodWait. It returns why the
// run must stop when the list cannot be read, or when such users are still
// missing after the wait (they stay pending, for the resume).
func (r *Runner) settleRun(ctx context.Context) (string, error) {
	var deadline time.Time // of the wait for cross-pod adds, once it started
	var gap time.Duration  // between reads of the list while waiting: the plan interval, doubling
	for round, poll := 0, 1; round < settleRounds; {
		pending := r.unsettled()
		if len(pending) == 0 || ctx.Err() != nil {
			return "", nil
		}
		roster, err := r.readMembers(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return "", nil
			}
			return fmt.Sprintf("the member list could not be read to settle %s whose change the pod's reply did not confirm (%v); "+
				"they stay unconfirmed in the report, and resuming the run settles them", Counted(len(pending), "user", "users"), err), nil
		}
		var next []task
		for _, res := range pending {
			s, promote, ok := r.settleFromMembers(res, roster)
			switch {
			case promote != nil:
				next = append(next, *promote)
			case ok:
				if err := r.finishTask(s.task, s.res); err != nil {
					return err.Error(), err
				}
			}
		}
		if len(next) > 0 {
			if stop, err := r.loop(ctx, next); stop != "" || err != nil {
				return stop, err
			}
			round++
			continue
		}
		waiting := r.totals.CrossPodPending
		if waiting == 0 {
			return "", nil
		}
		now := r.now()
		if deadline.IsZero() {
			deadline = now.Add(r.crossPodWait())
		}
		if !now.Before(deadline) {
			return fmt.Sprintf("%s of other pods that the pod accepted to add later %s not in the room after %s of waiting; "+
				"they stay pending (cross-pod) in the report, and resuming the run later confirms them from the member list",
				Counted(waiting, "user", "users"), plural0(waiting, "is", "are"), FormatDuration(r.crossPodWait())), nil
		}
		gap = min(max(2*gap, r.interval, time.Millisecond), crossPodMaxGap)
		until := now.Add(gap)
		if until.After(deadline) {
			until = deadline
		}
		poll++
		r.emit(Event{Kind: EventSettleWait, Until: until, Attempt: poll, Interval: r.currentInterval(),
			Message: fmt.Sprintf("%s of other pods accepted by the pod %s not in the room yet: the pod adds them asynchronously; reading the member list again",
				Counted(waiting, "user", "users"), plural0(waiting, "is", "are"))})
		if err := r.waitUntil(ctx, until); err != nil {
			return "", nil
		}
	}
	return "", nil
}

// crossPodMaxGap is the longest gap between two reads of the member list
// while waiting for cross-pod adds: a pod adds them within seconds, and a
// jumbo room's list is not read more often than this for long.
const crossPodMaxGap = 10 * time.Second

// crossPodWait is RunOptions.CrossPodWait or its default.
func (r *Runner) crossPodWait() time.Duration {
	if r.opts.CrossPodWait > 0 {
		return r.opts.CrossPodWait
	}
	return DefaultCrossPodWait
}

// crossPodText is the message of an add the pod accepted to make later.
func crossPodText(reply string) string {
	return fmt.Sprintf("pending (cross-pod): the pod answered %q for a user the room's member list did not show: "+
		"it adds this user of another pod later (or an earlier attempt whose reply was lost added them); the member list confirms it", reply)
}

// unsettled lists the results that wait for the member list, in the order
// of their input lines.
func (r *Runner) unsettled() []Result {
	var list []Result
	for _, res := range r.results {
		if res.Unsettled.valid() {
			list = append(list, res)
		}
	}
	sortResults(list)
	return list
}

// unconfirmedText is the message of a result whose reply did not confirm
// the call: what was asked and what came back.
func unconfirmedText(action Action, why string) string {
	return fmt.Sprintf("unconfirmed: the pod's reply did not confirm the %s (%s); the member list settles it", action, why)
}

// settleFromMembers decides a result that waits for the member list from
// the list: the settled result to journal (ok), or the promotion a settled
// add of an owner still needs (promote, which carries the result), or
// neither when the list cannot settle it yet. Everything it settles is
// marked Settled, with a message saying what the list shows.
func (r *Runner) settleFromMembers(res Result, roster roomMembers) (s settled, promote *task, ok bool) {
	id := res.Item.UserID
	member, owner := roster.has(id), roster.owner[id]
	was, why := res.Unsettled, res.Message
	t := task{index: res.Index, item: res.Item, promoteOnly: was == ActionPromote}
	res.Unsettled, res.Settled, res.Time = actionNone, true, r.now()
	switch was {
	case ActionAdd:
		switch {
		case !member && res.Outcome == OutcomeCrossPodPending:
			// The pod makes the add later: not settled yet.
			return settled{}, nil, false
		case !member:
			res.Outcome, res.Message = OutcomeFailed, "not added: settled from the member list, which does not show the user; "+why
		case res.Outcome == OutcomeCrossPodPending:
			res.Outcome, res.Message = OutcomeAdded, "added: confirmed by the member list, which now shows the user in the room; "+why
		default:
			res.Outcome, res.Message = OutcomeAdded, "added: settled from the member list, which shows the user in the room; "+why
		}
		if !member {
			break
		}
		if r.plan.Mode == ModeAdd && res.Item.Owner {
			if !owner {
				base := res
				return settled{}, &task{index: res.Index, item: res.Item, promoteOnly: true, outcome: OutcomeAdded, base: &base}, false
			}
			res.Promoted = true
			res.Message += "; the list shows the user as an owner"
		}
	case ActionRemove:
		if member {
			res.Outcome, res.Message = OutcomeFailed, "not removed: settled from the member list, which still shows the user; "+why
		} else {
			res.Outcome, res.Message = OutcomeRemoved, "removed: settled from the member list, which no longer shows the user; "+why
		}
	case ActionPromote:
		if owner {
			res.Promoted = true
			res.Message = joinText(why, "promoted to owner: settled from the member list, which shows the user as an owner")
		} else {
			res.Message = joinText(why, "not promoted to owner: settled from the member list, which does not show the user as an owner")
		}
	default:
		return settled{}, nil, false
	}
	return settled{t, res}, nil, true
}

// sortResults orders results by input line, then user ID.
func sortResults(list []Result) {
	slices.SortFunc(list, func(a, b Result) int {
		if a.Item.Line != b.Item.Line {
			return cmp.Compare(a.Item.Line, b.Item.Line)
		}
		return cmp.Compare(a.Item.UserID, b.Item.UserID)
	})
}
