package ui

import tea "github.com/charmbracelet/bubbletea"

// The run screen and the summary take what they show from the job the
// preview started (shared.job), not from made.

// enter starts the run the preview confirmed.
func (s *runScreen) enter(made) tea.Cmd { return s.start() }

// enter: the summary is set by the root when the run is done.
func (s *summaryScreen) enter(made) tea.Cmd { return nil }
