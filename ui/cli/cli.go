// Package cli is roster's command line: the commands (the run, check, sim,
// demo, version and help), their flags, signals, exit codes, and the headless
// face, the line printer a run prints through when there is no terminal
// (headless_plan.go, headless_print.go).
//
// Every command reads its flags with one parser (flagSet, cmdline.go):
// -flag or --flag, the value after "=" or as the next argument, help
// anywhere, and one wording for a wrong flag, which exits 2 with a hint to
// the help. The run's flags are parsed once, into typed fields (runFlags,
// flags.go). The run decides nothing itself: the headless face prepares,
// decides and starts through bulk.Job, says everything through ui/words
// and returns the job's exit code; in a terminal the run opens the wizard,
// package ui. This package does not import Bubble Tea itself.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"roster/symphony/bulk"
)

// Exit codes of the CLI contract: the job's, under short names.
const (
	exitOK      = bulk.ExitOK
	exitFailed  = bulk.ExitFailed
	exitInput   = bulk.ExitInput
	exitAborted = bulk.ExitAborted
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
		case "help":
			return cmdHelp(args[1:], stdout, stderr)
		case "version":
			return cmdVersion(args[1:], stdout, stderr)
		}
	}
	if asksVersion(args) {
		return cmdVersion(nil, stdout, stderr)
	}
	return cmdRun(args, stdin, stdout, stderr)
}

// asksVersion reports whether the run's flags hold -version or --version
// (or --version=true).
func asksVersion(args []string) bool {
	for _, arg := range args {
		if arg == "--" {
			return false
		}
		if name, value, hasValue, ok := splitFlag(arg); ok && name == "version" {
			if on, err := strconv.ParseBool(value); !hasValue || (err == nil && on) {
				return true
			}
		}
	}
	return false
}

// cmdVersion prints roster's version (roster version, roster --version).
func cmdVersion(args []string, stdout, stderr io.Writer) int {
	rest, err := newFlagSet().parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, "Usage: roster version (or roster --version)\n\nPrints roster's version.\n")
		return exitOK
	}
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected argument %q: roster version takes none", rest[0])
	}
	if err != nil {
		return usageFailed(stderr, "roster version", err)
	}
	fmt.Fprintf(stdout, "roster %s\n", versionString())
	return exitOK
}

// cmdHelp prints the usage (roster help), or a command's (roster help check).
func cmdHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	switch args[0] {
	case "demo", "sim", "check", "version":
		return Main([]string{args[0], "--help"}, nil, stdout, stderr)
	case "run", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "roster help: no command %q: the commands are demo, sim, check and version\n%s\n", args[0], runHint)
	return exitInput
}

const usage = `roster adds users to a Symphony room (or removes them) from a CSV, safely paced.

Usage:
  roster [flags]                 the wizard in a terminal; the headless run otherwise
  roster demo                    the whole wizard against a built-in simulated pod
  roster sim --dir DIR           serve a simulated pod and write a working config into DIR
  roster check FILE              show what would be read from a user list
  roster version                 print roster's version (also roster --version)
  roster help [COMMAND]          print this help, or a command's (also roster COMMAND --help)

Run flags:
  --config FILE      legacy config.json or BDK 2.0 config.yaml
  --auth rsa|cert    authentication (default: inferred from the config)
  --csv FILE         the user list (IDs, emails or usernames)
  --column NAME      the user column, when the header is ambiguous
  --stream ROOM      the room: its stream ID (either base64 form) or exact name;
                     several times for several rooms (alias --room)
  --room-column NAME the list's column naming each row's room (ID or name)
  --lanes N          rooms run at once, 1 to 200
                     (default 10: ten paced rooms make about 3 changes a second)
  --skip-blocked     run the other rooms when a room cannot run (exit 1)
  --remove           remove the users instead of adding them
  --allow-removing-last-owner
                     let --remove take every owner of the room but the bot
                     (refused otherwise, exit 2)
  --interval D       pace between changes above 500 members (default 3s)
  --max-wait D       the longest single wait for the pod (default 15m); a pod
                     asking for longer stops the run, resumable (exit 3)
  --max-outage D     stop when the pod has not answered at all for D (default 5m)
  --window HH:MM-HH:MM  only change members inside this daily window
  --weekends         weekends are open all day for --window
  --out DIR          where the journal and report go (default .)
  --resume [FILE]    resume the unfinished journal that matches (or FILE)
  --dry-run          print the plan and change nothing
  --yes              change members without asking (needed with no terminal)
  --no-tui           never open the wizard
  --version          print roster's version
  -h, --help         print this help

Every command reads its flags alike: -flag or --flag, the value after "=" or as
the next argument.

Exit codes: 0 all done, 1 some users failed, 2 bad input or config, 3 aborted.
`
