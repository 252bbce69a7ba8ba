package ui

import (
	"strings"
	"testing"

	"roster/symphony/bulk"
)

func TestRootResizeReachesEveryScreen(t *testing.T) {
	m, r := runningAt(t, 80, 24, syntheticPlan(200))
	for i := 0; i < 200; i++ {
		send(m, resultEvent(i, i+1, bulk.OutcomeAdded, 200, "", bulk.Totals{Actions: 200}))
	}
	small := r.table.height
	checkFits(t, m.View(), 80, 24)
	m.Update(teaSize(120, 40))
	if r.table.height <= small || r.table.width != 120 {
		t.Fatalf("table %dx%d after a resize to 120x40", r.table.width, r.table.height)
	}
	checkFits(t, m.View(), 120, 40)
	m.Update(teaSize(80, 24))
	checkFits(t, m.View(), 80, 24)
}

func TestRootQuitsOnQOnlyWhenNothingRuns(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	press(t, m, "q")
	if !m.quitting {
		t.Fatal("q quits before a run")
	}
	if m.View() != "" {
		t.Fatal("nothing is left on the alternate screen")
	}
	if m.ExitCode() != 3 {
		t.Fatalf("quitting before a run is exit %d, want 3 (nothing done)", m.ExitCode())
	}
}

func TestRootCtrlCQuitsAtOnceBeforeARun(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStep(t, m, stepPreview, syntheticPlan(3))
	press(t, m, "ctrl+c")
	if !m.quitting {
		t.Fatal("ctrl+c quits before a run")
	}
}

func TestRootHelpToggles(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStep(t, m, stepPreview, syntheticPlan(3))
	settle(t, m, planBuiltMsg{job: jobFor(syntheticPlan(3))})
	before := m.View()
	press(t, m, "?")
	if !m.fullHelp || m.View() == before {
		t.Fatal("? shows the full help")
	}
	checkFits(t, m.View(), 80, 24)
}

func TestRootEscWalksBackToTheFirstStep(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStep(t, m, stepPreview, syntheticPlan(3))
	settle(t, m, planBuiltMsg{job: jobFor(syntheticPlan(3))})
	want := []step{stepRoom, stepRoom /* leaves the search field */, stepCSV, stepConfig, stepConfig}
	for _, w := range want {
		press(t, m, "esc")
		if m.step != w {
			t.Fatalf("esc: step %d, want %d", m.step, w)
		}
	}
}

func TestRootBannerOnEveryScreen(t *testing.T) {
	m := newSized(t, Options{Banner: "DEMO: simulated pod"}, 80, 24)
	for _, s := range []step{stepConfig, stepCSV, stepRoom, stepPreview, stepRun} {
		atStep(t, m, s, syntheticPlan(3))
		mustContain(t, m.View(), "DEMO: simulated pod")
		checkFits(t, m.View(), 80, 24)
	}
}

func TestRootTinyTerminalsDoNotBreak(t *testing.T) {
	for _, sz := range [][2]int{{20, 5}, {40, 10}, {1, 1}} {
		m := newSized(t, Options{Banner: "DEMO"}, sz[0], sz[1])
		for _, s := range []step{stepConfig, stepCSV, stepRoom, stepPreview, stepRun, stepSummary} {
			atStep(t, m, s, syntheticPlan(30))
			if s == stepPreview {
				settle(t, m, planBuiltMsg{job: jobFor(syntheticPlan(30, jumbo))})
			}
			if s == stepRun {
				for i := 0; i < 30; i++ {
					send(m, resultEvent(i, i+1, bulk.OutcomeFailed, 500, "server error", bulk.Totals{Actions: 30}))
				}
			}
			if v := m.View(); v == "" {
				t.Fatalf("%dx%d step %d: empty view", sz[0], sz[1], s)
			}
		}
	}
}

// The ? panel says how to close it, and the summary's lists q once.
func TestHelpPanelSaysHowToCloseItAndListsQOnce(t *testing.T) {
	for _, s := range []step{stepConfig, stepCSV, stepRoom, stepPreview, stepSummary} {
		m := newSized(t, Options{}, 80, 24)
		atStep(t, m, s, syntheticPlan(3))
		press(t, m, "?")
		if s == stepRoom && !m.fullHelp {
			t.Fatal("? in the room's search field is help")
		}
		v := m.View()
		mustContain(t, v, "close this panel")
		if n := strings.Count(v, "q quit"); n != 1 {
			t.Errorf("step %d: the panel lists q %d times:\n%s", s, n, v)
		}
		press(t, m, "?")
		mustNotContain(t, m.View(), "close this panel")
	}
}

// Under NO_COLOR (an ASCII profile, as in these tests) bold and reverse are
// gone: the breadcrumb marks the current step with brackets.
func TestBreadcrumbMarksTheStepWithoutColour(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStep(t, m, stepPreview, syntheticPlan(3))
	header := strings.Split(m.View(), "\n")[0]
	if !strings.Contains(header, "[Preview]") || strings.Count(header, "[") != 1 {
		t.Fatalf("header %q", header)
	}
}
