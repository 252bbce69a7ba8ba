package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// summaryScreen is the end of a run: totals, failures first, and where the
// report and journal are. It is printed again on the normal screen at exit.
type summaryScreen struct {
	sh       *shared
	sum      *bulk.Summary
	err      error
	failures []resultRow
	setAside int
	reasons  string // set-aside counts by reason
	mode     bulk.Mode
	room     string
	resumed  int       // users finished before this run, when it resumed a journal
	rooms    []roomEnd // an estate run: how each room ended
	failRoom []string  // an estate run: the room of each failure
	leftOut  []string  // an estate run: the rooms left out
	scroll   scroller
	w, h     int
}

func newSummaryScreen(sh *shared) *summaryScreen {
	return &summaryScreen{sh: sh, scroll: newScroller()}
}

func (s *summaryScreen) set(sum *bulk.Summary, run *runScreen) {
	s.sum, s.err, s.resumed = sum, run.err, run.resumedDone
	if s.sum == nil {
		s.sum = run.summary
	}
	s.failures = s.failures[:0]
	for _, r := range run.table.rows {
		if r.outcome.Failed() {
			s.failures = append(s.failures, r)
		}
	}
	if p := s.sh.plan; p != nil {
		aside := s.sh.setAside()
		s.setAside, s.mode, s.room = len(aside), p.Mode, p.Room.Name
		s.reasons = words.SetAside(aside)
	}
}

// exitCode is the code the process exits with after this run: the job's.
func (s *summaryScreen) exitCode() int { return bulk.RunExitCode(s.sum, s.err) }

func (s *summaryScreen) update(msg tea.Msg) tea.Cmd {
	s.scroll.scroll(msg, s.sh.keys)
	return nil
}

// view is the whole summary, every failure included; it scrolls when it
// is taller than the terminal.
func (s *summaryScreen) view() string {
	w := max(s.w, 40)
	return s.scroll.render(s.sh.styles, s.render(len(s.failures)+16+2*len(s.rooms), w), "", w, s.h)
}

// report is the whole summary for the normal screen, with every failure.
// Nothing is cut or wrapped: the terminal wraps long lines itself.
func (s *summaryScreen) report() string { return s.render(len(s.failures)+16+2*len(s.rooms), 1<<20) }

// render lays out the summary; failures get the lines left in height. It
// is one function because every line counts against the same height.
func (s *summaryScreen) render(height, width int) string {
	st := s.sh.styles
	var b strings.Builder
	lines := 0
	put := func(str string) {
		b.WriteString(truncate(str, width) + "\n")
		lines++
	}
	// paths are never cut: they are what the operator opens next; a long
	// one is broken after a separator, never inside a name
	putPath := func(label, path string) {
		if ansi.StringWidth(label+path) <= width {
			put(st.Bold.Render(label) + path)
			return
		}
		put(st.Bold.Render(label))
		for _, l := range breakPath(path, width-2) {
			b.WriteString("  " + l + "\n")
			lines++
		}
	}
	sum := s.sum
	if sum == nil {
		put(st.Bad.Bold(true).Render("The run did not complete."))
		if s.err != nil {
			put(st.Bad.Render(errText(s.err)))
		}
		put(st.Muted.Render(words.ExitCode(s.exitCode())))
		return b.String()
	}
	headline := words.Ending(sum, s.err, "") + "."
	switch code := s.exitCode(); {
	case code == bulk.ExitOK:
		put(st.Good.Bold(true).Render(headline))
	case code == bulk.ExitFailed:
		put(st.Warn.Bold(true).Render(headline))
	default:
		put(st.Bad.Bold(true).Render(headline))
	}
	t := sum.Totals
	// Every count stays on screen: with a long list the line is split in
	// two rather than cut at the terminal's edge.
	counts := words.Totals(s.mode, t, s.setAside)
	if line := "  " + strings.Join(counts, " · "); ansi.StringWidth(line) <= width {
		put(line)
	} else {
		put("  " + strings.Join(counts[:3], " · "))
		put("  " + strings.Join(counts[3:], " · "))
	}
	if s.rooms != nil {
		put(fmt.Sprintf("  %s of %s actions done in %s, in %s",
			words.Count(t.Done), words.Count(t.Actions), words.Duration(sum.Finished.Sub(sum.Started)), words.Counted(len(s.rooms)-sum.LeftOut, "room", "rooms")))
		if len(s.leftOut) > 0 {
			put(st.Warn.Render("  " + words.LeftOut(s.leftOut)))
		}
	} else {
		put(fmt.Sprintf("  %s of %s actions done in %s; %q now has %s",
			words.Count(t.Done), words.Count(t.Actions), words.Duration(sum.Finished.Sub(sum.Started)), s.room, words.Counted(t.Members, "member", "members")))
	}
	if s.reasons != "" {
		put(st.Muted.Render("  set aside (in the report too): " + s.reasons))
	}
	if r := words.Resumed(s.resumed); r != "" {
		put(st.Muted.Render("  " + r))
	}
	if s.err != nil {
		put(st.Bad.Render("  " + errText(s.err)))
	}
	put("")
	if s.rooms != nil {
		for _, l := range s.roomTable(width) {
			put(l)
		}
		put("")
		putPath("Report:  ", sum.ReportPath)
		put(st.Bold.Render("Journals, by room:"))
		for _, r := range s.rooms {
			if r.sum != nil && r.sum.JournalPath != "" {
				putPath("  "+r.name+": ", r.sum.JournalPath)
			}
		}
	} else {
		putPath("Report:  ", sum.ReportPath)
		putPath("Journal: ", sum.JournalPath)
	}
	if (sum.Aborted || sum.StopReason != "" || s.err != nil) && t.Done < t.Actions && !s.sh.opts.Ephemeral {
		put(words.GoOn)
	}
	put(st.Muted.Render(words.ExitCode(s.exitCode())))
	if len(s.failures) > 0 {
		put("")
		put(st.Bad.Bold(true).Render(fmt.Sprintf("Failures (%d):", len(s.failures))))
		for i, f := range s.failures {
			if lines >= height-1 && i < len(s.failures) {
				put(st.Muted.Render(fmt.Sprintf("  … and %d more in the report", len(s.failures)-i)))
				break
			}
			status := ""
			if f.status != 0 {
				status = fmt.Sprintf("HTTP %d ", f.status)
			}
			room := ""
			if i < len(s.failRoom) {
				room = s.failRoom[i] + " · "
			}
			put(fmt.Sprintf("  %sline %-5d %s  %s%s", room, f.line, f.user, status, f.message))
		}
	}
	return b.String()
}

func (s *summaryScreen) setSize(w, h int) { s.w, s.h = w, h }

func (s *summaryScreen) help() bindings {
	k := s.sh.keys
	q := k.Quit
	q.SetHelp("q", "quit (the summary stays printed)")
	return bindings{short: []key.Binding{s.scroll.help(k), q}, full: [][]key.Binding{s.scroll.fullHelp(k), {q}}}
}

func (s *summaryScreen) typing() bool { return false }

// breakPath breaks a path into lines of at most width cells, after a path
// separator; a single name longer than a line is cut where the line ends.
func breakPath(path string, width int) []string {
	width = max(width, 8)
	var lines []string
	line := ""
	for _, part := range splitAfterSeparators(path) {
		for ansi.StringWidth(part) > width { // a name longer than a line
			if line != "" {
				lines, line = append(lines, line), ""
			}
			cut := ansi.Truncate(part, width, "")
			lines = append(lines, cut)
			part = part[len(cut):]
		}
		if ansi.StringWidth(line+part) > width {
			lines, line = append(lines, line), ""
		}
		line += part
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// splitAfterSeparators splits a path into names, each with the separator
// that follows it (/ or \\, so Windows paths break too).
func splitAfterSeparators(path string) []string {
	var parts []string
	start := 0
	for i, r := range path {
		if r == '/' || r == '\\' {
			parts = append(parts, path[start:i+1])
			start = i + 1
		}
	}
	if start < len(path) {
		parts = append(parts, path[start:])
	}
	return parts
}
