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
	status := s.statusLines()
	b.WriteString(strings.Join(status, "\n") + "\n")
	b.WriteString("\n")
	// a status of several lines takes its extra lines from the table
	t := s.table
	t.height = max(t.height-(len(status)-1), 1)
	b.WriteString(t.view(st, s.liveRow()))
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
	case s.paused():
		line += "  " + st.Warn.Bold(true).Render("PAUSED")
	case s.confirmAbort && s.holding:
		line += "  " + st.Warn.Bold(true).Render("HELD")
	case s.confirmAbort:
		line += "  " + st.Warn.Render("holding after the call in flight…")
	case s.pausing():
		line += "  " + st.Warn.Render("pausing after the call in flight…")
	case !s.running() && s.closed && s.summary != nil && s.summary.Aborted:
		line += "  " + st.Bad.Render("aborted")
	case !s.running() && s.closed && s.summary != nil && s.summary.StopReason != "":
		line += "  " + st.Warn.Render("stopped")
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
	changed := st.Good.Render(fmt.Sprintf("added %s", bulk.Count(t.Added)))
	if s.sh.plan != nil && s.sh.plan.Mode == bulk.ModeRemove {
		changed = st.Good.Render(fmt.Sprintf("removed %s", bulk.Count(t.Removed)))
	}
	failed := fmt.Sprintf("failed %s", bulk.Count(t.Failed))
	if t.Failed > 0 {
		failed = st.Bad.Bold(true).Render(failed)
	}
	var owners, aside string
	if t.Promoted > 0 {
		owners = fmt.Sprintf("owners %s", bulk.Count(t.Promoted))
	}
	if n := len(s.sh.setAside()); n > 0 {
		aside = st.Muted.Render(fmt.Sprintf("set aside %s", bulk.Count(n))) // also on the preview and the summary
	}
	// The member count always shows: it is the figure an administrator
	// watches near 500 and 1,000. The owners, then the set-aside count,
	// show when they fit.
	line := func(owners, aside string) string {
		var parts []string
		for _, p := range []string{changed, owners, st.Warn.Render(fmt.Sprintf("already %s", bulk.Count(t.Already))), failed,
			fmt.Sprintf("pending %s", bulk.Count(max(t.Actions-t.Done, 0))), aside, fmt.Sprintf("members %s", bulk.Count(t.Members))} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, " · ")
	}
	for _, l := range []string{line(owners, aside), line(owners, ""), line("", aside)} {
		if ansi.StringWidth(l) <= s.w {
			return l
		}
	}
	return line("", "")
}

func (s *runScreen) paceLine() string {
	st := s.sh.styles
	pace := "pace: none needed (500 members or fewer)"
	if s.interval > 0 {
		pace = "pace: one change every " + bulk.FormatDuration(s.interval)
	}
	line := pace
	optional := []string{"ETA " + s.eta()}
	if next := s.nextChange(); next > 0 {
		optional = []string{"next change in " + countdown(ceilSecond(next)), optional[0]}
	}
	if sp := s.spark.view(); sp != "" {
		optional = append(optional, "per second "+st.Info.Render(sp))
	}
	for _, o := range optional {
		if ansi.StringWidth(line+" · "+o) <= s.w {
			line += " · " + o
		}
	}
	return line
}

// nextChange is the time until the next paced change may start: the pace
// wait the runner reported, or, while a paced call is in flight, an
// interval from its start; 0 when there is none to show.
func (s *runScreen) nextChange() time.Duration {
	now := s.sh.now()
	switch {
	case s.next != nil:
		return s.next.Until.Sub(now)
	case s.inFlight != nil && s.interval > 0:
		return s.inFlight.Time.Add(s.interval).Sub(now)
	}
	return 0
}

// ceilSecond rounds a countdown up to whole seconds: 2.4s left shows as 3s
// and reaches 0 only when the time is up.
func ceilSecond(d time.Duration) time.Duration {
	return ((d + time.Second - 1) / time.Second) * time.Second
}

// eta is the time left at the rate seen so far, never faster than the pace,
// counting down between results.
func (s *runScreen) eta() string {
	left := s.totals.Actions - s.totals.Done
	switch {
	case left <= 0:
		return "done"
	case s.paused():
		return "paused"
	case s.holding:
		return "held"
	}
	d := s.etaAt.Sub(s.sh.now())
	if s.etaAt.IsZero() || d <= 0 {
		return "…"
	}
	return countdown(ceilSecond(d))
}

// liveRow is the call in flight as a table row, its time counting up.
func (s *runScreen) liveRow() *resultRow {
	if s.inFlight == nil || s.inFlight.Call == nil {
		return nil
	}
	c := s.inFlight.Call
	row := rowOf(&bulk.Result{Item: c.Item, Name: c.Name, Attempts: s.inFlight.Attempt})
	row.live = callVerb(c.Action)
	row.message = fmt.Sprintf("%.1f s in flight", max(s.sh.now().Sub(s.inFlight.Time), 0).Seconds())
	return &row
}

// callVerb is what a call in flight does, for its row.
func callVerb(a bulk.Action) string {
	switch a {
	case bulk.ActionRemove:
		return "removing…"
	case bulk.ActionPromote:
		return "making owner…"
	}
	return "adding…"
}

// statusMaxLines bounds the status: a reason to stop or a wait's why is
// folded to the width on up to this many lines rather than cut at the
// first, and the table gives up rows for them.
const statusMaxLines = 3

// statusLines is the status folded to the screen's width.
func (s *runScreen) statusLines() []string { return foldStatus(s.statusLine(), s.w) }

// foldStatus folds a run screen's status line to width w: at least one
// line (maybe empty), at most statusMaxLines, the last cut with "…".
func foldStatus(status string, w int) []string {
	lines := strings.Split(ansi.Wrap(status, max(w, 20), " "), "\n")
	if len(lines) > statusMaxLines {
		lines = lines[:statusMaxLines]
		lines[statusMaxLines-1] += " …"
	}
	for i, l := range lines {
		lines[i] = truncate(l, w)
	}
	return lines
}

// statusLine is the question, the wait or the reason the run stops.
func (s *runScreen) statusLine() string {
	st := s.sh.styles
	switch {
	case s.confirmAbort && s.question != "":
		return st.Bad.Bold(true).Render(s.question)
	case s.confirmAbort:
		return st.Bad.Bold(true).Render("Abort the run? No new change starts while you decide. y: abort · n: go on")
	case s.stopReason != "":
		return st.Bad.Render("Stopping: " + s.stopReason)
	case s.note != "":
		return st.Warn.Render(s.note)
	case s.wait != nil:
		left := max(s.wait.Until.Sub(s.sh.now()).Round(time.Second), 0)
		if s.wait.Kind == bulk.EventWindowWait {
			return st.Warn.Render(words.WindowWait(s.sh.opts.Window, left, words.Until(s.sh.now(), s.wait.Until)))
		}
		return st.Warn.Render(words.Waiting(s.wait.Kind, left, words.Until(s.sh.now(), s.wait.Until), s.wait.Attempt, s.wait.Message))
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
