package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// previewStep builds the plan and shows it with the job's decision and
// every preflight warning; starting needs an explicit confirmation.
type previewStep struct {
	sh     *shared
	mk     made // the session, list and room the plan is built on
	mode   bulk.Mode
	work   busy
	job    *bulk.Job
	estate *bulk.Estate // a list with a room column: the rooms' plans and the whole run's decision
	err    error
	asking []string // the questions still to answer before the run starts; the first is on screen
	scroll scroller
	w, h   int
}

func newPreviewStep(sh *shared) *previewStep {
	return &previewStep{sh: sh, mode: sh.opts.Mode, work: newBusy(), scroll: newScroller()}
}

// request is the run the options and the earlier steps ask for, as the
// headless command would ask for it with the same flags.
func (s *previewStep) request() bulk.Request {
	o := s.sh.opts
	return bulk.Request{Mode: s.mode, Interval: o.Interval, Window: o.Window, OutDir: o.OutDir,
		Resume: o.Resume, DryRun: o.DryRun, Now: s.sh.now, AllowRemovingLastOwner: o.AllowRemovingLastOwner}
}

// enter builds the plan of what the earlier steps chose.
func (s *previewStep) enter(mk made) tea.Cmd {
	s.mk = mk
	return s.build()
}

func (s *previewStep) build() tea.Cmd {
	s.job, s.estate, s.err, s.asking = nil, nil, nil, nil
	if s.mk.many {
		return s.buildEstate()
	}
	return s.work.startWith(s.sh.ctx, "Looking up every user and checking the room…", func(ctx context.Context) tea.Cmd {
		return planCmd(ctx, s.mk.session, s.mk.list, s.mk.room.Room.ID, s.request())
	})
}

func (s *previewStep) startable() bool {
	if s.estate != nil {
		return (s.estate.Decision.Startable() || s.estate.LeaveOutHelps()) && !s.sh.opts.DryRun
	}
	return s.job != nil && (s.job.Decision.Startable() || s.job.Decision.LastOwner) && !s.sh.opts.DryRun
}

// refused is the job's refusal of the run, the headless run's words: ""
// when the run may start.
func (s *previewStep) refused() string {
	if s.estate != nil {
		f := words.Wizard
		if !s.estate.LeaveOutHelps() {
			f.SkipBlocked = "" // s would offer nothing: no other room can run
		}
		if s.estate.Decision.Verdict == bulk.Blocked {
			return words.EstateBlocked(s.estate, f) // the rooms and why are listed above
		}
		return words.EstateRefusal(s.estate, f)
	}
	if s.job == nil {
		return ""
	}
	return words.Refusal(s.job.Decision, words.Wizard)
}

// resuming is true when the run will continue a journal.
func (s *previewStep) resuming() bool {
	if s.estate != nil {
		return s.estate.Resume.Auto && s.estate.Decision.Verdict != bulk.Unfinished
	}
	return s.job != nil && s.job.Decision.Resume != nil
}

// canToggleResume is true when r asks for a resume, or takes it back.
func (s *previewStep) canToggleResume() bool {
	if s.estate != nil {
		return s.estate.Decision.Verdict == bulk.Unfinished || (s.estate.Resume.Auto && s.sh.opts.Resume == bulk.ResumeChoice{})
	}
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
//
// A removal of every owner but the bot (refused without
// --allow-removing-last-owner) asks a second question; its y is the flag:
// the job decides again with it, as a second command would.
func (s *previewStep) questions() []string {
	if s.estate != nil {
		return s.estateQuestions()
	}
	qs := []string{words.StartQuestion(s.job.Plan, s.job.Decision.Resume)}
	if s.job.Decision.LastOwner {
		qs = append(qs, words.LastOwnerQuestion(s.job.Decision))
	}
	return qs
}

// confirming is true while a question is on screen.
func (s *previewStep) confirming() bool { return len(s.asking) > 0 }

func (s *previewStep) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	if answer, handled, cmd := s.work.update(msg, k); handled {
		if answer == nil {
			return cmd
		}
		msg = answer
	}
	switch msg := msg.(type) {
	case planBuiltMsg:
		s.job, s.err = msg.job, msg.err
		s.scroll.top()
		return nil
	case estatePlannedMsg:
		s.estate, s.err = msg.estate, msg.err
		s.scroll.top()
		return nil
	case busyCancelledMsg:
		return s.sh.announce(backMsg{}) // esc while building goes back
	case tea.KeyMsg:
		if s.scroll.scroll(msg, k) {
			return nil
		}
		if s.confirming() {
			switch {
			case key.Matches(msg, k.Confirm):
				s.asking = s.asking[1:]
				if !s.confirming() {
					if s.estate != nil {
						return s.startEstate()
					}
					if s.job.Decision.LastOwner {
						s.job.AllowRemovingLastOwner = true
						s.job.Decide(s.job.Resume)
					}
					if !s.job.Decision.Startable() {
						return nil // decided again (another run took the room): the refusal shows
					}
					return s.sh.announce(startRunMsg{job: s.job})
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
			if s.mode == bulk.ModeAdd {
				s.mode = bulk.ModeRemove
			} else {
				s.mode = bulk.ModeAdd
			}
			return s.build()
		case key.Matches(msg, k.ToggleResume) && s.canToggleResume() && s.estate != nil:
			s.estate.Decide(bulk.ResumeChoice{Auto: !s.estate.Resume.Auto})
		case key.Matches(msg, k.ToggleResume) && s.canToggleResume():
			// r is --resume: the job decides again, as a second command would.
			s.job.Decide(bulk.ResumeChoice{Auto: !s.job.Resume.Auto})
		case key.Matches(msg, k.Start) && s.startable():
			s.asking = s.questions()
		case key.Matches(msg, k.Retry) && s.err != nil:
			return s.build()
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
	case s.work.active():
		return "\n" + s.work.view()
	case s.err != nil:
		return "\n" + errorBox(st, "Could not prepare the change", s.err, s.w)
	case s.estate != nil:
		return s.estateContent()
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
	switch {
	case s.work.active() || s.err != nil:
		return ""
	case s.estate != nil:
		return "\n" + s.estateStartLine()
	case s.job == nil:
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

// questionLine is the first question still asked, with its answers: "y:
// start" for the start question alone, "y: yes" when another follows.
func (s *previewStep) questionLine() string {
	yes := "y: start"
	if len(s.asking) > 1 {
		yes = "y: yes"
	}
	return s.sh.styles.Warn.Bold(true).Render(wrap(s.asking[0]+" "+yes+" · n: not yet", s.w))
}

func (s *previewStep) startLine() string {
	st := s.sh.styles
	p, d := s.job.Plan, s.job.Decision
	switch {
	case s.confirming():
		return s.questionLine()
	case d.LastOwner:
		return st.Warn.Render(wrap(s.refused(), s.w))
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
	if s.work.active() {
		return s.work.help(k)
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
	if s.mode == bulk.ModeAdd {
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
