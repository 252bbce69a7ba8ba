package ui

import tea "github.com/charmbracelet/bubbletea"

// signalAbortMsg is a SIGTERM or SIGINT from outside that came during a run.
type signalAbortMsg struct{}

// signalFilter keeps a signal from cutting a run short. Bubble Tea turns
// SIGTERM (kill, a closing session) into QuitMsg and SIGINT (when the input
// is not a terminal) into InterruptMsg, and either ends the program at once:
// during a run that would leave the run going while the process exits, with
// no report written. Instead the run is aborted as `x` aborts it, and the
// program quits once the summary is in. Bubble Tea stops listening after the
// first signal, so a second one ends the process at once (the journal is on
// disk up to the last finished user).
func signalFilter(tm tea.Model, msg tea.Msg) tea.Msg {
	m, ok := tm.(*Model)
	if !ok {
		return msg
	}
	switch msg.(type) {
	case tea.QuitMsg, tea.InterruptMsg:
		if m.step == stepRun && m.run.running() && !m.quitting {
			return signalAbortMsg{}
		}
	}
	return msg
}

// abortOnSignal aborts the run and quits once its summary is in.
func (m *Model) abortOnSignal() tea.Cmd {
	m.quitAfterRun = true
	m.run.abort()
	m.run.note = "Signal received: aborting the run; the report is written, then roster exits."
	return nil
}
