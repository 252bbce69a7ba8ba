package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"roster/symphony"
	"roster/symphony/bulk"
	"roster/ui/words"
)

// The headless face of a run of several rooms (bulk.Estate): the preview's
// table of rooms, the decision, one line per outcome with its room, a
// progress line over every room, and a summary per room and overall. The
// estate decides; this only presents it, as the single room's face does.

// tableWidth is the width the preview's table of rooms fits in.
const tableWidth = 80

// maxRoomW is the widest a room's name is shown on the outcome lines.
const maxRoomW = 24

// runEstate prints the estate's preview and decision, changes nothing
// without --yes, then runs it printing one line per outcome. The signals
// abort it as they abort a single room's run (sig).
func runEstate(f runFlags, e *bulk.Estate, sig *signalAbort, stdout, stderr io.Writer) int {
	defer e.Close()
	d := e.Decision
	printEstatePlan(stdout, e)
	switch {
	case d.Verdict == bulk.NothingToDo:
		fmt.Fprintf(stdout, "\n%s\n", words.EstateNothingToDo(e))
		return d.ExitCode()
	case !d.Startable():
		return failf(stderr, d.ExitCode(), "%s", words.EstateRefusal(e, words.Headless))
	case f.DryRun:
		fmt.Fprintf(stdout, "\n%s\n", words.DryRun)
		return d.ExitCode()
	case !f.Yes:
		n, rooms := 0, 0
		for _, l := range e.Lanes {
			if l.Runs() {
				n, rooms = n+l.Job.ToGo(), rooms+1
			}
		}
		fmt.Fprintf(stdout, "\nNothing was changed. To make these %s in %s, run the same command again with --yes.\n",
			words.Counted(n, "change", "changes"), words.Counted(rooms, "room", "rooms"))
		return bulk.ExitInput
	}
	if sig.ctx.Err() != nil {
		return failf(stderr, bulk.ExitAborted, "aborted before the run started; nothing was changed")
	}
	control := bulk.NewEstateControl(len(e.Lanes))
	sig.abortAlso(control)
	runner, err := e.Start(control)
	if err != nil {
		return sayStartError(f, err, stderr)
	}
	sig.running()
	return runEstateAndPrint(e, runner, stdout, stderr)
}

// printEstatePlan prints what the run of several rooms will do: the list
// once, a table of rooms, the run's estimate, and every room that cannot
// run with why.
func printEstatePlan(w io.Writer, e *bulk.Estate) {
	if e.Session != nil && e.Session.Caller != nil {
		printField(w, "Caller", callerName(*e.Session.Caller))
	}
	printField(w, "Mode", e.Mode.String())
	if e.List != nil {
		printField(w, "List", listText(e.List))
	}
	printProblems(w, &bulk.Plan{}, e.List) // the list's own; each room's are in its report
	printField(w, "Rooms", words.RoomsAtOnce(e))
	printRoomTable(w, e)
	heading := "Set aside"
	for _, l := range e.Lanes {
		if l.Job == nil {
			continue
		}
		if counts := words.SetAside(l.Job.SetAside()); counts != "" {
			if heading != "" {
				fmt.Fprintln(w, heading)
				heading = ""
			}
			printWrapped(w, "  ", cut(printable(l.Name()), maxRoomW)+": "+counts)
		}
	}
	heading = "Resume"
	for _, l := range e.Lanes {
		if !l.Runs() {
			continue
		}
		if note := words.Notice(l.Job.Decision); note != "" {
			if heading != "" {
				fmt.Fprintln(w, heading)
				heading = ""
			}
			printWrapped(w, "  ", printable(l.Name())+": "+note)
		}
	}
	printWrapped(w, "Estimate  ", words.EstateEstimate(e))
	if win := e.Window; win != nil {
		fmt.Fprintf(w, "Window    changes only %s\n", windowText(win))
	}
	var left []*bulk.Lane
	var names []string
	for _, i := range e.Decision.Blocked {
		if l := e.Lanes[i]; l.Skipped {
			left = append(left, l)
			names = append(names, printable(l.Name()))
		}
	}
	if len(left) > 0 {
		printWrapped(w, "Rooms     ", words.LeftOut(names))
		for _, l := range left {
			printWrapped(w, "  ", printable(l.Name())+": "+l.Why())
		}
	}
}

// printWrapped prints text after head, wrapped at spaces to tableWidth,
// the lines after the first indented by head's width (and two more when
// head is only the indent).
func printWrapped(w io.Writer, head, text string) {
	indent := strings.Repeat(" ", len(head))
	if strings.TrimSpace(head) == "" {
		indent += "  "
	}
	line := head
	for i, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(line)
		if i > 0 && n+1+utf8.RuneCountInString(word) > tableWidth {
			fmt.Fprintln(w, line)
			line = indent + word
			continue
		}
		if i > 0 {
			line += " "
		}
		line += word
	}
	fmt.Fprintln(w, line)
}

// callerName is the bot as the plan names it.
func callerName(c symphony.SessionInfo) string {
	if c.Username != "" {
		return c.Username
	}
	return fmt.Sprintf("user %d", c.UserID)
}

// printRoomTable prints the table of rooms in tableWidth columns: the
// numbers whole, the room's name and the warnings cut with an ellipsis.
func printRoomTable(w io.Writer, e *bulk.Estate) {
	rows := [][]string{words.RoomTable}
	for _, l := range e.Lanes {
		cells := words.RoomCells(l)
		cells[0] = printable(cells[0])
		rows = append(rows, cells)
	}
	widths := make([]int, len(words.RoomTable))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	const indent, gap, leastWarnings = 2, 2, 14
	fixed := indent
	for i := 1; i < len(widths)-1; i++ {
		fixed += gap + widths[i]
	}
	fixed += gap // before the warnings (the loop counts those before the others)
	widths[0] = max(min(widths[0], tableWidth-fixed-leastWarnings), len(words.RoomTable[0]))
	warnW := max(tableWidth-fixed-widths[0], 1)
	for n, r := range rows {
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", indent))
		b.WriteString(padRight(cut(r[0], widths[0]), widths[0]))
		for i := 1; i < len(r)-1; i++ {
			b.WriteString(strings.Repeat(" ", gap))
			if i == 1 && n > 0 { // the changes, a number: to the right
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(r[i])) + r[i])
				continue
			}
			b.WriteString(padRight(r[i], widths[i]))
		}
		b.WriteString(strings.Repeat(" ", gap))
		// the warnings, on more lines under their column when they do not fit
		under := strings.Repeat(" ", tableWidth-warnW)
		for i, part := range wrapWords(r[len(r)-1], warnW) {
			if i > 0 {
				fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
				b.Reset()
				b.WriteString(under)
			}
			b.WriteString(part)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// wrapWords lays the items of a list ("a, b, c") into lines of at most
// width characters; an item longer than a line is broken after a hyphen,
// and cut with an ellipsis when it still does not fit.
func wrapWords(list string, width int) []string {
	items := strings.Split(list, ", ")
	var lines []string
	line := ""
	for i, item := range items {
		if i < len(items)-1 {
			item += ","
		}
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(item) <= width {
			line += " " + item
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for utf8.RuneCountInString(item) > width {
			at := strings.LastIndex(string([]rune(item)[:width]), "-")
			if at <= 0 {
				break
			}
			lines = append(lines, item[:at+1])
			item = item[at+1:]
		}
		line = cut(item, width)
	}
	return append(lines, line)
}

// cut shortens s to n characters, its end an ellipsis.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	return string(r[:n-1]) + "…"
}

// printable is a room's name with control characters shown as '?', so that
// a name cannot move the cursor or break a line.
func printable(s string) string {
	return strings.Map(func(c rune) rune {
		if c < ' ' || c == 0x7f {
			return '?'
		}
		return c
	}, s)
}

// laneState is what the printer keeps of one room.
type laneState struct {
	state       int // queued, running, done
	totals      bulk.Totals
	rate        bulk.Rate
	interval    time.Duration
	paceShown   bool
	resumedDone int
	setAside    int
}

const (
	laneQueued = iota
	laneRunning
	laneDone
)

// laneResult is a failure kept for the summary, with its room.
type laneResult struct {
	lane int
	r    bulk.Result
}

// estatePrinter prints an estate run's events as lines, and keeps what the
// summary needs.
type estatePrinter struct {
	mu           sync.Mutex
	w            io.Writer
	e            *bulk.Estate
	lanes        []laneState
	roomW, userW int
	lastProgress time.Time
	failures     []laneResult
	moreFailures int
	finished     *bulk.Summary
	begun        bool // the first room started: a blank line before it
}

func newEstatePrinter(w io.Writer, e *bulk.Estate) *estatePrinter {
	p := &estatePrinter{w: w, e: e, lanes: make([]laneState, len(e.Lanes)), userW: minUserW}
	for i, l := range e.Lanes {
		p.roomW = max(p.roomW, min(utf8.RuneCountInString(printable(l.Name())), maxRoomW))
		if !l.Runs() {
			p.lanes[i].state = laneDone
			continue
		}
		j := l.Job
		p.lanes[i].totals.Actions = len(j.Plan.Actions)
		if r := j.Decision.Resume; r != nil {
			p.lanes[i].totals.Actions, p.lanes[i].totals.Done = r.Actions, r.Done
		}
		p.lanes[i].setAside = len(j.SetAside())
		for _, it := range j.Plan.Actions {
			p.userW = max(p.userW, utf8.RuneCountInString(userText(it)))
		}
	}
	return p
}

// room is a lane's room as its lines name it, cut to the room column.
func (p *estatePrinter) room(i int) string {
	return cut(printable(p.e.Lanes[i].Name()), maxRoomW)
}

func (p *estatePrinter) event(ev bulk.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ev.Lane == bulk.AllLanes {
		if ev.Kind == bulk.EventFinished {
			p.finished = ev.Summary
		}
		return
	}
	if ev.Lane < 0 || ev.Lane >= len(p.lanes) {
		return
	}
	ls, at, room := &p.lanes[ev.Lane], stamp(ev.Time), p.room(ev.Lane)
	mode := p.e.Mode
	switch ev.Kind {
	case bulk.EventStarted:
		ls.state, ls.totals, ls.resumedDone = laneRunning, ev.Totals, ev.Totals.Done
		if !p.begun {
			p.begun = true
			fmt.Fprintln(p.w)
		}
		if ev.Totals.Done > 0 {
			fmt.Fprintf(p.w, "%s  %s: started to %s. Resuming: %s\n", at, room, mode, words.Progress(ev.Totals.Done, ev.Totals.Actions))
		} else {
			fmt.Fprintf(p.w, "%s  %s: started: %s to %s\n", at, room, bulk.Count(ev.Totals.Actions), mode)
		}
		if p.lastProgress.IsZero() {
			p.lastProgress = ev.Time
		}
		p.notePace(ev.Lane, at, ev.Interval, ev.Totals.Members)
	case bulk.EventPaceWait:
		p.notePace(ev.Lane, at, ev.Interval, ev.Totals.Members)
	case bulk.EventRetryWait, bulk.EventSettleWait:
		fmt.Fprintf(p.w, "%s  %s: %s\n", at, room, words.Waiting(ev.Kind, ev.Until.Sub(ev.Time), words.Until(ev.Time, ev.Until), ev.Attempt, ev.Message))
	case bulk.EventWindowWait:
		fmt.Fprintf(p.w, "%s  %s: %s\n", at, room, words.WindowWait(p.e.Window, ev.Until.Sub(ev.Time), words.Until(ev.Time, ev.Until)))
	case bulk.EventResult:
		ls.totals = ev.Totals
		if ev.Result != nil {
			p.result(ev.Lane, *ev.Result)
		}
		ls.rate.Result(ev.Time)
		p.progress(ev.Time)
	case bulk.EventPaused:
		fmt.Fprintf(p.w, "%s  %s: paused\n", at, room)
	case bulk.EventResumed:
		fmt.Fprintf(p.w, "%s  %s: resumed\n", at, room)
	case bulk.EventStopping:
		fmt.Fprintf(p.w, "%s  %s: stopping: %s\n", at, room, ev.Message)
	case bulk.EventFinished:
		ls.state = laneDone
		if ev.Summary != nil {
			ls.totals = ev.Summary.Totals
		}
		fmt.Fprintf(p.w, "%s  %s: finished: %s of %s done\n", at, room, bulk.Count(ls.totals.Done), bulk.Count(ls.totals.Actions))
	}
}

// notePace prints a room's pace when it changes.
func (p *estatePrinter) notePace(lane int, at string, interval time.Duration, members int) {
	ls := &p.lanes[lane]
	if ls.paceShown && interval == ls.interval {
		return
	}
	ls.paceShown, ls.interval = true, interval
	fmt.Fprintf(p.w, "%s  %s: pace: %s\n", at, p.room(lane), words.PaceNow(interval, members))
}

// result prints an outcome as a single run does, with the room after the
// list's line.
func (p *estatePrinter) result(lane int, r bulk.Result) {
	fmt.Fprintln(p.w, resultLine(r, padRight(p.room(lane), p.roomW)+" "+padRight(userText(r.Item), p.userW)))
	if r.Outcome.Failed() {
		if len(p.failures) < summaryFailuresKept {
			p.failures = append(p.failures, laneResult{lane, r})
		} else {
			p.moreFailures++
		}
	}
}

// totals are the counts over every room that runs.
func (p *estatePrinter) totals() bulk.Totals {
	var t bulk.Totals
	for i, l := range p.e.Lanes {
		if l.Runs() {
			t = t.Plus(p.lanes[i].totals)
		}
	}
	return t
}

// progress prints the progress line over every room when progressEvery
// has passed since the start or the last one.
func (p *estatePrinter) progress(at time.Time) {
	t := p.totals()
	if t.Done >= t.Actions || at.Sub(p.lastProgress) < progressEvery {
		return
	}
	p.lastProgress = at
	var running []time.Duration
	var queued []int
	var done int
	for i, l := range p.e.Lanes {
		if !l.Runs() {
			continue
		}
		switch ls := &p.lanes[i]; ls.state {
		case laneQueued:
			queued = append(queued, i)
		case laneRunning:
			running = append(running, ls.rate.Left(ls.totals.Actions-ls.totals.Done, ls.interval))
		default:
			done++
		}
	}
	text := fmt.Sprintf("%s  progress: %s of %s done (%d%%): %s, %s already, %s failed; rooms: %s done, %s running, %s queued",
		stamp(at), bulk.Count(t.Done), bulk.Count(t.Actions), t.Done*100/max(t.Actions, 1), words.Changed(p.e.Mode, t),
		bulk.Count(t.Already), bulk.Count(t.Failed), bulk.Count(done), bulk.Count(len(running)), bulk.Count(len(queued)))
	if left := p.e.TimeLeft(running, queued); left > 0 {
		text += "; about " + bulk.FormatDuration(left) + " left"
	}
	fmt.Fprintln(p.w, text)
}

// runEstateAndPrint runs a started estate, printing one line per event,
// then the summary; it returns the run's exit code.
func runEstateAndPrint(e *bulk.Estate, runner *bulk.EstateRunner, stdout, stderr io.Writer) int {
	pr := newEstatePrinter(stdout, e)
	var sum *bulk.EstateSummary
	var runErr error
	printWhileRunning(runner.Events(), pr.event, func() { sum, runErr = runner.Run(context.Background()) })
	code := bulk.RunExitCode(&sum.Summary, runErr)
	pr.printSummary(sum, runErr, code)
	sayRunError(stderr, runErr)
	return code
}

// printSummary prints the failures, the whole run's ending and counts, a
// line per room, each room's journal and the run's report.
func (p *estatePrinter) printSummary(s *bulk.EstateSummary, runErr error, code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w, t, mode := p.w, s.Totals, p.e.Mode
	var failed []string
	for _, f := range p.failures {
		failed = append(failed, failureLine(f.r, padRight(p.room(f.lane), p.roomW)+" "+padRight(userText(f.r.Item), p.userW)))
	}
	printFailed(w, failed, p.moreFailures)
	elapsed := ""
	if !s.Started.IsZero() && !s.Finished.IsZero() {
		elapsed = " after " + words.Duration(s.Finished.Sub(s.Started))
	}
	setAside, resumed := 0, 0
	for i, l := range p.e.Lanes {
		if l.Runs() {
			setAside += p.lanes[i].setAside
			resumed += p.lanes[i].resumedDone
		}
	}
	fmt.Fprintf(w, "\n%s.\n", words.Ending(&s.Summary, runErr, " at "+stamp(s.Finished)+elapsed))
	fmt.Fprintf(w, "  %s of %s done: %s\n", words.Count(t.Done), words.Count(t.Actions), strings.Join(words.Totals(mode, t, setAside), ", "))
	if r := words.Resumed(resumed); r != "" {
		fmt.Fprintf(w, "  (%s)\n", r)
	}
	fmt.Fprintln(w, "Rooms")
	var journals []string
	for i, l := range p.e.Lanes {
		room := padRight(p.room(i), p.roomW)
		var ls *bulk.Summary
		if i < len(s.Lanes) {
			ls = s.Lanes[i]
		}
		switch {
		case ls != nil:
			lt := ls.Totals
			text := fmt.Sprintf("  %s  %s of %s done: %s", room, words.Count(lt.Done), words.Count(lt.Actions),
				strings.Join(words.Totals(mode, lt, p.lanes[i].setAside), ", "))
			text += "; the room has " + words.Counted(lt.Members, "member", "members")
			switch {
			case ls.StopReason != "":
				text += "; stopped: " + ls.StopReason
			case ls.Aborted:
				text += "; aborted"
			}
			fmt.Fprintln(w, text)
			if ls.JournalPath != "" {
				journals = append(journals, fmt.Sprintf("  %s  %s", room, ls.JournalPath))
			}
		case l.Skipped:
			fmt.Fprintf(w, "  %s  %s\n", room, words.LeftOut([]string{l.Why()}))
		case l.Job != nil && l.Job.Decision.Verdict == bulk.NothingToDo:
			fmt.Fprintf(w, "  %s  nothing to %s\n", room, mode)
		default:
			fmt.Fprintf(w, "  %s  not run\n", room)
		}
	}
	if len(journals) > 0 {
		fmt.Fprintf(w, "Journals\n%s\n", strings.Join(journals, "\n"))
	}
	if s.ReportPath != "" {
		fmt.Fprintf(w, "Report    %s\n", s.ReportPath)
	}
	if t.Done < t.Actions && (s.Aborted || s.StopReason != "" || runErr != nil) {
		fmt.Fprintln(w, words.GoOn)
	}
	fmt.Fprintln(w, words.ExitCode(code))
}
