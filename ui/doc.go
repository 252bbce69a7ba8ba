// Package ui is roster's wizard: a Bubble Tea program that walks through
// config, user list, room and preview, then shows the live run screen and
// the summary. ui/cli opens it (Run) when the run has a terminal. It is the
// only package that imports bubbletea, bubbles and lipgloss; it knows
// nothing of HTTP.
//
// It decides nothing the headless run decides: the preview plans and
// decides through bulk.Job (Request.Plan), the r key asks the job to decide
// again as --resume would, a run starts with Job.Start, and every sentence
// the two faces share comes from ui/words. The error box shows the client's
// Advice. The summary ends with the exit code the process returns, and
// Model.ExitCode is the job's: the run's code, the refusal's 2 when the
// wizard quits at a refused preview, 2 after bad input, 3 when it quits
// before a run.
//
// Shape: one root Model owns the step and a screen per step (step_*.go,
// run_screen.go, summary.go). Work runs in commands (commands.go) behind a
// spinner; screens announce completion with typed messages that the root
// handles before the next key. The run screen takes the runner's events one
// at a time and renders only the rows that fit. Keys are in keys.go, colours
// in theme.go, signals in signals.go. Slow work runs behind one busy
// helper (busy.go: spinner, esc cancels, a late answer is dropped), long
// content scrolls in a viewport with the question pinned below it
// (scroll.go), and lists are one paged pick list (picklist.go).
//
// A list with a room column is a run of many rooms (bulk.Estate): the room
// step is skipped, the preview plans every room (estate_preview.go), and
// the run screen is a line per room (estate_run.go), each room folding its
// own events into a single-room run screen that enter opens. The file
// browser is our own: bubbles' filepicker matches extensions
// case-sensitively and swallows read errors.
package ui
