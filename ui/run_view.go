package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// The run screen's lines: title, progress, counts, pace and ETA, status, table.

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
	line := st.Bold.Render(fmt.Sprintf("%s %s %s %q", verb, bulk.Counted(s.totals.Actions, "user", "users"), prep, name))
	switch {
	case s.aborting && s.running():
		line += "  " + st.Bad.Bold(true).Render("ABORTING: cancelling the call…")
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
	return progressBar(s.sh.styles, s.barW, pct) + fmt.Sprintf(" %s/%s %3.0f%%", bulk.Count(s.totals.Done), bulk.Count(s.totals.Actions), pct*100)
}

func (s *runScreen) countsLine() string {
	st := s.sh.styles
	t := s.totals
	var parts []string
	if s.sh.plan == nil || s.sh.plan.Mode == bulk.ModeAdd {
		parts = append(parts, st.Good.Render(fmt.Sprintf("added %s", bulk.Count(t.Added))))
	} else {
		parts = append(parts, st.Good.Render(fmt.Sprintf("removed %s", bulk.Count(t.Removed))))
	}
	if t.Promoted > 0 {
		parts = append(parts, fmt.Sprintf("owners %s", bulk.Count(t.Promoted)))
	}
	parts = append(parts, st.Warn.Render(fmt.Sprintf("already %s", bulk.Count(t.Already))))
	failed := fmt.Sprintf("failed %s", bulk.Count(t.Failed))
	if t.Failed > 0 {
		failed = st.Bad.Bold(true).Render(failed)
	}
	parts = append(parts, failed, fmt.Sprintf("pending %s", bulk.Count(max(t.Actions-t.Done, 0))))
	if aside := s.sh.setAside(); len(aside) > 0 {
		parts = append(parts, st.Muted.Render(fmt.Sprintf("set aside %s", bulk.Count(len(aside)))))
	}
	if ansi.StringWidth(strings.Join(parts, " · ")) > s.w && len(parts) > 1 {
		parts = parts[:len(parts)-1] // set aside is on the preview and the summary
	}
	optional := []string{fmt.Sprintf("members %s", bulk.Count(t.Members))}
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
		pace = "pace: one change every " + bulk.FormatDuration(s.interval)
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
	d := s.rate.Left(left, s.interval)
	if d <= 0 {
		return "…"
	}
	return countdown(d)
}

// statusLine is the question, the wait or the reason the run stops.
func (s *runScreen) statusLine() string {
	st := s.sh.styles
	switch {
	case s.confirmAbort:
		return st.Bad.Bold(true).Render("Abort the run? The call in flight is cancelled. y: abort · n: go on")
	case s.stopReason != "":
		return st.Bad.Render("Stopping: " + s.stopReason)
	case s.note != "":
		return st.Warn.Render(s.note)
	case s.wait != nil:
		left := max(s.wait.Until.Sub(s.sh.now()).Round(time.Second), 0)
		if s.wait.Kind == bulk.EventWindowWait {
			return st.Warn.Render(fmt.Sprintf("Outside the run window: waiting %s (until %s)", countdown(left), s.wait.Until.Format("15:04")))
		}
		why := s.wait.Message
		if why == "" {
			why = "the pod asked to slow down"
		}
		return st.Warn.Render(fmt.Sprintf("Retrying in %s (attempt %d): %s", countdown(left), s.wait.Attempt, why))
	case s.starting && !s.started:
		return st.Muted.Render("Opening the journal…")
	case s.resumedDone > 0 && s.rate.Results() == 0:
		return st.Info.Render("Resuming: " + words.Progress(s.resumedDone, s.totals.Actions) + " (what is done is skipped)")
	}
	return ""
}

// progressBar is a bar of w cells, filled to pct.
func progressBar(st Styles, w int, pct float64) string {
	full := int(pct*float64(w) + 0.5)
	full = max(0, min(full, w))
	return st.Good.Render(strings.Repeat("█", full)) + st.Muted.Render(strings.Repeat("░", w-full))
}
