package main

import (
	"fmt"
	"io"
)

// cmdCheck prints what would be read from a user list (roster check). Owned by the csvsource work.
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "roster check: not implemented yet")
	return exitInput
}
