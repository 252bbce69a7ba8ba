package bulk

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"roster/csvsource"
	"roster/symphony"
)

// BuildPlan resolves users and classifies every entry. It changes nothing:
// it only reads the session, the room, its members and the users.
//
// Every CSV entry ends up in exactly one place: Actions (to add, or with
// ModeRemove to remove) or SetAside with the reason. A user flagged as owner
// who is already a member but not an owner yet is an action with PromoteOnly
// set: the list asks for an owner, and promoting is the only change needed.
func BuildPlan(ctx context.Context, pod Pod, req PlanRequest) (*Plan, error) {
	if pod == nil {
		return nil, errors.New("plan: no pod client")
	}
	if req.List == nil {
		return nil, errors.New("plan: no user list")
	}
	if req.Mode != ModeAdd && req.Mode != ModeRemove {
		return nil, fmt.Errorf("plan: unknown mode %d", req.Mode)
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	var timer callTimer
	var caller *symphony.SessionInfo
	err := timer.time(1, func() (err error) { caller, err = pod.SessionInfo(ctx); return err })
	if err != nil {
		return nil, fmt.Errorf("read the session (who the bot is): %w", err)
	}
	var room *symphony.Room
	err = timer.time(1, func() (err error) { room, err = pod.RoomInfo(ctx, req.StreamID); return err })
	if err != nil {
		return nil, fmt.Errorf("room %s: %w", req.StreamID, err)
	}
	var members []symphony.Member
	err = timer.time(1, func() (err error) { members, err = pod.Members(ctx, req.StreamID); return err })
	hidden := false
	var ae *symphony.APIError
	if errors.As(err, &ae) && ae.Status == http.StatusForbidden {
		// The pod shows a private room's members only to its members and
		// a few roles: the plan says the bot may not act, rather than fail.
		hidden, err = true, nil
	}
	if err != nil {
		return nil, fmt.Errorf("room %s: list its members: %w", req.StreamID, err)
	}
	if last := lastLine(req.List); last > MaxLine {
		return nil, fmt.Errorf("%s reaches line %d; roster plans lists of at most %d lines: split it into smaller lists", req.List.Path, last, MaxLine)
	}
	users, err := resolve(ctx, pod, req.List.Entries, &timer)
	if err != nil {
		return nil, err
	}

	p := &Plan{
		Room:     *room,
		StreamID: room.ID,
		Mode:     req.Mode,
		Caller:   *caller,
		Source:   req.List.Path,
		Interval: req.Interval,
		Created:  now,
		CallTime: req.CallTime,
		Window:   req.Window,
		names:    users.names.pack(),
		Reasons:  map[int32]string{},
	}
	users.names = nameList{} // packed: the list can go
	if p.CallTime <= 0 {
		p.CallTime = timer.callTime(assumedCallTime)
	}
	if p.StreamID == "" {
		p.StreamID = req.StreamID
	}
	if p.Interval <= 0 {
		p.Interval = DefaultInterval
	}
	roster := memberIndex(members)
	roster.hidden = hidden
	p.MembersBefore, p.OwnersBefore = len(members), roster.owners
	p.classify(req.List, users, roster)
	p.preflight(roster, now)
	if n := req.List.Summary.Unlisted; n > 0 {
		p.Warnings = append(p.Warnings, Warning{Level: LevelWarn, Code: "unlisted-rows",
			Message: fmt.Sprintf("%s of %s counted but not listed (too many to keep); run roster check on the file to see them", plural(n, "more bad or repaired row is", "more bad or repaired rows are"), req.List.Path)})
	}
	p.InputHash = inputHash(p)
	return p, nil
}

// assumedCallTime is the duration Estimate assumes for one call when no
// read call could be timed (it cannot happen: the session is always read).
const assumedCallTime = 250 * time.Millisecond

// roomMembers indexes a member list.
type roomMembers struct {
	owner  map[int64]bool // member ID -> is owner
	owners int
	hidden bool // the pod would not list the members to the bot
}

func memberIndex(members []symphony.Member) roomMembers {
	r := roomMembers{owner: make(map[int64]bool, len(members))}
	for _, m := range members {
		r.owner[m.UserID] = m.Owner
		if m.Owner {
			r.owners++
		}
	}
	return r
}

func (r roomMembers) has(id int64) bool { _, ok := r.owner[id]; return ok }

// lastLine is the last line of a list that a plan would hold.
func lastLine(l *csvsource.List) int {
	last := 0
	if n := len(l.Entries); n > 0 {
		last = max(last, l.Entries[n-1].Line)
	}
	if n := len(l.Duplicates); n > 0 {
		last = max(last, l.Duplicates[n-1].Line)
	}
	if n := len(l.Problems); n > 0 {
		last = max(last, l.Problems[n-1].Line)
	}
	return last
}

// resolved is what the pod knows of the CSV's users, by the CSV's values.
type resolved struct {
	byID       idTable           // the users the pod knows: their place in users
	users      []state           // (a user answered twice has two; the map holds the last)
	names      nameList          // their display names, as the look-ups answer
	byEmail    map[string]int64  // lower-cased -> user ID
	byUsername map[string]int64  // lower-cased -> user ID
	invalid    map[string]string // lower-cased value -> the pod's error
	failed     map[string]string // lower-cased value -> why its look-up call failed
}

// resolve looks up every entry: IDs too, to learn whether each user is
// active and local. The client splits each look-up into calls of 100.
func resolve(ctx context.Context, pod Pod, entries []csvsource.Entry, timer *callTimer) (*resolved, error) {
	var ids []int64
	var emails, usernames []string
	if len(entries) > 0 && entries[0].Kind == csvsource.KindUserID {
		ids = make([]int64, 0, len(entries)) // a list of IDs, most likely
	}
	for _, e := range entries {
		switch e.Kind {
		case csvsource.KindUserID:
			ids = append(ids, e.UserID)
		case csvsource.KindEmail:
			emails = append(emails, e.Value)
		case csvsource.KindUsername:
			usernames = append(usernames, e.Value)
		}
	}
	r := &resolved{byID: newIDTable(len(entries)), users: make([]state, 0, len(entries)), byEmail: make(map[string]int64, len(emails)),
		byUsername: make(map[string]int64, len(usernames)), invalid: map[string]string{}, failed: map[string]string{}}
	r.names.ids, r.names.ends = make([]int64, 0, len(entries)), make([]int, 0, len(entries))
	if err := lookUp(ctx, ids, timer, pod.UsersByID, func(l *symphony.UserLookup) { r.add(l, csvsource.KindUserID) }); err != nil {
		return nil, fmt.Errorf("look up %s: %w", plural(len(ids), "user ID", "user IDs"), err)
	}
	if err := lookUp(ctx, emails, timer, pod.UsersByEmail, func(l *symphony.UserLookup) { r.add(l, csvsource.KindEmail) }); err != nil {
		return nil, fmt.Errorf("look up %s: %w", plural(len(emails), "email address", "email addresses"), err)
	}
	if err := lookUp(ctx, usernames, timer, pod.UsersByUsername, func(l *symphony.UserLookup) { r.add(l, csvsource.KindUsername) }); err != nil {
		return nil, fmt.Errorf("look up %s: %w", plural(len(usernames), "username", "usernames"), err)
	}
	return r, nil
}

// lookUp asks the pod about values one look-up call's worth at a time, and
// hands each answer to fold, in the order of the values: a list of
// millions never has the pod's answers for more than lookAhead calls in
// memory at once, only the plan's maps of them. Up to lookAhead calls are
// in flight, so that the pod answers the next while this side reads the
// last: a look-up call's time is mostly the pod's and the network's, and
// a list of 10M rows is 100,000 calls. The first failure, in the order of
// the values, is the error; the calls after it are cancelled and waited
// for, so that none outlives the look-up.
func lookUp[T any](ctx context.Context, values []T, timer *callTimer,
	look func(context.Context, []T) (*symphony.UserLookup, error), fold func(*symphony.UserLookup)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		l    *symphony.UserLookup
		took time.Duration
		err  error
	}
	var inFlight []chan answer
	ask := func() {
		batch := values[:min(len(values), lookupBatch)]
		values = values[len(batch):]
		ch := make(chan answer, 1)
		go func() {
			start := time.Now()
			l, err := look(ctx, batch)
			ch <- answer{l, time.Since(start), err}
		}()
		inFlight = append(inFlight, ch)
	}
	for len(values) > 0 || len(inFlight) > 0 {
		for len(values) > 0 && len(inFlight) < lookAhead {
			ask()
		}
		a := <-inFlight[0]
		inFlight = inFlight[1:]
		if a.err != nil {
			cancel()
			for _, ch := range inFlight {
				<-ch
			}
			return a.err
		}
		timer.add(a.took)
		fold(a.l)
	}
	return nil
}

// lookAhead is how many look-up calls are in flight at once.
const lookAhead = 2

// add folds a look-up's answer into the maps: every user by ID, and by the
// value they were looked up by (an email, a username), which is all that
// find asks of them.
func (r *resolved) add(l *symphony.UserLookup, by csvsource.Kind) {
	if l == nil {
		return
	}
	for _, u := range l.Users {
		r.byID.put(u.ID, int32(len(r.users)))
		r.users = append(r.users, state{Active: u.Active, External: u.External})
		r.names.add(u.ID, displayName(u))
		// Copies: a look-up's strings are parts of its whole reply, which
		// a key kept in a map would keep too.
		if u.Email != "" && by == csvsource.KindEmail {
			r.byEmail[strings.Clone(strings.ToLower(u.Email))] = u.ID
		}
		if u.Username != "" && by == csvsource.KindUsername {
			r.byUsername[strings.Clone(strings.ToLower(u.Username))] = u.ID
		}
	}
	for _, e := range l.Errors {
		to := r.invalid
		if e.Failed {
			to = r.failed
		}
		for _, v := range []string{e.Email, e.Username} {
			if v != "" {
				to[strings.ToLower(v)] = e.Error
			}
		}
		if e.ID != 0 {
			to[fmt.Sprint(e.ID)] = e.Error
		}
	}
}

// find returns the user an entry names.
func (r *resolved) find(e csvsource.Entry) (known, bool) {
	id, ok := e.UserID, e.Kind == csvsource.KindUserID
	switch e.Kind {
	case csvsource.KindEmail:
		id, ok = r.byEmail[strings.ToLower(e.Value)]
	case csvsource.KindUsername:
		id, ok = r.byUsername[strings.ToLower(e.Value)]
	}
	if !ok {
		return known{}, false
	}
	i, ok := r.byID.get(id)
	if !ok {
		return known{}, false
	}
	return known{ID: id, at: i, state: r.users[i]}, true
}

// firstSeen records the line of the first entry that names a user.
func (r *resolved) firstSeen(u known, line int32) {
	r.users[u.at].seen, r.users[u.at].first = true, line
}

// known is what placing a user the pod knows takes, not the whole answer
// of the look-up (email, username, company, account type), which a list of
// millions would hold for every user until the plan is built; their names
// go to resolved.names, which the plan packs into its table.
type known struct {
	ID int64
	at int32 // in resolved.users
	state
}

// state is what the plan's look-ups keep of a user by ID, and the line of
// the list's first entry that names them (seen), once classify met it.
type state struct {
	Active, External bool
	seen             bool
	first            int32
}

// classify puts every entry, duplicate and bad row in Actions or SetAside.
func (p *Plan) classify(list *csvsource.List, users *resolved, roster roomMembers) {
	// The entries that a duplicate repeats, to name its user: only those
	// are kept, not every entry of the list.
	byValue := map[string]csvsource.Entry{}
	// Most entries are actions: room for all of them at once, rather than
	// a slice that grows by copies and ends up to a quarter too long.
	p.Actions = make([]Item, 0, len(list.Entries))
	for _, d := range list.Duplicates {
		byValue[d.Value] = csvsource.Entry{}
	}
	for _, e := range list.Entries {
		if _, repeated := byValue[e.Value]; repeated {
			byValue[e.Value] = e
		}
		it := Item{Line: int32(e.Line), Input: e.Value, Kind: e.Kind, UserID: e.UserID, Owner: e.Owner && p.Mode == ModeAdd}
		u, found := users.find(e)
		if why, failed := users.failed[strings.ToLower(e.Value)]; !found && failed {
			p.setAside(it, OutcomeLookupFailed, "the pod's look-up of this "+e.Kind.String()+" failed ("+why+"): not known either way; run the list again to retry it")
			continue
		}
		if !found {
			p.setAside(it, OutcomeUnknown, unknownMessage(e, users))
			continue
		}
		it.UserID = u.ID
		if u.seen {
			// Two values (an email and an ID, say) that name one user.
			p.setAside(it, OutcomeDuplicate, fmt.Sprintf("the same user as line %d", u.first))
			continue
		}
		users.firstSeen(u, it.Line)
		p.place(it, u, roster)
	}
	for _, d := range list.Duplicates {
		it := Item{Line: int32(d.Line), Input: d.Value}
		if e := byValue[d.Value]; e.Kind != 0 {
			it.Kind = e.Kind
			if u, ok := users.find(e); ok {
				it.UserID = u.ID
			}
		}
		p.setAside(it, OutcomeDuplicate, fmt.Sprintf("repeats line %d", d.FirstLine))
	}
	for _, pr := range list.Problems {
		if pr.Warning {
			continue
		}
		p.setAside(Item{Line: int32(pr.Line)}, OutcomeBadRow, pr.Message)
	}
	slices.SortStableFunc(p.SetAside, func(a, b Item) int { return cmp.Compare(a.Line, b.Line) })
	if spare := cap(p.Actions) - len(p.Actions); spare > len(p.Actions)/8 {
		p.Actions = append([]Item(nil), p.Actions...) // many were set aside: give the room back
	}
	p.selfLast()
}

// setAside sets an item aside with its outcome and why. One line is one
// entry, so the line keys why; a second reason for a line (two problems
// the reader found in one row) is joined to the first.
func (p *Plan) setAside(it Item, o Outcome, why string) {
	it.Outcome = o
	p.SetAside = append(p.SetAside, it)
	if had, ok := p.Reasons[it.Line]; ok && had != why {
		why = had + "; " + why
	}
	p.Reasons[it.Line] = why
}

// place decides what to do with one resolved, first-seen user.
func (p *Plan) place(it Item, u known, roster roomMembers) {
	member := roster.has(u.ID)
	switch {
	case p.Mode == ModeRemove && !member:
		p.setAside(it, OutcomeNotMember, "not a member of the room")
	case p.Mode == ModeRemove:
		// An inactive or external member can still be removed: clearing
		// them out is often the very point of a removal list.
		p.act(it)
	case !u.Active:
		p.setAside(it, OutcomeInactive, "the user's account is deactivated")
	case member && it.Owner && !roster.owner[u.ID]:
		// Already a member: to be promoted to owner.
		it.PromoteOnly = true
		p.act(it)
	case member && it.Owner:
		p.setAside(it, OutcomeAlreadyMember, "already a member and an owner of the room")
	case member:
		p.setAside(it, OutcomeAlreadyMember, "already a member of the room")
	case u.External && !p.Room.CrossPod:
		p.setAside(it, OutcomeExternal, "an external user; the room does not allow external users")
	default:
		p.act(it)
	}
}

// act makes an item an action.
func (p *Plan) act(it Item) {
	it.Outcome = OutcomePending
	p.Actions = append(p.Actions, it)
}

// selfLast moves the bot's own removal to the end: once it has left the
// room it may no longer be allowed to remove anyone else.
func (p *Plan) selfLast() {
	if p.Mode != ModeRemove || p.Caller.UserID == 0 {
		return
	}
	for i, it := range p.Actions {
		if it.UserID == p.Caller.UserID {
			p.Actions = append(append(p.Actions[:i:i], p.Actions[i+1:]...), it)
			return
		}
	}
}

func unknownMessage(e csvsource.Entry, users *resolved) string {
	key := strings.ToLower(e.Value)
	if why, ok := users.invalid[key]; ok {
		return fmt.Sprintf("the pod refused this %s (%s)", e.Kind, why)
	}
	switch e.Kind {
	case csvsource.KindEmail:
		return "no user with this email address on the pod"
	case csvsource.KindUsername:
		return "no user with this username on the pod"
	}
	return "no user with this ID on the pod"
}

func displayName(u symphony.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// inputHash identifies a run's input: the room, the mode and every resolved
// user of the list with its owner flag, in input order. It is taken over
// every resolved entry, not just the actions, because the actions shrink as
// a run progresses (an added user is "already a member" when the plan is
// built again to resume) while the list's users stay the same.
func inputHash(p *Plan) string {
	h := sha256.New()
	fmt.Fprintf(h, "roster-plan-v1\x00%s\x00%s\x00", p.StreamID, p.Mode)
	type hashed struct { // what the hash takes of an item
		line   int32
		userID int64
		owner  bool
	}
	items := make([]hashed, 0, len(p.Actions)+len(p.SetAside))
	for _, group := range [][]Item{p.Actions, p.SetAside} {
		for _, it := range group {
			if it.UserID != 0 && it.Outcome != OutcomeDuplicate && it.Outcome != OutcomeBadRow {
				items = append(items, hashed{it.Line, it.UserID, it.Owner})
			}
		}
	}
	slices.SortStableFunc(items, func(a, b hashed) int { return cmp.Compare(a.line, b.line) })
	var buf [9]byte
	for _, it := range items {
		binary.BigEndian.PutUint64(buf[:8], uint64(it.userID))
		buf[8] = 0
		if it.owner {
			buf[8] = 1
		}
		h.Write(buf[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}
