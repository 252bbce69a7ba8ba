package ui

import (
	"testing"

	"roster/symphony"
)

func atStepRoom(t *testing.T, m *Model) *roomStep {
	t.Helper()
	atStep(t, m, stepRoom, syntheticPlan(3))
	m.made.session.Pod = &fakePod{
		rooms: map[string]symphony.Room{
			"A": {ID: "A", Name: "Desk Alpha", Active: true},
			"B": {ID: "B", Name: "Desk Beta"},
		},
		members: map[string][]symphony.Member{"B": {{UserID: 1, Owner: true}, {UserID: 2}, {UserID: 7}}},
	}
	return m.screens[stepRoom].(*roomStep)
}

// In the field letters are text, q included; ? is help everywhere, and
// the help bar keeps ? and a way to quit.
func TestRoomStepTypesIntoTheSearchEvenLettersThatAreKeys(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	press(t, m, "q", "x", "backspace", " ", "d")
	if m.quitting {
		t.Fatal("q in the search field is a letter, not quit")
	}
	if got := s.input.Value(); got != "q d" {
		t.Fatalf("input = %q", got)
	}
	v := m.View()
	mustContain(t, v, "Room: q d▏", "? more keys", "esc q quit", "tab to the list")
	press(t, m, "?")
	if got := s.input.Value(); got != "q d" || !m.fullHelp {
		t.Fatalf("? is help, not text: input %q, help %v", got, m.fullHelp)
	}
	press(t, m, "?")
	// esc leaves the field: q quits there
	press(t, m, "esc")
	if m.step != stepRoom || s.input.Focused() {
		t.Fatal("esc in the field leaves it and stays")
	}
	mustContain(t, m.View(), "q quit", "tab to the field")
	mustNotContain(t, m.View(), "esc q")
	press(t, m, "tab", "x")
	if got := s.input.Value(); got != "q dx" {
		t.Fatalf("tab returns to the field: input %q", got)
	}
	press(t, m, "tab", "q")
	if !m.quitting {
		t.Fatal("q out of the field quits")
	}
}

// The cursor moves in the field: a pasted ID with one wrong character is
// fixed where it is wrong.
func TestRoomStepFieldEditsAtTheCursor(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	settle(t, m, keyMsg("iWyZBIOdQQzQj0tKOLRivX___qu6YeyZdA=="))
	for i := 0; i < 10; i++ {
		press(t, m, "left")
	}
	mustContain(t, m.View(), "Room: iWyZBIOdQQzQj0tKOLRivX___q▏u6YeyZdA==")
	press(t, m, "backspace", "-")
	if got := s.input.Value(); got != "iWyZBIOdQQzQj0tKOLRivX___-u6YeyZdA==" {
		t.Fatalf("input = %q", got)
	}
	// home and end move in the field, not in the list
	press(t, m, "home", "x", "end", "y")
	if got := s.input.Value(); got != "xiWyZBIOdQQzQj0tKOLRivX___-u6YeyZdA==y" {
		t.Fatalf("input = %q", got)
	}
}

// Typing searches the pod once the keys pause: a search is due only for
// the newest edit, and an answer to an older query is dropped.
func TestRoomStepSearchesAsYouTypeDebouncedAndDropsStaleAnswers(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	var due []searchDueMsg
	for _, k := range []string{"d", "e", "s", "k"} {
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("an edit (%s) schedules a search", k)
		}
		due = append(due, searchDueMsg{edit: s.edit})
	}
	// the timers of the first three edits fire: no search, they are overtaken
	for _, d := range due[:3] {
		if _, cmd := m.Update(d); cmd != nil || s.searching {
			t.Fatalf("a search for edit %d of %d started", d.edit, s.edit)
		}
	}
	// the last one searches "desk"
	_, cmd := m.Update(due[3])
	if cmd == nil || !s.searching {
		t.Fatal("the newest edit's timer starts the search")
	}
	mustContain(t, m.View(), `Searching rooms for "desk"`)
	answer := cmd().(typedSearchMsg)
	if answer.found.query != "desk" || len(answer.found.rooms) != 2 {
		t.Fatalf("search answered %q with %d rooms", answer.found.query, len(answer.found.rooms))
	}
	// a key came while the pod answered: the answer is stale
	m.Update(keyMsg(" "))
	m.Update(answer)
	if s.results != nil {
		t.Fatal("the answer to an older query was shown")
	}
	// the answer to the newest edit is shown
	_, cmd = m.Update(searchDueMsg{edit: s.edit})
	m.Update(cmd())
	if len(s.results) != 2 || s.searched != "desk" {
		t.Fatalf("results %d for %q", len(s.results), s.searched)
	}
	mustContain(t, m.View(), `2 rooms match "desk"`, "Desk Alpha", "Desk Beta")
	// enter chooses from the list the field's query answers
	if !s.chosen() {
		t.Fatal("enter chooses from the list")
	}
	// emptied, the field shows no search
	for range "desk " {
		m.Update(keyMsg("backspace"))
	}
	_, cmd = m.Update(searchDueMsg{edit: s.edit})
	if cmd != nil || len(s.results) != 0 {
		t.Fatal("an empty field asks nothing")
	}
}

// A search typed after esc was pressed on an explicit look-up is not
// blocked, and the explicit look-up's late answer is dropped.
func TestRoomStepTypedSearchIsDroppedWhileAnExplicitLookUpRuns(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	s.input.SetValue("desk")
	s.edit++
	stale := typedSearchMsg{edit: s.edit, found: roomsFoundMsg{query: "desk", rooms: []RoomChoice{{}}, total: 1}}
	s.lookup()
	m.Update(stale)
	if s.results != nil {
		t.Fatal("a typed search answered over the explicit look-up")
	}
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
	if s.list.cursor != 1 {
		t.Fatalf("cursor = %d", s.list.cursor)
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
	// the pod knows no room by that ID, nor by that name (bulk.ResolveRoom)
	mustContain(t, m.View(), "Could not find the room", "as its stream ID or its", "copy the stream ID")
}

func TestRoomStepEscGoesBackAStep(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStepRoom(t, m)
	press(t, m, "esc", "esc") // the first leaves the field
	if m.step != stepCSV {
		t.Fatalf("step = %d", m.step)
	}
}

func TestRoomStepEscCancelsALookUp(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	s.input.SetValue("desk")
	cmd := s.lookup() // not run yet: a slow pod
	if !s.work.active() {
		t.Fatal("busy while searching")
	}
	m.Update(keyMsg("esc"))
	if s.work.active() || m.step != stepRoom {
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

// A long room list pages: after 30 downs the cursor's room is on screen.
func TestRoomStepListOfManyRoomsKeepsTheCursorOnScreen(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	var rooms []RoomChoice
	for i := 1; i <= 40; i++ {
		rooms = append(rooms, RoomChoice{Room: symphony.Room{ID: itoa(i), Name: "Desk " + itoa(i), Active: true}, Members: i})
	}
	s.input.SetValue("desk")
	settle(t, m, roomsFoundMsg{query: "desk", total: 40, rooms: rooms})
	for i := 0; i < 30; i++ {
		press(t, m, "down")
	}
	v := m.View()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "> Desk 31 ", "page ")
	if s.list.cursor != 30 {
		t.Fatalf("cursor %d", s.list.cursor)
	}
	// out of the field, j and k move too
	press(t, m, "tab", "k")
	mustContain(t, m.View(), "> Desk 30 ")
}
