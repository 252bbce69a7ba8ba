package bulk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"roster/csvsource"
	"roster/symphony"
)

// An estate run changes many rooms in one run: a lane per room, side by
// side. Symphony's pace (one change every few seconds in a room over
// PaceThreshold members) is per room, so rooms run in parallel each keep
// their own pace: 100 rooms of 5,000 users each take about 417 hours one
// after another and about 4 hours side by side.
//
// A lane is a whole single-room Job: its own plan, warnings, decision,
// lock, journal and report, so everything a single run guarantees (one
// writer per room, the journal written before each call, the resume that
// repeats no confirmed change) holds for each room by the same code. The
// estate only groups them: it resolves the rooms, decides for the whole
// run, starts at most Lanes rooms at once and writes one report with a
// room column. Lanes share the session, and one Throttle: when the pod
// tells the bot to slow down, every lane slows, since Symphony's global
// throttling is per caller, not per room.

// DefaultLanes is how many rooms run at once unless --lanes says: ten
// paced rooms make about three changes a second, well inside what a pod
// allows one caller, and ten rooms below the pace threshold (whose calls
// are not paced) keep at most ten calls in flight. More lanes only help
// when many rooms are paced; the shared backoff slows them all if the pod
// objects.
const DefaultLanes = 10

// MaxLanes bounds --lanes.
const MaxLanes = 200

// EstateRequest is a run over several rooms: the request's fields, shared
// by every room (Request.Stream is not used), and the rooms.
type EstateRequest struct {
	Request

	// Rooms are the rooms the whole list goes to (--stream given several
	// times), each a stream ID in either base64 form or a room's exact
	// name. Empty when the list names each row's room in its room column.
	Rooms []string

	// RoomColumn is the list's room column when the operator names it;
	// "" = csvsource finds it by its header.
	RoomColumn string

	Lanes       int  // rooms at once; 0 = DefaultLanes
	SkipBlocked bool // start without the rooms that cannot run (blocked, unreadable)
}

// ManyRooms says whether a request with this list is an estate run: the
// list has a room column, or several rooms are given. Both faces ask it,
// so they take the same path.
func ManyRooms(rooms []string, list *csvsource.List) bool {
	return len(rooms) > 1 || (list != nil && list.HasRooms())
}

// Lane is one room of an estate run.
type Lane struct {
	Index    int
	Given    string // the room as the operator gave it: a stream ID or a name
	Line     int    // the list's first line naming the room; 0 when given by --stream
	StreamID string // "" when it could not be resolved
	Job      *Job   // nil when the room could not be resolved or planned (Err)
	Err      error  // why the room cannot be planned
	Skipped  bool   // left out: it cannot run and the operator said to go on without it

	list *csvsource.List // the part of the list the room runs
	twin bool            // another room of the run has the same name
}

// Name is the room's name as the pod gave it, else as the operator did.
// Two rooms given by stream ID may share a name: each is then named with
// the start of its stream ID too ("Rates (oSNR_Pc4…)"), so that no line
// of either face leaves the reader to guess which room it is about.
func (l *Lane) Name() string {
	if l.Job != nil && l.Job.Plan.Room.Name != "" {
		if l.twin {
			return fmt.Sprintf("%s (%s…)", l.Job.Plan.Room.Name, l.StreamID[:min(len(l.StreamID), idStart)])
		}
		return l.Job.Plan.Room.Name
	}
	return l.Given
}

// idStart is how much of a stream ID tells two rooms of one name apart: its
// start (a pod's IDs share their last bytes, the pod's own).
const idStart = 8

// markTwins marks the rooms whose name another room of the run has.
func markTwins(lanes []*Lane) {
	count := map[string]int{}
	for _, l := range lanes {
		if l.Job != nil {
			count[l.Job.Plan.Room.Name]++
		}
	}
	for _, l := range lanes {
		l.twin = l.Job != nil && count[l.Job.Plan.Room.Name] > 1
	}
}

// Runs reports whether the room starts a run with the estate: planned and
// Ready (a room that cannot run is never Ready).
func (l *Lane) Runs() bool {
	return !l.CannotRun() && l.Job.Decision.Verdict == Ready
}

// CannotRun reports whether the room cannot run at all: it could not be
// resolved or planned (Err), or its plan is blocked. The estate's decision
// blocks on it, or leaves it out (Skipped) when the operator said so.
func (l *Lane) CannotRun() bool {
	return l.Err != nil || l.Job == nil || l.Job.Decision.Verdict == Blocked
}

// Why is why a room cannot run, in one line: its error, or what blocks its
// plan; "" for a room that can.
func (l *Lane) Why() string {
	switch {
	case l.Err != nil:
		return l.Err.Error()
	case l.Job != nil && l.Job.Decision.Verdict == Blocked:
		return blockText(l.Job.Decision.Blocks)
	}
	return ""
}

// Estate is a planned estate run and the decision on it.
type Estate struct {
	EstateRequest
	Session  *Session
	List     *csvsource.List
	Lanes    []*Lane
	Decision EstateDecision

	// throttle is the backoff every room's runner shares (throttle.go).
	throttle *Throttle
}

// EstateDecision is whether the estate run may start, and why not.
type EstateDecision struct {
	// Verdict is the whole run's: Ready when at least one room is Ready
	// and no room refuses; a room's refusal otherwise (Busy, Unfinished,
	// CannotResume; Blocked when a room cannot run and the operator did
	// not say to go on without it); NothingToDo when no room has work.
	Verdict Verdict
	Lane    int   // the lane the verdict is about; -1 for none
	Blocked []int // lanes that cannot run (left out under SkipBlocked)
}

// Startable reports whether the run may start.
func (d EstateDecision) Startable() bool { return d.Verdict == Ready }

// ExitCode is the code of a process that stops at this decision.
func (d EstateDecision) ExitCode() int {
	return Decision{Verdict: d.Verdict}.ExitCode()
}

// estatePlanners bounds how many rooms are read and planned at once.
const estatePlanners = 4

// Plan resolves the rooms, plans each one (a few at a time) and decides.
// A room that cannot be resolved or read becomes a lane with Err: the
// decision names it, and it is left out only under SkipBlocked.
func (req EstateRequest) Plan(ctx context.Context, s *Session, list *csvsource.List) (*Estate, error) {
	if s == nil || s.Pod == nil {
		return nil, errors.New("plan: no session")
	}
	if err := req.check(list); err != nil {
		return nil, err
	}
	if req.OutDir == "" {
		req.OutDir = "."
	}
	e := &Estate{EstateRequest: req, Session: s, List: list, throttle: NewThrottle()}
	e.Lanes = req.lanes(list)
	if len(e.Lanes) > MaxRooms {
		return nil, &InputError{Input: InputRoom, Err: fmt.Errorf("%d rooms in one run; roster runs at most %d: split the list", len(e.Lanes), MaxRooms)}
	}
	// Every room is resolved (a few at a time: a stream ID is read from
	// the pod) before any is planned, so that a refusal of the whole run
	// leaves no planning behind it still using the session. An error of
	// the whole run stops the others, as it would stop the run.
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	sem := make(chan struct{}, estatePlanners)
	var wg sync.WaitGroup
	for _, l := range e.Lanes {
		wg.Add(1)
		go func() { // each writes its own lane only; Wait orders it before the reads below
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if l.Err = rctx.Err(); l.Err != nil {
				return
			}
			l.StreamID, l.Err = ResolveRoom(rctx, s.Pod, l.Given)
			if l.Err != nil && wholeRun(l.Err) {
				stop()
			}
		}()
	}
	wg.Wait()
	for _, l := range e.Lanes {
		if l.Err != nil && (ctx.Err() != nil || wholeRun(l.Err)) {
			return nil, errors.Join(l.Err, ctx.Err())
		}
	}
	ids := map[string]*Lane{}
	for _, l := range e.Lanes {
		if l.Err != nil {
			continue
		}
		id := l.StreamID
		if first, dup := ids[id]; dup {
			// Two spellings of one room would make two lanes change one
			// room, each thinking it is alone: refused, not merged.
			return nil, &InputError{Input: InputRoom, Err: fmt.Errorf("%s and %s are the same room (%s); name each room one way", where(first), where(l), id)}
		}
		ids[id] = l
	}
	for _, l := range e.Lanes {
		if l.Err != nil {
			continue
		}
		wg.Add(1)
		go func() { // each writes its own lane only; Wait orders it before the reads below
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			sub := req.Request
			sub.Stream = l.StreamID
			l.Job, l.Err = sub.Plan(ctx, s, l.list, l.StreamID)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, l := range e.Lanes {
		if l.Job != nil {
			l.Job.throttle = e.throttle
		}
		if l.Err != nil && wholeRun(l.Err) {
			// not the room's fault: the out folder, the pod, the session
			return nil, l.Err
		}
	}
	markTwins(e.Lanes)
	e.Decide(req.Resume)
	return e, nil
}

// MaxRooms bounds the rooms of one run: each running room holds its lock
// and journal open for the whole run.
const MaxRooms = 1000

// wholeRun reports whether a room's planning error is about the whole run
// rather than its room, so the estate cannot be planned at all: the out
// folder, a pod that asks to wait too long or does not answer, the bot's
// sign-in.
func wholeRun(err error) bool {
	if ie, ok := errors.AsType[*InputError](err); ok && ie.Input == InputOut {
		return true
	}
	return symphony.IsWaitTooLong(err) || errors.Is(err, symphony.ErrPodGone) || errors.Is(err, symphony.ErrAuthFailed)
}

// where names a lane's room as the operator gave it, and where.
func where(l *Lane) string {
	if l.Line > 0 {
		return fmt.Sprintf("%q (line %d)", l.Given, l.Line)
	}
	return fmt.Sprintf("%q", l.Given)
}

// check refuses requests that mix the ways of naming rooms, or name none.
func (req EstateRequest) check(list *csvsource.List) error {
	switch {
	case list.HasRooms() && len(req.Rooms) > 0:
		return &InputError{Input: InputRoom, Err: fmt.Errorf("%s names each row's room in its room column; give no --stream as well, or a list without a room column", list.Path)}
	case !list.HasRooms() && len(req.Rooms) == 0:
		return &InputError{Input: InputRoom, Err: errors.New("no room: give --stream (several times for several rooms), or a room column in the list")}
	case req.Resume.File != "":
		return &InputError{Input: InputOut, Err: errors.New("a run of several rooms keeps a journal per room: give --resume without a file, and each room's journal is found in the out folder")}
	case req.Lanes < 0 || req.Lanes > MaxLanes:
		return &InputError{Input: InputRoom, Err: fmt.Errorf("--lanes %d: give 1 to %d rooms at once", req.Lanes, MaxLanes)}
	}
	return nil
}

// lanes are the request's rooms in the order given, each with its part of
// the list: the list's room column in first-seen order (the list split in
// one pass), or the --stream values, each with the whole list.
func (req EstateRequest) lanes(list *csvsource.List) []*Lane {
	var out []*Lane
	if list.HasRooms() {
		parts := list.Parts()
		for i, r := range list.Rooms {
			l := &Lane{Index: i, Given: r, list: parts[i]}
			if len(parts[i].Entries) > 0 {
				l.Line = parts[i].Entries[0].Line
			}
			out = append(out, l)
		}
		return out
	}
	for i, r := range req.Rooms {
		out = append(out, &Lane{Index: i, Given: strings.TrimSpace(r), list: list})
	}
	return out
}

// Decide decides each room for the resume choice, then the whole run.
func (e *Estate) Decide(choice ResumeChoice) {
	e.Resume = choice
	for _, l := range e.Lanes {
		if l.Job != nil {
			l.Job.Decide(choice)
		}
	}
	e.decide()
}

func (e *Estate) decide() {
	d := EstateDecision{Verdict: NothingToDo, Lane: -1}
	ready := false
	for _, l := range e.Lanes {
		l.Skipped = false
		if l.CannotRun() {
			d.Blocked = append(d.Blocked, l.Index)
			continue
		}
		switch v := l.Job.Decision.Verdict; v {
		case Ready:
			ready = true
		case Busy, Unfinished, CannotResume:
			if d.Lane < 0 {
				d.Verdict, d.Lane = v, l.Index
			}
		}
	}
	switch {
	case d.Lane >= 0:
	case len(d.Blocked) > 0 && (!e.SkipBlocked || !ready):
		d.Verdict, d.Lane = Blocked, d.Blocked[0]
	case ready:
		d.Verdict = Ready
	}
	if d.Verdict == Ready && e.SkipBlocked {
		for _, i := range d.Blocked {
			e.Lanes[i].Skipped = true
		}
	}
	e.Decision = d
}

// LaneCount is how many rooms run at once.
func (e *Estate) LaneCount() int {
	if e.EstateRequest.Lanes > 0 {
		return e.EstateRequest.Lanes
	}
	return DefaultLanes
}

// Estimate is how long the run takes: the rooms laid into the lanes in
// order, each starting when a lane is free, so the slowest lane when every
// room has one.
func (e *Estate) Estimate() time.Duration {
	var each []time.Duration
	for _, l := range e.Lanes {
		if l.Runs() {
			each = append(each, l.Job.Plan.Estimate)
		}
	}
	return laneMakespan(each, e.LaneCount())
}

// laneMakespan is when the last of the durations ends when each starts, in
// order, on the first of n lanes to be free.
func laneMakespan(each []time.Duration, n int) time.Duration {
	if n <= 0 {
		n = 1
	}
	free := make([]time.Duration, min(n, max(len(each), 1)))
	for _, d := range each {
		i := slices.Index(free, slices.Min(free))
		free[i] += d
	}
	return slices.Max(free)
}

// Sequential is how long the rooms would take one after another.
func (e *Estate) Sequential() time.Duration {
	var sum time.Duration
	for _, l := range e.Lanes {
		if l.Runs() {
			sum += l.Job.Plan.Estimate
		}
	}
	return sum
}

// Close releases the session's connections.
func (e *Estate) Close() { e.Session.Close() }
