package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"roster/csvsource"
	"roster/symphony/bulk"
)

// csvStep picks the user list, reads it and shows what was read.
type csvStep struct {
	sh      *shared
	chooser *fileChooser
	work    busy
	list    *csvsource.List // read, shown, waiting for enter
	errPath string
	err     error
	auto    bool // --csv: go on without asking when the file reads cleanly
	scroll  scroller
	w, h    int
}

func newCSVStep(sh *shared) *csvStep {
	offered := append([]string{}, sh.opts.OfferCSVs...)
	if sh.opts.CSVPath != "" {
		offered = append([]string{sh.opts.CSVPath}, offered...)
	}
	return &csvStep{sh: sh, chooser: newFileChooser(sh, []string{".csv", ".txt", ".tsv"}, offered),
		work: newBusy(), auto: sh.opts.CSVPath != "", scroll: newScroller()}
}

func (s *csvStep) enter(made) tea.Cmd {
	if s.auto && s.list == nil {
		return s.load(s.chooser.candidates[0])
	}
	return nil
}

func (s *csvStep) load(path string) tea.Cmd {
	s.errPath, s.err, s.list = path, nil, nil
	return s.work.start("Reading "+filepath.Base(path)+"…", readCSVCmd(path, s.sh.opts.Column, s.sh.opts.RoomColumn))
}

func (s *csvStep) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	if answer, handled, cmd := s.work.update(msg, k); handled {
		if answer == nil {
			return cmd
		}
		msg = answer
	}
	switch msg := msg.(type) {
	case csvLoadedMsg:
		s.list = msg.list
		s.scroll.top()
		if s.auto {
			s.auto = false // a flag answers the step once; going back shows it
			return s.sh.announce(csvDoneMsg{list: s.list})
		}
		return nil
	case csvFailedMsg:
		s.err, s.auto = msg.err, false
		return nil
	case busyCancelledMsg:
		s.auto = false
		return nil
	}
	if s.list != nil {
		if s.scroll.scroll(msg, k) {
			return nil
		}
		if km, ok := msg.(tea.KeyMsg); ok {
			switch {
			case key.Matches(km, k.Select):
				return s.sh.announce(csvDoneMsg{list: s.list})
			case key.Matches(km, k.Back):
				s.list = nil // choose another file
			}
		}
		return nil
	}
	path, back, cmd := s.chooser.update(msg)
	if back {
		return s.sh.announce(backMsg{})
	}
	if path != "" {
		return tea.Batch(cmd, s.load(path))
	}
	return cmd
}

func (s *csvStep) view() string {
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(st.Subtitle.Render("Step 2 · The user list") + "\n")
	b.WriteString(st.Muted.Render(wrap("A CSV of user IDs, emails or usernames (one column, or a header naming it).", s.w)) + "\n\n")
	switch {
	case s.work.active():
		b.WriteString(s.work.view() + "\n")
	case s.list != nil:
		head := lipgloss.Height(strings.TrimRight(b.String(), "\n")) + 1
		b.WriteString(s.scroll.render(st, csvSummaryView(st, s.list, s.w), "", s.w, max(s.h-head, 1)))
	default:
		b.WriteString(s.chooser.view(s.w) + "\n")
		if s.err != nil {
			b.WriteString("\n" + errorBox(st, "Could not read "+s.errPath, s.err, s.w) + "\n")
		}
	}
	return b.String()
}

// csvSummaryView is what was read: counts, then every problem the reader
// kept with its line, and the duplicates. The step scrolls it.
func csvSummaryView(st Styles, l *csvsource.List, w int) string {
	sum := l.Summary
	var b strings.Builder
	b.WriteString(st.Bold.Render(filepath.Base(l.Path)) + ": " + st.Good.Render(bulk.Counted(sum.Entries, "user", "users")) + " to consider\n")
	b.WriteString(fmt.Sprintf("  %s · %s · %s · %d marked owner\n", bulk.Counted(sum.IDs, "user ID", "user IDs"),
		bulk.Counted(sum.Emails, "email", "emails"), bulk.Counted(sum.Usernames, "username", "usernames"), sum.Owners))
	line := fmt.Sprintf("  %s · %s · %s",
		bulk.Counted(sum.Duplicates, "duplicate", "duplicates"),
		bulk.Counted(sum.Problems, "row dropped", "rows dropped"),
		bulk.Counted(sum.Warnings, "row repaired", "rows repaired"))
	if sum.Problems > 0 {
		b.WriteString(st.Warn.Render(line) + "\n")
	} else {
		b.WriteString(line + "\n")
	}
	if l.HasRooms() {
		// a room column: each row goes to its room, and the preview plans them all
		names := strings.Join(l.Rooms[:min(len(l.Rooms), 10)], ", ")
		if len(l.Rooms) > 10 {
			names += fmt.Sprintf(" and %s more", bulk.Count(len(l.Rooms)-10))
		}
		b.WriteString(st.Info.Render(wrap(fmt.Sprintf("  in %s (the room column): %s", bulk.Counted(len(l.Rooms), "room", "rooms"), names), w)) + "\n")
	}
	if len(l.Problems) > 0 {
		b.WriteString("\nProblems, by line:\n")
		for _, p := range l.Problems {
			label := st.Bad.Render("dropped ")
			if p.Warning {
				label = st.Warn.Render("repaired")
			}
			b.WriteString(wrap(fmt.Sprintf("  line %-5d %s %s", p.Line, label, p.Message), w) + "\n")
		}
	}
	// the problems the reader counted but did not keep (Summary.Unlisted)
	if n := sum.Unlisted; n > 0 {
		b.WriteString(st.Muted.Render(wrap(fmt.Sprintf("  … and %s more (roster check %s lists them all)", bulk.Count(n), filepath.Base(l.Path)), w)) + "\n")
	}
	if len(l.Duplicates) > 0 {
		b.WriteString("\nDuplicates (kept once):\n")
		for _, d := range l.Duplicates {
			b.WriteString(truncate(fmt.Sprintf("  line %-5d repeats line %d (%s)", d.Line, d.FirstLine, d.Value), w) + "\n")
		}
	}
	return b.String()
}

func (s *csvStep) setSize(w, h int) {
	s.w, s.h = w, h
	s.chooser.setSize(w, h-6)
}

func (s *csvStep) help() bindings {
	k := s.sh.keys
	if s.work.active() {
		return s.work.help(k)
	}
	if s.list != nil {
		cont := k.Select
		cont.SetHelp("enter", "continue")
		other := k.Back
		other.SetHelp("esc", "another file")
		short := []key.Binding{cont, other}
		return bindings{short: append(short, s.scroll.help(k)), full: [][]key.Binding{short, s.scroll.fullHelp(k)}}
	}
	short := s.chooser.help()
	if !s.chooser.browsing {
		short = append(short, k.Back)
	}
	return oneLine(short...)
}

func (s *csvStep) typing() bool { return false }
