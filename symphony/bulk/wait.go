package bulk

import (
	"context"
	"runtime"
	"time"
)

// gate holds the run before an attempt: while paused, then until the pace
// allows the call to start, then while the shared Throttle holds every
// room's runner. A pause asked for during a wait is honoured at once, and
// the pace and the hold are worked out (and the hold said) again after it.
func (r *Runner) gate(ctx context.Context, promote bool, attempt int) error {
	for {
		if err := r.holdIfPaused(ctx); err != nil {
			return err
		}
		now := r.now()
		next := r.pacer.Next(now, paced(r.plan.Mode, r.totals.Members, promote))
		if next.After(now) {
			r.emit(Event{Kind: EventPaceWait, Until: next, Interval: r.interval})
			if err := r.sleep(ctx, next.Add(-spinMargin)); err != nil {
				return err
			}
			if paused, _ := r.control.state(); paused {
				continue
			}
			spinUntil(r.now, next)
			if ctx.Err() != nil {
				return errAborted
			}
		}
		now = r.now()
		if until, why := r.opts.Throttle.held(); until.After(now) {
			r.emitAt(now, Event{Kind: EventRetryWait, Until: until, Attempt: attempt, Message: holdText(why),
				Interval: r.currentInterval()})
			// A pause ends the sleep: the hold is announced again after it.
			if err := r.sleep(ctx, until); err != nil {
				return err
			}
			continue
		}
		return nil
	}
}

// waitUntil waits until t, holding while paused on the way.
func (r *Runner) waitUntil(ctx context.Context, t time.Time) error {
	for {
		if err := r.holdIfPaused(ctx); err != nil {
			return err
		}
		if !r.now().Before(t) {
			return nil
		}
		if err := r.sleep(ctx, t); err != nil {
			return err
		}
	}
}

// waitWindow waits, outside the run window, until it opens. It returns a
// *journalFault when the journal cannot be written, else only an abort.
func (r *Runner) waitWindow(ctx context.Context) error {
	w := r.opts.Window
	for {
		if err := r.holdIfPaused(ctx); err != nil {
			return err
		}
		now := r.now()
		if w.Open(now) {
			return nil
		}
		// No call follows for hours: a start written ahead is taken back.
		if err := r.journal.withdrawAhead(now); err != nil {
			return &journalFault{err}
		}
		next := w.NextOpen(now)
		r.emit(Event{Kind: EventWindowWait, Until: next, Message: "outside the run window " + w.String(),
			Interval: r.currentInterval()})
		if err := r.sleep(ctx, next); err != nil {
			return err
		}
	}
}

// holdIfPaused waits while a pause is asked for, reporting the pause and
// the resumption.
func (r *Runner) holdIfPaused(ctx context.Context) error {
	paused, changed := r.control.state()
	if !paused {
		return ctx.Err()
	}
	r.emit(Event{Kind: EventPaused, Interval: r.currentInterval()})
	for paused {
		select {
		case <-ctx.Done():
			return errAborted
		case <-changed:
		}
		paused, changed = r.control.state()
	}
	r.emit(Event{Kind: EventResumed, Interval: r.currentInterval()})
	return nil
}

// sleep waits until t, an abort, or a pause being asked for, whichever
// comes first; only an abort is an error.
func (r *Runner) sleep(ctx context.Context, t time.Time) error {
	d := t.Sub(r.now())
	if d <= 0 {
		return ctx.Err()
	}
	paused, changed := r.control.state()
	if paused {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return errAborted
		case <-timer.C:
			return nil
		case <-changed:
			if paused, changed = r.control.state(); paused {
				return nil
			}
		}
	}
}

// spinMargin is how long before a paced start the timer wakes the run, to
// finish the wait by yielding in a loop. A timer wakes a little late, more
// so on a loaded machine, and since the pace is measured from each actual
// start, that lateness would add up over a run: 0.5 ms per call is nothing
// against a 3 s pace, but 10% of a millisecond pace in tests.
const spinMargin = time.Millisecond

// spinUntil yields until t.
func spinUntil(now func() time.Time, t time.Time) {
	for now().Before(t) {
		runtime.Gosched()
	}
}
