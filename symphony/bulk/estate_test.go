package bulk

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"roster/csvsource"
	"roster/symphony/podsim"
)

// roomList is a list with a room column: each room's users, in turn, one
// per line from line 2.
func roomList(rooms []string, users [][]int64) *csvsource.List {
	l := &csvsource.List{Path: "estate.csv", Rooms: rooms}
	line := 2
	for r, ids := range users {
		for _, id := range ids {
			l.Entries = append(l.Entries, csvsource.Entry{Line: line, Kind: csvsource.KindUserID,
				Value: fmt.Sprint(id), UserID: id, Room: uint32(r + 1)})
			line++
		}
	}
	l.Summary.Entries = len(l.Entries)
	return l
}

// planEstate plans an estate on the simulated pod at saturdayNight.
func (p *simPod) planEstate(t testing.TB, req EstateRequest, list *csvsource.List) *Estate {
	t.Helper()
	if req.OutDir == "" {
		req.OutDir = t.TempDir()
	}
	req.Now = func() time.Time { return saturdayNight }
	e, err := req.Plan(testCtx(t), &Session{Config: p.cfg, Pod: p.client}, list)
	if err != nil {
		t.Fatalf("plan the estate: %v", err)
	}
	return e
}

// runEstate starts and runs an estate, collecting its events.
func runEstate(t testing.TB, e *Estate, control *EstateControl, watch func(Event)) (*EstateSummary, []Event, error) {
	return runEstateLogged(t, e, control, watch, nil)
}

// runEstateLogged is runEstate with each room's call starts noted in its
// log (logs by lane).
func runEstateLogged(t testing.TB, e *Estate, control *EstateControl, watch func(Event), logs []*startLog) (*EstateSummary, []Event, error) {
	t.Helper()
	r, err := e.Start(control)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	for i, log := range logs {
		if lr := r.Runner(i); lr != nil && log != nil {
			lr.startHook = log.note
		}
	}
	done := collect(r.Events(), func(ev Event, _ []Event) {
		if watch != nil {
			watch(ev)
		}
	})
	sum, err := r.Run(testCtx(t))
	return sum, <-done, err
}

// jumboRooms makes n rooms of over PaceThreshold members and n lists of
// per new users, distinct in every room.
func (p *simPod) jumboRooms(n, per int) (rooms []string, users [][]int64) {
	for i := range n {
		rooms = append(rooms, p.room(fmt.Sprintf("desk %d", i), p.addUsers(fmt.Sprintf("m%d", i), PaceThreshold)))
		users = append(users, p.addUsers(fmt.Sprintf("new%d", i), per))
	}
	return rooms, users
}

// TestEstateFiveJumboRoomsSideBySide runs five rooms of over 500 members,
// 200 users each, paced: no room's calls start closer than the interval
// (the pod's count of violations per room is held to scheduler blur),
// every user is added once, and the rooms ran side by side (the run took
// far less than the rooms one after another).
func TestEstateFiveJumboRoomsSideBySide(t *testing.T) {
	// The pod forgives half an interval: time is scaled 100 times down (30
	// ms for 3 s), and so the scheduler's blur is scaled 100 times up on a
	// loaded machine. A runner that does not pace closes every gap to a
	// call's time, a few milliseconds; our own starts are held to the
	// interval exactly.
	const interval = 30 * time.Millisecond
	p := startSim(t, podsim.Options{PaceGap: interval, PaceTolerance: interval / 2})
	ids, users := p.jumboRooms(5, 200)
	// three rooms by stream ID, two by name
	given := []string{ids[0], "desk 1", ids[2], "desk 3", ids[4]}
	e := p.planEstate(t, EstateRequest{Request: Request{Mode: ModeAdd, Interval: interval}}, roomList(given, users))
	if e.Decision.Verdict != Ready {
		t.Fatalf("decision %+v", e.Decision)
	}
	for i, l := range e.Lanes {
		if l.StreamID != ids[i] || l.Job.Plan.PacedCalls != 200 {
			t.Fatalf("lane %d: room %q (want %s), %d paced calls", i, l.StreamID, ids[i], l.Job.Plan.PacedCalls)
		}
	}
	perLane := map[int]int{}
	logs := []*startLog{{}, {}, {}, {}, {}}
	start := time.Now()
	sum, evs, err := runEstateLogged(t, e, nil, func(ev Event) {
		if ev.Kind == EventResult {
			perLane[ev.Lane]++
		}
	}, logs)
	took := time.Since(start)
	if err != nil || sum.ExitCode() != ExitOK {
		t.Fatalf("run: %v, exit %d, %+v", err, sum.ExitCode(), sum.Totals)
	}
	if sum.Totals.Added != 1000 || sum.Totals.Done != 1000 {
		t.Errorf("totals %+v", sum.Totals)
	}
	st := p.State()
	for r, room := range ids {
		// our side exactly; the pod's, a network hop later, to scheduler blur
		if gap := logs[r].minGap(0); gap < interval {
			t.Errorf("room %d: two calls started %v apart; the interval is %v", r, gap, interval)
		}
		logRoomPacing(t, st, room)
		members := p.MemberSet(t, room)
		for _, id := range users[r] {
			if !members[id] || st.Calls[id].Add != 1 {
				t.Fatalf("room %d user %d: member %v, %d adds", r, id, members[id], st.Calls[id].Add)
			}
		}
		if perLane[r] != 200 {
			t.Errorf("lane %d sent %d results", r, perLane[r])
		}
	}
	checkPodPacing(t, p, 1000)
	if last := evs[len(evs)-1]; last.Kind != EventFinished || last.Lane != AllLanes {
		t.Errorf("the last event is %+v, want the estate's EventFinished", last)
	}
	// One after another the rooms would take 5 x 199 intervals at least.
	if sequential := 5 * 199 * interval; took > sequential/2 {
		t.Errorf("the run took %v; one room after another takes at least %v: the rooms did not run side by side", took, sequential)
	}
	rows := readCSV(t, sum.ReportPath)
	if len(rows) != 1001 || rows[0][0] != "room" || rows[0][1] != "stream ID" {
		t.Fatalf("run report: %d rows, header %v", len(rows), rows[0])
	}
	for _, row := range rows[1:] {
		if row[7] != OutcomeAdded.String() || !strings.HasPrefix(row[0], "desk ") {
			t.Fatalf("report row %v", row)
		}
	}
}

// logRoomPacing logs the pod's count of one room's pacing violations
// (checkPodPacing holds the run's total to scheduler blur).
func logRoomPacing(t *testing.T, st podsim.State, room string) {
	t.Helper()
	for _, r := range st.Rooms {
		if r.ID == room && r.PacingViolations > 0 {
			t.Logf("room %s: the pod counted %d pacing violations", r.Name, r.PacingViolations)
		}
	}
}

// readCSV reads a report (its byte order mark dropped).
func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestEstateLanesBoundHowManyRoomsRunAtOnce runs four rooms on two lanes:
// never more than two rooms have a call between their first and last
// event, and the rooms start in the order given.
func TestEstateLanesBoundHowManyRoomsRunAtOnce(t *testing.T) {
	p := startSim(t, podsim.Options{Latency: time.Millisecond})
	var ids []string
	var users [][]int64
	for i := range 4 {
		ids = append(ids, p.room(fmt.Sprintf("small %d", i), nil))
		users = append(users, p.addUsers(fmt.Sprintf("s%d", i), 20))
	}
	e := p.planEstate(t, EstateRequest{Request: Request{Mode: ModeAdd}, Lanes: 2}, roomList(ids, users))
	running, most := map[int]bool{}, 0
	var order []int
	sum, _, err := runEstate(t, e, nil, func(ev Event) {
		switch ev.Kind {
		case EventStarted:
			running[ev.Lane] = true
			order = append(order, ev.Lane)
		case EventFinished:
			delete(running, ev.Lane)
		}
		most = max(most, len(running))
	})
	if err != nil || sum.Totals.Added != 80 {
		t.Fatalf("run: %v %+v", err, sum.Totals)
	}
	if most != 2 {
		t.Errorf("at most %d rooms ran at once; want 2 (--lanes 2)", most)
	}
	if len(order) != 4 || order[0] > 1 || order[1] > 1 {
		t.Errorf("rooms started in the order %v; the first two given start first", order)
	}
}

// TestEstateBlockedRoomIsLeftOutOnlyWhenAsked: a deactivated room and a
// name no room has block the run, each named; with SkipBlocked the other
// room runs, the run exits 1 (users were not done) and the run report
// says why the left-out rooms' users were not done.
func TestEstateBlockedRoomIsLeftOutOnlyWhenAsked(t *testing.T) {
	p := startSim(t, podsim.Options{})
	good := p.room("good", nil)
	dead := p.room("dead", nil, func(r *podsim.Room) { r.Active = false })
	users := [][]int64{p.addUsers("g", 3), p.addUsers("d", 2), p.addUsers("x", 2)}
	list := roomList([]string{good, dead, "no such room"}, users)

	e := p.planEstate(t, EstateRequest{Request: Request{Mode: ModeAdd}}, list)
	if e.Decision.Verdict != Blocked || e.Decision.Lane != 1 || len(e.Decision.Blocked) != 2 {
		t.Fatalf("decision %+v; want Blocked on lanes 1 and 2", e.Decision)
	}
	if e.Decision.ExitCode() != ExitInput {
		t.Errorf("a blocked estate exits %d", e.Decision.ExitCode())
	}
	if err := e.Lanes[2].Err; err == nil || !strings.Contains(err.Error(), `named "no such room"`) {
		t.Errorf("the unknown room's error: %v", err)
	}
	if _, err := e.Start(nil); err == nil {
		t.Fatal("a blocked estate started")
	}

	e = p.planEstate(t, EstateRequest{Request: Request{Mode: ModeAdd}, SkipBlocked: true}, list)
	if e.Decision.Verdict != Ready || !e.Lanes[1].Skipped || !e.Lanes[2].Skipped || e.Lanes[0].Skipped {
		t.Fatalf("decision %+v", e.Decision)
	}
	sum, _, err := runEstate(t, e, nil, nil)
	if err != nil || sum.Totals.Added != 3 || sum.LeftOut != 2 || sum.ExitCode() != ExitFailed {
		t.Fatalf("run: %v, %+v, left out %d, exit %d", err, sum.Totals, sum.LeftOut, sum.ExitCode())
	}
	if m := p.MemberSet(t, dead); len(m) != 2 {
		t.Errorf("the deactivated room changed: %v", m)
	}
	rows := readCSV(t, sum.ReportPath)
	left := 0
	for _, row := range rows[1:] {
		if row[0] != "good" {
			left++
			if row[7] != OutcomePending.String() || !strings.Contains(row[10], "left out") {
				t.Errorf("left-out row %v", row)
			}
		}
	}
	if len(rows) != 8 || left != 4 {
		t.Errorf("run report: %d rows, %d left out; want 8 and 4", len(rows), left)
	}
}

// TestEstateRoomNamesAreExactAndUnambiguous: a name two rooms share is
// refused with both IDs; a name is matched exactly, not as a search.
func TestEstateRoomNamesAreExactAndUnambiguous(t *testing.T) {
	p := startSim(t, podsim.Options{})
	a, b := p.room("Rates", nil), p.room("Rates", nil)
	p.room("Rates Europe", nil)
	only := p.room("FX", nil)
	s := &Session{Config: p.cfg, Pod: p.client}
	ctx := testCtx(t)
	if _, err := ResolveRoom(ctx, s.Pod, "Rates"); err == nil || !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), b) {
		t.Errorf("an ambiguous name: %v", err)
	}
	if id, err := ResolveRoom(ctx, s.Pod, " FX "); err != nil || id != only {
		t.Errorf("FX: %q, %v", id, err)
	}
	if _, err := ResolveRoom(ctx, s.Pod, "Rates Eur"); err == nil {
		t.Error("a part of a name resolved")
	}
}

// TestEstateAbortThenResumeRepeatsNothing aborts a run of three rooms
// midway, then plans again and resumes: every room finds its own journal,
// and every user ends added with exactly one add call.
func TestEstateAbortThenResumeRepeatsNothing(t *testing.T) {
	const interval = 10 * time.Millisecond
	p := startSim(t, podsim.Options{PaceGap: interval, PaceTolerance: interval / 3})
	ids, users := p.jumboRooms(3, 30)
	out := t.TempDir()
	req := EstateRequest{Request: Request{Mode: ModeAdd, Interval: interval, OutDir: out}}
	e := p.planEstate(t, req, roomList(ids, users))
	control := NewEstateControl(len(e.Lanes))
	results := 0
	sum, _, err := runEstate(t, e, control, func(ev Event) {
		if ev.Kind == EventResult {
			if results++; results == 20 {
				control.Abort()
			}
		}
	})
	if err != nil || !sum.Aborted || sum.ExitCode() != ExitAborted || sum.Totals.Done >= 90 {
		t.Fatalf("aborted run: %v, %+v", err, sum)
	}

	again := p.planEstate(t, req, roomList(ids, users))
	if again.Decision.Verdict != Unfinished {
		t.Fatalf("without --resume: %+v", again.Decision)
	}
	req.Resume = ResumeChoice{Auto: true}
	again = p.planEstate(t, req, roomList(ids, users))
	if again.Decision.Verdict != Ready {
		t.Fatalf("resume: %+v", again.Decision)
	}
	sum, _, err = runEstate(t, again, nil, nil)
	if err != nil || sum.ExitCode() != ExitOK || sum.Totals.Done != 90 {
		t.Fatalf("resumed run: %v, exit %d, %+v", err, sum.ExitCode(), sum.Totals)
	}
	st := p.State()
	for r, room := range ids {
		members := p.MemberSet(t, room)
		for _, id := range users[r] {
			if !members[id] || st.Calls[id].Add != 1 {
				t.Errorf("room %d user %d: member %v, %d adds", r, id, members[id], st.Calls[id].Add)
			}
		}
	}
}

// TestEstateStartRefusalLetsEveryRoomGo: when a room cannot start (another
// run holds it), the rooms started before it are let go and their new
// journals removed: nothing is left locked or half begun.
func TestEstateStartRefusalLetsEveryRoomGo(t *testing.T) {
	p := startSim(t, podsim.Options{})
	ids := []string{p.room("one", nil), p.room("two", nil)}
	users := [][]int64{p.addUsers("o", 2), p.addUsers("t", 2)}
	out := t.TempDir()
	req := EstateRequest{Request: Request{Mode: ModeAdd, OutDir: out}}
	e := p.planEstate(t, req, roomList(ids, users))
	// another run on room "two", through the single-room job
	other := e.Lanes[1].Job
	held, err := other.Start(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Start(nil); err == nil || !strings.Contains(err.Error(), "room two") {
		t.Fatalf("start beside a held room: %v", err)
	}
	held.discard()
	entries, _ := os.ReadDir(out)
	if len(entries) != 0 {
		t.Errorf("the refused start left %d files in the out folder", len(entries))
	}
	e = p.planEstate(t, req, roomList(ids, users))
	if sum, _, err := runEstate(t, e, nil, nil); err != nil || sum.Totals.Added != 4 {
		t.Fatalf("after the other run let go: %v %+v", err, sum)
	}
}

// TestLaneMakespan lays rooms into lanes in order.
func TestLaneMakespan(t *testing.T) {
	s := time.Second
	for _, tt := range []struct {
		each []time.Duration
		n    int
		want time.Duration
	}{
		{[]time.Duration{3 * s, 1 * s, 2 * s}, 10, 3 * s},
		{[]time.Duration{3 * s, 1 * s, 2 * s}, 1, 6 * s},
		{[]time.Duration{3 * s, 1 * s, 2 * s}, 2, 3 * s},
		{[]time.Duration{1 * s, 1 * s, 4 * s}, 2, 5 * s},
		{nil, 3, 0},
	} {
		if got := laneMakespan(tt.each, tt.n); got != tt.want {
			t.Errorf("laneMakespan(%v, %d) = %v, want %v", tt.each, tt.n, got, tt.want)
		}
	}
}

// TestEstateRefusesOneRoomNamedTwoWays: a room given by its name and by its
// ID would make two lanes change one room; the plan is refused, naming
// both lines.
func TestEstateRefusesOneRoomNamedTwoWays(t *testing.T) {
	p := startSim(t, podsim.Options{})
	id := p.room("Rates EMEA", nil)
	list := roomList([]string{id, "Rates EMEA"}, [][]int64{p.addUsers("a", 2), p.addUsers("b", 2)})
	_, err := EstateRequest{Request: Request{Mode: ModeAdd, OutDir: t.TempDir()}}.Plan(testCtx(t), &Session{Config: p.cfg, Pod: p.client}, list)
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), "same room") {
		t.Fatalf("one room two ways: %v", err)
	}
}

// TestPrepareAnyTakesOnePathPerList: the same request fields make a Job for
// a list without a room column and one stream, and an Estate for a list
// with a room column (read from the file) or for several streams.
func TestPrepareAnyTakesOnePathPerList(t *testing.T) {
	p := startSim(t, podsim.Options{})
	a, b := p.room("Alpha desk", nil), p.room("Beta desk", nil)
	ua, ub := p.addUsers("pa", 2), p.addUsers("pb", 1)
	dir := t.TempDir()
	write := func(name, text string) string {
		path := dir + "/" + name
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	plain := write("plain.csv", fmt.Sprintf("user id\n%d\n%d\n", ua[0], ua[1]))
	rooms := write("rooms.csv", fmt.Sprintf("user id,room\n%d,Alpha desk\n%d,%s\n%d,Alpha desk\n", ua[0], ub[0], b, ua[1]))
	req := func(csv string, streams ...string) EstateRequest {
		return EstateRequest{Request: Request{ConfigPath: p.ConfigPath(), CSVPath: csv, Mode: ModeAdd, OutDir: t.TempDir(),
			Now: func() time.Time { return saturdayNight }}, Rooms: streams}
	}
	ctx := testCtx(t)

	job, e, err := PrepareAny(ctx, req(plain, a), nil)
	if err != nil || job == nil || e != nil || job.Plan.StreamID != a || len(job.Plan.Actions) != 2 {
		t.Fatalf("one room: job %v, estate %v, %v", job, e, err)
	}
	job.Session.Close()

	job, e, err = PrepareAny(ctx, req(rooms), nil)
	if err != nil || job != nil || e == nil || len(e.Lanes) != 2 {
		t.Fatalf("a room column: job %v, estate %v, %v", job, e, err)
	}
	if l := e.Lanes[0]; l.StreamID != a || l.Line != 2 || len(l.Job.Plan.Actions) != 2 {
		t.Errorf("lane 0: %s line %d", l.StreamID, l.Line)
	}
	if l := e.Lanes[1]; l.StreamID != b || len(l.Job.Plan.Actions) != 1 || l.Job.Plan.Actions[0].Line != 3 {
		t.Errorf("lane 1: %s, %+v", l.StreamID, l.Job.Plan.Actions)
	}
	e.Close()

	job, e, err = PrepareAny(ctx, req(plain, a, "Beta desk"), nil)
	if err != nil || e == nil || len(e.Lanes) != 2 || e.Lanes[1].StreamID != b || len(e.Lanes[1].Job.Plan.Actions) != 2 {
		t.Fatalf("two streams: job %v, estate %v, %v", job, e, err)
	}
	e.Close()

	if _, _, err := PrepareAny(ctx, req(rooms, a), nil); err == nil || !strings.Contains(err.Error(), "room column") {
		t.Errorf("a room column and --stream: %v", err)
	}
}

// TestEstateLanesShareOneBackoff runs four rooms side by side against a
// pod that throttles the bot (one membership call per gap, whatever the
// room): the pod throttles, every room is held by the shared backoff at
// least once (a retry wait that no call of its own caused), the run
// completes and every user is a member, added by one call that the pod
// let through.
func TestEstateLanesShareOneBackoff(t *testing.T) {
	p := startSim(t, podsim.Options{CallerGap: 4 * time.Millisecond})
	var ids []string
	var users [][]int64
	for i := range 4 {
		ids = append(ids, p.room(fmt.Sprintf("team %d", i), nil))
		users = append(users, p.addUsers(fmt.Sprintf("t%d", i), 25))
	}
	e := p.planEstate(t, EstateRequest{Request: Request{Mode: ModeAdd}}, roomList(ids, users))
	held := map[int]int{}
	sum, _, err := runEstate(t, e, nil, func(ev Event) {
		if ev.Kind == EventRetryWait && strings.Contains(ev.Message, "every room of the run waits") {
			held[ev.Lane]++
		}
	})
	if err != nil || sum.ExitCode() != ExitOK || sum.Totals.Added != 100 {
		t.Fatalf("run: %v, exit %d, %+v", err, sum.ExitCode(), sum.Totals)
	}
	st := p.State()
	if st.Throttled == 0 {
		t.Fatal("the pod throttled nothing: the test proves nothing")
	}
	for r := range ids {
		if held[r] == 0 {
			t.Errorf("room %d was never held by the shared backoff (%d throttled calls)", r, st.Throttled)
		}
		members := p.MemberSet(t, ids[r])
		for _, id := range users[r] {
			if !members[id] || st.Calls[id].Add != 1 {
				t.Errorf("room %d user %d: member %v, %d adds reached the room", r, id, members[id], st.Calls[id].Add)
			}
		}
	}
}

// TestEstateRoomsOfOneNameAreToldApart: two rooms given by ID that share a
// name are named with the start of their stream IDs; a name no other room
// has stays as it is.
func TestEstateRoomsOfOneNameAreToldApart(t *testing.T) {
	p := startSim(t, podsim.Options{})
	a, b, c := p.room("Rates", nil), p.room("Rates", nil), p.room("FX", nil)
	e := p.planEstate(t, EstateRequest{Request: Request{Mode: ModeAdd}}, roomList([]string{a, b, c},
		[][]int64{p.addUsers("a", 1), p.addUsers("b", 1), p.addUsers("c", 1)}))
	if got, want := e.Lanes[0].Name(), "Rates ("+a[:8]+"…)"; got != want {
		t.Errorf("room a: %q, want %q", got, want)
	}
	if e.Lanes[0].Name() == e.Lanes[1].Name() {
		t.Errorf("two rooms of one name both read %q", e.Lanes[0].Name())
	}
	if got := e.Lanes[2].Name(); got != "FX" {
		t.Errorf("room c: %q", got)
	}
}
