package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/bulk"
	"roster/ui/words"
)

// summaryFailuresKept is how many failures the final summary lists; the
// report has them all.
const summaryFailuresKept = 50

// eventPrinter prints a run's events as lines, and remembers what the final
// summary needs (failures, the last totals).
type eventPrinter struct {
	mu           sync.Mutex
	w            io.Writer
	plan         *bulk.Plan
	window       *bulk.Window
	interval     time.Duration
	paceShown    bool
	lastProgress time.Time // the start, or the last progress line
	userW        int       // the user column's width: the plan's longest user
	resumedDone  int       // actions done before this process started
	setAside     int       // what the plan (or the journal's run, on resume) sets aside
	failures     []bulk.Result
	moreFailures int
	finished     *bulk.Summary
	rate         bulk.Rate // the results so far, for the time left
}

// progressEvery is how often a run prints a progress line (the count, the
// room's members, the time left), whatever the pace: at 3 s a change every
// few users, and at a fast pace not a line per handful of results.
const progressEvery = 10 * time.Second

// minUserW is the user column's least width, so that short IDs line up
// with the header-less lines of another run.
const minUserW = 20

func newEventPrinter(w io.Writer, job *bulk.Job) *eventPrinter {
	p := &eventPrinter{w: w, plan: job.Plan, window: job.Window, setAside: len(job.SetAside()), userW: minUserW}
	// one width for the whole run, from the longest user it may print, so
	// that a long email does not push the columns after it out of line
	for _, it := range job.Plan.Actions {
		p.userW = max(p.userW, utf8.RuneCountInString(userText(it)))
	}
	return p
}

func (p *eventPrinter) event(ev bulk.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := stamp(ev.Time)
	switch ev.Kind {
	case bulk.EventStarted:
		p.resumedDone = ev.Totals.Done
		if ev.Totals.Done > 0 {
			fmt.Fprintf(p.w, "\n%s  started to %s. Resuming: %s\n", at, p.plan.Mode, words.Progress(ev.Totals.Done, ev.Totals.Actions))
		} else {
			fmt.Fprintf(p.w, "\n%s  started: %s to %s\n", at, bulk.Count(ev.Totals.Actions), p.plan.Mode)
		}
		p.lastProgress = ev.Time
		p.notePace(at, ev.Interval, ev.Totals.Members)
	case bulk.EventPaceWait:
		p.notePace(at, ev.Interval, ev.Totals.Members)
	case bulk.EventRetryWait, bulk.EventSettleWait:
		fmt.Fprintf(p.w, "%s  %s\n", at, words.Waiting(ev.Kind, ev.Until.Sub(ev.Time), words.Until(ev.Time, ev.Until), ev.Attempt, ev.Message))
	case bulk.EventWindowWait:
		fmt.Fprintf(p.w, "%s  %s\n", at, words.WindowWait(p.window, ev.Until.Sub(ev.Time), words.Until(ev.Time, ev.Until)))
	case bulk.EventResult:
		if ev.Result != nil {
			p.result(*ev.Result)
		}
		p.rate.Result(ev.Time)
		p.progress(ev.Time, ev.Totals)
	case bulk.EventPaused:
		fmt.Fprintf(p.w, "%s  paused\n", at)
	case bulk.EventResumed:
		fmt.Fprintf(p.w, "%s  resumed\n", at)
	case bulk.EventStopping:
		fmt.Fprintf(p.w, "%s  stopping: %s\n", at, ev.Message)
	case bulk.EventFinished:
		p.finished = ev.Summary
	}
}

// notePace prints the pace when it changes, not before every call.
func (p *eventPrinter) notePace(at string, interval time.Duration, members int) {
	if p.paceShown && interval == p.interval {
		return
	}
	p.paceShown, p.interval = true, interval
	fmt.Fprintf(p.w, "%s  pace: %s\n", at, words.PaceNow(interval, members))
}

func (p *eventPrinter) result(r bulk.Result) {
	fmt.Fprintln(p.w, resultLine(r, padRight(userText(r.Item), p.userW)))
	if r.Outcome.Failed() {
		if len(p.failures) < summaryFailuresKept {
			p.failures = append(p.failures, r)
		} else {
			p.moreFailures++
		}
	}
}

// outcomeW is the outcome column's width: the longest a result can show,
// "already-member+owner".
const outcomeW = len("already-member+owner")

// padRight pads s with spaces to w characters; a longer s is left whole.
func padRight(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// progress prints a progress line when progressEvery has passed since the
// start or the last one, by the events' clock; never at the end (the
// summary says it).
func (p *eventPrinter) progress(at time.Time, t bulk.Totals) {
	if p.lastProgress.IsZero() {
		p.lastProgress = at // no start seen: the clock starts here
	}
	if t.Done >= t.Actions || at.Sub(p.lastProgress) < progressEvery {
		return
	}
	p.lastProgress = at
	text := fmt.Sprintf("%s  progress: %s of %s done (%d%%): %s, %s already, %s failed; the room has %s",
		stamp(at), bulk.Count(t.Done), bulk.Count(t.Actions), t.Done*100/max(t.Actions, 1), words.Changed(p.plan.Mode, t),
		bulk.Count(t.Already), bulk.Count(t.Failed), bulk.Counted(t.Members, "member", "members"))
	// the slower of the pace and the rate seen so far, as the run screen says it
	if left := p.rate.Left(t.Actions-t.Done, p.interval); left > 0 {
		text += "; about " + bulk.FormatDuration(left) + " left"
	}
	fmt.Fprintln(p.w, text)
}

// summary is the summary the last event carried, for when Run returns none.
func (p *eventPrinter) summary() *bulk.Summary {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.finished
}

// printSummary prints failures first, then the totals, then where the
// journal and the report are, so that the last lines say what to open.
func (p *eventPrinter) printSummary(s *bulk.Summary, runErr error, code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w, t := p.w, s.Totals
	var failed []string
	for _, r := range p.failures {
		failed = append(failed, failureLine(r, padRight(userText(r.Item), p.userW)))
	}
	printFailed(w, failed, p.moreFailures)
	elapsed := ""
	if !s.Started.IsZero() && !s.Finished.IsZero() {
		elapsed = " after " + words.Duration(s.Finished.Sub(s.Started))
	}
	fmt.Fprintf(w, "\n%s.\n", words.Ending(s, runErr, " at "+stamp(s.Finished)+elapsed))
	fmt.Fprintf(w, "  %s of %s done: %s\n", words.Count(t.Done), words.Count(t.Actions), strings.Join(words.Totals(p.plan.Mode, t, p.setAside), ", "))
	fmt.Fprintf(w, "  the room has %s\n", words.Counted(t.Members, "member", "members"))
	if r := words.Resumed(p.resumedDone); r != "" {
		fmt.Fprintf(w, "  (%s)\n", r)
	}
	if s.JournalPath != "" {
		fmt.Fprintf(w, "Journal   %s\n", s.JournalPath)
	}
	if s.ReportPath != "" {
		fmt.Fprintf(w, "Report    %s\n", s.ReportPath)
	}
	if t.Done < t.Actions && (s.Aborted || s.StopReason != "" || runErr != nil) {
		fmt.Fprintln(w, words.GoOn)
	}
	fmt.Fprintln(w, words.ExitCode(code))
}

// userText shows a user as the list gave it, with the ID when it was resolved.
func userText(it bulk.Item) string {
	text := shortValue(it.Input)
	if it.Kind != csvsource.KindUserID && it.UserID != 0 {
		text += fmt.Sprintf(" (%d)", it.UserID)
	}
	return text
}

// shortValue cuts a list value to a printable length; a damaged file can
// hold very long cells.
func shortValue(s string) string {
	const limit = 60
	r := []rune(s)
	if len(r) > limit {
		return fmt.Sprintf("%q...", string(r[:limit]))
	}
	if strings.ContainsFunc(s, func(c rune) bool { return c < ' ' || c == 0x7f }) {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// stamp is an event's local time of day.
func stamp(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.Local().Format("15:04:05")
}

// retryLine is a wait before a retry while planning.
func retryLine(now, until time.Time, attempt int, why string) string {
	return stamp(now) + "  " + words.RetryWait(until.Sub(now), words.Until(now, until), attempt, why) + "\n"
}

// planningWaits is ctx with the client's waits while planning printed as
// they start, as the run's are: a wait is never silent.
func planningWaits(ctx context.Context, w io.Writer) context.Context {
	return symphony.WithWaitNotice(ctx, func(n symphony.WaitNotice) {
		fmt.Fprint(w, retryLine(time.Now(), n.Until, n.Attempt, words.WaitReason(n.Op, n.Err)))
	})
}

// printFailed lists the failed users kept for the summary, and how many
// more the report holds.
func printFailed(w io.Writer, lines []string, more int) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "\nFailed (%s):\n", bulk.Count(len(lines)+more))
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	if more > 0 {
		fmt.Fprintf(w, "  ... and %s more in the report\n", bulk.Count(more))
	}
}

// failureLine is a failed user's line in the summary: its list line, who
// (the user, padded; behind the room in a run of many rooms), the status,
// the attempts and the message.
func failureLine(r bulk.Result, who string) string {
	line := fmt.Sprintf("  line %-6d %s HTTP %d, %s", r.Item.Line, who, r.Status, bulk.Counted(r.Attempts, "attempt", "attempts"))
	if r.Message != "" {
		line += ": " + r.Message
	}
	return line
}

// resultLine is a user's outcome as the run prints it: the time, the list's
// line, who (the user, padded; behind the room in a run of many rooms), the
// outcome, the status, the attempts and the message.
func resultLine(r bulk.Result, who string) string {
	outcome := r.Outcome.String()
	if r.Promoted {
		outcome += "+owner"
	}
	status := "-"
	if r.Status != 0 {
		status = fmt.Sprintf("HTTP %d", r.Status)
	}
	tries := "1 attempt"
	if r.Attempts != 1 {
		tries = fmt.Sprintf("%d attempts", r.Attempts)
	}
	line := fmt.Sprintf("%s  line %-6d %s %-*s %-9s %s", stamp(r.Time), r.Item.Line, who, outcomeW, outcome, status, tries)
	if r.Message != "" {
		line += ": " + r.Message
	}
	return line
}
