package words

import (
	"errors"
	"strings"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/bulk"
)

// estateOf is an estate of planned rooms: each a name, its changes, its
// estimate, and its decision's verdict.
func estateOf(lanes int, rooms ...*bulk.Lane) *bulk.Estate {
	e := &bulk.Estate{EstateRequest: bulk.EstateRequest{Request: bulk.Request{Mode: bulk.ModeAdd}, Lanes: lanes}, Lanes: rooms}
	e.Decision = bulk.EstateDecision{Verdict: bulk.Ready, Lane: -1}
	for i, l := range rooms {
		l.Index = i
		if l.CannotRun() {
			e.Decision.Blocked = append(e.Decision.Blocked, i)
		}
	}
	return e
}

func roomLane(name string, changes, before int, estimate time.Duration, v bulk.Verdict) *bulk.Lane {
	p := &bulk.Plan{Room: symphony.Room{Name: name}, Mode: bulk.ModeAdd, Interval: 3 * time.Second,
		MembersBefore: before, MembersAfter: before + changes, Estimate: estimate, Actions: make([]bulk.Item, changes)}
	j := &bulk.Job{Plan: p}
	j.Decision.Verdict = v
	return &bulk.Lane{Given: name, StreamID: name + "-id", Job: j}
}

func TestEstateWords(t *testing.T) {
	fx := roomLane("FX", 40, 12, 2*time.Second, bulk.Ready)
	credit := roomLane("Credit", 100, 480, 5*time.Minute, bulk.Ready)
	jumbo := roomLane("All Staff", 200, 1200, 10*time.Minute, bulk.Ready)
	jumbo.Job.Plan.Warnings = []bulk.Warning{{Level: bulk.LevelWarn, Code: "pace"}, {Level: bulk.LevelWarn, Code: "jumbo"}, {Level: bulk.LevelInfo, Code: "external"}}
	done := roomLane("Done", 0, 30, 0, bulk.NothingToDo)
	e := estateOf(2, fx, credit, jumbo, done)

	if got, want := RoomsAtOnce(e), "4 rooms, 3 to run, 2 at once"; got != want {
		t.Errorf("RoomsAtOnce = %q, want %q", got, want)
	}
	// FX (2s) and Credit (5m) on the two lanes, then All Staff after FX: 10m02s
	if got, want := EstateEstimate(e), "about 10m02s with the rooms side by side (3 rooms laid into 2 lanes as they come free), against 15m02s one room after another"; got != want {
		t.Errorf("EstateEstimate = %q\nwant %q", got, want)
	}
	for _, tt := range []struct {
		l    *bulk.Lane
		want []string
	}{
		{fx, []string{"FX", "40", "12 -> 52", "none", "2s", ""}},
		{jumbo, []string{"All Staff", "200", "1,200 -> 1,400", "3s", "10m00s", "jumbo"}},
		{done, []string{"Done", "0", "30 -> 30", "none", "0s", "nothing to do"}},
		{&bulk.Lane{Given: "Nowhere", Err: errors.New("no room")}, []string{"Nowhere", "-", "-", "-", "-", "cannot run"}},
	} {
		if got := RoomCells(tt.l); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("RoomCells(%s) = %q, want %q", tt.l.Name(), got, tt.want)
		}
	}
	if len(RoomCells(fx)) != len(RoomTable) {
		t.Errorf("a row has %d cells for %d headers", len(RoomCells(fx)), len(RoomTable))
	}
}

func TestEstateRefusalNamesTheRoom(t *testing.T) {
	fx := roomLane("FX", 40, 12, 2*time.Second, bulk.Ready)
	busy := roomLane("Rates", 3, 12, time.Second, bulk.Unfinished)
	busy.Given = "abc-stream-id"
	busy.Job.Decision.Journal, busy.Job.Decision.Done = "out/roster-rates.jsonl", 7
	e := estateOf(10, fx, busy)
	e.Decision = bulk.EstateDecision{Verdict: bulk.Unfinished, Lane: 1}
	got := EstateRefusal(e, Headless)
	if !strings.HasPrefix(got, `Room "Rates" (abc-stream-id): An unfinished run`) || !strings.Contains(got, "add --resume") {
		t.Errorf("EstateRefusal = %q", got)
	}

	dead := roomLane("Falcon", 3, 10, time.Second, bulk.Blocked)
	dead.Job.Decision.Blocks = []bulk.Warning{{Level: bulk.LevelBlock, Code: "deactivated", Message: `the room "Falcon" is deactivated`}}
	e = estateOf(10, fx, dead, &bulk.Lane{Given: "Nowhere", Err: errors.New(`no room the bot can see is named "Nowhere"`)})
	e.Decision.Verdict, e.Decision.Lane = bulk.Blocked, 1
	want := "The run cannot start: 2 rooms cannot run:\n" +
		"  \"Falcon\": the room \"Falcon\" is deactivated\n" +
		"  \"Nowhere\": no room the bot can see is named \"Nowhere\"\n" +
		"Nothing was changed. To run the other rooms without them, run again with --skip-blocked."
	if got := EstateRefusal(e, Headless); got != want {
		t.Errorf("blocked:\n got %q\nwant %q", got, want)
	}
	// a face with no way to leave rooms out gives no advice
	if got := CannotRun(e, Face{}); strings.Contains(got, "skip") || !strings.HasSuffix(got, "Nothing was changed.") {
		t.Errorf("CannotRun without advice = %q", got)
	}
	if got := LeftOut([]string{"Falcon", "Nowhere"}); got != "left out: Falcon, Nowhere" {
		t.Errorf("LeftOut = %q", got)
	}
}
