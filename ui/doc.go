// Package ui is roster's terminal interface: a Bubble Tea wizard (config, CSV,
// room, preview), the live run screen and the summary. It is the only package
// that imports bubbletea, bubbles and lipgloss; it knows nothing of HTTP.
package ui
