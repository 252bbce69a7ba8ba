package ui

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
)

// previewStep builds the plan and shows it, with every preflight warning;
// starting needs an explicit confirmation.
type previewStep struct {
	sh         *shared
	spin       spinner.Model
	building   bool
	gen        int // of the plan being built
	plan       *bulk.Plan
	err        error
	resumePath string
	resumeInfo *bulk.ResumeInfo
	resumeErr  error
	resume     bool // resume the journal found (the default when one is found)
	confirming bool
	w, h       int
}

func newPreviewStep(sh *shared) *previewStep {
	return &previewStep{sh: sh, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

func (s *previewStep) enter() tea.Cmd {
	s.building, s.plan, s.err, s.confirming = true, nil, nil, false
	s.gen++
	s.sh.plan = nil
	in := planInput{streamID: s.sh.room.Room.ID, mode: s.sh.mode, list: s.sh.list,
		interval: s.sh.opts.Interval, outDir: s.sh.opts.OutDir, resume: s.sh.opts.Resume, now: s.sh.now, gen: s.gen}
	if in.resume == "" {
		in.resume = "auto" // an unfinished journal is always offered, never silently ignored
	}
	return tea.Batch(s.spin.Tick, buildPlanCmd(s.sh.ctx, s.sh.session, in))
}

func (s *previewStep) startable() bool {
	if s.plan == nil || s.plan.Blocked() || s.sh.opts.DryRun {
		return false
	}
	if s.resuming() {
		return s.resumeInfo.ToGo() > 0
	}
	return len(s.plan.Actions) > 0
}

// resuming is true when the run will continue the journal found.
func (s *previewStep) resuming() bool { return s.resume && s.resumeInfo != nil }

// setAside is what the run sets aside: on resume, not the users the
// journal's run finished (the rebuilt plan sees them as members).
func (s *previewStep) setAside() []bulk.Item {
	if s.resuming() {
		return s.resumeInfo.SetAside
	}
	return s.plan.SetAside
}

func (s *previewStep) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case planBuiltMsg:
		if msg.gen != s.gen {
			return nil
		}
		s.building = false
		s.plan, s.err = msg.plan, msg.err
		s.resumePath, s.resumeInfo, s.resumeErr = msg.resumePath, msg.resume, msg.resumeProblem
		s.resume = s.resumePath != "" && s.resumeInfo != nil
		s.sh.plan = msg.plan
		return nil
	case spinner.TickMsg:
		if !s.building {
			return nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		if s.building {
			if key.Matches(msg, k.Back) {
				s.building = false // its answer will be dropped
				s.gen++
				return s.sh.announce(backMsg{})
			}
			return nil
		}
		if s.confirming {
			switch {
			case key.Matches(msg, k.Confirm):
				s.confirming = false
				from := ""
				s.sh.resume = nil
				if s.resuming() {
					from, s.sh.resume = s.resumePath, s.resumeInfo
				}
				return s.sh.announce(startRunMsg{resumeFrom: from})
			case key.Matches(msg, k.Cancel):
				s.confirming = false
			}
			return nil
		}
		switch {
		case key.Matches(msg, k.Back):
			return s.sh.announce(backMsg{})
		case key.Matches(msg, k.ToggleMode):
			if s.sh.mode == bulk.ModeAdd {
				s.sh.mode = bulk.ModeRemove
			} else {
				s.sh.mode = bulk.ModeAdd
			}
			return s.enter()
		case key.Matches(msg, k.ToggleResume) && s.resumeInfo != nil:
			s.resume = !s.resume
		case key.Matches(msg, k.Start) && s.startable():
			s.confirming = true
		case key.Matches(msg, k.Retry) && s.err != nil:
			return s.enter()
		}
	}
	return nil
}

func (s *previewStep) view() string {
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(st.Subtitle.Render("Step 4 · Preview: nothing has changed yet") + "\n")
	switch {
	case s.building:
		b.WriteString("\n" + s.spin.View() + " Looking up every user and checking the room…\n")
		return b.String()
	case s.err != nil:
		b.WriteString("\n" + errorBox(st, "Could not prepare the change", s.err, s.w) + "\n")
		return b.String()
	case s.plan == nil:
		return b.String()
	}
	p := s.plan
	verb, prep := "Add", "to"
	if p.Mode == bulk.ModeRemove {
		verb, prep = "Remove", "from"
	}
	if s.resuming() {
		b.WriteString(st.Bold.Render(fmt.Sprintf("%s · %s users %s %q", s.resumeInfo, strings.ToLower(verb), prep, p.Room.Name)) + "\n")
	} else {
		b.WriteString(st.Bold.Render(fmt.Sprintf("%s %s %s %q", verb, bulk.Counted(len(p.Actions), "user", "users"), prep, p.Room.Name)) + "\n")
	}
	b.WriteString(fmt.Sprintf("  members %s → %s · owners %d → %d · stream %s\n",
		bulk.Count(p.MembersBefore), bulk.Count(p.MembersAfter), p.OwnersBefore, p.OwnersAfter, p.Room.ID))
	if aside := s.setAside(); len(aside) > 0 {
		b.WriteString("  " + wrap("set aside: "+setAsideCounts(aside), s.w-2) + "\n")
	}
	pace := "none needed (500 members or fewer throughout)"
	if p.Interval > 0 && (p.MembersBefore > bulk.PaceThreshold || p.MembersAfter > bulk.PaceThreshold) {
		pace = fmt.Sprintf("one change every %s above 500 members", bulk.FormatDuration(p.Interval))
	}
	b.WriteString(fmt.Sprintf("  pace: %s · estimated %s\n", pace, bulk.FormatDuration(p.Estimate)))
	b.WriteString(truncate("  journal and report go to "+s.sh.outLabel, s.w) + "\n")
	b.WriteString(s.warningsView())
	if s.resumeInfo != nil {
		if s.resume {
			text := "An unfinished run of this list into this room was found; it continues where it stopped, and what is done is not done again."
			if n := s.resumeInfo.InFlight; n == 1 {
				text += " 1 call left without an answer is checked against the member list, not repeated."
			} else if n > 1 {
				text += fmt.Sprintf(" %d calls left without an answer are checked against the member list, not repeated.", n)
			}
			b.WriteString(st.Info.Render(wrap(text, s.w)) + "\n")
			b.WriteString(st.Muted.Render(truncate("  "+s.resumePath+" · r: start fresh instead", s.w)) + "\n")
		} else {
			b.WriteString(st.Warn.Render("Start fresh: the unfinished journal is ignored (r: resume it instead).") + "\n")
		}
	} else if s.resumeErr != nil {
		b.WriteString(st.Warn.Render(wrap("Unfinished journal: "+s.resumeErr.Error(), s.w)) + "\n")
	}
	b.WriteString("\n" + s.startLine())
	return b.String()
}

// warningsView lists every preflight warning; the jumbo one in a box nobody misses.
func (s *previewStep) warningsView() string {
	st := s.sh.styles
	var b strings.Builder
	for _, w := range s.plan.Warnings {
		if w.Code == "jumbo" {
			b.WriteString(st.JumboBox.Width(max(s.w-4, 20)).Render("JUMBO ROOM: "+w.Message) + "\n")
		}
	}
	for _, w := range s.plan.Warnings {
		if w.Code == "jumbo" {
			continue
		}
		var line string
		switch w.Level {
		case bulk.LevelBlock:
			line = st.Bad.Bold(true).Render("✗ cannot start: ") + w.Message
		case bulk.LevelWarn:
			line = st.Warn.Render("! ") + w.Message
		default:
			line = st.Muted.Render("· ") + w.Message
		}
		b.WriteString(wrap(line, s.w) + "\n")
	}
	return b.String()
}

func (s *previewStep) startLine() string {
	st := s.sh.styles
	p := s.plan
	switch {
	case s.confirming:
		verb := "add"
		if p.Mode == bulk.ModeRemove {
			verb = "remove"
		}
		if s.resuming() {
			return st.Warn.Bold(true).Render(fmt.Sprintf("Really resume now? %s · y: start · n: not yet",
				strings.TrimPrefix(s.resumeInfo.String(), "Resuming: ")))
		}
		what := fmt.Sprintf("%s %s", verb, bulk.Counted(len(p.Actions), "user", "users"))
		return st.Warn.Bold(true).Render(fmt.Sprintf("Really %s in %q now? y: start · n: not yet", what, p.Room.Name))
	case s.sh.opts.DryRun:
		return st.Info.Render("Dry run: nothing will be changed.")
	case p.Blocked():
		return st.Bad.Render("The run cannot start until the problems marked ✗ are fixed.")
	case s.resuming() && s.resumeInfo.ToGo() == 0:
		return st.Info.Render("Nothing to resume: the journal shows every user done.")
	case !s.resuming() && len(p.Actions) == 0:
		return st.Info.Render("Nothing to do: every user is set aside.")
	}
	return st.Good.Render("s: start (asks once more)")
}

// setAsideCounts is "3 already-member · 2 unknown-user", most frequent first.
func setAsideCounts(items []bulk.Item) string {
	counts := map[bulk.Outcome]int{}
	for _, it := range items {
		counts[it.Outcome]++
	}
	keys := make([]bulk.Outcome, 0, len(counts))
	for o := range counts {
		keys = append(keys, o)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, o := range keys {
		parts[i] = fmt.Sprintf("%d %s", counts[o], o)
	}
	return strings.Join(parts, " · ")
}

func outDirLabel(dir string) string {
	if dir == "" {
		dir = "."
	}
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

func (s *previewStep) setSize(w, h int) { s.w, s.h = w, h }

func (s *previewStep) help() bindings {
	k := s.sh.keys
	if s.building {
		return oneLine(k.Back)
	}
	if s.confirming {
		short := []key.Binding{k.Confirm, k.Cancel}
		return oneLine(short...)
	}
	mode := k.ToggleMode
	if s.sh.mode == bulk.ModeAdd {
		mode.SetHelp("m", "remove instead")
	} else {
		mode.SetHelp("m", "add instead")
	}
	short := []key.Binding{enabled(k.Start, s.startable()), enabled(k.Retry, s.err != nil), mode,
		enabled(k.ToggleResume, s.resumeInfo != nil), k.Back}
	return oneLine(short...)
}

func (s *previewStep) typing() bool { return false }
