package ui

import (
	"fmt"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// PrepareTerminal settles colours before the program starts: NO_COLOR turns
// them off, and the background is queried now because adaptive colours would
// otherwise query the terminal while Bubble Tea owns it.
func PrepareTerminal() {
	if os.Getenv("NO_COLOR") != "" {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	lipgloss.SetHasDarkBackground(lipgloss.HasDarkBackground())
}

// Run opens the wizard on the terminal, and when it ends prints the summary
// on the normal screen (the alternate screen is cleared). It returns the CLI
// contract's exit code.
func Run(opts Options, stdout io.Writer) (int, error) {
	PrepareTerminal()
	m := New(opts)
	final, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithFilter(signalFilter)).Run()
	if err != nil {
		return 3, fmt.Errorf("terminal: %w", err)
	}
	fm := final.(*Model)
	fm.Close()
	if rep := fm.FinalReport(); rep != "" {
		fmt.Fprint(stdout, rep)
	}
	return fm.ExitCode(), nil
}

// Close releases the pod client's connections.
func (m *Model) Close() {
	if m.sh.session == nil {
		return
	}
	if c, ok := m.sh.session.Pod.(interface{ Close() }); ok {
		c.Close()
	}
}
