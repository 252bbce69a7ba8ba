package bulk

import (
	"fmt"
	"strings"
	"time"
)

// The headless printer and the wizard both print counts and durations from
// a plan and a run; these are the one way both do it, so that the preview,
// the warnings and the summary never round the same figure two ways.

// Count prints n with thousands separators: 1,200.
func Count(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Counted is a count with its noun (and verb) agreeing: "1 user", "1,200 users".
func Counted(n int, one, many string) string {
	return Count(n) + " " + plural0(n, one, many)
}

// FormatDuration rounds a duration to what a person reads: 0s, 125ms,
// 7.5s, 1m05s, 3h20m. A negative duration is 0s.
func FormatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
