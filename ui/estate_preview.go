package ui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// The preview of an estate run (a list with a room column): the rooms are
// read from the list, resolved and planned together (bulk.EstateRequest),
// and shown as a table of rooms with the run's estimate; a room that
// cannot run is named with why, and left out only when the operator says
// so (the question after the start question, which is --skip-blocked).

// estateRequest is the estate run the options ask for: the single run's
// request for every room, and the rooms: several --stream, or the room
// column's (a --stream as well is refused by the request, as headless
// refuses it).
func (s *previewStep) estateRequest() bulk.EstateRequest {
	req := bulk.EstateRequest{Request: s.request(), Lanes: s.sh.opts.Lanes, SkipBlocked: s.sh.opts.SkipBlocked}
	switch {
	case len(s.sh.opts.Rooms) > 0:
		req.Rooms = s.sh.opts.Rooms
	case s.sh.opts.Stream != "":
		req.Rooms = []string{s.sh.opts.Stream}
	}
	req.RoomColumn = s.sh.opts.RoomColumn
	return req
}

func (s *previewStep) buildEstate() tea.Cmd {
	return s.work.startWith(s.sh.ctx, "Finding each room, looking up every user and checking every room…", func(ctx context.Context) tea.Cmd {
		return planEstateCmd(ctx, s.mk.session, s.mk.list, s.estateRequest())
	})
}

// estateQuestions: the start question, then, when some rooms cannot run
// and the others can, whether to leave them out (its y is --skip-blocked).
func (s *previewStep) estateQuestions() []string {
	qs := []string{words.EstateStartQuestion(s.estate)}
	if s.estate.LeaveOutHelps() {
		qs = append(qs, words.LeaveOutQuestion(s.estate))
	}
	return qs
}

// startEstate starts the run once every question is answered yes: a y to
// leaving rooms out sets SkipBlocked, and the run is decided again.
func (s *previewStep) startEstate() tea.Cmd {
	e := s.estate
	if e.LeaveOutHelps() {
		e.SkipBlocked = true
		e.Decide(e.Resume)
	}
	if !e.Decision.Startable() {
		return nil // decided again (another run took a room): the refusal shows
	}
	return s.sh.announce(startRunMsg{estate: e})
}

// roomCols are the widths of the room table's columns for a width.
type roomCols struct{ room, users, members, pace, estimate, warnings int }

// The room column is as wide as the longest name, as long as the warnings
// keep a few words (each room's warnings are also listed in full below).
func roomColumns(w int, lanes []*bulk.Lane) roomCols {
	c := roomCols{users: 7, members: 15, pace: 5, estimate: 8}
	rest := max(w-2-c.users-c.members-c.pace-c.estimate-5, 24)
	c.room = min(max(longestName(lanes), 4), rest-12, 48)
	c.warnings = rest - c.room
	return c
}

// longestName is the width of the longest room name.
func longestName(lanes []*bulk.Lane) int {
	n := 0
	for _, l := range lanes {
		n = max(n, ansi.StringWidth(l.Name()))
	}
	return n
}

// estateContent is the estate's plan: what changes, the run's estimate, a
// table of rooms, the rooms that cannot run and why, each room's warnings.
func (s *previewStep) estateContent() string {
	st := s.sh.styles
	e := s.estate
	var b strings.Builder
	b.WriteString(st.Bold.Render(capitalize(words.EstateChange(e))) + "\n")
	b.WriteString("  " + wrap("estimate: "+words.EstateEstimate(e), s.w-2) + "\n")
	b.WriteString(truncate("  journal and report go to "+s.sh.outLabel, s.w) + "\n\n")
	c := roomColumns(s.w, e.Lanes)
	h := make([]string, len(words.RoomTable))
	for i, name := range words.RoomTable {
		h[i] = strings.ToUpper(name)
	}
	b.WriteString(st.TableHeader.Render("  "+padRight(h[0], c.room)+" "+padLeft(h[1], c.users)+" "+padRight(h[2], c.members)+" "+
		padRight(h[3], c.pace)+" "+padRight(h[4], c.estimate)+" "+padRight(h[5], c.warnings)) + "\n")
	for _, l := range e.Lanes {
		b.WriteString(s.roomRow(l, c) + "\n")
	}
	var blocked []string
	for _, l := range e.Lanes {
		if l.CannotRun() {
			blocked = append(blocked, wrap(st.Bad.Bold(true).Render("✗ ")+fmt.Sprintf("%q cannot run: %s", l.Name(), l.Why()), s.w))
		}
	}
	if len(blocked) > 0 {
		b.WriteString("\n" + strings.Join(blocked, "\n") + "\n")
	}
	b.WriteString(s.roomWarnings())
	return b.String()
}

// roomRow is one room of the table: the cells both faces show
// (words.RoomCells), laid out in the columns.
func (s *previewStep) roomRow(l *bulk.Lane, c roomCols) string {
	st := s.sh.styles
	mark, warn := "  ", st.Warn
	if l.CannotRun() {
		mark, warn = st.Bad.Bold(true).Render("✗ "), st.Bad
	}
	cells := words.RoomCells(l)
	return mark + padRight(cells[0], c.room) + " " + padLeft(cells[1], c.users) + " " + padRight(cells[2], c.members) + " " +
		padRight(cells[3], c.pace) + " " + padRight(cells[4], c.estimate) + " " + warn.Render(padRight(cells[5], c.warnings))
}

// roomWarnings lists every room's warnings and notices in full, by room.
func (s *previewStep) roomWarnings() string {
	st := s.sh.styles
	var b strings.Builder
	for _, l := range s.estate.Lanes {
		if l.Job == nil || l.CannotRun() {
			continue
		}
		var lines []string
		for _, w := range l.Job.Plan.Warnings {
			switch w.Level {
			case bulk.LevelWarn:
				lines = append(lines, st.Warn.Render("! ")+w.Message)
			case bulk.LevelInfo:
				lines = append(lines, st.Muted.Render("· ")+w.Message)
			}
		}
		if note := words.Notice(l.Job.Decision); note != "" {
			lines = append(lines, st.Info.Render("· ")+note)
		}
		if len(lines) == 0 {
			continue
		}
		b.WriteString("\n" + st.Bold.Render(truncate(fmt.Sprintf("%q:", l.Name()), s.w)) + "\n")
		for _, line := range lines {
			b.WriteString("  " + wrap(line, s.w-2) + "\n")
		}
	}
	return b.String()
}

// estateStartLine is the question on screen, or what s does, or why the
// run cannot start.
func (s *previewStep) estateStartLine() string {
	st := s.sh.styles
	d := s.estate.Decision
	switch {
	case s.confirming():
		return s.questionLine()
	case s.estate.LeaveOutHelps() && !s.sh.opts.DryRun:
		return st.Warn.Render(wrap(s.refused(), s.w))
	case d.Verdict == bulk.NothingToDo:
		return st.Info.Render(wrap(words.EstateNothingToDo(s.estate), s.w))
	case !d.Startable():
		return st.Bad.Render(wrap(s.refused(), s.w))
	case s.sh.opts.DryRun:
		return st.Info.Render(wrap(words.DryRun, s.w))
	}
	return st.Good.Render("s: start (asks once more)")
}

// padLeft pads a plain string on the left (numbers) to exactly w cells.
func padLeft(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}
