package bulk

import (
	"fmt"
	"strings"
	"time"

	"roster/symphony"
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

// RoomSettings are the settings of a room that bear on a change, in words:
// public or private, then those that are on of "external users allowed",
// "members can invite" and "read-only".
func RoomSettings(r symphony.Room) []string {
	s := []string{"private"}
	if r.Public {
		s[0] = "public"
	}
	if r.CrossPod {
		s = append(s, "external users allowed")
	}
	if r.MembersCanInvite {
		s = append(s, "members can invite")
	}
	if r.ReadOnly {
		s = append(s, "read-only")
	}
	return s
}
