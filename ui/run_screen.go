package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"roster/symphony/bulk"
)

// runScreen shows a run live: counts, progress, pace, ETA, waits, throughput
// and a table of every user's outcome. It reads the runner's events one at a
// time and ticks only while a countdown is on screen.
type runScreen struct {
	sh      *shared
	table   runTable
	spark   sparkline
	barW    int
	control *bulk.Control
	events  <-chan bulk.Event

	starting, started  bool
	closed, returned   bool
	paused, pausing    bool
	confirmAbort       bool
	aborting           bool
	totals             bulk.Totals
	interval           time.Duration
	wait               *bulk.Event // the wait on screen, if any
	tickGen            int
	ticking            bool
	stopReason         string
	summary            *bulk.Summary
	err                error
	note               string
	firstResult, lastT time.Time
	results            int
	resumedDone        int    // actions done before this run, when resuming
	resumeFrom         string // the journal resumed, "" for a fresh run
	w, h               int
}

func newRunScreen(sh *shared) *runScreen {
	return &runScreen{sh: sh, table: newRunTable(), spark: newSparkline(time.Second, 16)}
}

// start prepares the runner (journal opened or resumed) off the update loop.
func (s *runScreen) start(resumeFrom string) tea.Cmd {
	s.starting, s.resumeFrom = true, resumeFrom
	opts := bulk.RunOptions{OutDir: s.sh.opts.OutDir, Interval: s.sh.opts.Interval, Window: s.sh.opts.Window,
		ResumeFrom: resumeFrom, Control: bulk.NewControl()}
	s.control = opts.Control
	if s.sh.plan != nil {
		s.totals.Actions = len(s.sh.plan.Actions)
		s.totals.Members = s.sh.plan.MembersBefore
	}
	if s.sh.opts.OnRunStart != nil {
		s.sh.opts.OnRunStart()
	}
	return startRunCmd(s.sh.session, s.sh.plan, opts)
}

// running is true from the start until the runner has returned and its
// events are all shown.
func (s *runScreen) running() bool { return s.starting && !(s.closed && s.returned) }

// askAbort is ctrl+c during a run: ask first; a second ctrl+c confirms.
func (s *runScreen) askAbort() tea.Cmd {
	if s.confirmAbort {
		s.abort()
		return nil
	}
	if !s.aborting {
		s.confirmAbort = true
	}
	return nil
}

func (s *runScreen) abort() {
	s.confirmAbort = false
	s.aborting = true
	if s.control != nil {
		s.control.Abort()
	}
}

func (s *runScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case runStartedMsg:
		s.started = true
		s.events = msg.events
		if s.aborting { // aborted while the runner was being prepared
			s.control.Abort()
		}
		return tea.Batch(runCmd(s.sh.ctx, msg.runner), waitEventCmd(s.events))
	case runFailedMsg:
		s.err = msg.err
		s.closed, s.returned = true, true
		return s.sh.announce(runDoneMsg{})
	case runEventMsg:
		cmd := s.apply(msg.ev)
		return tea.Batch(cmd, waitEventCmd(s.events))
	case runClosedMsg:
		s.closed = true
		return s.finishIfDone()
	case runReturnedMsg:
		s.returned = true
		if msg.summary != nil && s.summary == nil {
			s.summary = msg.summary
		}
		s.err = msg.err
		if !s.closed {
			// The runner closes its channel when it returns; should it not,
			// the summary still comes.
			return tea.Tick(drainTimeout, func(time.Time) tea.Msg { return runDrainedMsg{} })
		}
		return s.finishIfDone()
	case runDrainedMsg:
		if !s.closed {
			s.closed = true
			return s.finishIfDone()
		}
		return nil
	case countdownTickMsg:
		if msg.gen != s.tickGen || s.wait == nil || !s.wait.Until.After(s.sh.now()) {
			s.ticking = false
			return nil
		}
		return countdownTick(s.tickGen)
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

func (s *runScreen) finishIfDone() tea.Cmd {
	if s.closed && s.returned {
		s.wait = nil
		return s.sh.announce(runDoneMsg{summary: s.summary})
	}
	return nil
}

// apply folds one event into the screen.
func (s *runScreen) apply(ev bulk.Event) tea.Cmd {
	if ev.Totals.Actions > 0 || ev.Kind == bulk.EventStarted {
		s.totals = ev.Totals
	}
	if ev.Interval > 0 || ev.Kind == bulk.EventStarted || ev.Kind == bulk.EventPaceWait {
		s.interval = ev.Interval
	}
	switch ev.Kind {
	case bulk.EventStarted:
		s.resumedDone = ev.Totals.Done
	case bulk.EventPaceWait:
		s.wait = nil // the pace is shown on its own line; no countdown for it
	case bulk.EventRetryWait, bulk.EventWindowWait:
		e := ev
		s.wait = &e
		if !s.ticking && e.Until.After(s.sh.now()) {
			s.ticking = true
			s.tickGen++
			return countdownTick(s.tickGen)
		}
	case bulk.EventResult:
		s.wait = nil
		if ev.Result != nil {
			s.table.add(rowOf(ev.Result))
			t := ev.Result.Time
			if t.IsZero() {
				t = s.sh.now()
			}
			if s.results == 0 {
				s.firstResult = t
			}
			s.lastT = t
			s.results++
			s.spark.add(t)
		}
	case bulk.EventPaused:
		s.paused, s.pausing = true, false
		s.wait = nil
	case bulk.EventResumed:
		s.paused = false
	case bulk.EventStopping:
		s.stopReason = ev.Message
	case bulk.EventFinished:
		s.wait = nil
		if ev.Summary != nil {
			s.summary = ev.Summary
		}
	}
	return nil
}

func (s *runScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.sh.keys
	if s.confirmAbort {
		switch {
		case key.Matches(msg, k.Confirm):
			s.abort()
		case key.Matches(msg, k.Cancel):
			s.confirmAbort = false
		}
		return nil
	}
	s.note = ""
	switch {
	case key.Matches(msg, k.Pause) && s.running() && !s.paused && s.control != nil:
		s.control.Pause()
		s.pausing = true
	case key.Matches(msg, k.Resume) && (s.paused || s.pausing) && s.control != nil:
		s.control.Resume()
		s.pausing = false
	case key.Matches(msg, k.Abort) && s.running() && !s.aborting:
		s.confirmAbort = true
	case key.Matches(msg, k.Up):
		s.table.scroll(-1)
	case key.Matches(msg, k.Down):
		s.table.scroll(1)
	case key.Matches(msg, k.PageUp):
		s.table.scroll(-max(s.table.height-1, 1))
	case key.Matches(msg, k.PageDown):
		s.table.scroll(max(s.table.height-1, 1))
	case key.Matches(msg, k.Home):
		s.table.home()
	case key.Matches(msg, k.End):
		s.table.end()
	}
	return nil
}

// drainTimeout bounds the wait for the event channel to close after the runner returned.
const drainTimeout = 2 * time.Second

// runHeaderLines is how many lines the screen shows above the table's rows
// (five status lines, a blank, the column names); one more is kept below
// for the scroll position.
const runHeaderLines = 7

func (s *runScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.table.width = w
	s.table.height = max(h-runHeaderLines-1, 1)
	s.barW = max(w-24, 10)
}

func (s *runScreen) view() string {
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(truncate(s.titleLine(), s.w) + "\n")
	b.WriteString(s.progressLine() + "\n")
	b.WriteString(truncate(s.countsLine(), s.w) + "\n")
	b.WriteString(truncate(s.paceLine(), s.w) + "\n")
	b.WriteString(truncate(s.statusLine(), s.w) + "\n")
	b.WriteString("\n")
	b.WriteString(s.table.view(st))
	if pos := s.table.position(); pos != "" {
		b.WriteString("\n" + st.Muted.Render(pos))
	}
	return b.String()
}

func (s *runScreen) titleLine() string {
	st := s.sh.styles
	verb, prep, name := "Adding", "to", ""
	if s.sh.plan != nil {
		if s.sh.plan.Mode == bulk.ModeRemove {
			verb, prep = "Removing", "from"
		}
		name = s.sh.plan.Room.Name
	}
	line := st.Bold.Render(fmt.Sprintf("%s %s %s %q", verb, plural(s.totals.Actions, "user", "users"), prep, name))
	switch {
	case s.aborting && s.running():
		line += "  " + st.Bad.Bold(true).Render("ABORTING after the call in flight…")
	case s.paused:
		line += "  " + st.Warn.Bold(true).Render("PAUSED")
	case s.pausing:
		line += "  " + st.Warn.Render("pausing after the call in flight…")
	case !s.running() && s.closed:
		line += "  " + st.Good.Render("finished")
	}
	return line
}

func (s *runScreen) progressLine() string {
	pct := 0.0
	if s.totals.Actions > 0 {
		pct = float64(s.totals.Done) / float64(s.totals.Actions)
	}
	return progressBar(s.sh.styles, s.barW, pct) + fmt.Sprintf(" %s/%s %3.0f%%", thousands(s.totals.Done), thousands(s.totals.Actions), pct*100)
}

func (s *runScreen) countsLine() string {
	st := s.sh.styles
	t := s.totals
	var parts []string
	if s.sh.plan == nil || s.sh.plan.Mode == bulk.ModeAdd {
		parts = append(parts, st.Good.Render(fmt.Sprintf("added %s", thousands(t.Added))))
	} else {
		parts = append(parts, st.Good.Render(fmt.Sprintf("removed %s", thousands(t.Removed))))
	}
	if t.Promoted > 0 {
		parts = append(parts, fmt.Sprintf("owners %s", thousands(t.Promoted)))
	}
	parts = append(parts, st.Warn.Render(fmt.Sprintf("already %s", thousands(t.Already))))
	failed := fmt.Sprintf("failed %s", thousands(t.Failed))
	if t.Failed > 0 {
		failed = st.Bad.Bold(true).Render(failed)
	}
	parts = append(parts, failed, fmt.Sprintf("pending %s", thousands(max(t.Actions-t.Done, 0))))
	if s.sh.plan != nil && len(s.sh.plan.SetAside) > 0 {
		parts = append(parts, st.Muted.Render(fmt.Sprintf("set aside %s", thousands(len(s.sh.plan.SetAside)))))
	}
	if ansi.StringWidth(strings.Join(parts, " · ")) > s.w && len(parts) > 1 {
		parts = parts[:len(parts)-1] // set aside is on the preview and the summary
	}
	optional := []string{fmt.Sprintf("members %s", thousands(t.Members))}
	line := strings.Join(parts, " · ")
	for _, o := range optional {
		if ansi.StringWidth(line+" · "+o) <= s.w {
			line += " · " + o
		}
	}
	return line
}

func (s *runScreen) paceLine() string {
	st := s.sh.styles
	pace := "pace: none needed (500 members or fewer)"
	if s.interval > 0 {
		pace = "pace: one change every " + formatDuration(s.interval)
	}
	parts := []string{pace, "ETA " + s.eta()}
	if sp := s.spark.view(); sp != "" {
		parts = append(parts, "per second "+st.Info.Render(sp))
	}
	return strings.Join(parts, " · ")
}

// eta is the remaining actions at the rate seen so far, never faster than the pace.
func (s *runScreen) eta() string {
	left := s.totals.Actions - s.totals.Done
	switch {
	case left <= 0:
		return "done"
	case s.paused:
		return "paused"
	}
	// the pace is a floor; latency and retries make the rate seen so far slower
	per := s.interval
	if s.results > 1 {
		per = max(per, s.lastT.Sub(s.firstResult)/time.Duration(s.results-1))
	}
	if per <= 0 {
		return "…"
	}
	return formatDuration(time.Duration(left) * per)
}

// statusLine is the question, the wait or the reason the run stops.
func (s *runScreen) statusLine() string {
	st := s.sh.styles
	switch {
	case s.confirmAbort:
		return st.Bad.Bold(true).Render("Abort the run? The call in flight finishes and is journaled. y: abort · n: go on")
	case s.stopReason != "":
		return st.Bad.Render("Stopping: " + s.stopReason)
	case s.note != "":
		return st.Warn.Render(s.note)
	case s.wait != nil:
		left := max(s.wait.Until.Sub(s.sh.now()).Round(time.Second), 0)
		if s.wait.Kind == bulk.EventWindowWait {
			return st.Warn.Render(fmt.Sprintf("Outside the run window: waiting %s (until %s)", formatDuration(left), s.wait.Until.Format("15:04")))
		}
		why := s.wait.Message
		if why == "" {
			why = "the pod asked to slow down"
		}
		return st.Warn.Render(fmt.Sprintf("Retrying in %s (attempt %d): %s", formatDuration(left), s.wait.Attempt, why))
	case s.starting && !s.started:
		return st.Muted.Render("Opening the journal…")
	case s.resumedDone > 0 && s.results == 0:
		return st.Info.Render(fmt.Sprintf("Resumed: %s done before are skipped.", plural(s.resumedDone, "action", "actions")))
	}
	return ""
}

func (s *runScreen) help() bindings {
	k := s.sh.keys
	if s.confirmAbort {
		short := []key.Binding{k.Confirm, k.Cancel}
		return bindings{short: short, full: [][]key.Binding{short}}
	}
	run := s.running()
	ctl := []key.Binding{
		enabled(k.Pause, run && !s.paused && !s.pausing),
		enabled(k.Resume, run && (s.paused || s.pausing)),
		enabled(k.Abort, run && !s.aborting),
	}
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End}
	abortCC := k.ForceQuit
	abortCC.SetHelp("ctrl+c", "abort (asks)")
	return bindings{short: append(ctl, k.End), full: [][]key.Binding{ctl, nav, {abortCC}}}
}

func (s *runScreen) typing() bool { return false }

// progressBar is a bar of w cells, filled to pct.
func progressBar(st Styles, w int, pct float64) string {
	full := int(pct*float64(w) + 0.5)
	full = max(0, min(full, w))
	return st.Good.Render(strings.Repeat("█", full)) + st.Muted.Render(strings.Repeat("░", w-full))
}
