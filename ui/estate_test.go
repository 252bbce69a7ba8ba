package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// estateRoom is one room of a synthetic estate.
type estateRoom struct {
	name            string
	before, actions int
	blocked         string // a block's message: the room cannot run
	err             error  // the room could not be resolved or planned
}

// demoEstate is four rooms as the demo's multi-room list names them: a
// jumbo room (paced), a room crossing 500 (paced), a small room, and a
// deactivated room that cannot run.
var demoEstate = []estateRoom{
	{name: "All Staff Announcements", before: 1200, actions: 30},
	{name: "Credit Research", before: 480, actions: 40},
	{name: "Rates Desk EMEA", before: 12, actions: 20},
	{name: "Project Falcon (archived)", before: 10, actions: 6, blocked: "the room is deactivated: reactivate it first, or leave it out"},
}

// syntheticEstate is an estate as EstateRequest.Plan would make it, for
// screen tests: each room's plan and decision, and the whole run's.
func syntheticEstate(rooms []estateRoom) *bulk.Estate {
	e := &bulk.Estate{EstateRequest: bulk.EstateRequest{Request: bulk.Request{Mode: bulk.ModeAdd, OutDir: "/nonexistent/roster-out"}},
		List: &csvsource.List{Path: "estate.csv", Rooms: []string{}}}
	line := 2
	for i, r := range rooms {
		l := &bulk.Lane{Index: i, Given: r.name, Line: line, StreamID: fmt.Sprintf("room%02dSTREAMidAAAAAAAAAA", i)}
		e.List.Rooms = append(e.List.Rooms, r.name)
		if r.err != nil {
			l.Err, l.StreamID = r.err, ""
			e.Lanes = append(e.Lanes, l)
			continue
		}
		p := syntheticPlan(r.actions)
		p.Room = symphony.Room{ID: l.StreamID, Name: r.name, Active: r.blocked == ""}
		p.StreamID = l.StreamID
		p.MembersBefore, p.MembersAfter = r.before, r.before+r.actions
		p.Interval = 3 * time.Second
		p.Estimate = time.Duration(r.actions) * time.Second
		if p.MembersAfter > bulk.PaceThreshold {
			p.Estimate = time.Duration(r.actions) * 3 * time.Second
			p.PacedCalls = r.actions
			p.Warnings = append(p.Warnings, bulk.Warning{Level: bulk.LevelWarn, Code: "pace",
				Message: fmt.Sprintf("the room has (or will have) more than 500 members: one change every 3s, so %d calls are paced", r.actions)})
		}
		if r.before > 1000 {
			p.Warnings = append(p.Warnings, bulk.Warning{Level: bulk.LevelWarn, Code: "jumbo", Message: "a jumbo room (over 1,000 members): run off hours"})
		}
		if r.blocked != "" {
			p.Warnings = append(p.Warnings, bulk.Warning{Level: bulk.LevelBlock, Code: "deactivated", Message: r.blocked})
		}
		for j := range p.Actions {
			p.Actions[j].Line = int32(line + j)
		}
		line += r.actions
		j := jobFor(p)
		j.OutDir = e.OutDir
		l.Job = j
		e.Lanes = append(e.Lanes, l)
	}
	e.Decide(bulk.ResumeChoice{})
	return e
}

// atEstatePreview puts a wizard on the preview of an estate run.
func atEstatePreview(t *testing.T, m *Model) {
	t.Helper()
	session := &Session{Config: &symphony.Config{BotUsername: "roster-bot"}, Caller: &symphony.SessionInfo{UserID: 7, Username: "roster-bot"}}
	m.made = made{session: session, list: &csvsource.List{Path: "estate.csv", Rooms: []string{"a", "b"}}, many: true}
	m.preview.mk = m.made
	m.step = stepPreview
	m.layout()
}

// lanesAt puts a wizard on the lanes screen of a started estate run, its
// events given by hand.
func lanesAt(t *testing.T, m *Model, e *bulk.Estate) *lanesScreen {
	t.Helper()
	atEstatePreview(t, m)
	m.preview.estate = e
	m.sh.estate = e
	m.screens[stepRun] = m.lanes
	m.step = stepRun
	ls := m.lanes
	ls.sh.opts.OnRunStart = nil
	ls.start() // the command that would start the runner is not run
	ls.started = true
	m.layout()
	return ls
}

// laneEvents feeds a room's events to the wizard.
func laneEvents(m *Model, lane int, evs ...bulk.Event) {
	for _, ev := range evs {
		ev.Lane = lane
		m.Update(runEventMsg{ev: ev})
	}
}

// laneResults is a room's first n results, added, with the room's totals.
func laneResults(e *bulk.Estate, lane, n int, start time.Time) []bulk.Event {
	p := e.Lanes[lane].Job.Plan
	tot := bulk.Totals{Actions: len(p.Actions), Members: p.MembersBefore}
	evs := []bulk.Event{{Kind: bulk.EventStarted, Time: start, Totals: tot, Interval: paceOf(p)}}
	for i := 0; i < n; i++ {
		tot.Done++
		tot.Added++
		tot.Members++
		at := start.Add(time.Duration(i+1) * time.Second)
		r := &bulk.Result{Time: at, Index: i, Item: p.Actions[i], Outcome: bulk.OutcomeAdded, Status: 200, Message: "Member added", Attempts: 1}
		evs = append(evs, bulk.Event{Kind: bulk.EventResult, Time: at, Result: r, Totals: tot, Interval: paceOf(p)})
	}
	return evs
}

func paceOf(p *bulk.Plan) time.Duration {
	if p.MembersAfter > bulk.PaceThreshold {
		return p.Interval
	}
	return 0
}

// The estate preview: a table of rooms with the pace and estimate of each,
// the run's estimate beside one after another, the blocked room named with
// why, and the question to leave it out after the start question.
func TestEstatePreviewTableAndLeaveOutQuestion(t *testing.T) {
	m := newSized(t, Options{OutDir: "/srv/roster-out"}, 80, 24)
	atEstatePreview(t, m)
	e := syntheticEstate(demoEstate)
	m.Update(estatePlannedMsg{estate: e})
	v := m.render()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "[Rooms]"[1:6], "Add 90 users to 3 rooms", "estimate: about 2m00s with the rooms side by side (the slowest room)", "against 3m50s one room",
		"ROOM", "MEMBERS", "All Staff Announcements", "1,200 -> 1,230", "jumbo", "Credit Research", "480 -> 520", "Rates Desk EMEA", "none",
		"✗ Project Falcon (archived)", "cannot run")
	if e.Decision.Verdict != bulk.Blocked || !e.LeaveOutHelps() {
		t.Fatalf("decision %+v", e.Decision)
	}
	// the reason is in the scrolled content
	if !strings.Contains(m.preview.content(), `"Project Falcon (archived)" cannot run: the room is deactivated`) {
		t.Fatalf("the blocked room's why is missing:\n%s", m.preview.content())
	}
	if code := m.ExitCode(); code != bulk.ExitInput {
		t.Fatalf("quitting at a blocked estate exits %d, want 2", code)
	}
	press(t, m, "s")
	mustContain(t, m.render(), "Really add 90 users to 3 rooms now? y: yes")
	// n keeps the run blocked
	press(t, m, "y", "n")
	if e.SkipBlocked || e.Decision.Verdict != bulk.Blocked || m.step != stepPreview {
		t.Fatalf("n to leaving out: skip %v, %+v, step %v", e.SkipBlocked, e.Decision, m.step)
	}
	press(t, m, "s", "y")
	mustContain(t, m.render(), `Also: leave out the 1 room that cannot run ("Project Falcon (archived)")?`)
	// the last y starts the run (its command is not run: the synthetic
	// rooms have no pod)
	m.Update(keyMsg("y"))
	if !e.SkipBlocked || e.Decision.Verdict != bulk.Ready || !e.Lanes[3].Skipped {
		t.Fatalf("y to leaving out: skip %v, %+v", e.SkipBlocked, e.Decision)
	}
	if m.sh.estate != e || m.step != stepRun || m.active() != screen(m.lanes) {
		t.Fatalf("the run did not start after the last y (step %v)", m.step)
	}
}

// A room of the list that cannot be found is a room that cannot run, named
// with the job's reason; with no room that can run, nothing is offered.
func TestEstatePreviewWithNoRoomThatCanRun(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atEstatePreview(t, m)
	e := syntheticEstate([]estateRoom{{name: "Nowhere", err: errors.New(`no room the bot can see is named "Nowhere"`)},
		{name: "Project Falcon (archived)", before: 10, actions: 3, blocked: "the room is deactivated"}})
	m.Update(estatePlannedMsg{estate: e})
	v := m.render()
	mustContain(t, v, "The run cannot start: 2 rooms cannot run", "Nothing was changed.")
	mustNotContain(t, v, "s: start", "press s")
	press(t, m, "s")
	if m.preview.confirming() {
		t.Fatal("s asks although no room can run")
	}
}

func TestGoldenEstatePreview(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			m := newSized(t, Options{OutDir: "/srv/roster-out", Banner: "DEMO: simulated pod, pace sped up 100x"}, sz.w, sz.h)
			atEstatePreview(t, m)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			tm.Send(estatePlannedMsg{estate: syntheticEstate(demoEstate)})
			waitScreen(t, tm, "cannot run")
			tm.Send(keyMsg("s"))
			waitScreen(t, tm, "Really add 90 users")
			fm := finalGolden(t, tm)
			checkFits(t, fm.render(), sz.w, sz.h)
		})
	}
}

// The lanes view folds each room's events into its line: queued until the
// room starts, running with its progress, pace and members, waiting with
// why, paused, held, done, stopped, aborted; the rooms that do not run say
// why not.
func TestLanesViewStatePerEvent(t *testing.T) {
	m := newSized(t, Options{}, 120, 40)
	e := syntheticEstate(demoEstate)
	e.SkipBlocked = true
	e.Decide(bulk.ResumeChoice{})
	ls := lanesAt(t, m, e)
	state := func(i int) string { return ls.laneState(ls.lanes[i]) }
	for i, want := range []string{"queued", "queued", "queued", "left out"} {
		if got := state(i); got != want {
			t.Fatalf("room %d before any event: %q, want %q", i, got, want)
		}
	}
	laneEvents(m, 0, laneResults(e, 0, 5, fixedNow)...)
	if state(0) != "running" || ls.lanes[0].run.totals.Done != 5 {
		t.Fatalf("room 0 after 5 results: %q, %+v", state(0), ls.lanes[0].run.totals)
	}
	mustContain(t, m.render(), "5/30", "1,205", "3s", "running", "queued", "left out")
	laneEvents(m, 1, bulk.Event{Kind: bulk.EventStarted, Totals: bulk.Totals{Actions: 40, Members: 480}},
		bulk.Event{Kind: bulk.EventRetryWait, Until: fixedNow.Add(5 * time.Second), Attempt: 2, Message: "HTTP 429"})
	if state(1) != "waiting (retry)" {
		t.Fatalf("room 1 in a retry wait: %q", state(1))
	}
	laneEvents(m, 1, bulk.Event{Kind: bulk.EventWindowWait, Until: fixedNow.Add(time.Hour)})
	if state(1) != "waiting (run window)" {
		t.Fatalf("room 1 outside the window: %q", state(1))
	}
	laneEvents(m, 2, bulk.Event{Kind: bulk.EventStarted, Totals: bulk.Totals{Actions: 20, Members: 12}},
		bulk.Event{Kind: bulk.EventStopping, Message: "the room was deactivated during the run"},
		bulk.Event{Kind: bulk.EventFinished, Summary: &bulk.Summary{StopReason: "the room was deactivated during the run", Totals: bulk.Totals{Actions: 20}}})
	if state(2) != "stopped" {
		t.Fatalf("room 2 stopped: %q", state(2))
	}
	mustContain(t, m.render(), "Stopping: Rates Desk EMEA: the room was deactivated")
	// P on room 0 pauses it only
	press(t, m, "P")
	if !ls.control.Lane(0).Paused() || ls.control.Lane(1).Paused() {
		t.Fatal("P did not pause the selected room only")
	}
	if state(0) != "pausing…" {
		t.Fatalf("room 0 after P, before the runner holds: %q", state(0))
	}
	laneEvents(m, 0, bulk.Event{Kind: bulk.EventPaused})
	if state(0) != "paused" {
		t.Fatalf("room 0 after its pause: %q", state(0))
	}
	press(t, m, "R")
	laneEvents(m, 0, bulk.Event{Kind: bulk.EventResumed})
	if state(0) != "running" || ls.control.Lane(0).Paused() {
		t.Fatalf("room 0 after R: %q", state(0))
	}
	// x holds every room while it asks; n lets them go on
	press(t, m, "x")
	for i := 0; i < 3; i++ {
		if !ls.control.Lane(i).Held() {
			t.Fatalf("room %d not held while the abort question is up", i)
		}
	}
	laneEvents(m, 0, bulk.Event{Kind: bulk.EventPaused})
	mustContain(t, m.render(), "Abort the run? Every room holds", "HELD")
	if state(0) != "held" {
		t.Fatalf("room 0 held: %q", state(0))
	}
	press(t, m, "n")
	laneEvents(m, 0, bulk.Event{Kind: bulk.EventResumed})
	if ls.control.Lane(0).Held() || state(0) != "running" {
		t.Fatalf("after n: held %v, %q", ls.control.Lane(0).Held(), state(0))
	}
	// X on room 1 asks about it alone and holds it alone; y aborts it
	press(t, m, "down", "X")
	if !ls.control.Lane(1).Held() || ls.control.Lane(0).Held() {
		t.Fatal("X holds the selected room only")
	}
	mustContain(t, m.render(), `Abort the room "Credit Research"?`)
	press(t, m, "y")
	if !ls.control.Lane(1).Aborted() || ls.control.Lane(0).Aborted() {
		t.Fatal("y to X aborts the selected room only")
	}
	laneEvents(m, 1, bulk.Event{Kind: bulk.EventFinished, Summary: &bulk.Summary{Aborted: true, Totals: bulk.Totals{Actions: 40}}})
	laneEvents(m, 0, laneResults(e, 0, 30, fixedNow)[6:]...)
	laneEvents(m, 0, bulk.Event{Kind: bulk.EventFinished, Summary: &bulk.Summary{Totals: bulk.Totals{Actions: 30, Done: 30, Added: 30}}})
	for i, want := range []string{"done", "aborted", "stopped", "left out"} {
		if got := state(i); got != want {
			t.Fatalf("room %d at the end: %q, want %q", i, got, want)
		}
	}
	checkFits(t, m.render(), 120, 40)
}

// enter opens the selected room's own screen, its table fed by that room's
// events only; esc goes back to every room.
func TestLanesEnterOpensTheRoomsTableAndEscGoesBack(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	e := syntheticEstate(demoEstate[:3])
	ls := lanesAt(t, m, e)
	laneEvents(m, 0, laneResults(e, 0, 4, fixedNow)...)
	laneEvents(m, 1, laneResults(e, 1, 7, fixedNow)...)
	press(t, m, "down", "enter")
	if !ls.open || ls.selected != 1 {
		t.Fatalf("enter: open %v, room %d", ls.open, ls.selected)
	}
	v := m.render()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "Room 2 of 3", `Adding 40 users to "Credit Research"`, "7/40", "LINE", "USER", "esc all rooms")
	if n := len(ls.lanes[1].run.table.rows); n != 7 {
		t.Fatalf("the room's table has %d rows, want its 7 results", n)
	}
	// the first room's users (lines 2 to 31) are not in it
	for _, r := range ls.lanes[1].run.table.rows {
		if r.line < 32 {
			t.Fatalf("the second room's table has line %d, of the first room", r.line)
		}
	}
	press(t, m, "esc")
	if ls.open {
		t.Fatal("esc did not go back to every room")
	}
	mustContain(t, m.render(), "ROOM", "All Staff Announcements", "Rates Desk EMEA", "p pause", "P pause room")
}

// At 80x24 nothing is cut: with more rooms than lines the rooms scroll, the
// cursor stays on screen, and the help shows both the whole run's keys and
// the room's.
func TestLanesScrollAt80x24(t *testing.T) {
	m := newSized(t, Options{Banner: "DEMO: simulated pod"}, 80, 24)
	var rooms []estateRoom
	for i := 0; i < 30; i++ {
		rooms = append(rooms, estateRoom{name: fmt.Sprintf("Desk %02d", i), before: 100 * i, actions: 10 + i})
	}
	ls := lanesAt(t, m, syntheticEstate(rooms))
	v := m.render()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "Desk 00", "rooms 1-", "of 30", "p pause", "P pause room")
	for i := 0; i < 29; i++ {
		press(t, m, "down")
	}
	v = m.render()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "› Desk 29", "of 30")
	mustNotContain(t, v, "Desk 00")
	if ls.selected != 29 {
		t.Fatalf("selected %d", ls.selected)
	}
}

// TestGoldenLanesView is the lanes view mid-run at 80x24 and 120x40: a
// jumbo room paced and a room waiting to retry, a small room done, a room
// queued, a room left out; the clock is the test's.
func TestGoldenLanesView(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			clock := &fakeClock{t: fixedNow}
			m := newSized(t, Options{Now: clock.now, Banner: "DEMO: simulated pod, pace sped up 100x"}, sz.w, sz.h)
			rooms := append([]estateRoom{}, demoEstate...)
			rooms = append(rooms[:3], estateRoom{name: "Credit Trading NY", before: 300, actions: 25}, rooms[3])
			e := syntheticEstate(rooms)
			e.SkipBlocked = true
			e.EstateRequest.Lanes = 3
			e.Decide(bulk.ResumeChoice{})
			ls := lanesAt(t, m, e)
			ch := make(chan bulk.Event, 256)
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			tm.Send(runStartedMsg{runner: make(heldRunner, 1), control: ls.control, events: ch})
			send := func(lane int, evs ...bulk.Event) {
				for _, ev := range evs {
					ev.Lane = lane
					ch <- ev
				}
			}
			first := laneResults(e, 0, 12, fixedNow)
			send(0, first...)
			send(1, laneResults(e, 1, 8, fixedNow)...)
			send(1, bulk.Event{Kind: bulk.EventRetryWait, Time: fixedNow.Add(9 * time.Second), Until: fixedNow.Add(20 * time.Second), Attempt: 2, Message: "HTTP 429: Too many requests"})
			done := laneResults(e, 2, 20, fixedNow)
			send(2, done...)
			last := done[len(done)-1].Totals
			send(2, bulk.Event{Kind: bulk.EventFinished, Summary: &bulk.Summary{Totals: last}})
			clock.set(fixedNow.Add(12 * time.Second))
			send(0, bulk.Event{Kind: bulk.EventPaceWait, Time: fixedNow.Add(12 * time.Second), Until: fixedNow.Add(14 * time.Second), Interval: 3 * time.Second, Totals: first[len(first)-1].Totals})
			waitScreen(t, tm, "12/30", "waiting (retry)", "done")
			fm := finalGolden(t, tm)
			v := fm.render()
			checkFits(t, v, sz.w, sz.h)
			mustContain(t, v, "Adding 115 users to 4 rooms", "40/115", "1 running", "1 waiting", "1 done", "1 queued", "1 left out",
				"All Staff Announcements", "1,212", "queued", "left out")
		})
	}
}

// estateWorld is the demo world with a list naming three of its rooms, n
// users each, by their exact names.
func estateWorld(t *testing.T, opts podsim.Options, n int) (*podWorld, [][]podsim.User) {
	t.Helper()
	w := startPod(t, opts, 0)
	d := w.Demo
	rooms := []string{d.Jumbo, d.Medium, d.Small}
	var b strings.Builder
	b.WriteString("user,room\n")
	users := make([][]podsim.User, len(rooms))
	for r, id := range rooms {
		name := w.Room(t, id).Name
		users[r] = d.Candidates[r*n : (r+1)*n]
		for _, u := range users[r] {
			fmt.Fprintf(&b, "%d,%s\n", u.ID, name)
		}
	}
	w.csv = filepath.Join(w.Dir, "flow-rooms.csv")
	if err := os.WriteFile(w.csv, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return w, users
}

// walkToEstatePreview drives the wizard from the config to the estate's preview.
func walkToEstatePreview(t *testing.T, tm *teatest.TestModel, alsoOnPreview ...string) {
	t.Helper()
	waitScreen(t, tm, "config.json")
	tm.Send(keyMsg("enter"))
	waitScreen(t, tm, "flow-rooms.csv")
	tm.Send(keyMsg("enter"))
	waitScreen(t, tm, "users to consider", "(the room column)")
	tm.Send(keyMsg("enter"))
	waitScreen(t, tm, append([]string{"ROOM", "side by side"}, alsoOnPreview...)...)
}

// TestFlowEstatePauseOneRoomAgainstPodsim: P on the selected room pauses
// it alone; the pod counts no call for its users while the other rooms'
// calls go on; R lets it finish, and every user of every room is added
// exactly once.
func TestFlowEstatePauseOneRoomAgainstPodsim(t *testing.T) {
	const interval = 20 * time.Millisecond
	w, users := estateWorld(t, podsim.Options{PaceGap: interval, Latency: 25 * time.Millisecond}, 40)
	opts := w.options()
	opts.Interval = interval
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(120, 40))
	walkToEstatePreview(t, tm, "All Staff Announcements", "Credit Research", "Rates Desk EMEA", "s: start")
	start(tm)
	waitScreen(t, tm, "Adding 120 users to 3 rooms", "running")
	tm.Type("P") // the cursor is on the first room: the jumbo one
	waitScreen(t, tm, "paused")
	adds := func(us []podsim.User) int {
		st, n := w.State(), 0
		for _, u := range us {
			n += podsimtest.Calls(st, u.ID).Add
		}
		return n
	}
	time.Sleep(100 * time.Millisecond) // the call in flight when P came is recorded
	held, others := adds(users[0]), adds(users[1])+adds(users[2])
	time.Sleep(30 * interval)
	if now := adds(users[0]); now != held {
		t.Fatalf("the paused room made %d calls while paused", now-held)
	}
	if now := adds(users[1]) + adds(users[2]); now == others && others < 80 {
		t.Fatalf("the other rooms made no call while one room was paused (%d of 80)", others)
	}
	if held >= 40 {
		t.Fatalf("the jumbo room finished (%d adds) before P paused it", held)
	}
	tm.Type("R")
	waitScreen(t, tm, "The run finished", "Journals, by room:")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	if s := fm.summary.sum; s == nil || s.Totals.Added != 120 || fm.ExitCode() != 0 {
		t.Fatalf("summary %+v, exit %d:\n%s", s, fm.ExitCode(), fm.render())
	}
	st := w.State()
	for r, us := range users {
		for _, u := range us {
			if c := podsimtest.Calls(st, u.ID); c.Add != 1 {
				t.Fatalf("room %d user %d: %d add calls, want exactly 1", r, u.ID, c.Add)
			}
		}
	}
	t.Logf("paused room at %d of 40 adds; the others at %d of 80 when it paused", held, others)
}

// A paused estate run does not wake the wizard: once every room has
// paused, no tick is asked for; a running room's ETA ticks once a second.
func TestLanesTickOnlyWhileATimeMoves(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	e := syntheticEstate(demoEstate[:2])
	ls := lanesAt(t, m, e)
	laneEvents(m, 0, laneResults(e, 0, 3, fixedNow)...)
	laneEvents(m, 1, laneResults(e, 1, 3, fixedNow)...)
	if ls.ensureTick(); !ls.ticking || ls.tickEvery != secondTick {
		t.Fatalf("running rooms: ticking %v every %v, want every %v", ls.ticking, ls.tickEvery, secondTick)
	}
	press(t, m, "p")
	laneEvents(m, 0, bulk.Event{Kind: bulk.EventPaused})
	laneEvents(m, 1, bulk.Event{Kind: bulk.EventPaused})
	if _, cmd := m.Update(countdownTickMsg{gen: ls.tickGen}); cmd != nil || ls.ticking {
		t.Fatal("a paused estate run still ticks")
	}
	mustContain(t, m.render(), "PAUSED", "paused")
	press(t, m, "r")
	laneEvents(m, 0, bulk.Event{Kind: bulk.EventResumed})
	if !ls.ticking {
		t.Fatal("a resumed estate run does not tick")
	}
}

// The summary of an estate run: the whole run's counts, a line per room
// with how it ended, the room left out with why, the run's report and
// every room's journal, and the exit code.
func TestEstateSummaryPerRoom(t *testing.T) {
	m := newSized(t, Options{}, 120, 40)
	e := syntheticEstate(demoEstate)
	e.SkipBlocked = true
	e.Decide(bulk.ResumeChoice{})
	lanesAt(t, m, e)
	for i := 0; i < 3; i++ {
		evs := laneResults(e, i, len(e.Lanes[i].Job.Plan.Actions), fixedNow)
		laneEvents(m, i, evs...)
		sum := &bulk.Summary{Totals: evs[len(evs)-1].Totals, JournalPath: fmt.Sprintf("/srv/out/roster-room%d.jsonl", i)}
		laneEvents(m, i, bulk.Event{Kind: bulk.EventFinished, Summary: sum})
	}
	whole := &bulk.Summary{Totals: bulk.Totals{Actions: 90, Done: 90, Added: 90}, LeftOut: 1, ReportPath: "/srv/out/roster-run-report.csv",
		Started: fixedNow, Finished: fixedNow.Add(2 * time.Minute)}
	m.Update(runEventMsg{ev: bulk.Event{Kind: bulk.EventFinished, Lane: bulk.AllLanes, Summary: whole}})
	m.Update(runReturnedMsg{summary: whole})
	m.Update(runClosedMsg{})
	if m.step != stepSummary {
		t.Fatalf("step %v after the run", m.step)
	}
	v := m.render()
	checkFits(t, v, 120, 40)
	mustContain(t, v, "The run finished; 1 room was left out (their users were not done).", "90 added", "90 of 90 actions done in 2m00s, in 3 rooms",
		"left out: Project Falcon (archived)", "Report:  /srv/out/roster-run-report.csv", "Journals, by room:",
		"All Staff Announcements: /srv/out/roster-room0.jsonl", "Rates Desk EMEA: /srv/out/roster-room2.jsonl", "Exit code 1.")
	line := ""
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "Credit Research") && line == "" {
			line = l
		}
	}
	if f := strings.Fields(line); len(f) < 7 || f[2] != "40/40" || f[3] != "40" || f[len(f)-1] != "done" {
		t.Fatalf("the summary's line of a room: %q", line)
	}
	mustContain(t, v, "Project Falcon (archived)", "left out", "the room is deactivated")
	if m.ExitCode() != bulk.ExitFailed {
		t.Fatalf("exit code %d, want 1", m.ExitCode())
	}
	if rep := m.FinalReport(); !strings.Contains(rep, "Journals, by room:") {
		t.Fatalf("the printed report lacks the journals:\n%s", rep)
	}
}

// --lanes reaches the wizard's estate: with one lane, the preview lays the
// rooms one after another, as headless would.
func TestFlowEstateLanesOptionAgainstPodsim(t *testing.T) {
	w, _ := estateWorld(t, podsim.Options{}, 5)
	opts := w.options()
	opts.Lanes = 1
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(120, 40))
	walkToEstatePreview(t, tm, "3 rooms laid into 1 lane as they come free", "s: start")
	fm := quitModel(t, tm)
	if e := fm.preview.estate; e == nil || e.LaneCount() != 1 || e.Estimate() != e.Sequential() {
		t.Fatalf("the estate with --lanes 1: %+v", e)
	}
}

// quitModel quits and returns the final model.
func quitModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
}

// TestSIGTERMDuringAnEstateRunAbortsEveryRoom: a SIGTERM during a run of
// many rooms aborts every room as x would, the wizard quits once the run's
// report is written, exit 3; the summary printed names every room's
// journal, and no user got two add calls.
func TestSIGTERMDuringAnEstateRunAbortsEveryRoom(t *testing.T) {
	w, users := estateWorld(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 40 * time.Millisecond}, 40)
	o := w.options()
	o.ConfigPath, o.CSVPath = w.ConfigPath(), w.csv
	o.OfferConfigs, o.OfferCSVs, o.SuggestRooms = nil, nil, nil
	r := startProgram(t, o, 30*time.Second)
	r.term.waitText(t, "side by side", "s: start")
	r.term.typeKeys(t, "s")
	r.term.waitText(t, "Really add 120 users to 3 rooms")
	r.term.typeKeys(t, "y")
	r.term.waitText(t, "Adding 120 users to 3 rooms", "running")
	r.sigs <- syscall.SIGTERM
	res := r.wait(t)
	if res.code != bulk.ExitAborted || res.err != nil {
		t.Fatalf("after SIGTERM: exit %d, %v; want 3", res.code, res.err)
	}
	out := r.stdout.String()
	for _, want := range []string{"The run was aborted", "Report:", "Journals, by room:", "All Staff Announcements:", "Credit Research:", "Rates Desk EMEA:", "aborted"} {
		if !strings.Contains(out, want) {
			t.Fatalf("the printed summary lacks %q:\n%s", want, out)
		}
	}
	st := w.State()
	added := 0
	for _, us := range users {
		for _, u := range us {
			c := podsimtest.Calls(st, u.ID)
			if c.Add > 1 {
				t.Fatalf("user %d got %d add calls", u.ID, c.Add)
			}
			added += c.Add
		}
	}
	if s := r.m.summary.sum; s == nil || !s.Aborted || s.Totals.Done >= 120 || s.Totals.Done > added {
		t.Fatalf("summary %+v; the pod saw %d adds", s, added)
	}
}

// TestFlowEstateAbortThenResumeAgainstPodsim: x then y aborts every room;
// the same list again is refused naming a room with an unfinished journal
// until r (--resume); the resumed run finishes every room, and every user
// of every room got exactly one add call over both runs.
func TestFlowEstateAbortThenResumeAgainstPodsim(t *testing.T) {
	w, users := estateWorld(t, podsim.Options{PaceGap: 20 * time.Millisecond, Latency: 40 * time.Millisecond}, 30)
	tm := teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(120, 40))
	walkToEstatePreview(t, tm, "s: start")
	start(tm)
	waitScreen(t, tm, "Adding 90 users to 3 rooms", "running")
	tm.Type("x")
	waitScreen(t, tm, "Abort the run? Every room holds")
	tm.Type("y")
	waitScreen(t, tm, "The run was aborted")
	tm.Type("q")
	fm := quitModel(t, tm)
	if s := fm.summary.sum; s == nil || !s.Aborted || fm.ExitCode() != bulk.ExitAborted {
		t.Fatalf("abort: %+v, exit %d", s, fm.ExitCode())
	}

	tm = teatest.NewTestModel(t, New(w.options()), teatest.WithInitialTermSize(120, 40))
	walkToEstatePreview(t, tm, "An unfinished run of this same list into this room", "press r")
	tm.Type("r")
	waitScreen(t, tm, "s: start")
	start(tm)
	waitScreen(t, tm, "The run finished", "Journals, by room:")
	tm.Type("q")
	fm = quitModel(t, tm)
	if fm.ExitCode() != bulk.ExitOK {
		t.Fatalf("the resumed run exits %d:\n%s", fm.ExitCode(), fm.render())
	}
	st := w.State()
	for r, us := range users {
		members := w.MemberSet(t, []string{w.Demo.Jumbo, w.Demo.Medium, w.Demo.Small}[r])
		for _, u := range us {
			if c := podsimtest.Calls(st, u.ID); c.Add != 1 || !members[u.ID] {
				t.Fatalf("room %d user %d: %d add calls, member %v; want exactly 1 and a member", r, u.ID, c.Add, members[u.ID])
			}
		}
	}
}

// TestFlowSeveralStreamsAgainstPodsim: --stream given twice (one by ID, one
// by exact name) with a list without a room column takes the wizard's
// estate path, as headless takes it: no room step, a preview of both rooms,
// and the run adds every user to each room once.
func TestFlowSeveralStreamsAgainstPodsim(t *testing.T) {
	w, users := estateWorld(t, podsim.Options{}, 4)
	var b strings.Builder
	b.WriteString("user\n")
	for _, u := range users[0] {
		fmt.Fprintf(&b, "%d\n", u.ID)
	}
	w.csv = filepath.Join(w.Dir, "plain.csv")
	if err := os.WriteFile(w.csv, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := w.options()
	opts.Rooms = []string{w.Demo.Small, w.Room(t, w.Demo.Medium).Name}
	opts.Stream = opts.Rooms[0]
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "config.json")
	tm.Send(keyMsg("enter"))
	waitScreen(t, tm, "plain.csv")
	tm.Send(keyMsg("enter"))
	waitScreen(t, tm, "users to consider")
	tm.Send(keyMsg("enter"))
	waitScreen(t, tm, "ROOM", "side by side", "Rates Desk EMEA", "Credit Research", "s: start")
	start(tm)
	waitScreen(t, tm, "Exit code 0")
	fm := quitModel(t, tm)
	if s := fm.summary.sum; s == nil || s.Totals.Added != 8 || s.ExitCode() != bulk.ExitOK {
		t.Fatalf("summary %+v", s)
	}
	for _, room := range []string{w.Demo.Small, w.Demo.Medium} {
		members := w.MemberSet(t, room)
		for _, u := range users[0] {
			if !members[u.ID] {
				t.Errorf("user %d is not in room %s", u.ID, room)
			}
		}
	}
	for _, u := range users[0] {
		if c := podsimtest.Calls(w.State(), u.ID); c.Add != 2 {
			t.Errorf("user %d got %d add calls; want one in each room", u.ID, c.Add)
		}
	}
}

// TestAbortedRoomsOwnScreenSaysAborted: once the run is over, a room that
// was aborted is not "finished" on its own screen, and one that stopped
// by itself says "stopped"; a room done says "finished".
func TestAbortedRoomsOwnScreenSaysAborted(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	e := syntheticEstate(demoEstate[:3])
	ls := lanesAt(t, m, e)
	ends := []*bulk.Summary{{Aborted: true}, {StopReason: "the pod is not answering"}, {}}
	for i, sum := range ends {
		laneEvents(m, i, laneResults(e, i, 2, fixedNow)...)
		laneEvents(m, i, bulk.Event{Kind: bulk.EventFinished, Time: fixedNow, Summary: sum})
	}
	m.Update(runEventMsg{ev: bulk.Event{Kind: bulk.EventFinished, Lane: bulk.AllLanes, Summary: &bulk.Summary{Aborted: true}}})
	m.Update(runClosedMsg{})
	m.Update(runReturnedMsg{summary: &bulk.Summary{Aborted: true}})
	for i, want := range []string{"aborted", "stopped", "finished"} {
		title := ls.lanes[i].run.titleLine()
		if !strings.Contains(title, want) {
			t.Errorf("room %d's own screen reads %q; want %q", i, title, want)
		}
		if want != "finished" && strings.Contains(title, "finished") {
			t.Errorf("room %d's own screen says finished: %q", i, title)
		}
	}
}
