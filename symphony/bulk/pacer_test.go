package bulk

import (
	"testing"
	"time"
)

func TestPacerSpacesStarts(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	p := NewPacer(3 * time.Second)
	steps := []struct {
		name   string
		now    int // ms
		paced  bool
		want   int // earliest start, ms
		starts bool
	}{
		{"the first call never waits", 0, true, 0, true},
		{"a quick reply: wait out the interval from the START", 200, true, 3000, false},
		{"the call starts on time", 3000, true, 3000, true},
		{"below the threshold nothing waits", 3100, false, 3100, true},
		{"the first paced call after an unpaced one is spaced from it", 3200, true, 6100, false},
		{"a slow reply that outlasts the interval: no wait", 9500, true, 9500, true},
		{"after a long pause: one call at once...", 60000, true, 60000, true},
		{"...and then no catch-up burst", 60001, true, 63000, false},
	}
	for _, s := range steps {
		if got := p.Next(at(s.now), s.paced); !got.Equal(at(s.want)) {
			t.Fatalf("%s: Next(%d ms) = %v ms, want %d", s.name, s.now, got.Sub(t0).Milliseconds(), s.want)
		}
		if s.starts {
			p.Started(at(s.now))
		}
	}
}

func TestPacedAndEstimate(t *testing.T) {
	tests := []struct {
		name        string
		mode        Mode
		members     int
		actions     int
		owners      int // actions that are owner-flagged adds
		wantPaced   int
		wantMinutes float64
	}{
		{"a small room is never paced", ModeAdd, 10, 200, 0, 0, 0},
		{"480 -> 1,200 pays for 700 intervals, not 720", ModeAdd, 480, 720, 0, 700, 35},
		{"the add that crosses 500 is paced", ModeAdd, 500, 1, 0, 1, 0.05},
		{"a jumbo room: every call", ModeAdd, 1100, 100, 0, 100, 5},
		{"promotions are paced too above the threshold", ModeAdd, 600, 10, 10, 20, 1},
		{"removing from 520 down to 500 is paced", ModeRemove, 520, 20, 0, 20, 1},
		{"removing below 500 is not", ModeRemove, 500, 20, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			actions := make([]Item, tt.actions)
			for i := 0; i < tt.owners; i++ {
				actions[i].Owner = true
			}
			est, pacedCalls := estimate(tt.mode, actions, tt.members, DefaultInterval, 0)
			if pacedCalls != tt.wantPaced || est.Minutes() != tt.wantMinutes {
				t.Errorf("%d paced calls, %v; want %d and %v min", pacedCalls, est, tt.wantPaced, tt.wantMinutes)
			}
		})
	}
}
