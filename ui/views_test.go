package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"roster/symphony"
)

func TestCountdown(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{-time.Second, "0s"},
		{30 * time.Millisecond, "30ms"},
		{1500 * time.Millisecond, "2s"},
		{59 * time.Second, "59s"},
		{200 * time.Second, "3m20s"},
		{2*time.Hour + 5*time.Minute + 10*time.Second, "2h05m"},
		{1000 * 3 * time.Second, "50m00s"},
	}
	for _, tt := range tests {
		if got := countdown(tt.in); got != tt.want {
			t.Errorf("countdown(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The room's search field edits as a field should: a paste with a line
// break stays one line, the limit holds, ctrl+w and ctrl+u delete.
func TestRoomFieldEditing(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	s := atStepRoom(t, m)
	s.input.CharLimit = 12
	type step struct {
		key  tea.KeyMsg
		want string
	}
	steps := []step{
		{keyMsg("Rates"), "Rates"},
		{keyMsg(" "), "Rates "},
		{keyMsg("desk"), "Rates desk"},
		{tea.KeyMsg{Type: tea.KeyCtrlW}, "Rates "},
		{tea.KeyMsg{Type: tea.KeyBackspace}, "Rates"},
		{tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\nAB"), Paste: true}, "Rates AB"},
		{keyMsg("0123456789"), "Rates AB0123"}, // the limit
		{tea.KeyMsg{Type: tea.KeyCtrlU}, ""},
		{tea.KeyMsg{Type: tea.KeyBackspace}, ""},
	}
	for i, st := range steps {
		m.Update(st.key)
		if got := s.input.Value(); got != st.want {
			t.Fatalf("step %d: %q, want %q", i, got, st.want)
		}
	}
}

func TestRootFullHelpFitsAt80x24OnEveryStep(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	press(t, m, "?")
	for _, s := range []step{stepConfig, stepCSV, stepPreview, stepRun, stepSummary} {
		atStep(t, m, s, syntheticPlan(3))
		checkFits(t, m.View(), 80, 24)
	}
}

// The error box says what the client advises, and adds nothing of its own:
// the screen reads no HTTP status and matches no error text.
func TestErrorBoxShowsTheClientsAdvice(t *testing.T) {
	st := NewStyles(DefaultTheme)
	refused := fmt.Errorf("build the plan: %w", &symphony.APIError{Op: "POST /pod/v1/room/{id}/membership/add", Status: 403,
		Message: "The user lacks the required entitlement to perform this operation", Class: symphony.ClassPermanent})
	box := ansi.Strip(errorBox(st, "Could not prepare the change", refused, 400))
	advice := symphony.Advice(refused)
	if advice == "" || !strings.Contains(box, "What to do: "+advice) {
		t.Errorf("the box does not show the client's advice %q:\n%s", advice, box)
	}
	if n := strings.Count(box, "HTTP 403"); n != 1 {
		t.Errorf("the box names HTTP 403 %d times, want once:\n%s", n, box)
	}
	plain := ansi.Strip(errorBox(st, "Could not read users.csv", errors.New("users.csv: line 3: no user"), 200))
	if strings.Contains(plain, "What to do") {
		t.Errorf("advice for an error the client does not know:\n%s", plain)
	}
}
