package ui

import (
	"testing"

	"roster/symphony"
)

func atStepRoom(t *testing.T, m *Model) *roomStep {
	t.Helper()
	atStep(t, m, stepRoom, syntheticPlan(3))
	m.sh.session.Pod = &fakePod{
		rooms: map[string]symphony.Room{
			"A": {ID: "A", Name: "Desk Alpha", Active: true},
			"B": {ID: "B", Name: "Desk Beta"},
		},
		members: map[string][]symphony.Member{"B": {{UserID: 1, Owner: true}, {UserID: 2}, {UserID: 7}}},
	}
	return m.screens[stepRoom].(*roomStep)
}

func TestLooksLikeStreamID(t *testing.T) {
	tests := []struct {
		in   string
		id   string
		isID bool
	}{
		{"iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA==", "iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA", true},
		{"iWyZBIOdQQzQj0tKOLRivX///qu6YeyZdA==", "iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA", true},
		{"  iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA  ", "iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA", true},
		{"Trading", "", false},
		{"Trading Desk EMEA rooms", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		id, ok := looksLikeStreamID(tt.in)
		if ok != tt.isID || id != tt.id {
			t.Errorf("looksLikeStreamID(%q) = %q, %v; want %q, %v", tt.in, id, ok, tt.id, tt.isID)
		}
	}
}

func TestRoomStepTypesIntoTheSearchEvenLettersThatAreKeys(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	press(t, m, "q", "?", "x", "backspace", " ", "d")
	if m.quitting {
		t.Fatal("q in the search field is a letter, not quit")
	}
	if got := s.input.Value(); got != "q? d" {
		t.Fatalf("input = %q", got)
	}
	mustContain(t, m.View(), "Room: q? d")
}

func TestRoomStepListsResultsWithMemberCountsAndState(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	s.input.SetValue("desk")
	settle(t, m, roomsFoundMsg{query: "desk", total: 3, rooms: []RoomChoice{
		{Room: symphony.Room{ID: "A", Name: "Desk Alpha", Active: true, Public: true}, Members: 1200, Owners: 2},
		{Room: symphony.Room{ID: "B", Name: "Desk Beta", Active: false}, Members: 12},
		{Room: symphony.Room{ID: "C", Name: "Desk Gamma", Active: true}, Members: -1, MembersErr: "403"},
	}})
	v := m.View()
	mustContain(t, v, `3 rooms match "desk"`, "Desk Alpha", "1,200", "active", "public", "Desk Beta", "deactivated", "Desk Gamma", "?")
	checkFits(t, v, 80, 24)

	press(t, m, "down")
	if s.cursor != 1 {
		t.Fatalf("cursor = %d", s.cursor)
	}
	// enter on an unchanged query chooses the highlighted room and reads it
	press(t, m, "enter")
	v = m.View()
	mustContain(t, v, "Desk Beta", "stream ID", "deactivated: members cannot be changed", "3 (1 owner)", "roster-bot is a member")

	m.Update(keyMsg("enter")) // the preview's plan command is not run here
	if m.step != stepPreview {
		t.Fatal("enter on the details goes on")
	}
}

func TestRoomStepEditedQuerySearchesAgain(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	s.input.SetValue("desk")
	settle(t, m, roomsFoundMsg{query: "desk", total: 1, rooms: []RoomChoice{{Room: symphony.Room{ID: "A", Name: "Desk Alpha", Active: true}}}})
	press(t, m, "a", "enter")
	if s.searched != "deska" || len(s.results) != 0 {
		t.Fatalf("searched %q, %d results", s.searched, len(s.results))
	}
	mustContain(t, m.View(), `No room matches "deska"`)
}

func TestRoomStepPastedIDIsReadDirectly(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	settle(t, m, keyMsg("iWyZBIOdQQzQj0tKOLRivX///qu6YeyZdA=="))
	press(t, m, "enter")
	if s.details != nil {
		t.Fatal("an unknown ID is not a room")
	}
	mustContain(t, m.View(), "Could not find the room", "Room not found", "check the stream ID")
}

func TestRoomStepEscGoesBackAStep(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStepRoom(t, m)
	press(t, m, "esc")
	if m.step != stepCSV {
		t.Fatalf("step = %d", m.step)
	}
}

func TestRoomStepEscCancelsALookUp(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	s.input.SetValue("desk")
	cmd := s.lookup() // not run yet: a slow pod
	if s.busy == "" {
		t.Fatal("busy while searching")
	}
	m.Update(keyMsg("esc"))
	if s.busy != "" || m.step != stepRoom {
		t.Fatal("esc cancels the look-up and stays")
	}
	for _, msg := range execCmd(cmd) {
		m.Update(msg)
	}
	if s.results != nil {
		t.Fatal("the cancelled answer is dropped")
	}
	press(t, m, "enter")
	if len(s.results) != 2 {
		t.Fatalf("a new search answers: %d results", len(s.results))
	}
}

func TestRoomStepCountOfOneIsSingular(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	s.input.SetValue("alpha")
	settle(t, m, roomsFoundMsg{query: "alpha", total: 1, rooms: []RoomChoice{
		{Room: symphony.Room{ID: "A", Name: "Desk Alpha", Active: true}, Members: 12, Owners: 2},
	}})
	v := m.View()
	mustContain(t, v, `1 room matches "alpha"`)
	mustNotContain(t, v, "1 rooms")
}
