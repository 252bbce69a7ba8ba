package main

import (
	"fmt"
	"io"
)

// cmdSim serves the simulated pod (roster sim). Owned by the podsim work.
func cmdSim(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "roster sim: not implemented yet")
	return exitInput
}
