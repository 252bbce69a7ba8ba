package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"roster/symphony"
	"roster/symphony/bulk"
)

// truncate cuts a (possibly styled) line to w cells.
func truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }

// wrap folds a (possibly styled) text to w cells, continuation lines indented.
func wrap(s string, w int) string {
	return strings.ReplaceAll(ansi.Wrap(s, max(w-2, 10), " "), "\n", "\n  ")
}

// errorBox shows an error in place, with what to do about it.
func errorBox(st Styles, title string, err error, width int) string {
	inner := max(width-4, 20)
	text := st.Bad.Bold(true).Render(title) + "\n" + ansi.Wrap(errText(err), inner, " /")
	if hint := fixHint(err); hint != "" {
		text += "\n" + ansi.Wrap("What to do: "+hint, inner, " ")
	}
	return st.ErrorBox.Width(inner + 2).Render(text)
}

// fixHint says what to do about an error: the client's own advice, which
// names the config keys to check. The screen reads no HTTP status and
// matches no error text.
func fixHint(err error) string { return symphony.Advice(err) }

// countdown is a wait the screen counts down once a second (a retry, the
// run window, the ETA): whole seconds from 1s to a minute, so that a figure
// between two ticks is not shown more precise than it is; otherwise as
// bulk.FormatDuration prints it.
func countdown(d time.Duration) string {
	if d >= time.Second && d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Round(time.Second).Seconds()))
	}
	return bulk.FormatDuration(d)
}

// padRight pads or cuts a plain string to exactly w cells.
func padRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}
