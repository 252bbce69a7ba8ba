package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// previewStep builds the plan and shows it with the job's decision and
// every preflight warning; starting needs an explicit confirmation.
type previewStep struct {
	sh       *shared
	spin     spinner.Model
	building bool
	gen      int // of the plan being built
	job      *bulk.Job
	err      error
	asking   []string // the questions still to answer before the run starts; the first is on screen
	scroll   scroller
	w, h     int
}

func newPreviewStep(sh *shared) *previewStep {
	return &previewStep{sh: sh, spin: spinner.New(spinner.WithSpinner(spinner.Dot)), scroll: newScroller()}
}

// request is the run the options and the earlier steps ask for, as the
// headless command would ask for it with the same flags.
func (s *previewStep) request() bulk.Request {
	o := s.sh.opts
	return bulk.Request{Mode: s.sh.mode, Interval: o.Interval, Window: o.Window, OutDir: o.OutDir,
		Resume: o.Resume, DryRun: o.DryRun, Now: s.sh.now}
}

func (s *previewStep) enter() tea.Cmd {
	s.building, s.job, s.err, s.asking = true, nil, nil, nil
	s.gen++
	s.sh.job, s.sh.plan = nil, nil
	return tea.Batch(s.spin.Tick, planCmd(s.sh.ctx, s.sh.session, s.sh.list, s.sh.room.Room.ID, s.request(), s.gen))
}

func (s *previewStep) startable() bool {
	return s.job != nil && s.job.Decision.Startable() && !s.sh.opts.DryRun
}

// refused is the job's refusal of the run, the headless run's words: ""
// when the run may start.
func (s *previewStep) refused() string {
	if s.job == nil {
		return ""
	}
	return words.Refusal(s.job.Decision, words.Wizard)
}

// resuming is true when the run will continue a journal.
func (s *previewStep) resuming() bool { return s.job != nil && s.job.Decision.Resume != nil }

// canToggleResume is true when r asks for a resume, or takes it back.
func (s *previewStep) canToggleResume() bool {
	if s.job == nil {
		return false
	}
	// r asked for the resume (no --resume flag did): r takes it back,
	// whatever came of it
	return s.job.Decision.Verdict == bulk.Unfinished || (s.job.Resume.Auto && s.sh.opts.Resume == bulk.ResumeChoice{})
}

// questions are what s asks, in order, before the run starts: the run
// itself, always (even with --yes). A plan that needs more confirmed adds
// its question after it; y answers the one on screen and shows the next,
// the last y starts, n or esc drops them all.
func (s *previewStep) questions() []string {
	return []string{words.StartQuestion(s.job.Plan, s.job.Decision.Resume)}
}

// confirming is true while a question is on screen.
func (s *previewStep) confirming() bool { return len(s.asking) > 0 }

func (s *previewStep) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case planBuiltMsg:
		if msg.gen != s.gen {
			return nil
		}
		s.building = false
		s.job, s.err = msg.job, msg.err
		s.sh.job = msg.job
		if msg.job != nil {
			s.sh.plan = msg.job.Plan
		}
		s.scroll.top()
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
		if s.scroll.scroll(msg, k) {
			return nil
		}
		if s.confirming() {
			switch {
			case key.Matches(msg, k.Confirm):
				s.asking = s.asking[1:]
				if !s.confirming() {
					return s.sh.announce(startRunMsg{})
				}
			case key.Matches(msg, k.Cancel):
				s.asking = nil
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
		case key.Matches(msg, k.ToggleResume) && s.canToggleResume():
			// r is --resume: the job decides again, as a second command would.
			s.job.Decide(bulk.ResumeChoice{Auto: !s.job.Resume.Auto})
		case key.Matches(msg, k.Start) && s.startable():
			s.asking = s.questions()
		case key.Matches(msg, k.Retry) && s.err != nil:
			return s.enter()
		}
	}
	return nil
}

// view is the step's title, the plan scrolling below it, and the start
// line or the question being asked pinned at the bottom.
func (s *previewStep) view() string {
	st := s.sh.styles
	title := st.Subtitle.Render("Step 4 · Preview: nothing has changed yet")
	return title + "\n" + s.scroll.render(st, s.content(), s.pinned(), s.w, max(s.h-1, 1))
}

// content is the plan: what changes, the pace, the warnings, the resume.
func (s *previewStep) content() string {
	st := s.sh.styles
	var b strings.Builder
	switch {
	case s.building:
		return "\n" + s.spin.View() + " Looking up every user and checking the room…"
	case s.err != nil:
		return "\n" + errorBox(st, "Could not prepare the change", s.err, s.w)
	case s.job == nil:
		return ""
	}
	p, d := s.job.Plan, s.job.Decision
	if s.resuming() {
		verb, prep := words.Direction(p.Mode)
		b.WriteString(st.Bold.Render(fmt.Sprintf("Resuming: %s · %s users %s %q", words.Resume(d.Resume), verb, prep, p.Room.Name)) + "\n")
	} else {
		b.WriteString(st.Bold.Render(capitalize(words.Change(p))) + "\n")
	}
	b.WriteString(fmt.Sprintf("  members %s → %s · owners %s → %s · stream %s\n",
		words.Count(p.MembersBefore), words.Count(p.MembersAfter), words.Count(p.OwnersBefore), words.Count(p.OwnersAfter), p.Room.ID))
	if aside := s.job.SetAside(); len(aside) > 0 {
		b.WriteString("  " + wrap("set aside: "+words.SetAside(aside), s.w-2) + "\n")
	}
	b.WriteString("  " + wrap("pace: "+words.PaceAndEstimate(p), s.w-2) + "\n")
	b.WriteString(truncate("  journal and report go to "+s.sh.outLabel, s.w) + "\n")
	b.WriteString(s.warningsView())
	if note := words.Notice(d); note != "" {
		b.WriteString(st.Info.Render(wrap(note, s.w)) + "\n")
	}
	if s.canToggleResume() && d.Resume != nil {
		b.WriteString(st.Muted.Render("  r: do not resume") + "\n")
	}
	return b.String()
}

// pinned is what never scrolls away: the question being asked, or what s
// does (or why the run cannot start), after a blank line.
func (s *previewStep) pinned() string {
	if s.building || s.err != nil || s.job == nil {
		return ""
	}
	return "\n" + s.startLine()
}

// capitalize upper-cases a sentence's first letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// warningsView lists every preflight warning; the jumbo one in a box nobody misses.
func (s *previewStep) warningsView() string {
	st := s.sh.styles
	var b strings.Builder
	for _, w := range s.job.Plan.Warnings {
		if w.Code == "jumbo" {
			b.WriteString(st.JumboBox.Width(max(s.w-4, 20)).Render(capitalize(w.Message)) + "\n")
		}
	}
	for _, w := range s.job.Plan.Warnings {
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
	p, d := s.job.Plan, s.job.Decision
	switch {
	case s.confirming():
		yes := "y: start"
		if len(s.asking) > 1 {
			yes = "y: yes"
		}
		return st.Warn.Bold(true).Render(wrap(s.asking[0]+" "+yes+" · n: not yet", s.w))
	case d.Verdict == bulk.Blocked:
		return st.Bad.Render(wrap(s.refused()+" Fix the problems marked ✗.", s.w))
	case !d.Startable() && d.Verdict != bulk.NothingToDo:
		return st.Warn.Render(wrap(s.refused(), s.w))
	case d.Verdict == bulk.NothingToDo:
		return st.Info.Render(wrap(words.NothingToDo(d, p.Mode), s.w))
	case s.sh.opts.DryRun:
		return st.Info.Render(wrap(words.DryRun, s.w))
	}
	return st.Good.Render("s: start (asks once more)")
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
	if s.confirming() {
		confirm := k.Confirm
		if len(s.asking) == 1 {
			confirm.SetHelp("y", "start")
		}
		short := []key.Binding{confirm, k.Cancel, s.scroll.help(k)}
		return bindings{short: short, full: [][]key.Binding{{confirm, k.Cancel}, s.scroll.fullHelp(k)}}
	}
	mode := k.ToggleMode
	if s.sh.mode == bulk.ModeAdd {
		mode.SetHelp("m", "remove instead")
	} else {
		mode.SetHelp("m", "add instead")
	}
	resume := k.ToggleResume
	if s.resuming() {
		resume.SetHelp("r", "do not resume")
	}
	short := []key.Binding{enabled(k.Start, s.startable()), enabled(k.Retry, s.err != nil), mode,
		enabled(resume, s.canToggleResume()), k.Back}
	return bindings{short: append(short, s.scroll.help(k)), full: [][]key.Binding{short, s.scroll.fullHelp(k)}}
}

func (s *previewStep) typing() bool { return false }
