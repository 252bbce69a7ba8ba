package main

import (
	"fmt"
	"io"
)

// runFlags are the run's flags (the CLI contract of DESIGN.md).
type runFlags struct {
	Config, Auth, CSV, Column, Stream string
	Remove                            bool
	Interval                          string
	Window                            string
	Weekends                          bool
	Out                               string
	Resume                            string // "" none, "auto" find it, else a journal path
	DryRun, Yes, NoTUI                bool
}

// cmdRun parses the run flags, then opens the wizard (terminal) or runs headless.
// Owned by the bulk work.
func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "roster: not implemented yet")
	return exitInput
}
