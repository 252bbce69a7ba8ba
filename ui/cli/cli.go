// Package cli holds roster's commands (the run, check, sim and demo), their
// flags, signals and exit codes, and the headless face: the line printer a run
// prints through when there is no terminal. It does not import Bubble Tea:
// the wizard is package ui, which the run opens when there is a terminal.
package cli

import (
	"fmt"
	"io"
)

// Exit codes of the CLI contract.
const (
	exitOK      = 0 // everything done
	exitFailed  = 1 // some users failed
	exitInput   = 2 // bad input or config
	exitAborted = 3 // aborted, or stopped by itself
)

// Main runs roster with the command line args (without the program name)
// and returns the process's exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "demo":
			return cmdDemo(args[1:], stdout, stderr)
		case "sim":
			return cmdSim(args[1:], stdout, stderr)
		case "check":
			return cmdCheck(args[1:], stdout, stderr)
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
			return exitOK
		}
	}
	return cmdRun(args, stdin, stdout, stderr)
}

const usage = `roster adds users to a Symphony room (or removes them) from a CSV, safely paced.

Usage:
  roster [flags]                 the wizard in a terminal; the headless run otherwise
  roster demo                    the whole wizard against a built-in simulated pod
  roster sim --dir DIR           serve a simulated pod and write a working config into DIR
  roster check FILE              show what would be read from a user list

Run flags:
  --config FILE      legacy config.json or BDK 2.0 config.yaml
  --auth rsa|cert    authentication (default: inferred from the config)
  --csv FILE         the user list (IDs, emails or usernames)
  --column NAME      the user column, when the header is ambiguous
  --stream ID        the room's stream ID, either base64 form (alias --room)
  --remove           remove the users instead of adding them
  --interval D       pace between changes above 500 members (default 3s)
  --window HH:MM-HH:MM  only change members inside this daily window
  --weekends         weekends are open all day for --window
  --out DIR          where the journal and report go (default .)
  --resume [FILE]    resume the unfinished journal that matches (or FILE)
  --dry-run          print the plan and change nothing
  --yes              change members without asking (needed with no terminal)
  --no-tui           never open the wizard

Exit codes: 0 all done, 1 some users failed, 2 bad input or config, 3 aborted.
`
