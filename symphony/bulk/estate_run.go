package bulk

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// AllLanes is the Lane of the estate run's own last event.
const AllLanes = -1

// EstateControl pauses, resumes and aborts an estate run: every lane, or
// one. Each lane's runner follows its own Control; the estate's calls act
// on all of them, so a pause of the whole run also holds the rooms still
// queued for a lane when they start.
type EstateControl struct {
	lanes []*Control
}

// NewEstateControl returns a control for a run of n rooms.
func NewEstateControl(n int) *EstateControl {
	c := &EstateControl{lanes: make([]*Control, n)}
	for i := range c.lanes {
		c.lanes[i] = NewControl()
	}
	return c
}

// Lane is the control of one room (Estate.Lanes index).
func (c *EstateControl) Lane(i int) *Control { return c.lanes[i] }

// Pause pauses every room after its call in flight.
func (c *EstateControl) Pause() { c.each((*Control).Pause) }

// Resume lets every room go on.
func (c *EstateControl) Resume() { c.each((*Control).Resume) }

// Hold holds every room (while the operator is asked whether to abort).
func (c *EstateControl) Hold() { c.each((*Control).Hold) }

// Release ends a Hold on every room.
func (c *EstateControl) Release() { c.each((*Control).Release) }

// Abort aborts every room.
func (c *EstateControl) Abort() { c.each((*Control).Abort) }

// Paused reports whether every room is paused.
func (c *EstateControl) Paused() bool {
	for _, l := range c.lanes {
		if !l.Paused() {
			return false
		}
	}
	return len(c.lanes) > 0
}

func (c *EstateControl) each(f func(*Control)) {
	for _, l := range c.lanes {
		f(l)
	}
}

// EstateRunner runs the rooms of an estate, at most Estate.LaneCount at once.
type EstateRunner struct {
	estate  *Estate
	control *EstateControl
	runners []*Runner // by lane; nil for a lane that does not run
	events  *eventQueue
	ran     bool
}

// Start starts the estate run: it takes every running room's lock and
// opens its journal now (Job.Start), so that no other process takes a
// room while it waits for a lane; a room that cannot start lets the
// others go again and refuses the whole run (a *StartError: nothing was
// changed). A dry run and a decision that is not Ready are refused.
func (e *Estate) Start(control *EstateControl) (*EstateRunner, error) {
	switch {
	case e.DryRun:
		return nil, &StartError{Err: errors.New("a dry run changes nothing")}
	case !e.Decision.Startable():
		return nil, &StartError{Err: errors.New("the run cannot start: the job refused it")}
	}
	if control == nil {
		control = NewEstateControl(len(e.Lanes))
	}
	if len(control.lanes) != len(e.Lanes) {
		return nil, &StartError{Err: fmt.Errorf("a control of %d rooms for a run of %d", len(control.lanes), len(e.Lanes))}
	}
	r := &EstateRunner{estate: e, control: control, runners: make([]*Runner, len(e.Lanes))}
	for _, l := range e.Lanes {
		if !l.Runs() {
			continue
		}
		lr, err := l.Job.Start(control.Lane(l.Index))
		if err != nil {
			r.discard()
			return nil, &StartError{Err: fmt.Errorf("room %s: %w", l.Name(), errors.Unwrap(err))}
		}
		r.runners[l.Index] = lr
	}
	r.events = newEventQueue()
	return r, nil
}

// discard lets go of the rooms started so far: their locks, and the new
// journals that hold nothing but their header.
func (r *EstateRunner) discard() {
	for _, lr := range r.runners {
		if lr != nil {
			lr.discard()
		}
	}
}

// Events are every room's events, each with its Lane, then the estate's
// own EventFinished (Lane AllLanes, Summary the whole run's); then closed.
func (r *EstateRunner) Events() <-chan Event { return r.events.ch }

// Runner is a room's runner; nil when the room does not run.
func (r *EstateRunner) Runner(lane int) *Runner { return r.runners[lane] }

// EstateSummary is a finished (or aborted) estate run.
type EstateSummary struct {
	Summary            // the whole run: counts summed over the rooms; ReportPath is the run's report
	Lanes   []*Summary // by lane; nil for a room that did not run
}

// Run runs the rooms, at most LaneCount at once, in the order given, each
// as a single run would. It writes the run's report, with a room column,
// from the rooms' reports. The error joins the rooms' errors (a journal or
// report that could not be written) and the run report's.
func (r *EstateRunner) Run(ctx context.Context) (*EstateSummary, error) {
	if r.ran {
		return nil, errors.New("run: a runner runs once")
	}
	r.ran = true
	e := r.estate
	started := time.Now()
	sums := make([]*Summary, len(r.runners))
	errs := make([]error, len(r.runners))
	slots := make(chan struct{}, e.LaneCount())
	var runs, forwards sync.WaitGroup
	for i, lr := range r.runners {
		if lr == nil {
			continue
		}
		forwards.Add(1)
		go func() {
			defer forwards.Done()
			for ev := range lr.Events() {
				ev.Lane = i
				r.events.send(ev)
			}
			// The lane is free once its last event (its EventFinished)
			// is passed on, not when its Run returns: else the next
			// room's EventStarted could be seen first, and a watcher
			// would count one room more running than there are lanes.
			<-slots
		}()
		// A room waits for a free lane, in order. An abort does not keep
		// it waiting: it starts, sees the abort and ends at once, so that
		// its journal and report say it was not done.
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			slots <- struct{}{}
		case <-r.control.Lane(i).abort.Done():
			slots <- struct{}{}
		}
		runs.Add(1)
		go func() {
			defer runs.Done()
			sums[i], errs[i] = lr.Run(ctx)
		}()
	}
	runs.Wait()
	forwards.Wait()
	sum := r.summarize(started, sums)
	var runErr error
	for i, err := range errs {
		if err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("room %s: %w", e.Lanes[i].Name(), err))
		}
	}
	sum.ReportPath = filepath.Join(e.OutDir, "roster-run-"+started.UTC().Format("20060102T150405Z")+"-report.csv")
	if err := e.writeRunReport(sum.ReportPath, sums); err != nil {
		sum.ReportPath = ""
		runErr = errors.Join(runErr, err)
	}
	sum.Finished = time.Now()
	r.events.send(Event{Kind: EventFinished, Lane: AllLanes, Time: sum.Finished, Totals: sum.Totals, Summary: &sum.Summary})
	r.events.close()
	return sum, runErr
}

// summarize adds the rooms' summaries into the whole run's.
func (r *EstateRunner) summarize(started time.Time, sums []*Summary) *EstateSummary {
	e := r.estate
	out := &EstateSummary{Lanes: sums}
	out.Started = started
	var stops []string
	for i, s := range sums {
		l := e.Lanes[i]
		if l.Skipped {
			out.LeftOut++
		}
		if s == nil {
			continue
		}
		out.Totals = out.Totals.Plus(s.Totals)
		out.Aborted = out.Aborted || s.Aborted
		if s.StopReason != "" {
			stops = append(stops, fmt.Sprintf("room %s: %s", l.Name(), s.StopReason))
		}
	}
	out.StopReason = strings.Join(stops, "; ")
	return out
}

// Plus is the sum of two rooms' counts, as the estate's summary adds them.
func (t Totals) Plus(o Totals) Totals {
	t.Actions += o.Actions
	t.Done += o.Done
	t.Added += o.Added
	t.Removed += o.Removed
	t.Promoted += o.Promoted
	t.Already += o.Already
	t.Failed += o.Failed
	t.Members += o.Members
	t.Unconfirmed += o.Unconfirmed
	t.Settled += o.Settled
	t.CrossPodPending += o.CrossPodPending
	t.PromoteFailed += o.PromoteFailed
	return t
}

// runReportHeader is the run report's: the room, then a room report's.
var runReportHeader = append([]string{"room", "stream ID"}, reportHeader...)

// writeRunReport writes one report for the whole run: every room's rows
// (a room that ran: its own report's; a room that did not: its plan's, or
// its rows of the list) behind the room's name and stream ID.
func (e *Estate) writeRunReport(path string, sums []*Summary) error {
	return writeCSVFile(path, func(w *csv.Writer) error {
		w.Write(runReportHeader)
		for i, l := range e.Lanes {
			room := []string{safeCell(l.Name()), l.StreamID}
			if s := sums[i]; s != nil && s.ReportPath != "" {
				if err := copyReport(w, s.ReportPath, room); err != nil {
					return err
				}
				continue
			}
			for _, row := range e.laneRows(l, sums[i]) {
				w.Write(append(room, row.cells()...))
			}
		}
		return nil
	})
}

// laneRows are the report rows of a room that did not run, or whose own
// report could not be written.
func (e *Estate) laneRows(l *Lane, sum *Summary) []reportRow {
	why := "not done"
	switch {
	case sum != nil:
		why = "not done: the room's own report could not be written; see its journal " + sum.JournalPath
	case l.CannotRun():
		why = "not done: the room was left out: " + l.Why()
	}
	if l.Job == nil {
		var rows []reportRow
		for _, en := range l.list.Entries {
			it := Item{Input: en.Value, Line: int32(en.Line), Kind: en.Kind, Owner: en.Owner, UserID: en.UserID, Outcome: OutcomePending}
			rows = append(rows, reportRow{Item: it, Outcome: OutcomePending, Message: why})
		}
		return rows
	}
	pr := &Runner{plan: l.Job.Plan, results: map[int64]Result{}}
	rows := pr.reportRows(false, "")
	for i := range rows {
		if rows[i].Outcome == OutcomePending {
			rows[i].Message = why
		}
	}
	return rows
}

// blockText is what blocks a plan, in one line.
func blockText(ws []Warning) string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Message)
	}
	if len(out) == 0 {
		return "it cannot run"
	}
	return strings.Join(out, "; ")
}

// copyReport copies a room's report rows (not its header) behind room.
func copyReport(w *csv.Writer, path string, room []string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read the room report %s: %w", path, err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = len(reportHeader)
	cr.ReuseRecord = true
	row := make([]string, 0, len(runReportHeader))
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the room report %s: %w", path, err)
		}
		if n == 0 {
			continue // the header
		}
		row = append(append(row[:0], room...), rec...)
		if err := w.Write(row); err != nil {
			return err
		}
	}
}
