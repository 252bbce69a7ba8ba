package bulk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"roster/symphony"
)

// Runner executes a plan: one call at a time, paced, with retries, every
// outcome journaled before the next call starts.
type Runner struct {
	pod      Pod
	plan     *Plan
	opts     RunOptions
	control  *Control
	retry    symphony.RetryPolicy
	retryFor time.Duration // the time budget of one call's retries; 0 = count only
	interval time.Duration
	pacer    *Pacer
	journal  *Journal
	prior    *journalState // the journal's state when resuming, else nil
	events   *eventQueue
	now      func() time.Time

	ran      bool
	started  time.Time
	totals   Totals
	results  map[int64]Result // final outcomes by user ID, the journal's and this run's
	work     []task
	inFlight *Item // the user whose call an abort cut short
	next     *task // the task after the one being done, whose start record is written during its call

	// names are the display names the journal of a resumed run gives
	// users whom the plan names otherwise or not at all (nameOf).
	names map[int64]string

	startHook func(time.Time) // tests: told the start of every membership call
	release   func()          // lets the run's locks go (Job.Start); nil: none taken
}

// task is one unit of work: an action of the plan, or a promotion that a
// resumed run still owes.
type task struct {
	index       int  // in Plan.Actions; -1 for a task made on resume
	item        Item //
	promoteOnly bool // promote without adding
	outcome     Outcome
	again       bool    // the user is already counted in Done (a promotion owed on resume)
	base        *Result // a promotion task: the user's outcome so far, which the promotion adds to
}

// nameOf is the display name of an item's user: the journal's, for a
// user it names otherwise than the plan, else the plan's.
func (r *Runner) nameOf(it Item) string {
	if name, ok := r.names[it.UserID]; ok {
		return name
	}
	return r.plan.NameOf(it)
}

// errAborted ends a wait when the run is aborted.
var errAborted = errors.New("aborted")

// NewRunner prepares a run; it creates (or opens, to resume) the journal.
func NewRunner(pod Pod, plan *Plan, opts RunOptions) (*Runner, error) {
	if pod == nil {
		return nil, errors.New("run: no pod client")
	}
	if plan == nil {
		return nil, errors.New("run: no plan")
	}
	if plan.Blocked() {
		var why []string
		for _, w := range plan.Warnings {
			if w.Level == LevelBlock {
				why = append(why, w.Message)
			}
		}
		return nil, fmt.Errorf("run: the plan cannot run: %s", strings.Join(why, "; "))
	}
	r := &Runner{pod: pod, plan: plan, opts: opts, control: opts.Control, retry: opts.Retry.WithDefaults(),
		interval: plan.Interval, now: time.Now, results: map[int64]Result{}}
	if opts.Retry.MaxAttempts <= 0 {
		// No count was asked for: the time budget bounds retries instead.
		r.retry.MaxAttempts = math.MaxInt
		r.retryFor = opts.RetryFor
		if r.retryFor <= 0 {
			r.retryFor = DefaultRetryFor
		}
	}
	if r.control == nil {
		r.control = NewControl()
	}
	if r.interval <= 0 {
		r.interval = DefaultInterval
	}
	r.pacer = NewPacer(r.interval)
	dir := opts.OutDir
	if dir == "" {
		dir = "."
	}
	if opts.ResumeFrom != "" {
		st, err := loadResumable(opts.ResumeFrom, plan)
		if err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		if r.journal, err = appendJournal(opts.ResumeFrom, st.validEnd); err != nil {
			return nil, err
		}
		r.prior = st
	} else {
		j, err := createJournal(dir, plan, r.now())
		if err != nil {
			return nil, err
		}
		r.journal = j
	}
	r.events = newEventQueue()
	return r, nil
}

// Events is closed after EventFinished. The runner never waits for the
// reader: events the reader has not taken yet are queued, in order, and
// none is ever dropped.
func (r *Runner) Events() <-chan Event { return r.events.ch }

// JournalPath is the journal's file.
func (r *Runner) JournalPath() string { return r.journal.Path() }

// Run executes the plan until done, aborted or stopped. It writes the report.
// The error is set only when the run could not keep its journal or write
// its report; the summary is always returned once the run began.
func (r *Runner) Run(ctx context.Context) (*Summary, error) {
	if r.ran {
		return nil, errors.New("run: a runner runs once")
	}
	r.ran = true
	if r.release != nil {
		defer r.release()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopAfter := context.AfterFunc(r.control.abort, cancel)
	defer stopAfter()
	// The client's own waits (its read calls retrying: the member list, the
	// room) are events too, so that no wait is silent.
	ctx = symphony.WithWaitNotice(ctx, func(n symphony.WaitNotice) {
		r.emit(Event{Kind: EventRetryWait, Until: n.Until, Attempt: n.Attempt, Message: readWaitText(n),
			Interval: r.currentInterval()})
	})

	r.started = r.now()
	r.totals = Totals{Members: r.plan.MembersBefore}
	var confirmed []settled
	var stop string
	var runErr error
	if r.prior != nil {
		// The earlier process may have started a call a moment ago (a
		// crash and an immediate restart): the first paced call of the
		// resumed run waits a full interval, as if one had started now.
		r.pacer.Started(r.started)
		var err error
		confirmed, err = r.prepareResume(ctx)
		if err != nil && ctx.Err() == nil {
			stop = fmt.Sprintf("cannot check the users of the earlier run against the room's members: %v", err)
		}
	} else {
		for i, it := range r.plan.Actions {
			r.work = append(r.work, task{index: i, item: it, promoteOnly: it.PromoteOnly})
		}
	}
	r.totals.Actions = r.totals.Done
	for _, s := range confirmed {
		if !s.task.again {
			r.totals.Actions++
		}
	}
	for _, t := range r.work {
		if !t.again {
			r.totals.Actions++
		}
	}
	r.emit(Event{Kind: EventStarted, Interval: r.currentInterval()})
	for _, s := range confirmed {
		if err := r.finishTask(s.task, s.res); err != nil {
			stop, runErr = err.Error(), err
			break
		}
	}
	if stop == "" && runErr == nil {
		stop, runErr = r.loop(ctx, r.work)
	}
	if stop == "" && runErr == nil && ctx.Err() == nil {
		stop, runErr = r.settleRun(ctx)
	}
	return r.finish(ctx, stop, runErr)
}

// loop runs the tasks; it returns why it stopped early, if it did.
func (r *Runner) loop(ctx context.Context, work []task) (stop string, err error) {
	defer func() {
		// A start written ahead for a task the loop did not reach.
		r.next = nil
		if werr := r.journal.withdrawAhead(r.now()); werr != nil && err == nil {
			f := &journalFault{werr}
			stop, err = f.Error(), f
		}
	}()
	for i, t := range work {
		if ctx.Err() != nil {
			return "", nil
		}
		r.next = nil
		if i+1 < len(work) && !work[i+1].promoteOnly {
			// Its call is certain to come, unlike a promotion's (the
			// user's outcome decides it).
			r.next = &work[i+1]
		}
		if err := r.waitWindow(ctx); err != nil {
			if f, ok := errors.AsType[*journalFault](err); ok {
				return f.Error(), f
			}
			return "", nil
		}
		res, stop := r.execute(ctx, t)
		if res != nil {
			if err := r.finishTask(t, *res); err != nil {
				return err.Error(), err
			}
		}
		if stop != "" || ctx.Err() != nil {
			return stop, nil
		}
	}
	return "", nil
}

// finishTask journals a result, counts it and reports it, in that order:
// nothing is shown that the journal does not hold.
func (r *Runner) finishTask(t task, res Result) error {
	if err := r.journal.result(res, t.action(r.plan.Mode)); err != nil {
		return &journalFault{err}
	}
	// A user with a result already (the journal's on resume, or one the
	// member list settles now) has it replaced: counted once.
	if prev, had := r.results[res.Item.UserID]; had {
		r.tally(prev, -1)
	} else {
		r.totals.Done++
	}
	r.tally(res, 1)
	r.results[res.Item.UserID] = res
	if res.Promoted {
		r.totals.Promoted++
	}
	if res.Item.Owner && !res.Promoted && !res.Unsettled.valid() &&
		(res.Outcome == OutcomeAdded || res.Outcome == OutcomeAlreadyMember) {
		r.totals.PromoteFailed++
	}
	r.emit(Event{Kind: EventResult, Result: &res, Interval: r.currentInterval()})
	return nil
}

// journalFault is a journal that cannot be written: the run stops.
type journalFault struct{ err error }

func (f *journalFault) Error() string { return journalStopText(f.err) }
func (f *journalFault) Unwrap() error { return f.err }

// journalStopText says why a run stops when its journal cannot be written.
func journalStopText(err error) string {
	return fmt.Sprintf("the journal cannot be written, so the run stops rather than lose track: %v", err)
}

// tally adds (sign 1) or takes back (sign -1) a result's outcome in the
// totals, with whether it awaits or was settled from the member list.
func (r *Runner) tally(res Result, sign int) {
	t := &r.totals
	switch res.Outcome {
	case OutcomeAdded:
		t.Added += sign
	case OutcomeRemoved:
		t.Removed += sign
	case OutcomeAlreadyMember, OutcomeNotMember:
		t.Already += sign
	case OutcomeFailed:
		t.Failed += sign
	}
	switch {
	case res.Outcome == OutcomeCrossPodPending:
		t.CrossPodPending += sign
	case res.Unsettled.valid():
		t.Unconfirmed += sign
	}
	if res.Settled {
		t.Settled += sign
	}
}

// finish writes the journal's last record and the report, and sends the
// last event.
func (r *Runner) finish(ctx context.Context, stop string, runErr error) (*Summary, error) {
	aborted := ctx.Err() != nil && stop == ""
	sum := &Summary{Started: r.started, Aborted: aborted, StopReason: stop, JournalPath: r.journal.Path()}
	if stop != "" {
		r.emit(Event{Kind: EventStopping, Message: stop})
	}
	end := r.now()
	switch {
	case aborted:
		runErr = errors.Join(runErr, r.journal.mark(recStop, end, "aborted", r.totals))
	case stop != "":
		runErr = errors.Join(runErr, r.journal.mark(recStop, end, stop, r.totals))
	default:
		runErr = errors.Join(runErr, r.journal.mark(recEnd, end, "", r.totals))
	}
	sum.ReportPath = reportPath(r.journal.Path())
	if err := writeReport(sum.ReportPath, r.reportRows(aborted, stop)); err != nil {
		sum.ReportPath = ""
		runErr = errors.Join(runErr, err)
	}
	runErr = errors.Join(runErr, r.journal.Close())
	sum.Totals = r.totals
	sum.Finished = r.now()
	r.emit(Event{Kind: EventFinished, Summary: sum})
	r.events.close()
	return sum, runErr
}

// emit stamps an event with the time and the totals and queues it.
func (r *Runner) emit(ev Event) { r.emitAt(r.now(), ev) }

// emitAt is emit with a time already read (a call's start).
func (r *Runner) emitAt(t time.Time, ev Event) {
	ev.Time = t
	ev.Totals = r.totals
	r.events.send(ev)
}

// currentInterval is the pace in force for the next change.
func (r *Runner) currentInterval() time.Duration {
	if paced(r.plan.Mode, r.totals.Members, false) {
		return r.interval
	}
	return 0
}
