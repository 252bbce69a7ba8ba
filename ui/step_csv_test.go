package ui

import (
	"path/filepath"
	"testing"

	"roster/csvsource"
)

func TestCSVStepShowsCountsAndProblemsWithLinesBeforeGoingOn(t *testing.T) {
	m := newSized(t, Options{OfferCSVs: []string{"testdata/users.csv"}}, 80, 24)
	atStepCSV(m)
	mustContain(t, m.View(), "users.csv", "Browse for another file")

	press(t, m, "enter")
	if m.step != stepCSV {
		t.Fatal("the summary is shown before going on")
	}
	l := m.csv.list
	if l == nil {
		t.Fatalf("list not read: %v", m.screens[stepCSV].(*csvStep).err)
	}
	v := m.View()
	mustContain(t, v, "users.csv", "users to consider", "user IDs", "emails", "usernames", "duplicate")
	if len(l.Problems) == 0 {
		t.Fatal("the fixture has bad rows")
	}
	p := l.Problems[0]
	mustContain(t, v, "Problems, by line:", "line "+itoa(p.Line))
	checkFits(t, v, 80, 24)

	press(t, m, "enter")
	if m.step != stepRoom {
		t.Fatalf("enter goes on to the room; step = %d", m.step)
	}
}

func TestCSVStepErrorNamesTheFileAndStays(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "empty.csv")
	m := newSized(t, Options{StartDir: dir}, 80, 24)
	atStepCSV(m)
	if err := writeEmpty(filepath.Join(dir, "empty.csv")); err != nil {
		t.Fatal(err)
	}
	press(t, m, "enter")
	if m.step != stepCSV {
		t.Fatal("a bad file does not go on")
	}
	mustContain(t, m.View(), "Could not read", "empty.csv")
}

func TestCSVFlagSkipsTheStepWhenItReads(t *testing.T) {
	m := newSized(t, Options{CSVPath: "testdata/users.csv"}, 80, 24)
	atStepCSV(m)
	m.step = stepConfig
	settle(t, m, configDoneMsg{session: m.made.session})
	if m.step != stepRoom {
		t.Fatalf("--csv answers the step; step = %d", m.step)
	}
	// going back shows what was read, and does not skip again
	settle(t, m, backMsg{})
	if m.step != stepCSV {
		t.Fatalf("esc from the room goes back to the user list; step = %d", m.step)
	}
	mustContain(t, m.View(), "users to consider")
}

func TestCSVStepEscOnSummaryChoosesAnotherFile(t *testing.T) {
	m := newSized(t, Options{OfferCSVs: []string{"testdata/users.csv"}}, 80, 24)
	atStepCSV(m)
	press(t, m, "enter", "esc")
	mustContain(t, m.View(), "Browse for another file")
	if m.step != stepCSV {
		t.Fatal("esc on the summary stays on the step")
	}
}

// The problems the reader counted but did not keep (a file of many damaged
// rows) are in the "more" count, and a short list is not called the first.
func TestCSVSummaryCountsTheUnlistedProblems(t *testing.T) {
	l := &csvsource.List{Path: "big.csv", Problems: []csvsource.Problem{{Line: 2, Message: "not a user"}, {Line: 3, Message: "not a user"}}}
	l.Summary = csvsource.Summary{Entries: 10, Problems: 5002, Unlisted: 5000}
	v := csvSummaryView(NewStyles(DefaultTheme), l, 80)
	mustContain(t, v, "line 2", "line 3", "… and 5,000 more (roster check big.csv lists them all)")
	mustNotContain(t, v, "First problems")
}

// Every problem the reader kept can be read: the list scrolls at 80x24.
func TestCSVStepScrollsAListOfManyProblems(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStepCSV(m)
	s := m.screens[stepCSV].(*csvStep)
	l := &csvsource.List{Path: "bad.csv"}
	for i := 0; i < 40; i++ {
		l.Problems = append(l.Problems, csvsource.Problem{Line: i + 2, Message: "not a user ID, email or username"})
	}
	l.Summary = csvsource.Summary{Entries: 10, Problems: 40}
	s.list = l
	v := m.View()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "line 2 ", "↓ more below", "enter continue")
	mustNotContain(t, v, "line 41 ")
	press(t, m, "end")
	v = m.View()
	checkFits(t, v, 80, 24)
	mustContain(t, v, "line 41 ", "↑ more above")
	press(t, m, "pgup")
	mustNotContain(t, m.View(), "line 41 ")
}
