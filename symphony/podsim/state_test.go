package podsim

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestStateJSON(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("s", 3)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID, ppl[0]}, p.botID)})
	p.add(room, ppl[1])
	r := p.do("GET", "/_sim/state", "", nil) // no session needed
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var raw map[string]any
	r.json(t, &raw)
	for _, k := range []string{"rooms", "calls", "pacingViolations"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("state JSON lacks %q: %s", k, r.body)
		}
	}
	var got State
	r.json(t, &got)
	want := p.State()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("JSON state %+v\nGo state %+v", got, want)
	}
	rs, _ := got.Room(room)
	if rs.Name != "r" || !rs.Active || !reflect.DeepEqual(rs.Members, []int64{p.botID, ppl[0], ppl[1]}) ||
		!reflect.DeepEqual(rs.Owners, []int64{p.botID}) || got.Calls[ppl[1]].Add != 1 {
		t.Errorf("room state %+v, calls %+v", rs, got.Calls)
	}
	// State is a copy.
	want.Rooms[0].Members[0] = 0
	want.Calls[ppl[1]].Add = 99
	if again := p.State(); again.Rooms[0].Members[0] == 0 || again.Calls[ppl[1]].Add != 1 {
		t.Error("State shares memory with the pod")
	}
	if _, err := json.Marshal(p.State()); err != nil {
		t.Fatal(err)
	}
}
