package words

import (
	"fmt"
	"strings"

	"roster/symphony/bulk"
)

// The words of a run of several rooms (bulk.Estate): the preview's table
// of rooms, its estimate, the refusals that name a room, and the rooms left
// out. Both faces say them; the layout (widths, cut names) is each face's.

// RoomTable are the headers of the preview's table of rooms, in order: the
// room, the changes to make, the members before -> after, the pace, the
// estimate and the warnings (RoomCells gives a row).
var RoomTable = []string{"Room", "Changes", "Members", "Pace", "Estimate", "Warnings"}

// RoomCells is a room's row of the preview's table, in RoomTable's order.
// A room that could not be planned has its name and why in a word.
func RoomCells(l *bulk.Lane) []string {
	if l.Job == nil {
		return []string{l.Name(), "-", "-", "-", "-", RoomWarnings(l)}
	}
	j := l.Job
	p := j.Plan
	return []string{l.Name(), Count(j.ToGo()), Count(p.MembersBefore) + " -> " + Count(p.MembersAfter),
		RoomPace(p), Duration(p.Estimate), RoomWarnings(l)}
}

// RoomPace is a room's pace in a word: the interval when its changes wait
// for it, "none" when the room stays at or below the threshold.
func RoomPace(p *bulk.Plan) string {
	if p.MembersBefore <= bulk.PaceThreshold && p.MembersAfter <= bulk.PaceThreshold {
		return "none"
	}
	return Duration(p.Interval)
}

// RoomWarnings are a room's warnings as their codes, after its state in a
// word when it will not run as planned: "cannot run", "left out",
// "unfinished" (a journal of this run waits for --resume), "resuming",
// "busy" (another roster runs on it), "journal" (a journal that cannot be
// used), "nothing to do". The pace warning is left to the pace column.
func RoomWarnings(l *bulk.Lane) string {
	var out []string
	switch {
	case l.Skipped:
		out = append(out, "left out")
	case l.CannotRun():
		out = append(out, "cannot run")
	}
	if l.Job != nil {
		switch d := l.Job.Decision; {
		case d.Verdict == bulk.Unfinished:
			out = append(out, "unfinished")
		case d.Verdict == bulk.Busy:
			out = append(out, "busy")
		case d.Verdict == bulk.CannotResume:
			out = append(out, "journal")
		case d.Verdict == bulk.NothingToDo:
			out = append(out, "nothing to do")
		case d.Resume != nil:
			out = append(out, "resuming")
		}
		for _, w := range l.Job.Plan.Warnings {
			if w.Level != bulk.LevelInfo && w.Code != "pace" {
				out = append(out, w.Code)
			}
		}
	}
	return strings.Join(out, ", ")
}

// RoomsAtOnce is how an estate runs: "12 rooms, 10 at once", or "12
// rooms, 9 to run, 9 at once" when some have nothing to do or cannot run.
func RoomsAtOnce(e *bulk.Estate) string {
	n := 0
	for _, l := range e.Lanes {
		if l.Runs() {
			n++
		}
	}
	text := Counted(len(e.Lanes), "room", "rooms")
	if n < len(e.Lanes) {
		text += fmt.Sprintf(", %s to run", Count(n))
	}
	return text + fmt.Sprintf(", %s at once", Count(min(n, e.LaneCount())))
}

// EstateEstimate is the run's estimate against the rooms one after
// another: "about 4h00m with the rooms side by side (the slowest room),
// against 417h00m one room after another".
func EstateEstimate(e *bulk.Estate) string {
	lanes, rooms := e.LaneCount(), 0
	for _, l := range e.Lanes {
		if l.Runs() {
			rooms++
		}
	}
	how := "the slowest room"
	if rooms > lanes {
		how = fmt.Sprintf("%s laid into %s as they come free", Counted(rooms, "room", "rooms"), Counted(lanes, "lane", "lanes"))
	}
	return fmt.Sprintf("about %s with the rooms side by side (%s), against %s one room after another",
		Duration(e.Estimate()), how, Duration(e.Sequential()))
}

// LeftOut names the rooms a run goes on without: "left out: FX Desk, Rates".
func LeftOut(names []string) string {
	return "left out: " + strings.Join(names, ", ")
}

// CannotRun says which rooms cannot run and why, one a line, with how to
// go on without them: the refusal of an estate decided Blocked.
func CannotRun(e *bulk.Estate, f Face) string {
	var b strings.Builder
	n := len(e.Decision.Blocked)
	fmt.Fprintf(&b, "The run cannot start: %s cannot run:", Counted(n, "room", "rooms"))
	for _, i := range e.Decision.Blocked {
		l := e.Lanes[i]
		fmt.Fprintf(&b, "\n  %s: %s", roomNamed(l), l.Why())
	}
	b.WriteString("\nNothing was changed.")
	if len(e.Decision.Blocked) < len(e.Lanes) && f.SkipBlocked != "" {
		fmt.Fprintf(&b, " To run the other rooms without %s, %s.", plural(n, "it", "them"), f.SkipBlocked)
	}
	return b.String()
}

// EstateRefusal is why an estate's decision refuses the run, naming the
// room it is about; "" when it may start or has nothing to do.
func EstateRefusal(e *bulk.Estate, f Face) string {
	d := e.Decision
	switch {
	case d.Verdict == bulk.Blocked:
		return CannotRun(e, f)
	case d.Startable() || d.Verdict == bulk.NothingToDo || d.Lane < 0:
		return ""
	}
	l := e.Lanes[d.Lane]
	return fmt.Sprintf("Room %s: %s", roomNamed(l), Refusal(l.Job.Decision, f))
}

// EstateNothingToDo says why a run of several rooms has nothing to do.
func EstateNothingToDo(e *bulk.Estate) string {
	for _, l := range e.Lanes {
		if l.Job != nil && l.Job.Decision.Resume != nil {
			return "Nothing to resume: the journals show every user done in every room. Nothing was changed."
		}
	}
	return fmt.Sprintf("Nothing to %s in any room: every user in the list is set aside. Nothing was changed.", e.Mode)
}

// roomNamed is a room as the refusals name it: its name quoted, and how
// it was given when that was not its name (a stream ID).
func roomNamed(l *bulk.Lane) string {
	name := fmt.Sprintf("%q", l.Name())
	if l.Given != l.Name() {
		name += " (" + l.Given + ")"
	}
	return name
}
