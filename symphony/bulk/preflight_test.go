package bulk

import (
	"strings"
	"testing"
	"time"

	"roster/symphony"
)

// planOf is a plan of n adds into a room of members members (owners of them
// owners), built without a pod, as BuildPlan's last step sees it.
func planOf(mode Mode, members, owners, n int, now time.Time) *Plan {
	p := &Plan{Room: symphony.Room{Name: "R", Active: true}, Mode: mode, Interval: DefaultInterval,
		Caller: symphony.SessionInfo{UserID: 1}}
	var ms []symphony.Member
	ms = append(ms, symphony.Member{UserID: 1, Owner: true})
	for i := 1; i < members; i++ {
		ms = append(ms, symphony.Member{UserID: int64(1000 + i), Owner: i < owners})
	}
	for i := 0; i < n; i++ {
		id := int64(100000 + i)
		if mode == ModeRemove {
			id = int64(1000 + members - 1 - i)
		}
		p.Actions = append(p.Actions, Item{UserID: id, Outcome: OutcomePending})
	}
	roster := memberIndex(ms)
	p.MembersBefore, p.OwnersBefore = len(ms), roster.owners
	p.preflight(roster, now)
	return p
}

func codes(p *Plan) string {
	var cs []string
	for _, w := range p.Warnings {
		cs = append(cs, w.Code)
	}
	return strings.Join(cs, ",")
}

func TestPreflightWarnings(t *testing.T) {
	monday10 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name                  string
		mode                  Mode
		members, owners, n    int
		now                   time.Time
		want                  string
		wantAfter, ownersLeft int
	}{
		{"small room", ModeAdd, 10, 2, 5, saturdayNight, "", 15, 2},
		{"over 500", ModeAdd, 480, 2, 100, saturdayNight, "pace", 580, 2},
		{"jumbo off hours", ModeAdd, 900, 3, 200, saturdayNight, "pace,jumbo", 1100, 3},
		{"jumbo in working hours with one owner", ModeAdd, 1100, 1, 10, monday10, "pace,jumbo,working-hours,owners", 1110, 1},
		{"working hours do not matter below jumbo", ModeAdd, 10, 2, 5, monday10, "", 15, 2},
		{"one owner in a small room is only noted", ModeAdd, 10, 1, 5, saturdayNight, "owners", 15, 1},
		{"nothing to do", ModeAdd, 10, 2, 0, saturdayNight, "nothing", 10, 2},
		{"removing from a jumbo room", ModeRemove, 1200, 2, 300, saturdayNight, "pace,jumbo", 900, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planOf(tt.mode, tt.members, tt.owners, tt.n, tt.now)
			if got := codes(p); got != tt.want {
				t.Errorf("warnings %q, want %q: %+v", got, tt.want, p.Warnings)
			}
			if p.MembersAfter != tt.wantAfter || p.OwnersAfter != tt.ownersLeft {
				t.Errorf("after: %d members, %d owners", p.MembersAfter, p.OwnersAfter)
			}
			for _, w := range p.Warnings {
				if w.Code == "jumbo" && !strings.Contains(w.Message, "it has "+itoa(int64(tt.owners))+" now") {
					t.Errorf("the jumbo warning does not give the owner count: %q", w.Message)
				}
				if w.Code == "jumbo" && !strings.Contains(w.Message, "over 1,000 members") {
					t.Errorf("the jumbo warning does not write its threshold as every other count is (1,000): %q", w.Message)
				}
			}
		})
	}
}

func TestPreflightSelfRemovalIsLast(t *testing.T) {
	p := &Plan{Mode: ModeRemove, Caller: symphony.SessionInfo{UserID: 7},
		Actions: []Item{{UserID: 7}, {UserID: 8}, {UserID: 9}}}
	p.selfLast()
	if p.Actions[2].UserID != 7 || p.Actions[0].UserID != 8 || p.Actions[1].UserID != 9 {
		t.Errorf("order %+v", p.Actions)
	}
}

func TestInputHash(t *testing.T) {
	base := func() *Plan {
		return &Plan{StreamID: "room", Mode: ModeAdd,
			Actions:  []Item{{Line: 2, UserID: 10, Outcome: OutcomePending}, {Line: 4, UserID: 11, Owner: true, Outcome: OutcomePending}},
			SetAside: []Item{{Line: 3, UserID: 12, Outcome: OutcomeAlreadyMember}, {Line: 5, Outcome: OutcomeBadRow}}}
	}
	h := inputHash(base())
	progressed := base() // user 10 was added since: the plan sees them as a member
	progressed.Actions = progressed.Actions[1:]
	progressed.SetAside = append(progressed.SetAside, Item{Line: 2, UserID: 10, Outcome: OutcomeAlreadyMember})
	if inputHash(progressed) != h {
		t.Error("the hash changed as the run progressed")
	}
	for name, mutate := range map[string]func(*Plan){
		"room":  func(p *Plan) { p.StreamID = "other" },
		"mode":  func(p *Plan) { p.Mode = ModeRemove },
		"owner": func(p *Plan) { p.Actions[1].Owner = false },
		"user":  func(p *Plan) { p.Actions[0].UserID = 13 },
	} {
		p := base()
		mutate(p)
		if inputHash(p) == h {
			t.Errorf("changing the %s kept the hash", name)
		}
	}
}

// The pace warning must tell apart the time the pace itself costs and the
// estimate of the whole run: 25 calls at 5 ms are not "about 8s".
func TestPaceWarningSaysWhatItCounts(t *testing.T) {
	tests := []struct {
		name      string
		interval  time.Duration
		callTime  time.Duration
		want      []string
		notWanted []string
	}{
		{"fast pace, slow calls", 5 * time.Millisecond, 250 * time.Millisecond,
			[]string{"25 of the 30 calls", "this run makes one every 5ms", "the paced calls take at least 125ms", "whole run: about 7.5s"}, []string{"in all"}},
		{"real pace", DefaultInterval, 250 * time.Millisecond,
			[]string{"25 of the 30 calls", "the paced calls take at least " + (25 * DefaultInterval).String(), "whole run: about"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Plan{Room: symphony.Room{Name: "R", Active: true}, Mode: ModeAdd, Interval: tt.interval, CallTime: tt.callTime,
				Caller: symphony.SessionInfo{UserID: 1}, MembersBefore: 495, OwnersBefore: 2}
			for i := 0; i < 30; i++ {
				p.Actions = append(p.Actions, Item{UserID: int64(100000 + i), Outcome: OutcomePending})
			}
			p.preflight(roomMembers{owner: map[int64]bool{}}, saturdayNight)
			var msg string
			for _, w := range p.Warnings {
				if w.Code == "pace" {
					msg = w.Message
				}
			}
			if msg == "" {
				t.Fatalf("no pace warning: %+v", p.Warnings)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("pace warning %q does not contain %q", msg, w)
				}
			}
			for _, w := range tt.notWanted {
				if strings.Contains(msg, w) {
					t.Errorf("pace warning %q contains %q", msg, w)
				}
			}
		})
	}
}

// A warning's count of one takes the singular noun and verb.
func TestPreflightWarningsAgreeInNumber(t *testing.T) {
	p := &Plan{Room: symphony.Room{Name: "R", Active: true}, Mode: ModeAdd, Interval: DefaultInterval,
		Caller:     symphony.SessionInfo{UserID: 1},
		Permission: Permission{Allowed: true, Member: true, MembersCanInvite: true},
		Actions:    []Item{{UserID: 5, Owner: true, Outcome: OutcomePending}},
		SetAside:   []Item{{UserID: 6, Outcome: OutcomeExternal}}, Promotions: 1}
	ms := []symphony.Member{{UserID: 1, Owner: true}}
	for i := 0; i < 600; i++ {
		ms = append(ms, symphony.Member{UserID: int64(100 + i)})
	}
	roster := memberIndex(ms)
	p.MembersBefore, p.OwnersBefore = len(ms), 0
	p.Warnings = warnings(p, roster, saturdayNight, nil)
	var all []string
	for _, w := range p.Warnings {
		all = append(all, w.Message)
	}
	text := strings.Join(all, "\n")
	p.OwnersAfter = 1
	text += "\n" + strings.Join(func() []string {
		var out []string
		for _, w := range warnings(p, roster, saturdayNight, nil) {
			out = append(out, w.Message)
		}
		return out
	}(), "\n")
	for _, want := range []string{"1 external user is set aside", "1 user is flagged as owner, but", "the promotion will fail",
		"the room will have 1 owner;", "of the 2 calls (1 add and 1 promotion to owner) are paced"} {
		if !strings.Contains(text, want) {
			t.Errorf("the warnings lack %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"1 external users", "1 users", "owner(s)"} {
		if strings.Contains(text, bad) {
			t.Errorf("the warnings say %q:\n%s", bad, text)
		}
	}
}

// The pace warning says what Symphony asks for (3 s) and, when the run was
// told another pace, that pace beside it: never "Symphony asks for 1ms".
func TestPaceWarningSaysWhatSymphonyAsksAndWhatTheRunDoes(t *testing.T) {
	for _, tt := range []struct {
		interval  time.Duration
		want, not string
	}{
		{DefaultInterval, "Symphony asks for one change every 3s, so", "this run makes"},
		{time.Millisecond, "Symphony asks for one change every 3s; this run makes one every 1ms, so", "asks for one change every 1ms"},
		{5 * time.Second, "Symphony asks for one change every 3s; this run makes one every 5s, so", "asks for one change every 5s"},
	} {
		p := &Plan{Room: symphony.Room{Name: "R", Active: true}, Mode: ModeAdd, Interval: tt.interval, Caller: symphony.SessionInfo{UserID: 1}}
		var ms []symphony.Member
		for i := 0; i < 600; i++ {
			ms = append(ms, symphony.Member{UserID: int64(1 + i), Owner: i < 2})
		}
		p.Actions = []Item{{UserID: 100000, Outcome: OutcomePending}}
		roster := memberIndex(ms)
		p.MembersBefore, p.OwnersBefore = len(ms), roster.owners
		p.preflight(roster, saturdayNight)
		var msg string
		for _, w := range p.Warnings {
			if w.Code == "pace" {
				msg = w.Message
			}
		}
		if !strings.Contains(msg, tt.want) || strings.Contains(msg, tt.not) {
			t.Errorf("interval %v: pace warning %q; want it to say %q and not %q", tt.interval, msg, tt.want, tt.not)
		}
	}
}

// planIn is planOf with a run window.
func planIn(w *Window, members, n int, now time.Time) *Plan {
	p := planOf(ModeAdd, members, 2, n, now)
	p.Window = w
	ms := []symphony.Member{{UserID: 1, Owner: true}}
	for i := 1; i < members; i++ {
		ms = append(ms, symphony.Member{UserID: int64(1000 + i), Owner: i < 2})
	}
	p.preflight(memberIndex(ms), now)
	return p
}

// A run window counts in the estimate: the wait until it opens, and the
// nights the run waits through when it is longer than the window.
func TestPreflightEstimateCountsTheRunWindow(t *testing.T) {
	monday10 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	night, err := ParseWindow("18:00-08:00", false)
	if err != nil {
		t.Fatal(err)
	}
	// 1,200 adds into a jumbo room: 1 hour of work at 3 s a change
	p := planIn(night, 1100, 1200, monday10)
	if p.WindowWait != 8*time.Hour || p.Estimate != 9*time.Hour {
		t.Errorf("window wait %v, estimate %v; want 8h and 9h", p.WindowWait, p.Estimate)
	}
	if strings.Contains(codes(p), "working-hours") {
		t.Errorf("a run kept out of working hours by its window is warned about them: %+v", p.Warnings)
	}
	// without the window the same run starts now, in working hours
	p = planIn(nil, 1100, 1200, monday10)
	if p.WindowWait != 0 || p.Estimate != time.Hour || !strings.Contains(codes(p), "working-hours") {
		t.Errorf("no window: wait %v, estimate %v, warnings %s", p.WindowWait, p.Estimate, codes(p))
	}
	// a one-hour window and 90 minutes of work: two evenings
	short, _ := ParseWindow("22:00-23:00", false)
	p = planIn(short, 1100, 1800, monday10)
	if want := 12*time.Hour + 24*time.Hour + 30*time.Minute; p.Estimate != want || p.WindowWait != want-90*time.Minute {
		t.Errorf("estimate %v, wait %v; want %v", p.Estimate, p.WindowWait, want)
	}
}

// A run that starts off hours but runs into them is warned about, with the
// moment it reaches them; one that stays off hours is not.
func TestPreflightWarnsOfWorkingHoursTheRunReaches(t *testing.T) {
	monday7 := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	p := planIn(nil, 1100, 1800, monday7) // 90 minutes: until 08:30
	var msg string
	for _, w := range p.Warnings {
		if w.Code == "working-hours" {
			msg = w.Message
		}
	}
	if !strings.Contains(msg, "the run will still be going in working hours (from Mon 08:00") {
		t.Errorf("working-hours warning %q", msg)
	}
	p = planIn(nil, 1100, 600, monday7) // 30 minutes: done by 07:30
	if strings.Contains(codes(p), "working-hours") {
		t.Errorf("a run done before 08:00 is warned about working hours: %+v", p.Warnings)
	}
	// a weekend window that opens on Saturday: no warning on a Friday afternoon
	friday15 := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	weekend, _ := ParseWindow("20:00-06:00", true)
	p = planIn(weekend, 1100, 600, friday15)
	if strings.Contains(codes(p), "working-hours") || p.WindowWait != 5*time.Hour {
		t.Errorf("weekend window: wait %v, warnings %s", p.WindowWait, codes(p))
	}
}

func TestWindowNextClose(t *testing.T) {
	night, _ := ParseWindow("18:00-08:00", true)
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	tests := []struct{ now, want time.Time }{
		{at(23, 20), at(24, 8)},  // Monday night: Tuesday 08:00
		{at(23, 10), at(23, 10)}, // closed now
		{at(21, 12), at(23, 8)},  // Saturday: open all weekend, until Monday 08:00
		{at(27, 19), at(30, 8)},  // Friday night runs into the weekend
	}
	for _, tt := range tests {
		if got := night.NextClose(tt.now); !got.Equal(tt.want) {
			t.Errorf("NextClose(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}
