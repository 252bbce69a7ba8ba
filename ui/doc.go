// Package ui is roster's terminal interface: a Bubble Tea wizard (config, CSV,
// room, preview), the live run screen and the summary. It is the only package
// that imports bubbletea, bubbles and lipgloss; it knows nothing of HTTP.
//
// Shape: one root Model owns the step and a screen per step (step_*.go,
// run_screen.go, summary.go). Work runs in commands (commands.go) behind a
// spinner; screens announce completion with typed messages that the root
// handles before the next key. The run screen takes the runner's events one
// at a time and renders only the rows that fit. Keys are in keys.go, colours
// in theme.go. The file browser and text field are our own: bubbles'
// filepicker, textinput and progress need modules roster does not carry,
// and the filepicker matches extensions case-sensitively.
package ui
