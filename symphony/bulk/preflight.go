package bulk

import (
	"cmp"
	"fmt"
	"strings"
	"time"
)

// Roles that matter to the permission rules.
const (
	RoleUserProvisioning       = "USER_PROVISIONING"        // may change any room's members
	RoleComplianceOfficer      = "COMPLIANCE_OFFICER"       // may add to and remove from rooms it is not in
	RoleSuperComplianceOfficer = "SUPER_COMPLIANCE_OFFICER" // the same
)

// preflight fills the facts and warnings of the preview.
func (p *Plan) preflight(roster roomMembers, now time.Time) {
	p.MembersAfter, p.OwnersAfter = p.MembersBefore, p.OwnersBefore
	for _, it := range p.Actions {
		switch {
		case p.Mode == ModeRemove:
			p.MembersAfter--
			if roster.owner[it.UserID] {
				p.OwnersAfter--
				p.OwnersRemoved = append(p.OwnersRemoved, it)
			}
		case it.PromoteOnly:
			p.OwnersAfter++
			p.Promotions++
		default:
			p.MembersAfter++
			if it.Owner {
				p.OwnersAfter++
				p.Promotions++
			}
		}
	}
	others, othersRemoved := p.OwnersBefore, 0
	if roster.owner[p.Caller.UserID] {
		others--
	}
	for _, it := range p.OwnersRemoved {
		if it.UserID != p.Caller.UserID {
			othersRemoved++
		}
	}
	p.RemovesLastOwner = others > 0 && othersRemoved == others
	p.Permission = permission(p, roster)
	work, paced := estimate(p.Mode, p.Actions, p.MembersBefore, p.Interval, p.CallTime)
	p.PacedCalls = paced
	// laid into the run window: the waits for it to open count
	spans := p.Window.Schedule(now, work)
	p.Estimate = spans[len(spans)-1].End.Sub(now)
	p.WindowWait = p.Estimate - work
	p.Warnings = warnings(p, roster, now, spans)
}

// workingHoursIn is the first moment of working hours the run works in, or
// the zero time when it works in none.
func workingHoursIn(spans []Span) time.Time {
	for _, s := range spans {
		if t := FirstWorkingHour(s.Start); t.Before(s.End) || t.Equal(s.Start) {
			return t
		}
	}
	return time.Time{}
}

// permission applies the Required Permissions of Symphony's Add Member and
// Remove Member pages: an owner may add and remove; a member may add when
// the room lets members invite; the User Provisioning role may do both in
// any room; a compliance officer or super compliance officer who is not a
// member may add and remove; anyone may add itself to a public room, and a
// service user may always remove itself. Promoting to owner needs an owner
// or User Provisioning.
func permission(p *Plan, roster roomMembers) Permission {
	perm := Permission{
		Owner:            roster.owner[p.Caller.UserID],
		Member:           roster.has(p.Caller.UserID),
		MembersCanInvite: p.Room.MembersCanInvite,
		UserProvisioning: p.Caller.HasRole(RoleUserProvisioning),
	}
	officer := p.Caller.HasRole(RoleComplianceOfficer) || p.Caller.HasRole(RoleSuperComplianceOfficer)
	self := onlyCaller(p)
	switch {
	case roster.hidden:
		perm.Reason = "the pod does not even show the room's members to the bot: it is not a member of this private room and holds no role that shows them " +
			"(User Provisioning, compliance officer)"
	case perm.UserProvisioning:
		perm.Allowed, perm.Reason = true, "the bot has the User Provisioning role"
	case perm.Owner:
		perm.Allowed, perm.Reason = true, "the bot owns the room"
	case p.Mode == ModeRemove && perm.Member && self:
		perm.Allowed, perm.Reason = true, "the bot removes only itself, which a service user may always do"
	case p.Mode == ModeRemove && perm.Member:
		perm.Reason = "only an owner of the room, the User Provisioning role or a compliance officer who is not a member may remove members; the bot is a plain member"
	case p.Mode == ModeRemove && officer:
		perm.Allowed, perm.Reason = true, "the bot is a compliance officer and not a member of the room, who may remove members"
	case p.Mode == ModeRemove:
		perm.Reason = "only an owner of the room, the User Provisioning role or a compliance officer who is not a member may remove members; the bot is not even a member"
	case perm.Member && perm.MembersCanInvite:
		perm.Allowed, perm.Reason = true, "the bot is a member and the room lets members invite"
	case perm.Member:
		perm.Reason = "the bot is a plain member and the room does not let members invite; make the bot an owner or give it the User Provisioning role"
	case officer:
		perm.Allowed, perm.Reason = true, "the bot is a compliance officer and not a member of the room, who may add members"
	case self && p.Room.Public:
		perm.Allowed, perm.Reason = true, "the bot joins a public room, which anyone may do"
	default:
		perm.Reason = "the bot is neither an owner nor a member of the room and lacks the User Provisioning role"
	}
	return perm
}

// onlyCaller says whether the plan's only change is to the caller itself.
func onlyCaller(p *Plan) bool {
	for _, it := range p.Actions {
		if it.UserID != p.Caller.UserID {
			return false
		}
	}
	return len(p.Actions) > 0
}

// paced says whether a change made while the room holds members members
// must wait for the pace. Symphony asks for the pace in rooms over
// PaceThreshold members; a change is paced when the room is over it before
// or after the change, so that the change that crosses the threshold is
// paced too whichever side the pod counts it on.
func paced(mode Mode, members int, promoteOnly bool) bool {
	after := members
	switch {
	case promoteOnly:
	case mode == ModeRemove:
		after--
	default:
		after++
	}
	return max(members, after) > PaceThreshold
}

// estimate simulates the run's member count: a call waits for the pace only
// while the room is over the threshold, so a room going from 480 to 1,200
// members pays for about 700 intervals, not 720. Promotions are membership
// changes too and are paced the same way.
func estimate(mode Mode, actions []Item, members int, interval, callTime time.Duration) (time.Duration, int) {
	var total time.Duration
	pacedCalls := 0
	for _, it := range actions {
		for c := 0; c < callsFor(it); c++ {
			promote := it.PromoteOnly || c == 1
			if paced(mode, members, promote) {
				total += max(interval, callTime)
				pacedCalls++
			} else {
				total += callTime
			}
			if !promote {
				if mode == ModeRemove {
					members--
				} else {
					members++
				}
			}
		}
	}
	return total, pacedCalls
}

// callsFor is the number of membership calls an action makes: an owner to
// add is added, then promoted.
func callsFor(it Item) int {
	if it.Owner && !it.PromoteOnly {
		return 2
	}
	return 1
}

// callCount is the number of membership calls the actions make.
func callCount(actions []Item) int {
	n := 0
	for _, it := range actions {
		n += callsFor(it)
	}
	return n
}

// callsText is the calls the actions make, saying why there are more
// calls than users when owners are promoted: "37 calls (36 adds and 1
// promotion to owner)".
func callsText(p *Plan) string {
	calls := callCount(p.Actions)
	text := plural(calls, "call", "calls")
	if promotions := calls - len(p.Actions) + promoteOnly(p.Actions); promotions > 0 {
		changes := calls - promotions
		what := plural(changes, "add", "adds")
		if p.Mode == ModeRemove {
			what = plural(changes, "removal", "removals")
		}
		if changes == 0 {
			return text + " (" + plural(promotions, "promotion", "promotions") + " to owner)"
		}
		text += fmt.Sprintf(" (%s and %s to owner)", what, plural(promotions, "promotion", "promotions"))
	}
	return text
}

func promoteOnly(actions []Item) int {
	n := 0
	for _, it := range actions {
		if it.PromoteOnly {
			n++
		}
	}
	return n
}

// warnings lists the facts the preview must show, most serious first.
func warnings(p *Plan, roster roomMembers, now time.Time, spans []Span) []Warning {
	var ws []Warning
	add := func(l Level, code, format string, args ...any) {
		ws = append(ws, Warning{Level: l, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if !p.Room.Active {
		add(LevelBlock, "deactivated", "the room %q is deactivated: no member can be added or removed", p.Room.Name)
	}
	if !p.Permission.Allowed {
		add(LevelBlock, "permission", "the bot may not %s members here: %s", p.Mode, p.Permission.Reason)
	}
	if p.Promotions > 0 && p.Permission.Allowed && !p.Permission.Owner && !p.Permission.UserProvisioning {
		add(LevelWarn, "promote-permission", "%s flagged as owner%s, but only an owner or the User Provisioning role may promote; %s will fail",
			plural(p.Promotions, "user is", "users are"), plural0(p.Promotions, "", "s"), plural0(p.Promotions, "the promotion", "their promotions"))
	}
	peak := max(p.MembersBefore, p.MembersAfter)
	if peak > PaceThreshold && len(p.Actions) > 0 {
		// Two durations, each labelled: what the pace itself costs (the
		// paced calls cannot go faster than this) and the whole run.
		// What Symphony asks for is 3 s, whatever this run was told: a
		// line saying "Symphony asks for one change every 1ms" would be false.
		pace := "Symphony asks for one change every " + FormatDuration(DefaultInterval)
		if p.Interval != DefaultInterval {
			pace += "; this run makes one every " + FormatDuration(p.Interval)
		}
		add(LevelWarn, "pace", "the room has (or will have) more than %d members: %s, "+
			"so %d of the %s %s paced; the paced calls take at least %s; whole run: about %s",
			PaceThreshold, pace, p.PacedCalls, callsText(p), plural0(p.PacedCalls, "is", "are"),
			FormatDuration(time.Duration(p.PacedCalls)*p.Interval),
			FormatDuration(p.Estimate))
	}
	jumbo := peak > JumboThreshold && len(p.Actions) > 0
	if jumbo {
		add(LevelWarn, "jumbo", "a jumbo room (over %s members): run off hours, tell Symphony support before you start, and keep at least 2 owners (it has %d now)",
			Count(JumboThreshold), p.OwnersBefore)
		// only when the run works in working hours: a run window that
		// keeps it out of them needs no warning
		switch at := workingHoursIn(spans); {
		case at.IsZero():
		case at.Equal(now):
			add(LevelWarn, "working-hours", "it is working hours now (%s, Monday to Friday 08:00-18:00 local time): Symphony asks for jumbo room changes off hours",
				now.Format("Mon 15:04"))
		default:
			add(LevelWarn, "working-hours", "the run will still be going in working hours (from %s; Monday to Friday 08:00-18:00 local time): Symphony asks for jumbo room changes off hours",
				at.Format("Mon 15:04"))
		}
	}
	if p.OwnersAfter < 2 {
		level := LevelInfo
		if jumbo {
			level = LevelWarn
		}
		add(level, "owners", "the room will have %s; Symphony recommends at least 2", plural(p.OwnersAfter, "owner", "owners"))
	}
	if n := len(p.OwnersRemoved); n > 0 {
		add(LevelWarn, "owners-removed", "the list removes %s of the room: %s", plural(n, "owner", "owners"), ownerNames(p))
	}
	if p.Mode == ModeRemove && len(p.Actions) > 0 && p.Actions[len(p.Actions)-1].UserID == p.Caller.UserID && p.Caller.UserID != 0 {
		add(LevelWarn, "self", "the list removes the bot itself; it is removed last, after everyone else")
	}
	external := countOutcome(p.SetAside, OutcomeExternal)
	if n := countOutcome(p.SetAside, OutcomeLookupFailed); n > 0 {
		add(LevelWarn, "lookup", "%s could not be looked up (the pod's look-up call failed): they are set aside, neither found nor unknown; run the list again to retry them",
			plural(n, "user", "users"))
	}
	if external > 0 {
		add(LevelInfo, "external", "%s set aside: the room does not allow users of other pods", plural(external, "external user is", "external users are"))
	}
	if len(p.Actions) == 0 {
		add(LevelInfo, "nothing", "nothing to do: no user in the list needs a change")
	}
	return ws
}

// countOutcome counts the items with outcome o.
func countOutcome(items []Item, o Outcome) int {
	n := 0
	for _, it := range items {
		if it.Outcome == o {
			n++
		}
	}
	return n
}

// ownerNames names every owner the removal removes, with their line:
// "Ann Lee (line 3), the bot itself (line 9)".
func ownerNames(p *Plan) string {
	names := make([]string, len(p.OwnersRemoved))
	for i, it := range p.OwnersRemoved {
		names[i] = ownerLabel(p, it)
	}
	return strings.Join(names, ", ")
}

// ownerLabel is an owner as the operator knows them, with the line: the
// pod's name, else the value in the list; the bot is "the bot itself".
func ownerLabel(p *Plan, it Item) string {
	name := cmp.Or(p.NameOf(it), it.Input)
	if it.UserID == p.Caller.UserID {
		name = "the bot itself"
	}
	return fmt.Sprintf("%s (line %d)", name, it.Line)
}

// lastOwnerBlock is the block of a removal that would leave the bot as
// the room's only owner (or no owner at all, when the bot goes too).
func lastOwnerBlock(p *Plan) Warning {
	var names []string
	for _, it := range p.OwnersRemoved {
		if it.UserID != p.Caller.UserID {
			names = append(names, ownerLabel(p, it))
		}
	}
	left := "the bot as its only owner"
	for _, it := range p.OwnersRemoved {
		if it.UserID == p.Caller.UserID {
			left = "no owner at all, since the bot goes too"
		}
	}
	which := "the last owner"
	if len(names) > 1 {
		which = "every owner"
	}
	return Warning{Level: LevelBlock, Code: "last-owner", Message: fmt.Sprintf(
		"the list removes %s, %s of the room other than the bot: the room would be left with %s",
		strings.Join(names, ", "), which, left)}
}

// WorkingHours reports whether t (in its own location) falls on Monday to
// Friday between 08:00 and 18:00.
func WorkingHours(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return t.Hour() >= 8 && t.Hour() < 18
}

// plural is "1 owner", "1,200 owners": a count with its noun (and verb) agreeing.
func plural(n int, one, many string) string { return Counted(n, one, many) }

// plural0 is the word alone that agrees with n.
func plural0(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
