package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// roomEnd is how one room of an estate run ended, for the summary.
type roomEnd struct {
	name  string
	state string        // as the lanes screen last said it
	sum   *bulk.Summary // nil for a room that did not run
	why   string        // why a room that did not run could not
}

// setEstate is the summary of an estate run: the whole run's totals, a
// line per room, the run's report and every room's journal.
func (s *summaryScreen) setEstate(sum *bulk.Summary, ls *lanesScreen) {
	s.sum, s.err, s.resumed = sum, ls.err, 0
	if s.sum == nil {
		s.sum = ls.summary
	}
	s.mode, s.room, s.reasons = ls.estate.Mode, "", ""
	s.failures, s.failRoom, s.leftOut, s.rooms, s.setAside = s.failures[:0], nil, nil, []roomEnd{}, 0
	var aside []bulk.Item
	for _, lv := range ls.lanes {
		re := roomEnd{name: lv.lane.Name(), state: ls.laneState(lv), sum: lv.sum}
		if lv.run != nil {
			s.resumed += lv.run.resumedDone
			aside = append(aside, lv.lane.Job.SetAside()...)
			for _, r := range lv.run.table.rows {
				if r.outcome.Failed() {
					s.failures = append(s.failures, r)
					s.failRoom = append(s.failRoom, lv.lane.Name())
				}
			}
		} else if lv.lane.CannotRun() {
			re.why = lv.lane.Why()
		}
		if lv.lane.Skipped {
			s.leftOut = append(s.leftOut, lv.lane.Name())
		}
		s.rooms = append(s.rooms, re)
	}
	s.setAside, s.reasons = len(aside), words.SetAside(aside)
}

// roomTable is a line per room: its name, what it changed and how it ended;
// a room that could not run says why on the line below.
func (s *summaryScreen) roomTable(width int) []string {
	st := s.sh.styles
	nameW := 12
	for _, r := range s.rooms {
		nameW = max(nameW, len([]rune(r.name)))
	}
	nameW = min(nameW, max(width-50, 16))
	head := st.TableHeader.Render("  " + padRight("ROOM", nameW) + " " + padLeft("DONE", 11) + " " + padLeft("CHANGED", 8) + " " +
		padLeft("ALREADY", 8) + " " + padLeft("FAILED", 7) + "  " + "STATE")
	lines := []string{head}
	for _, r := range s.rooms {
		if r.sum == nil {
			lines = append(lines, "  "+padRight(r.name, nameW)+" "+strings.Repeat(" ", 11+1+8+1+8+1+7)+"  "+st.Bad.Render(r.state))
			if r.why != "" {
				for _, l := range strings.Split(ansi.Wrap(r.why, max(width-4, 20), " "), "\n") {
					lines = append(lines, st.Muted.Render("    "+l))
				}
			}
			continue
		}
		t := r.sum.Totals
		changed := t.Added
		if s.mode == bulk.ModeRemove {
			changed = t.Removed
		}
		lines = append(lines, fmt.Sprintf("  %s %s %s %s %s  %s", padRight(r.name, nameW),
			padLeft(words.Count(t.Done)+"/"+words.Count(t.Actions), 11), padLeft(words.Count(changed), 8),
			padLeft(words.Count(t.Already), 8), padLeft(words.Count(t.Failed), 7), r.state))
	}
	return lines
}
