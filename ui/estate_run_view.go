package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// The lanes screen's lines: the whole run on top, then a line per room;
// or, with a room open, that room's own run screen.

// lanesTopLines is how many lines the screen shows above the room lines
// with a one-line status: title, progress, counts, rooms and ETA, status,
// a blank, the column names.
const lanesTopLines = 7

func (s *lanesScreen) view() string {
	if s.open && s.sel() != nil && s.sel().run != nil {
		return s.roomView()
	}
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(truncate(s.titleLine(), s.w) + "\n")
	b.WriteString(s.progressLine() + "\n")
	b.WriteString(truncate(s.countsLine(), s.w) + "\n")
	b.WriteString(truncate(s.roomsLine(), s.w) + "\n")
	status := s.statusLines()
	b.WriteString(strings.Join(status, "\n") + "\n\n")
	c := s.laneColumns()
	b.WriteString(st.TableHeader.Render("  "+padRight("ROOM", c.name)+" "+padRight("PROGRESS", c.bar)+" "+padLeft("DONE", c.done)+" "+
		padRight("PACE", c.pace)+" "+padLeft("MEMBERS", c.members)+" "+padRight("ETA", c.eta)+" "+padRight("STATE", c.state)) + "\n")
	rows := max(s.roomRows()-(len(status)-1), 1)
	top := s.top
	if s.selected >= top+rows {
		top = s.selected - rows + 1
	}
	var lines []string
	for i := top; i < len(s.lanes) && i < top+rows; i++ {
		lines = append(lines, s.laneLine(i, c))
	}
	b.WriteString(strings.Join(lines, "\n"))
	if len(s.lanes) > rows {
		b.WriteString("\n" + st.Muted.Render(truncate(fmt.Sprintf("rooms %d-%d of %d · ↑/↓ select · enter: the room's users",
			top+1, min(top+rows, len(s.lanes)), len(s.lanes)), s.w)))
	}
	return b.String()
}

// roomRows is how many room lines fit under the top lines, one line kept
// for the scroll position.
func (s *lanesScreen) roomRows() int {
	rows := s.h - lanesTopLines
	if len(s.lanes) > rows {
		rows--
	}
	return max(rows, 1)
}

// roomView is the open room: which room it is, then its own run screen.
func (s *lanesScreen) roomView() string {
	st := s.sh.styles
	lv := s.sel()
	head := st.Muted.Render(truncate(fmt.Sprintf("Room %d of %d · %s · esc: all rooms", s.selected+1, len(s.lanes), s.laneState(lv)), s.w))
	return head + "\n" + lv.run.view()
}

func (s *lanesScreen) totals() bulk.Totals {
	var t bulk.Totals
	for _, lv := range s.runs() {
		t = t.Plus(lv.run.totals)
	}
	return t
}

func (s *lanesScreen) titleLine() string {
	st := s.sh.styles
	t := s.totals()
	verb, prep := "Adding", "to"
	if s.estate.Mode == bulk.ModeRemove {
		verb, prep = "Removing", "from"
	}
	line := st.Bold.Render(fmt.Sprintf("%s %s %s %s", verb, words.Counted(t.Actions, "user", "users"), prep,
		words.Counted(len(s.runs()), "room", "rooms")))
	switch {
	case s.aborting && s.running():
		line += "  " + st.Bad.Bold(true).Render("ABORTING: cancelling the calls…")
	case s.confirmAbort:
		line += "  " + st.Warn.Bold(true).Render("HELD")
	case s.running() && !s.canPauseAll() && s.canResumeAll():
		line += "  " + st.Warn.Bold(true).Render("PAUSED")
	case !s.running() && s.closed:
		line += "  " + st.Good.Render("finished")
	}
	return line
}

func (s *lanesScreen) progressLine() string {
	t := s.totals()
	pct := 0.0
	if t.Actions > 0 {
		pct = float64(t.Done) / float64(t.Actions)
	}
	return progressBar(s.sh.styles, max(s.w-24, 10), pct) + fmt.Sprintf(" %s/%s %3.0f%%", words.Count(t.Done), words.Count(t.Actions), pct*100)
}

func (s *lanesScreen) countsLine() string {
	st := s.sh.styles
	t := s.totals()
	changed := st.Good.Render("added " + words.Count(t.Added))
	if s.estate.Mode == bulk.ModeRemove {
		changed = st.Good.Render("removed " + words.Count(t.Removed))
	}
	failed := "failed " + words.Count(t.Failed)
	if t.Failed > 0 {
		failed = st.Bad.Bold(true).Render(failed)
	}
	parts := []string{changed, st.Warn.Render("already " + words.Count(t.Already)), failed,
		"pending " + words.Count(max(t.Actions-t.Done, 0))}
	if t.Promoted > 0 {
		parts = append(parts, "owners "+words.Count(t.Promoted))
	}
	return strings.Join(parts, " · ")
}

// roomsLine counts the rooms by state, with how many run at once and the
// whole run's ETA.
func (s *lanesScreen) roomsLine() string {
	n := map[string]int{}
	for _, lv := range s.lanes {
		w, _, _ := strings.Cut(s.laneState(lv), " (") // waiting (retry): waiting
		w, _, _ = strings.Cut(w, ",")                 // queued, paused: queued
		n[w]++
	}
	var parts []string
	for _, w := range laneStates {
		if n[w] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[w], w))
		}
	}
	line := fmt.Sprintf("ETA %s · rooms: %s", s.eta(), strings.Join(parts, ", "))
	if more := fmt.Sprintf("%s · up to %d at once", line, s.estate.LaneCount()); ansi.StringWidth(more) <= s.w {
		return more
	}
	return line
}

// eta is the whole run's time left: each room's left laid into the lanes,
// the running rooms first, then the queued ones at their plan's estimate.
func (s *lanesScreen) eta() string {
	if !s.running() {
		return "done"
	}
	now := s.sh.now()
	var running []time.Duration
	var queued []int
	unknown := false
	for i, lv := range s.lanes {
		switch {
		case !lv.live():
		case lv.run.paused() || lv.run.holding:
			return "paused"
		case !lv.run.started:
			queued = append(queued, i)
		case lv.run.totals.Done >= lv.run.totals.Actions:
			running = append(running, 0)
		case lv.run.etaAt.IsZero():
			unknown = true
		default:
			running = append(running, max(lv.run.etaAt.Sub(now), 0))
		}
	}
	d := s.estate.TimeLeft(running, queued)
	if unknown && d <= 0 || len(running)+len(queued) == 0 {
		return "…"
	}
	return countdown(ceilSecond(d))
}

// statusLines are the question, the note, or the rooms' stop reasons,
// folded to the width on up to statusMaxLines.
func (s *lanesScreen) statusLines() []string { return foldStatus(s.statusLine(), s.w) }

func (s *lanesScreen) statusLine() string {
	st := s.sh.styles
	switch {
	case s.confirmAbort:
		return st.Bad.Bold(true).Render("Abort the run? Every room holds while you decide: no new change starts. y: abort · n: go on")
	case s.confirmLane >= 0:
		return st.Bad.Bold(true).Render(s.lanes[s.confirmLane].run.question)
	case s.note != "":
		return st.Warn.Render(s.note)
	case s.starting && !s.started:
		return st.Muted.Render("Taking every room and opening its journal…")
	}
	var stops []string
	for _, lv := range s.runs() {
		if lv.run.stopReason != "" {
			stops = append(stops, fmt.Sprintf("%s: %s", lv.lane.Name(), lv.run.stopReason))
		}
	}
	if len(stops) > 0 {
		return st.Bad.Render("Stopping: " + strings.Join(stops, "; "))
	}
	return ""
}

// laneStateWidth is the state column's least width: "waiting (retry)".
const laneStateWidth = 15

// laneCols are the widths of a room line's columns.
type laneCols struct{ name, bar, done, pace, members, eta, state int }

// laneColumns fit the rooms: the figures as wide as the largest, the name
// as the longest (cut only when the state would have fewer than 15
// cells), the bar and the state sharing what is left.
func (s *lanesScreen) laneColumns() laneCols {
	c := laneCols{done: 4, pace: 4, members: 7, eta: 6}
	for _, lv := range s.runs() {
		t := lv.run.totals
		c.done = max(c.done, len(words.Count(t.Actions))*2+1)
		c.members = max(c.members, len(words.Count(max(t.Members, lv.lane.Job.Plan.MembersAfter))))
		c.pace = max(c.pace, len(words.Duration(lv.lane.Job.Plan.Interval)))
	}
	rest := max(s.w-2-c.done-c.pace-c.members-c.eta-6, 40)
	names := make([]*bulk.Lane, len(s.lanes))
	for i, lv := range s.lanes {
		names[i] = lv.lane
	}
	c.name = min(max(longestName(names), 4), rest-6-laneStateWidth)
	c.bar = min(max(rest-c.name-laneStateWidth, 6), 30)
	c.state = rest - c.name - c.bar
	return c
}

// laneLine is one room: name, progress bar, done, pace, members, ETA, state.
func (s *lanesScreen) laneLine(i int, c laneCols) string {
	st := s.sh.styles
	lv := s.lanes[i]
	mark := "  "
	name := padRight(lv.lane.Name(), c.name)
	if i == s.selected {
		mark = st.Selected.Render("› ")
		name = st.Selected.Render(name)
	}
	state := s.laneState(lv)
	stateStyle := st.Muted
	switch {
	case strings.HasPrefix(state, "running"), state == "done":
		stateStyle = st.Good
	case strings.HasPrefix(state, "waiting"), strings.HasPrefix(state, "paus"), strings.HasPrefix(state, "held"):
		stateStyle = st.Warn
	case state == "aborted", state == "stopped", state == "cannot run", state == "left out", strings.HasPrefix(state, "abort"):
		stateStyle = st.Bad
	}
	if lv.run == nil {
		return mark + name + " " + padRight("", c.bar) + " " + padLeft("", c.done) + " " + padRight("", c.pace) + " " +
			padLeft("", c.members) + " " + padRight("", c.eta) + " " + stateStyle.Render(padRight(state, c.state))
	}
	r := lv.run
	t := r.totals
	pct := 0.0
	if t.Actions > 0 {
		pct = float64(t.Done) / float64(t.Actions)
	}
	pace := "none"
	if r.interval > 0 {
		pace = words.Duration(r.interval)
	}
	eta := ""
	switch {
	case lv.sum != nil:
	case !r.started:
		eta = "~" + words.Duration(lv.lane.Job.Plan.Estimate)
	default:
		eta = r.eta()
	}
	return mark + name + " " + progressBar(st, c.bar, pct) + " " + padLeft(words.Count(t.Done)+"/"+words.Count(t.Actions), c.done) + " " +
		padRight(pace, c.pace) + " " + padLeft(words.Count(t.Members), c.members) + " " + padRight(eta, c.eta) + " " +
		stateStyle.Render(padRight(state, c.state))
}

// laneStates are the states laneState says (the first word or two), in
// the order the rooms line counts them.
var laneStates = []string{"running", "waiting", "pausing…", "paused", "held", "aborting…", "stopping", "queued",
	"done", "stopped", "aborted", "nothing to do", "left out", "cannot run"}

// laneState is a room's state in a word or two: queued, running, paused,
// held, waiting (why), done, stopped, aborted; for a room that does not
// run, left out, cannot run or nothing to do.
func (s *lanesScreen) laneState(lv *laneView) string {
	r := lv.run
	switch {
	case r == nil && lv.lane.Skipped:
		return "left out"
	case r == nil && lv.lane.CannotRun():
		return "cannot run"
	case r == nil:
		return "nothing to do"
	case lv.sum != nil && lv.sum.Aborted:
		return "aborted"
	case lv.sum != nil && lv.sum.StopReason != "":
		return "stopped"
	case lv.sum != nil:
		return "done"
	case !r.started && r.wantPause:
		return "queued, paused"
	case !r.started:
		return "queued"
	case r.aborting:
		return "aborting…"
	case r.paused():
		return "paused"
	case r.confirmAbort && r.holding:
		return "held"
	case r.pausing() || r.confirmAbort:
		return "pausing…"
	case r.stopReason != "":
		return "stopping"
	case r.wait != nil:
		return "waiting (" + waitWhy(r.wait) + ")"
	}
	return "running"
}

// waitWhy is what a room waits for, in a word.
func waitWhy(ev *bulk.Event) string {
	switch ev.Kind {
	case bulk.EventWindowWait:
		return "run window"
	case bulk.EventSettleWait:
		return "member list"
	}
	return "retry"
}
