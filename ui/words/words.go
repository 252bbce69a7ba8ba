// Package words holds every sentence both faces say: a room's traits and
// settings, the caller's permission, the pace, the set-aside counts, a
// resume's progress, a refusal and how to go on, the summary's ending and
// totals, and the exit code line. The wizard (package ui) and the headless
// printer (ui/cli) say them through it, so that the two faces never word
// the same fact two ways. It knows no terminal: styling and layout are
// each face's own; Face carries the one difference, a key or a flag.
package words

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"roster/symphony"
	"roster/symphony/bulk"
)

// Count and Counted are bulk's, named here too so that a face needs one import.
var (
	Count    = bulk.Count
	Counted  = bulk.Counted
	Duration = bulk.FormatDuration
)

// RoomState is "active" or "deactivated".
func RoomState(r symphony.Room) string {
	if r.Active {
		return "active"
	}
	return "deactivated"
}

// RoomSettings are the settings of a room that bear on a change: public or
// private, then those that are on of "external users allowed", "members can
// invite" and "read-only".
func RoomSettings(r symphony.Room) []string {
	s := []string{"private"}
	if r.Public {
		s[0] = "public"
	}
	if r.CrossPod {
		s = append(s, "external users allowed")
	}
	if r.MembersCanInvite {
		s = append(s, "members can invite")
	}
	if r.ReadOnly {
		s = append(s, "read-only")
	}
	return s
}

// RoomTraits is the state and the settings: "active, private, members can invite".
func RoomTraits(r symphony.Room) string {
	return strings.Join(append([]string{RoomState(r)}, RoomSettings(r)...), ", ")
}

// Permission says whether the caller may make the change, with the roles
// that decide it or the plan's reason.
func Permission(perm bulk.Permission) string {
	var roles []string
	if perm.Owner {
		roles = append(roles, "owner of the room")
	} else if perm.Member {
		roles = append(roles, "member of the room")
	}
	if perm.UserProvisioning {
		roles = append(roles, "has the User Provisioning role")
	}
	text := "may make the change"
	if !perm.Allowed {
		text = "may NOT make the change"
	}
	switch {
	case perm.Reason != "": // says the roles too, and why they matter
		text += ": " + perm.Reason
	case len(roles) > 0:
		text += " (" + strings.Join(roles, ", ") + ")"
	}
	return text
}

// setAsideOrder is the order in which set-aside counts are said: the
// expected reasons first, then the problems.
var setAsideOrder = []bulk.Outcome{
	bulk.OutcomeAlreadyMember, bulk.OutcomeNotMember, bulk.OutcomeInactive, bulk.OutcomeUnknown,
	bulk.OutcomeExternal, bulk.OutcomeLookupFailed, bulk.OutcomeDuplicate, bulk.OutcomeBadRow, bulk.OutcomeFailed, bulk.OutcomePending,
}

// SetAside counts set-aside users by reason, in one fixed order:
// "3 already-member, 1 unknown-user, 2 bad-row". "" when there are none.
func SetAside(items []bulk.Item) string {
	n := map[bulk.Outcome]int{}
	for _, it := range items {
		n[it.Outcome]++
	}
	var parts []string
	for _, o := range setAsideOrder {
		if n[o] > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", Count(n[o]), o))
			delete(n, o)
		}
	}
	var rest []string // outcomes this list does not know yet
	for o, c := range n {
		rest = append(rest, fmt.Sprintf("%s %s", Count(c), o))
	}
	sort.Strings(rest)
	return strings.Join(append(parts, rest...), ", ")
}

// Pace is the pace of a plan: "one change every 3s above 500 members", or
// "no wait needed (500 members or fewer throughout)".
func Pace(p *bulk.Plan) string {
	if p.MembersBefore <= bulk.PaceThreshold && p.MembersAfter <= bulk.PaceThreshold {
		return fmt.Sprintf("no wait needed (%d members or fewer throughout)", bulk.PaceThreshold)
	}
	return fmt.Sprintf("one change every %s above %d members", Duration(p.Interval), bulk.PaceThreshold)
}

// PaceAndEstimate is Pace with the plan's estimate, and how much of it is
// the wait for the run window to open.
func PaceAndEstimate(p *bulk.Plan) string {
	s := Pace(p) + "; estimated " + Duration(p.Estimate)
	if p.WindowWait > 0 {
		s += fmt.Sprintf(" (%s of it waiting for the run window, %s)", Duration(p.WindowWait), p.Window)
	}
	return s
}

// PaceNow is the pace in force during a run, from its events: "one change
// every 3s (the room has 612 members, over 500)".
func PaceNow(interval time.Duration, members int) string {
	if interval > 0 {
		return fmt.Sprintf("one change every %s (the room has %s, over %d)",
			Duration(interval), Counted(members, "member", "members"), bulk.PaceThreshold)
	}
	return fmt.Sprintf("no wait between changes (the room has %s, at most %d)",
		Counted(members, "member", "members"), bulk.PaceThreshold)
}

// Progress is a resume's or a run's progress: "2 of 60 done, 58 to go".
func Progress(done, actions int) string {
	return fmt.Sprintf("%s of %s done, %s to go", Count(done), Count(actions), Count(max(actions-done, 0)))
}

// Resume is what resuming a journal does: "2 of 60 done, 58 to go".
func Resume(r *bulk.ResumeInfo) string { return Progress(r.Done, r.Actions) }

// InFlight says how calls left without an answer are settled; "" for none.
func InFlight(n int) string {
	switch {
	case n == 1:
		return "1 call left without an answer is checked against the member list, not repeated."
	case n > 1:
		return fmt.Sprintf("%s calls left without an answer are checked against the member list, not repeated.", Count(n))
	}
	return ""
}

// Changes is what a plan does: "60 to add (1 of them then made owner)",
// or on resume "Resuming: 2 of 60 done, 58 to go".
func Changes(p *bulk.Plan, resume *bulk.ResumeInfo) string {
	if resume != nil {
		return "Resuming: " + Resume(resume)
	}
	text := fmt.Sprintf("%s to %s", Count(len(p.Actions)), p.Mode)
	if owners := p.Promotions; p.Mode == bulk.ModeAdd && owners > 0 {
		text += fmt.Sprintf(" (%s of them then made %s)", Count(owners), plural(owners, "owner", "owners"))
	}
	return text
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Changed is what a run changed: "36 added (1 made owner)" or "12 removed".
func Changed(m bulk.Mode, t bulk.Totals) string {
	if m == bulk.ModeRemove {
		return Count(t.Removed) + " removed"
	}
	text := Count(t.Added) + " added"
	if t.Promoted > 0 {
		text += fmt.Sprintf(" (%s)", Counted(t.Promoted, "made owner", "made owners"))
	}
	return text
}

// Direction is a mode's verb and preposition: "add" ... "to", "remove" ... "from".
func Direction(m bulk.Mode) (verb, prep string) {
	if m == bulk.ModeRemove {
		return "remove", "from"
	}
	return "add", "to"
}

// Change is what a plan changes: `add 40 users to "Trading Desk"`.
func Change(p *bulk.Plan) string {
	verb, prep := Direction(p.Mode)
	return fmt.Sprintf("%s %s %s %q", verb, Counted(len(p.Actions), "user", "users"), prep, p.Room.Name)
}

// StartQuestion is the question asked before a run starts: `Really add 40
// users to "Trading Desk" now?`, or on resume with its progress.
func StartQuestion(p *bulk.Plan, resume *bulk.ResumeInfo) string {
	if resume != nil {
		return fmt.Sprintf("Really resume now (%s)?", Resume(resume))
	}
	return fmt.Sprintf("Really %s now?", Change(p))
}

// RetryWait is a wait before a retry, as both faces count it down:
// "waiting 12s, until 04:50:12, to retry (attempt 3): why"; before a first
// attempt (a hold the shared backoff puts on every room) it says "before
// the call".
func RetryWait(left time.Duration, until string, attempt int, why string) string {
	if why == "" {
		why = "the call failed"
	}
	if attempt <= 1 {
		// a hold before a call's first attempt (another room's call was
		// throttled: bulk.Throttle) is not a retry
		return fmt.Sprintf("waiting %s, until %s, before the call: %s", Duration(left), until, why)
	}
	return fmt.Sprintf("waiting %s, until %s, to retry (attempt %d): %s", Duration(left), until, attempt, why)
}

// Waiting is the sentence of a wait during a run, for the waits that say
// why: a retry (bulk.EventRetryWait) or a new read of the member list for
// the changes a pod makes later (bulk.EventSettleWait). until is the
// wait's end as the face writes it.
func Waiting(kind bulk.EventKind, left time.Duration, until string, attempt int, why string) string {
	if kind == bulk.EventSettleWait {
		return fmt.Sprintf("waiting %s, until %s, to read the member list again (read %d): %s", Duration(left), until, attempt, why)
	}
	return RetryWait(left, until, attempt, why)
}

// WindowWait is the wait for the run window to open: the window (nil when
// not known), the time left and when it opens (Until's words). Both faces
// say it, as they say the other waits.
func WindowWait(win *bulk.Window, left time.Duration, until string) string {
	what := "outside the run window"
	if win != nil {
		what += " " + win.String()
	}
	return fmt.Sprintf("%s: waiting %s, until %s", what, Duration(max(left, 0)), until)
}

// Until is a wait's end: the time of day, with the day when it is not
// the day of now (a zero now is the present).
func Until(now, until time.Time) string {
	if now.IsZero() {
		now = time.Now()
	}
	u := until.Local()
	if y1, m1, d1 := now.Local().Date(); y1 == u.Year() && m1 == u.Month() && d1 == u.Day() {
		return u.Format("15:04:05")
	}
	return u.Format("Mon 2 Jan 15:04:05")
}

// WaitReason is why a read call waits: the call and its last error.
func WaitReason(op string, err error) string {
	if err == nil {
		return op
	}
	return op + ": " + err.Error()
}
