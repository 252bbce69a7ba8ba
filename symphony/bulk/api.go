package bulk

// The exported types of a plan and a run, which the job, both faces and the
// tests share.

import (
	"context"
	"math"
	"time"

	"roster/csvsource"
	"roster/symphony"
)

// Mode says whether a run adds or removes members.
type Mode int

const (
	ModeAdd Mode = iota
	ModeRemove
)

func (m Mode) String() string {
	if m == ModeRemove {
		return "remove"
	}
	return "add"
}

// Outcome is a user's final (or planned) state in a run: one byte in every
// Item of a plan. Its String is the word the journal's "outcome" field,
// the report's "outcome" column and both faces hold (outcome.go), the same
// words as when the type was a string. The zero value is no outcome: it is
// never journaled or reported, and a word that is not one of these is an
// error wherever it is read, never taken for another outcome.
type Outcome uint8

const (
	outcomeNone Outcome = iota // the zero value: not an outcome

	OutcomePending       // "pending": to do; not done yet (also: left undone by an abort)
	OutcomeAdded         // "added"
	OutcomeRemoved       // "removed"
	OutcomeAlreadyMember // "already-member": add mode: already in the room
	OutcomeNotMember     // "not-member": remove mode: not in the room
	OutcomeInactive      // "inactive-user"
	OutcomeUnknown       // "unknown-user"
	OutcomeExternal      // "external-not-allowed": external user, room does not allow them
	OutcomeDuplicate     // "duplicate"
	OutcomeBadRow        // "bad-row"
	OutcomeFailed        // "failed": the call failed permanently or ran out of retries
	OutcomeLookupFailed  // "lookup-failed": set aside: the pod's look-up of the value failed; run the list again

	// OutcomeUnconfirmed ("unconfirmed") is an add or removal the pod
	// answered with a 2xx that is not its documented success reply: it may
	// or may not have been made. The result's Unsettled names the call;
	// the member list settles it (settle.go) before the run ends, or on
	// resume.
	OutcomeUnconfirmed

	// OutcomeCrossPodPending ("pending-cross-pod") is an add the pod
	// answered with the observed "Member already part of the room or Xpod
	// request will be processed asynchronously" for a user the plan's
	// member list did not show: a user of another pod whom the pod adds
	// later. Its Unsettled is ActionAdd; the member list confirms it
	// (settle.go), before the run ends or on resume; until then it is no
	// change made.
	OutcomeCrossPodPending

	outcomeCount // the number of values above, outcomeNone included
)

// Failed reports whether the outcome counts as a failure for the exit code.
func (o Outcome) Failed() bool { return o == OutcomeFailed }

// Item is one CSV entry in a plan: only what a run needs of it, since a
// plan holds one for every entry of a list of millions. The user's display
// name is the plan's (Plan.NameOf), and the reason a set-aside entry is
// set aside is too (Plan.Why): most items have neither.
//
// Its fields are ordered so that it packs into 32 bytes (TestItemSize).
type Item struct {
	UserID  int64          // 0 when unresolved
	Input   string         // the value as read (normalised by csvsource; its bytes, not a copy)
	Line    int32          // input line (BuildPlan refuses a list of more than MaxLine lines)
	Kind    csvsource.Kind //
	Outcome Outcome        // Pending for actions; the reason for set-aside items
	Owner   bool           // to be promoted to owner after being added

	// PromoteOnly marks an action for a user who is already a member but
	// flagged as owner in the list and not an owner yet: the run promotes
	// them without adding them (their outcome is then AlreadyMember with
	// Result.Promoted set).
	PromoteOnly bool
}

// MaxLine is the last input line a plan can hold (Item.Line).
const MaxLine = math.MaxInt32

// Level ranks a preflight warning.
type Level int

const (
	LevelInfo  Level = iota
	LevelWarn        // shown prominently
	LevelBlock       // the run cannot start
)

// Warning is one preflight fact for the preview.
type Warning struct {
	Level   Level
	Code    string // stable: "pace", "jumbo", "working-hours", "owners", "deactivated", "permission", "external", ...
	Message string
}

// Permission says whether the caller may make the change, and why.
type Permission struct {
	Allowed          bool
	Reason           string
	Owner            bool // the caller owns the room
	Member           bool // the caller is a member
	MembersCanInvite bool
	UserProvisioning bool // the caller has the User Provisioning role
}

// Plan is what the preview shows and what the runner executes.
type Plan struct {
	Room     symphony.Room
	StreamID string
	Mode     Mode
	Caller   symphony.SessionInfo
	Source   string // the CSV's path

	MembersBefore, OwnersBefore int
	MembersAfter, OwnersAfter   int // expected when every action succeeds

	Actions  []Item // to do, in input order
	SetAside []Item // already member / not member, inactive, unknown, external, duplicate, bad row

	// Removal: the actions that remove an owner of the room (the bot's
	// included), and whether they remove every owner but the bot (the
	// room had one): Job.Decide blocks that unless the request allows it.
	OwnersRemoved    []Item
	RemovesLastOwner bool

	Permission Permission
	Interval   time.Duration // pace that applies above PaceThreshold members
	Estimate   time.Duration // expected duration of the run, WindowWait included
	WindowWait time.Duration // of Estimate, the time spent waiting for the run window to open
	Window     *Window       // the run window the estimate is laid into; nil = always open
	Warnings   []Warning
	InputHash  string // hash of room, mode and actions: finds a matching journal

	Created    time.Time     // when the plan was built (the time of set-aside rows in the report)
	Promotions int           // owner promotions the actions include
	PacedCalls int           // calls of the estimate that wait for the pace
	CallTime   time.Duration // one call's time in Estimate: the median of the plan's timed read calls, or PlanRequest.CallTime

	// Reasons says why each set-aside entry is set aside, by its line
	// (read it with Why): an action has none, so items do not carry one.
	Reasons map[int32]string
	// names are the display names (or usernames) of the users the pod
	// knows, by user ID (read them with NameOf): one table, not a string
	// in every item.
	names nameTable
}

// NameOf is the display name (or the username) of an item's user, when the
// pod knows them; "" otherwise.
func (p *Plan) NameOf(it Item) string {
	if it.UserID == 0 {
		return ""
	}
	return p.names.get(it.UserID)
}

// Why says why a set-aside item is set aside; "" for an action.
func (p *Plan) Why(it Item) string {
	if it.Outcome == OutcomePending {
		return ""
	}
	return p.Reasons[it.Line]
}

// PaceThreshold is the member count above which changes are paced.
const PaceThreshold = 500

// JumboThreshold is the member count above which a room is "jumbo".
const JumboThreshold = 1000

// DefaultInterval is Symphony's pace for rooms over PaceThreshold members.
const DefaultInterval = 3 * time.Second

// Blocked reports whether a LevelBlock warning forbids starting.
func (p *Plan) Blocked() bool {
	for _, w := range p.Warnings {
		if w.Level == LevelBlock {
			return true
		}
	}
	return false
}

// Pod is what bulk needs of a pod client; *symphony.Client satisfies it.
type Pod interface {
	SessionInfo(ctx context.Context) (*symphony.SessionInfo, error)
	RoomInfo(ctx context.Context, streamID string) (*symphony.Room, error)
	Members(ctx context.Context, streamID string) ([]symphony.Member, error)
	UsersByID(ctx context.Context, ids []int64) (*symphony.UserLookup, error)
	UsersByEmail(ctx context.Context, emails []string) (*symphony.UserLookup, error)
	UsersByUsername(ctx context.Context, usernames []string) (*symphony.UserLookup, error)
	AddMember(ctx context.Context, streamID string, userID int64) (symphony.Change, error)
	RemoveMember(ctx context.Context, streamID string, userID int64) (symphony.Change, error)
	PromoteOwner(ctx context.Context, streamID string, userID int64) (symphony.Change, error)
}

// PlanRequest is the input of BuildPlan.
type PlanRequest struct {
	StreamID string
	Mode     Mode
	List     *csvsource.List
	Interval time.Duration // 0 = DefaultInterval
	Now      time.Time     // for the working-hours warning; zero = time.Now()
	CallTime time.Duration // one call's time for Estimate; 0 = measured on the plan's read calls
	Window   *Window       // the run window: Estimate counts the waits for it; nil = always open
}

// Result is one finished action: an event, a journal record and a report row.
type Result struct {
	Time     time.Time
	Index    int // position in Plan.Actions
	Item     Item
	Name     string // the user's display name (Plan.NameOf, or the journal's on resume)
	Outcome  Outcome
	Promoted bool // owner flag applied
	Status   int  // last HTTP status
	Message  string
	Attempts int

	// Unsettled is the call whose effect the pod's reply did not confirm
	// and the member list must settle (settleFromMembers): ActionAdd or
	// ActionRemove with OutcomeUnconfirmed, ActionPromote when the add
	// was confirmed but the promotion was not. Zero when the outcome is
	// known.
	Unsettled Action
	// Settled says the outcome was read from the room's member list, not
	// from the pod's reply to the change: a reply that did not confirm it,
	// or a call in flight when an earlier run stopped.
	Settled bool
}

// ConfirmedBy says what a result's outcome rests on, as the report's
// "confirmed by" column says it: "pod reply", "member list", or
// "not confirmed yet" while the member list has not settled it.
func (r Result) ConfirmedBy() string {
	switch {
	case r.Unsettled.valid():
		return "not confirmed yet"
	case r.Settled:
		return "member list"
	}
	return "pod reply"
}

// Call is a membership call in flight: whom it is for and what it does.
type Call struct {
	Item   Item
	Name   string // the user's display name, as in Result
	Action Action
}

// Totals counts a run's progress.
type Totals struct {
	Actions  int // actions in the plan
	Done     int // actions finished (any outcome), including those done before a resume
	Added    int
	Removed  int
	Promoted int
	Already  int // already a member / not a member, found during the run
	Failed   int
	Members  int // the room's member count as the run changes it

	// Unconfirmed counts results whose change (or promotion) the pod's
	// reply did not confirm and the member list has not settled yet;
	// Settled counts outcomes the member list settled.
	Unconfirmed int `json:",omitempty"`
	Settled     int `json:",omitempty"`
	// CrossPodPending counts adds of users of other pods that the pod
	// accepted to make later and the member list does not show yet
	// (OutcomeCrossPodPending; not in Unconfirmed).
	CrossPodPending int `json:",omitempty"`

	// PromoteFailed counts users who were added but whose promotion to
	// owner failed; they are not in Failed (their outcome is Added) but
	// they make the exit code 1.
	PromoteFailed int
}

// EventKind says what an Event reports.
type EventKind int

const (
	EventStarted    EventKind = iota // the run began (Totals set; Done > 0 after a resume)
	EventPaceWait                    // waiting for the pace until Until
	EventRetryWait                   // waiting to retry until Until, or for the rooms' shared Throttle (throttle.go) before an attempt; Message says why; Attempt is the next attempt
	EventWindowWait                  // outside the run window; waiting until Until
	EventResult                      // Result is set
	EventPaused                      //
	EventResumed                     //
	EventStopping                    // the run stops by itself; Message says why
	EventFinished                    // last event; Summary is set
	EventCalling                     // a membership call starts: Call is set, Attempt is its attempt
	EventSettleWait                  // waiting until Until to read the member list again, for changes the pod makes later; Attempt is the next read; Message says why
)

// Event is what a runner reports, in order, on its channel.
type Event struct {
	Kind     EventKind
	Time     time.Time
	Until    time.Time
	Attempt  int
	Message  string
	Interval time.Duration // pace now in force (0 below the threshold)
	Result   *Result
	Call     *Call // EventCalling: the call now in flight
	Totals   Totals
	Summary  *Summary

	// Lane is the room of an estate run the event is about (its index in
	// Estate.Lanes), AllLanes on the estate's own last event; 0 in a run
	// of one room.
	Lane int
}

// Summary is a finished (or aborted) run.
type Summary struct {
	Totals      Totals
	Started     time.Time
	Finished    time.Time
	Aborted     bool
	StopReason  string // set when the run stopped by itself
	JournalPath string
	ReportPath  string

	// LeftOut counts the rooms of an estate run that cannot run and were
	// left out (--skip-blocked): their users were not done.
	LeftOut int
}

// ExitCode maps a summary to the CLI contract: 0 all done, 1 some failed
// (a failed promotion to owner included, or a room left out of an estate
// run), 3 aborted or stopped.
func (s *Summary) ExitCode() int {
	switch {
	case s.Aborted || s.StopReason != "":
		return ExitAborted
	case s.Totals.Failed > 0 || s.Totals.PromoteFailed > 0 || s.LeftOut > 0:
		return ExitFailed
	}
	return ExitOK
}

// Window is a daily run window, e.g. 18:00-08:00, optionally all day on weekends.
type Window struct {
	Start, End time.Duration // since midnight, local time
	Weekends   bool          // Saturday and Sunday are open all day
}

// RunOptions tune a run.
type RunOptions struct {
	OutDir     string   // journal and report folder; "" = current folder
	Window     *Window  // nil = always open
	ResumeFrom string   // a journal to resume, "" = a fresh run
	Control    *Control // nil = none

	// Retry bounds retries of retryable errors (429, 5xx, network); its
	// zero fields take symphony's defaults. Pass the config's Retry.
	// When its MaxAttempts is 0 (the config sets none), a membership call
	// is not limited by a count but keeps retrying for RetryFor.
	Retry symphony.RetryPolicy

	// RetryFor is how long one membership call keeps retrying retryable
	// errors when Retry.MaxAttempts is 0; 0 = DefaultRetryFor.
	RetryFor time.Duration

	// CrossPodWait is how long the end of a run waits for users of other
	// pods, whose adds the pod makes later, to appear in the member list
	// (read again at gaps from the plan interval doubling up to 10 s);
	// 0 = DefaultCrossPodWait.
	CrossPodWait time.Duration

	// Throttle is the backoff shared with the runners of the other rooms
	// of one run (throttle.go): a 429 or 503 that one gets holds them all.
	// nil = none, as for a run of one room.
	Throttle *Throttle
}

// DefaultCrossPodWait is how long a run waits at its end for the adds a pod
// makes asynchronously (users of other pods) to show in the member list.
// Those still missing after it leave the run stopped and resumable: the
// resume confirms them.
const DefaultCrossPodWait = 2 * time.Minute

// DefaultRetryFor is how long a membership call keeps retrying 429s, 5xx
// and network errors by default: long enough to ride out a pod's restart or
// a throttling spell overnight, short enough that a pod really down stops
// the run within minutes.
const DefaultRetryFor = 10 * time.Minute
