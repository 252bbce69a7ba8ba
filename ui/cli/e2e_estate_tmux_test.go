package cli

import (
	"regexp"
	"strings"
	"testing"
)

// demoRooms are the rooms of the demo's multi-room list, as it names them.
var demoRooms = []string{"All Staff Announcements", "Credit Research", "Rates Desk EMEA", "Project Falcon (archived)"}

// roomLine is the line of the screen that names a room (the first that does).
func roomLine(t *testing.T, screen, room string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, room) {
			return l
		}
	}
	t.Fatalf("no line names %q:\n%s", room, screen)
	return ""
}

// TestDemoManyRoomsInTmux runs `roster demo` with its multi-room list in a
// real 80x24 terminal: the preview's table of rooms and the question to
// leave out the deactivated room, the lanes screen's line per room while
// it runs, a room's own table and back, the summary's line per room, and
// the exit code of a run that left a room out (1).
func TestDemoManyRoomsInTmux(t *testing.T) {
	s, _, _ := demoInTmux(t, 80, 24)

	s.waitText("DEMO: simulated pod", "Step 1", "config.json")
	s.keys("Enter")
	s.waitText("Step 2", "demo-users.csv", "demo-rooms.csv")
	s.keys("Down", "Enter")
	s.waitText("users to consider", "in 4 rooms (the room column)")
	s.keys("Enter")
	sc := s.waitText("Step 4", "ROOM", "side by side", "press s")
	for _, room := range demoRooms[:3] {
		if l := roomLine(t, sc, room); !regexp.MustCompile(`\d+ -> \d`).MatchString(l) {
			t.Fatalf("the preview's line of %q has no members before -> after: %q", room, l)
		}
	}
	if l := roomLine(t, sc, "Project Falcon (archived)"); !strings.Contains(l, "✗") || !strings.Contains(l, "cannot run") {
		t.Fatalf("the deactivated room is not marked as one that cannot run: %q", l)
	}
	if !strings.Contains(roomLine(t, sc, "All Staff Announcements"), "jumbo") {
		t.Fatalf("the jumbo room's warnings are not in its line:\n%s", sc)
	}
	planned := number(t, sc, `Add (\d+) users to 3 rooms`)
	s.keys("s")
	s.waitText("Really add", "y: yes")
	s.keys("y")
	s.waitText("leave out the 1 room that cannot run")
	s.keys("y")

	// the lanes screen: a line per room, the left-out room said as such
	sc = s.waitText("ROOM", "PROGRESS", "STATE", "left out")
	for _, room := range demoRooms[:3] {
		if l := roomLine(t, sc, room); !regexp.MustCompile(`\d+/\d+`).MatchString(l) {
			t.Fatalf("the run's line of %q has no progress: %q\n%s", room, l, sc)
		}
	}
	checkScreenFits(t, sc, 80, 24)
	// a room's own table, then back to every room
	s.keys("Down", "Enter")
	s.waitText("Room 2 of 4", `"Credit Research"`, "LINE", "esc all rooms")
	s.keys("Escape")
	s.waitText("PROGRESS", "All Staff Announcements")

	sc = s.waitText("The run finished", "Report:", "Journals, by room:")
	done := 0
	for _, room := range demoRooms[:3] {
		l := roomLine(t, sc, room)
		m := regexp.MustCompile(`(\d+)/(\d+)`).FindStringSubmatch(l)
		if m == nil || m[1] != m[2] || !strings.HasSuffix(strings.TrimSpace(l), "done") {
			t.Fatalf("the summary's line of %q: %q\n%s", room, l, sc)
		}
		done += number(t, m[0], `^(\d+)/`)
	}
	if done != planned {
		t.Fatalf("the rooms did %d of the %d users planned:\n%s", done, planned, sc)
	}
	if !strings.Contains(sc, "left out: Project Falcon (archived)") {
		t.Fatalf("the summary does not say a room was left out:\n%s", sc)
	}
	s.keys("q")
	sc = s.waitText("ROSTER-EXIT=")
	if code := number(t, sc, `ROSTER-EXIT=(\d+)`); code != 1 {
		t.Fatalf("exit code %d, want 1 (a room left out):\n%s", code, sc)
	}
}

// checkScreenFits fails when a captured screen is wider or taller than
// the terminal (tmux pads nothing: a longer line was wrapped).
func checkScreenFits(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if len(lines) > h {
		t.Fatalf("%d lines on a %d-line terminal:\n%s", len(lines), h, screen)
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > w {
			t.Fatalf("a line of %d cells on a %d-column terminal: %q", n, w, l)
		}
	}
}
