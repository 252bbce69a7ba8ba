package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
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

func TestTextFieldEditing(t *testing.T) {
	f := textField{limit: 12}
	type step struct {
		key  tea.KeyMsg
		want string
	}
	steps := []step{
		{keyMsg("Rates"), "Rates"},
		{tea.KeyMsg{Type: tea.KeySpace}, "Rates "},
		{keyMsg("desk"), "Rates desk"},
		{tea.KeyMsg{Type: tea.KeyCtrlW}, "Rates "},
		{tea.KeyMsg{Type: tea.KeyBackspace}, "Rates"},
		{tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\nAB\tC"), Paste: true}, "RatesABC"},
		{keyMsg("0123456789"), "RatesABC0123"}, // the limit
		{tea.KeyMsg{Type: tea.KeyCtrlU}, ""},
		{tea.KeyMsg{Type: tea.KeyBackspace}, ""},
	}
	for i, s := range steps {
		f.update(s.key)
		if got := f.Value(); got != s.want {
			t.Fatalf("step %d: %q, want %q", i, got, s.want)
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
