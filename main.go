// Command roster adds many users to a Symphony chat room (or removes them)
// from a CSV, at the pace Symphony asks for, with a journal that makes every
// run resumable and a report of every user's outcome. The commands live in
// roster/ui/cli.
package main

import (
	"os"

	"roster/ui/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
