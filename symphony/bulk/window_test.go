package bulk

import (
	"strings"
	"testing"
	"time"
)

func TestParseWindow(t *testing.T) {
	tests := []struct {
		in         string
		start, end time.Duration
		err        string
	}{
		{"18:00-08:00", 18 * time.Hour, 8 * time.Hour, ""},
		{" 9:30 - 17:45 ", 9*time.Hour + 30*time.Minute, 17*time.Hour + 45*time.Minute, ""},
		{"22:00-24:00", 22 * time.Hour, 0, ""},
		{"18:00", 0, 0, "expected HH:MM-HH:MM"},
		{"25:00-08:00", 0, 0, "not a time of day"},
		{"18:00-08:60", 0, 0, "not a time of day"},
		{"6pm-8am", 0, 0, "expected HH:MM"},
		{"08:00-08:00", 0, 0, "the same time"},
		{"00:00-24:00", 0, 0, "the same time"},
	}
	for _, tt := range tests {
		w, err := ParseWindow(tt.in, false)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), tt.in)):
			t.Errorf("%q: error %v, want one naming the input and saying %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.err == "" && (w.Start != tt.start || w.End != tt.end):
			t.Errorf("%q: %v-%v", tt.in, w.Start, w.End)
		}
	}
}

func TestWindowOpenAndNext(t *testing.T) {
	night, _ := ParseWindow("18:00-08:00", false)
	nightWE, _ := ParseWindow("18:00-08:00", true)
	day, _ := ParseWindow("09:00-17:00", false)
	// 2026-11-20 is a Friday.
	at := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name string
		w    *Window
		now  time.Time
		open bool
		next time.Time
	}{
		{"night, in the evening", night, at(20, 19, 0), true, at(20, 19, 0)},
		{"night, before dawn", night, at(20, 7, 59), true, at(20, 7, 59)},
		{"night, at its end", night, at(20, 8, 0), false, at(20, 18, 0)},
		{"night, at noon", night, at(20, 12, 0), false, at(20, 18, 0)},
		{"night with weekends, Saturday noon", nightWE, at(21, 12, 0), true, at(21, 12, 0)},
		{"night with weekends, Friday noon", nightWE, at(20, 12, 0), false, at(20, 18, 0)},
		{"night without weekends, Saturday noon", night, at(21, 12, 0), false, at(21, 18, 0)},
		{"day, after it", day, at(20, 17, 0), false, at(21, 9, 0)},
		{"nil window", nil, at(20, 12, 0), true, at(20, 12, 0)},
	}
	for _, tt := range tests {
		if got := tt.w.Open(tt.now); got != tt.open {
			t.Errorf("%s: Open = %v", tt.name, got)
		}
		if got := tt.w.NextOpen(tt.now); !got.Equal(tt.next) {
			t.Errorf("%s: NextOpen = %v, want %v", tt.name, got, tt.next)
		}
	}
	dayWE, _ := ParseWindow("09:00-17:00", true)
	if got, want := dayWE.NextOpen(at(20, 18, 0)), at(21, 0, 0); !got.Equal(want) {
		t.Errorf("a weekend opens at Saturday midnight: %v, want %v", got, want)
	}
}

// TestWindowAcrossDaylightSaving: the window opens at 18:00 local time on
// the day the clocks change.
func TestWindowAcrossDaylightSaving(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	w, _ := ParseWindow("18:00-08:00", false)
	now := time.Date(2026, 10, 25, 12, 0, 0, 0, paris) // clocks went back at 03:00
	next := w.NextOpen(now)
	if next.Hour() != 18 || next.Minute() != 0 || next.Day() != 25 {
		t.Errorf("NextOpen = %v", next)
	}
}

func TestWorkingHours(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want bool
	}{
		{time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), true},   // Monday
		{time.Date(2026, 11, 23, 17, 59, 0, 0, time.UTC), true}, // Monday
		{time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 11, 23, 7, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), false}, // Saturday
	} {
		if got := WorkingHours(tt.t); got != tt.want {
			t.Errorf("%v: %v", tt.t, got)
		}
	}
}
