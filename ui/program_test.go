package ui

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestPrepareTerminalHonoursNoColor(t *testing.T) {
	prev := lipgloss.ColorProfile()
	t.Cleanup(func() { lipgloss.SetColorProfile(prev) })
	lipgloss.SetColorProfile(termenv.TrueColor)
	t.Setenv("NO_COLOR", "1")
	PrepareTerminal()
	if lipgloss.ColorProfile() != termenv.Ascii {
		t.Fatal("NO_COLOR must turn colours off")
	}
	if out := NewStyles(DefaultTheme).Bad.Render("failed"); out != "failed" {
		t.Fatalf("styled text with NO_COLOR: %q", out)
	}
}
