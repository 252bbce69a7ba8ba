package bulk

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseWindow parses "HH:MM-HH:MM". The end may be before the start: the
// window then runs over midnight ("18:00-08:00"). "24:00" is accepted as an
// end. A window whose start and end are equal is refused, since it could
// mean all day or never.
func ParseWindow(s string, weekends bool) (*Window, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return nil, fmt.Errorf("run window %q: expected HH:MM-HH:MM, e.g. 18:00-08:00", s)
	}
	start, err := parseClock(from, false)
	if err != nil {
		return nil, fmt.Errorf("run window %q: start: %w", s, err)
	}
	end, err := parseClock(to, true)
	if err != nil {
		return nil, fmt.Errorf("run window %q: end: %w", s, err)
	}
	if start == end || (start == 0 && end == 24*time.Hour) {
		return nil, fmt.Errorf("run window %q: the start and the end are the same time; leave the window out to run at any time", s)
	}
	if end == 24*time.Hour {
		end = 0
	}
	return &Window{Start: start, End: end, Weekends: weekends}, nil
}

// parseClock reads "HH:MM" (or "H:MM") as a duration since midnight.
func parseClock(s string, end bool) (time.Duration, error) {
	s = strings.TrimSpace(s)
	hh, mm, ok := strings.Cut(s, ":")
	h, errH := strconv.Atoi(hh)
	m, errM := strconv.Atoi(mm)
	if !ok || errH != nil || errM != nil || len(mm) != 2 || len(hh) == 0 || len(hh) > 2 {
		return 0, fmt.Errorf("%q is not a time of day; expected HH:MM", s)
	}
	if h == 24 && m == 0 && end {
		return 24 * time.Hour, nil
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("%q is not a time of day (00:00 to 23:59)", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// String prints the window as it was written.
func (w *Window) String() string {
	if w == nil {
		return "any time"
	}
	s := ClockText(w.Start) + "-" + ClockText(w.End)
	if w.Weekends {
		s += " and all weekend"
	}
	return s
}

// ClockText is a time of day given as the time since midnight, HH:MM; a
// window's end at midnight is 24:00.
func ClockText(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// Open reports whether t (in its own location) is inside the window. A nil
// window is always open.
func (w *Window) Open(t time.Time) bool {
	if w == nil {
		return true
	}
	if w.Weekends {
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return true
		}
	}
	tod := sinceMidnight(t)
	if w.Start < w.End {
		return tod >= w.Start && tod < w.End
	}
	return tod >= w.Start || tod < w.End
}

// NextOpen is the first time at or after t when the window is open: t
// itself when it is open now.
func (w *Window) NextOpen(t time.Time) time.Time {
	if w.Open(t) {
		return t
	}
	if next := w.firstAfter(t, true); !next.IsZero() {
		return next
	}
	return t // unreachable for a valid window
}

// firstAfter is the first moment after t at which the window turns open (or
// closed): its daily start (end) or, with weekends, the midnight that begins
// a Saturday (ends a Sunday). Dates are built with time.Date so that a
// daylight-saving change moves the clock time, not the answer. The zero
// time when there is none within nine days.
func (w *Window) firstAfter(t time.Time, open bool) time.Time {
	clock, edge := w.Start, time.Saturday
	if !open {
		clock, edge = w.End, time.Monday
	}
	y, mo, d := t.Date()
	best := time.Time{}
	for day := 0; day <= 8; day++ {
		midnight := time.Date(y, mo, d+day, 0, 0, 0, 0, t.Location())
		candidates := []time.Time{atClock(midnight, clock)}
		if w.Weekends && midnight.Weekday() == edge {
			candidates = append(candidates, midnight)
		}
		for _, c := range candidates {
			if c.After(t) && w.Open(c) == open && (best.IsZero() || c.Before(best)) {
				best = c
			}
		}
		if !best.IsZero() {
			return best
		}
	}
	return time.Time{}
}

// atClock is the wall-clock time d after midnight on midnight's day.
func atClock(midnight time.Time, d time.Duration) time.Time {
	return time.Date(midnight.Year(), midnight.Month(), midnight.Day(),
		int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second), int(d%time.Second),
		midnight.Location())
}

func sinceMidnight(t time.Time) time.Duration {
	h, m, s := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second +
		time.Duration(t.Nanosecond())
}

// NextClose is the first time after t when the window is closed: t itself
// when it is closed now; the zero time for a nil window, which never closes.
func (w *Window) NextClose(t time.Time) time.Time {
	if w == nil {
		return time.Time{}
	}
	if !w.Open(t) {
		return t
	}
	return w.firstAfter(t, false)
}

// Span is a stretch of time the run works in: from Start to End.
type Span struct{ Start, End time.Time }

// Schedule lays work (the run's own time, waits for the pace included) from
// now into the window: the spans it works in, in order. A nil window is one
// span from now. Waits for the window to open are the gaps between spans.
func (w *Window) Schedule(now time.Time, work time.Duration) []Span {
	if w == nil || work <= 0 {
		return []Span{{now, now.Add(max(work, 0))}}
	}
	var spans []Span
	t, left := now, work
	for i := 0; left > 0 && i < 1000; i++ { // 1000 open spans: years of work
		t = w.NextOpen(t)
		end := t.Add(left)
		if c := w.NextClose(t); !c.IsZero() && c.Before(end) {
			end = c
		}
		spans = append(spans, Span{t, end})
		left -= end.Sub(t)
		t = end
	}
	return spans
}

// FirstWorkingHour is the first moment of working hours (Monday to Friday,
// 08:00-18:00 in t's location) at or after t.
func FirstWorkingHour(t time.Time) time.Time {
	if WorkingHours(t) {
		return t
	}
	y, mo, d := t.Date()
	for day := 0; day <= 7; day++ {
		c := time.Date(y, mo, d+day, 8, 0, 0, 0, t.Location())
		if c.After(t) && WorkingHours(c) {
			return c
		}
	}
	return t // unreachable
}
