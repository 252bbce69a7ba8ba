package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"roster/symphony"
	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// jumboRoom adds a room of over 500 members (the bot owns it) named name,
// its members taken from the demo's candidates from the first'th on, and
// returns its stream ID.
func jumboRoom(pod *podsimtest.Pod, name string, first int) string {
	ms := []podsim.Member{{UserID: pod.Demo.BotID, Owner: true}}
	for _, u := range pod.Demo.Candidates[first : first+podsim.PaceThreshold+5] {
		ms = append(ms, podsim.Member{UserID: u.ID})
	}
	return pod.AddRoom(podsim.Room{Name: name, Active: true, Members: ms})
}

// roomArgs are --stream flags, one per room.
func roomArgs(rooms ...string) []string {
	var args []string
	for _, r := range rooms {
		args = append(args, "--stream", r)
	}
	return args
}

// TestEstateAddsEveryUserInEveryRoom gives --stream three times (two stream
// IDs, one in the client's standard base64 form, and a room's exact name):
// the preview shows a table of the three rooms, and the run adds every user
// to every room with exactly one add each, prints an outcome line per room
// and user, a summary per room with its journal, and one run report with a
// room column.
func TestEstateAddsEveryUserInEveryRoom(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	users := pod.Demo.Candidates[:12]
	csvPath := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	out := filepath.Join(dir, "out")
	rooms := []string{pod.Demo.Small, pod.Demo.Medium, pod.Demo.Jumbo}
	names := []string{"Rates Desk EMEA", "Credit Research", "All Staff Announcements"}
	args := append([]string{"--config", pod.ConfigPath(), "--csv", csvPath, "--out", out, "--interval", testPace.String()},
		roomArgs(pod.Demo.Small, standardStreamID(pod.Demo.Medium), names[2])...)

	dry := runCmd(t, append(args, "--dry-run")...)
	if dry.code != exitOK || !strings.Contains(dry.stdout, words3Rooms) || !strings.Contains(dry.stdout, "Dry run: nothing was changed") {
		t.Fatalf("dry run:\n%s", dry)
	}
	for _, name := range names {
		// a long name may be cut with an ellipsis to fit 80 columns
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name[:15]) + `\S*( \S+)*…? +12 `).MatchString(dry.stdout) {
			t.Errorf("the preview has no row of %q with 12 changes:\n%s", name, dry)
		}
	}
	if calls := pod.State().Calls; len(calls) != 0 {
		t.Fatalf("the dry run made %d users' membership calls", len(calls))
	}

	r := runCmd(t, append(args, "--yes")...)
	if r.code != exitOK {
		t.Fatalf("run: want exit 0\n%s", r)
	}
	st := pod.State()
	for i, room := range rooms {
		if !allMembers(t, pod, room, users) {
			t.Errorf("room %s: not every user is a member", names[i])
		}
		if n := len(regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  line \d+ +`+regexp.QuoteMeta(names[i])+` +\d+ +added `).FindAllString(r.stdout, -1)); n != len(users) {
			t.Errorf("room %s: %d outcome lines, want %d", names[i], n, len(users))
		}
	}
	for _, u := range users {
		if c := podsimtest.Calls(st, u.ID); c.Add != len(rooms) {
			t.Errorf("user %d: %d adds, want one in each of %d rooms", u.ID, c.Add, len(rooms))
		}
	}
	for _, want := range []string{"The run finished at", "36 of 36 done: 36 added", "Journals", "Exit code 0."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the summary lacks %q\n%s", want, r)
		}
	}
	journals, _ := filepath.Glob(filepath.Join(out, "*.jsonl"))
	if len(journals) != 3 {
		t.Errorf("%d journals in the out folder, want one per room", len(journals))
	}
	for _, j := range journals {
		if !strings.Contains(r.stdout, j) {
			t.Errorf("the summary does not name the journal %s", j)
		}
	}
	report := reportPath(r.stdout)
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("the run report %q: %v\n%s", report, err, r)
	}
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(rows) != 1+3*len(users) || !strings.HasPrefix(strings.TrimPrefix(rows[0], "\ufeff"), "room,") {
		t.Errorf("the run report has %d rows (want %d), header %q", len(rows), 1+3*len(users), rows[0])
	}
}

// words3Rooms is how the preview counts the three rooms.
const words3Rooms = "Rooms     3 rooms, 3 at once"

// TestEstateLanesOutOfRange: --lanes outside 1 to 200 is refused before
// anything is read, naming the flag, what was given and what is expected.
func TestEstateLanesOutOfRange(t *testing.T) {
	for _, v := range []string{"0", "201", "-1", "ten", "2.5"} {
		r := runCmd(t, "--config", "c.json", "--csv", "u.csv", "--stream", "A", "--stream", "B", "--lanes", v)
		want := fmt.Sprintf("roster: --lanes %q: expected a whole number of rooms at once, from 1 to 200 (default 10)\n%s\n", v, runHint)
		if r.code != exitInput || r.stderr != want || r.stdout != "" {
			t.Errorf("--lanes %s: %s\nwant stderr %q", v, r, want)
		}
	}
}

// TestEstateBlockedRoomRefusesUnlessSkipped: a deactivated room among the
// rooms refuses the whole run (exit 2) naming it, why, and --skip-blocked,
// with nothing changed; with --skip-blocked the other rooms run, and the
// run exits 1 since the left-out room's users were not done.
func TestEstateBlockedRoomRefusesUnlessSkipped(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	users := pod.Demo.Candidates[20:25]
	csvPath := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	args := append([]string{"--config", pod.ConfigPath(), "--csv", csvPath, "--out", filepath.Join(dir, "out"), "--yes"},
		roomArgs(pod.Demo.Small, pod.Demo.Deactivated, "Credit Research")...)

	for _, dry := range []bool{true, false} {
		a := args
		if dry {
			a = append(a, "--dry-run")
		}
		r := runCmd(t, a...)
		if r.code != exitInput {
			t.Fatalf("dry run %v: want exit 2\n%s", dry, r)
		}
		for _, want := range []string{"The run cannot start: 1 room cannot run:",
			`"Project Falcon (archived)" (` + pod.Demo.Deactivated + `): the room "Project Falcon (archived)" is deactivated`,
			"Nothing was changed. To run the other rooms without it, run again with --skip-blocked."} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("dry run %v: the refusal lacks %q\n%s", dry, want, r)
			}
		}
		if calls := pod.State().Calls; len(calls) != 0 {
			t.Fatalf("a refused run made %d users' membership calls", len(calls))
		}
	}

	r := runCmd(t, append(args, "--skip-blocked")...)
	if r.code != exitFailed {
		t.Fatalf("--skip-blocked: want exit 1\n%s", r)
	}
	if !allMembers(t, pod, pod.Demo.Small, users) || !allMembers(t, pod, pod.Demo.Medium, users) {
		t.Errorf("--skip-blocked: the rooms that could run did not get every user\n%s", r)
	}
	if m := pod.MemberSet(t, pod.Demo.Deactivated); len(m) != len(pod.Room(t, pod.Demo.Deactivated).Members) || m[users[0].ID] {
		t.Errorf("the deactivated room changed")
	}
	for _, want := range []string{"1 room was left out (their users were not done)", "left out: the room \"Project Falcon (archived)\" is deactivated",
		"10 of 10 done: 10 added", "Exit code 1."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--skip-blocked: the output lacks %q\n%s", want, r)
		}
	}
}

// updating reports whether -update was given, to rewrite the goldens; the
// flag is defined by the teatest golden package the wizard's tests use.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestEstatePreviewFits80Columns prints the preview of an estate whose
// rooms have long names, big numbers, warnings, one room that could not be
// found and one left out (--skip-blocked), and compares it with
// testdata/estate-preview.golden (go test ./ui/cli -run Preview -update
// rewrites it). Every line fits 80 columns; long names end in an ellipsis.
func TestEstatePreviewFits80Columns(t *testing.T) {
	plan := func(name string, actions, before int, estimate time.Duration, codes ...string) *bulk.Job {
		p := &bulk.Plan{Room: symphony.Room{Name: name, Active: true}, Mode: bulk.ModeAdd, Interval: 3 * time.Second,
			MembersBefore: before, MembersAfter: before + actions, Estimate: estimate, Actions: make([]bulk.Item, actions)}
		for _, c := range codes {
			level := bulk.LevelWarn
			if c == "deactivated" {
				level = bulk.LevelBlock
			}
			p.Warnings = append(p.Warnings, bulk.Warning{Level: level, Code: c, Message: "the room " + strconv.Quote(name) + " is " + c})
		}
		j := &bulk.Job{Plan: p}
		if len(codes) > 0 && codes[0] == "deactivated" {
			j.Decision.Verdict = bulk.Blocked
			j.Decision.Blocks = p.Warnings
		}
		return j
	}
	e := &bulk.Estate{EstateRequest: bulk.EstateRequest{Request: bulk.Request{Mode: bulk.ModeAdd}, Lanes: 2, SkipBlocked: true}}
	e.Lanes = []*bulk.Lane{
		{Given: "Global Markets Fixed Income Trading Desk - London and New York", Job: plan("Global Markets Fixed Income Trading Desk - London and New York", 5000, 1200, 4*time.Hour+10*time.Minute, "pace", "jumbo", "working-hours")},
		{Given: "FX", Job: plan("FX", 40, 12, 2*time.Second)},
		{Given: "Credit Research", Job: plan("Credit Research", 120000, 480, 99*time.Hour+59*time.Minute, "pace", "owners-removed", "promote-permission")},
		{Given: "Project Falcon (archived)", Job: plan("Project Falcon (archived)", 3, 40, time.Second, "deactivated"), Skipped: true},
		{Given: "Rates Desk EMAE", Err: errors.New(`no room the bot can see is named "Rates Desk EMAE"; give the room's exact name or its stream ID`), Skipped: true},
	}
	for i, l := range e.Lanes {
		l.Index = i
	}
	e.Decision = bulk.EstateDecision{Verdict: bulk.Ready, Lane: -1, Blocked: []int{3, 4}}

	var b strings.Builder
	printEstatePlan(&b, e)
	got := b.String()
	for i, line := range strings.Split(got, "\n") {
		if n := utf8.RuneCountInString(line); n > tableWidth {
			t.Errorf("line %d is %d columns wide, over %d:\n%s", i+1, n, tableWidth, line)
		}
	}
	golden := filepath.Join("testdata", "estate-preview.golden")
	if updating() {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./ui/cli -run Preview -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the preview differs from %s:\n--- got\n%s--- want\n%s", golden, got, want)
	}
}

// TestKilledEstateResumesWithoutRepeatingAdds is issue 13's crash test: a
// list with a room column putting 60 users in each of three rooms over 500
// members (paced; two rooms named by stream ID, one by its exact name), the
// real binary killed with SIGKILL at five points drawn from a seeded random
// source (logged), each after up to 59 outcome lines (of 180) or at an
// instant of the start, each restart with --resume, then --resume until a
// run ends by itself (killUntilDone). Every user ends a member of its room
// with one add; no add is sent again once its success was printed; and the
// only repeated adds are those a kill left in flight (at most one per room
// at each kill).
func TestKilledEstateResumesWithoutRepeatingAdds(t *testing.T) {
	pod := startPod(t, podsim.Options{Latency: time.Millisecond})
	names := []string{"All Staff Announcements", "Estate Desk A", "Estate Desk B"}
	rooms := []string{pod.Demo.Jumbo, jumboRoom(pod, names[1], 0), jumboRoom(pod, names[2], 600)}
	given := []string{names[0], rooms[1], standardStreamID(rooms[2])}
	var csv strings.Builder
	csv.WriteString("userId,room\n")
	users := make([][]podsim.User, len(rooms))
	for i := range rooms {
		users[i] = pod.Demo.Candidates[2000+60*i : 2060+60*i]
	}
	for j := range 60 { // the rooms' rows interleaved
		for i := range rooms {
			fmt.Fprintf(&csv, "%d,%s\n", users[i][j].ID, given[i])
		}
	}
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "users.csv", csv.String())
	last := killUntilDone(t, pod, killedRun{
		args: []string{"--config", pod.ConfigPath(), "--csv", csvPath, "--yes", "--no-tui",
			"--interval", "20ms", "--out", filepath.Join(dir, "out")},
		rooms: rooms,
		users: users,
		kills: drawKillPoints(t, 5, 60, 300*time.Millisecond, 20*time.Millisecond),
	})
	// A kill after the last outcome leaves a resume with nothing to call:
	// it says so, or that there is nothing to resume, rather than "finished".
	if out := last.stdoutText(); !strings.Contains(out, "The run finished at") && !strings.Contains(out, "Nothing to resume") &&
		!strings.Contains(out, "Nothing to add") {
		t.Errorf("the last run did not say it finished:\n%s", last.output())
	}
}

// TestParseRunFlagsRooms: --stream (or --room) given several times is a
// run of several rooms, in the order given, a repeat being one room; one
// value stays as it always was (Stream alone); --room beside a different
// --stream is refused; --room-column, --lanes and --skip-blocked are read.
func TestParseRunFlagsRooms(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		stream string
		rooms  []string // nil: one room
	}{
		{[]string{"--stream", "A"}, "A", nil},
		{[]string{"--stream", "A", "--room", "A"}, "A", nil},
		{[]string{"--stream", "A", "--stream", "A"}, "A", nil},
		{[]string{"--stream", "A", "--stream", "Rates Desk", "-stream=C"}, "A", []string{"A", "Rates Desk", "C"}},
		{[]string{"--room", "B", "--room", "A", "--room", "B"}, "B", []string{"B", "A"}},
		{[]string{"--stream", "A", "--stream", "B", "--room", "B"}, "A", []string{"A", "B"}},
	} {
		f, err := parseRunFlags(tt.args)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		var rooms []string
		if f.Rooms != nil {
			rooms = *f.Rooms
		}
		if f.Stream != tt.stream || fmt.Sprint(rooms) != fmt.Sprint(tt.rooms) || (tt.rooms == nil) != (f.Rooms == nil) {
			t.Errorf("%q: Stream %q, Rooms %q; want %q, %q", tt.args, f.Stream, rooms, tt.stream, tt.rooms)
		}
		if got := f.request().Rooms; fmt.Sprint(got) != fmt.Sprint(tt.rooms) {
			t.Errorf("%q: the request's rooms %q, want %q", tt.args, got, tt.rooms)
		}
	}
	f, err := parseRunFlags([]string{"--room-column", "Desk", "--lanes", "25", "--skip-blocked"})
	if err != nil || f.RoomColumn != "Desk" || f.Lanes != 25 || !f.SkipBlocked {
		t.Fatalf("parsed %+v, %v", f, err)
	}
	if req := f.request(); req.RoomColumn != "Desk" || req.Lanes != 25 || !req.SkipBlocked {
		t.Errorf("request %+v", req)
	}
	if _, err := parseRunFlags([]string{"--stream", "A", "--stream", "B", "--room", "C"}); err == nil ||
		!strings.Contains(err.Error(), `--stream "A" and --room "C" name two rooms`) || !strings.Contains(err.Error(), "repeat it for several rooms") {
		t.Errorf("--room beside other --streams: %v", err)
	}
	if _, err := parseRunFlags([]string{"--lanes"}); err == nil || err.Error() != "--lanes needs a value (rooms at once, 1 to 200)" {
		t.Errorf("--lanes alone: %v", err)
	}
	// a list naming each row's room needs no --stream
	if missing := missingRunFlags(runFlags{Config: "c", CSV: "u", RoomColumn: "room"}); len(missing) != 0 {
		t.Errorf("with --room-column, missing %v", missing)
	}
}

// TestEstatePrinterProgressCountsEveryRoom feeds the printer the events of
// three rooms on two lanes: the outcome lines name their room, the progress
// line counts every room's users and says how many rooms are done, running
// and queued, and the time left lays the queued room after the running ones.
func TestEstatePrinterProgressCountsEveryRoom(t *testing.T) {
	job := func(n int) *bulk.Job {
		p := testPlan(n)
		p.Interval, p.Estimate = 3*time.Second, time.Duration(n)*3*time.Second
		return &bulk.Job{Plan: p}
	}
	e := &bulk.Estate{EstateRequest: bulk.EstateRequest{Request: bulk.Request{Mode: bulk.ModeAdd}, Lanes: 2}}
	e.Lanes = []*bulk.Lane{{Index: 0, Given: "Rates", Job: job(10)}, {Index: 1, Given: "FX", Job: job(20)}, {Index: 2, Given: "Credit", Job: job(30)}}
	var buf bytes.Buffer
	p := newEstatePrinter(&buf, e)
	start := at(7, 0, 0)
	for lane, n := range []int{10, 20} {
		p.event(bulk.Event{Kind: bulk.EventStarted, Lane: lane, Time: start, Interval: 3 * time.Second, Totals: bulk.Totals{Actions: n, Members: 501}})
	}
	result := func(lane, i int, when time.Time) {
		it := e.Lanes[lane].Job.Plan.Actions[i]
		p.event(bulk.Event{Kind: bulk.EventResult, Lane: lane, Time: when,
			Result: &bulk.Result{Time: when, Item: it, Outcome: bulk.OutcomeAdded, Attempts: 1, Status: 200},
			Totals: bulk.Totals{Actions: len(e.Lanes[lane].Job.Plan.Actions), Done: i + 1, Added: i + 1, Members: 502 + i}})
	}
	for i := range 10 { // both rooms, one result each every 3 s
		when := start.Add(time.Duration(i+1) * 3 * time.Second)
		result(0, i, when)
		result(1, i, when)
	}
	p.event(bulk.Event{Kind: bulk.EventFinished, Lane: 0, Time: start.Add(31 * time.Second), Summary: &bulk.Summary{Totals: bulk.Totals{Actions: 10, Done: 10, Added: 10}}})
	p.event(bulk.Event{Kind: bulk.EventStarted, Lane: 2, Time: start.Add(31 * time.Second), Interval: 3 * time.Second, Totals: bulk.Totals{Actions: 30, Members: 501}})
	result(1, 10, start.Add(35*time.Second))
	out := buf.String()
	for _, want := range []string{
		fmt.Sprintf("07:00:03  line 2      %-6s %-20s %-20s %-9s 1 attempt\n", "Rates", "1000", "added", "HTTP 200"),
		"07:00:00  FX: pace: one change every 3s (the room has 501 members, over 500)\n",
		// 10 s after the start: 7 of 60; left: 6 and 16 users at 3 s on
		// the two lanes, then Credit's 90 s after the first
		"07:00:12  progress: 7 of 60 done (11%): 7 added, 0 already, 0 failed; rooms: 0 done, 2 running, 1 queued; about 1m48s left\n",
		"07:00:31  Rates: finished: 10 of 10 done\n",
		// FX's 9 left beside Credit's 30
		"07:00:35  progress: 21 of 60 done (35%): 21 added, 0 already, 0 failed; rooms: 1 done, 2 running, 0 queued; about 1m30s left\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the lines lack %q:\n%s", want, out)
		}
	}
}

// TestTerminatedEstateAbortsEveryRoomThenResumes: SIGTERM mid-run aborts
// the whole run as it aborts one room's (exit 3, the report written, each
// room's journal named); a restart without --resume is refused naming a
// room; with --resume every room finishes, and every user is added once in
// each room (one more at most per room, for the call the abort cut).
func TestTerminatedEstateAbortsEveryRoomThenResumes(t *testing.T) {
	bin := rosterBinary(t)
	pod := startPod(t, podsim.Options{Latency: 5 * time.Millisecond})
	rooms := []string{pod.Demo.Jumbo, jumboRoom(pod, "Estate Desk A", 0)}
	users := pod.Demo.Candidates[2100:2130]
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	out := filepath.Join(dir, "out")
	args := append([]string{"--config", pod.ConfigPath(), "--csv", csvPath, "--yes", "--no-tui", "--interval", "20ms", "--out", out},
		roomArgs(rooms...)...)

	p := startRoster(t, bin, args...)
	if !p.awaitOutcomes(t, 6) {
		t.Fatalf("the run ended before 6 outcomes:\n%s", p.output())
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != exitAborted {
		t.Fatalf("after SIGTERM: exit %d, want 3:\n%s", code, p.output())
	}
	text := p.stdoutText()
	for _, want := range []string{"The run was aborted at", "; aborted\n", "Journals", "--resume", "Exit code 3."} {
		if !strings.Contains(text, want) {
			t.Errorf("the aborted run's summary lacks %q:\n%s", want, p.output())
		}
	}
	if !strings.Contains(p.stderr.String(), "aborting: the call in flight is cancelled") {
		t.Errorf("stderr does not say the run is aborting:\n%s", p.output())
	}
	if _, err := os.Stat(reportPath(text)); err != nil {
		t.Errorf("the aborted run's report: %v\n%s", err, p.output())
	}
	if allMembers(t, pod, rooms[0], users) && allMembers(t, pod, rooms[1], users) {
		t.Fatal("every user was added before the abort took effect; the test needs a slower run")
	}
	settledState(t, pod)

	again := startRoster(t, bin, args...)
	if code := again.wait(t); code != exitInput || !strings.Contains(again.stderr.String(), "Room \"") ||
		!strings.Contains(again.stderr.String(), "add --resume") {
		t.Fatalf("a restart without --resume: exit %d, want 2 naming the room and --resume:\n%s", code, again.output())
	}
	resumed := startRoster(t, bin, append(args, "--resume")...)
	if code := resumed.wait(t); code != exitOK {
		t.Fatalf("resume: exit %d, want 0:\n%s", code, resumed.output())
	}
	st := pod.State()
	for i, room := range rooms {
		if !allMembers(t, pod, room, users) {
			t.Errorf("room %d: not every user is a member after the resume", i)
		}
	}
	extra := 0
	for _, u := range users {
		extra += podsimtest.Calls(st, u.ID).Add - len(rooms)
	}
	if extra > len(rooms) {
		t.Errorf("%d adds beyond one per room and user; at most one per room (the call the abort cut)", extra)
	}
}

// TestEstateRoomColumnNeedsNoStream: a list naming each row's room in a
// column (here named with --room-column, its header not a known one) runs
// without --stream; a list without one and no --stream gets the
// missing-flag words, as it always did.
func TestEstateRoomColumnNeedsNoStream(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	a, b := pod.Demo.Candidates[40], pod.Demo.Candidates[41]
	desks := writeFile(t, dir, "desks.csv", fmt.Sprintf("userId,Desk\n%d,%s\n%d,Credit Research\n%d,Credit Research\n", a.ID, pod.Demo.Small, b.ID, a.ID))
	r := runCmd(t, "--config", pod.ConfigPath(), "--csv", desks, "--room-column", "Desk", "--dry-run", "--out", dir)
	if r.code != exitOK || !strings.Contains(r.stdout, "Rooms     2 rooms, 2 at once") {
		t.Fatalf("a list with a room column:\n%s", r)
	}
	for _, row := range []string{`(?m)^  Rates Desk EMEA +1  12 -> 13 `, `(?m)^  Credit Research +2  480 -> 482 `} {
		if !regexp.MustCompile(row).MatchString(r.stdout) {
			t.Errorf("the preview has no row matching %q:\n%s", row, r)
		}
	}

	plain := writeFile(t, dir, "plain.csv", idCSV(a.ID))
	r = runCmd(t, "--config", pod.ConfigPath(), "--csv", plain, "--dry-run")
	want := "roster: --stream is needed to run without the wizard, as in:\n  roster --config config.json --csv users.csv --stream ID --yes\n" + runHint + "\n"
	if r.code != exitInput || r.stderr != want || r.stdout != "" {
		t.Errorf("no --stream and no room column: %s\nwant stderr %q", r, want)
	}
}
