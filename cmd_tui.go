package main

import (
	"fmt"
	"io"
)

// runTUI opens the wizard with whatever the flags fill in. Owned by the ui work.
func runTUI(f runFlags, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "roster: the wizard is not implemented yet")
	return exitInput
}

// cmdDemo runs the wizard against a built-in simulated pod (roster demo). Owned by the ui work.
func cmdDemo(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "roster demo: not implemented yet")
	return exitInput
}
