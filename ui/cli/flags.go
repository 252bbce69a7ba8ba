package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"roster/symphony"
	"roster/symphony/bulk"
)

// runFlags are the run's flags (the CLI contract of DESIGN.md).
type runFlags struct {
	Config, Auth, CSV, Column, Stream string
	Remove                            bool
	Interval                          time.Duration // parsed once by parseRunFlags; 0 is the default pace
	Window                            *bulk.Window  // --window with --weekends; nil when none is set
	Weekends                          bool
	Out                               string
	Resume                            string // "" none, "auto" find it, else a journal path
	DryRun, Yes, NoTUI                bool
}

// resumeAuto is runFlags.Resume for a bare --resume: find the matching journal.
const resumeAuto = "auto"

// runHint ends every flag error, so that the reader knows where the list is.
const runHint = "Run `roster help` to see every flag."

// parseRunFlags reads the run flags as -flag or --flag, with a value after
// "=" or as the next argument, as the seed script took them. It checks the
// values that need no file or network (auth, interval, window).
func parseRunFlags(args []string) (runFlags, error) {
	var f runFlags
	fs := flag.NewFlagSet("roster", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are ours to word
	fs.StringVar(&f.Config, "config", "", "")
	fs.StringVar(&f.Auth, "auth", "", "")
	fs.StringVar(&f.CSV, "csv", "", "")
	fs.StringVar(&f.Column, "column", "", "")
	fs.StringVar(&f.Stream, "stream", "", "")
	var room, interval, window string
	fs.StringVar(&room, "room", "", "") // alias of --stream
	fs.BoolVar(&f.Remove, "remove", false, "")
	fs.StringVar(&interval, "interval", "", "")
	fs.StringVar(&window, "window", "", "")
	fs.BoolVar(&f.Weekends, "weekends", false, "")
	fs.StringVar(&f.Out, "out", "", "")
	fs.Var((*resumeValue)(&f.Resume), "resume", "")
	fs.BoolVar(&f.DryRun, "dry-run", false, "")
	fs.BoolVar(&f.Yes, "yes", false, "")
	fs.BoolVar(&f.NoTUI, "no-tui", false, "")

	norm, err := normaliseRunArgs(fs, args)
	if err != nil {
		return f, err
	}
	if err := fs.Parse(norm); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return f, err
		}
		return f, fmt.Errorf("%v", strings.Replace(err.Error(), " -", " --", 1))
	}
	if room != "" {
		if f.Stream != "" && f.Stream != room {
			return f, fmt.Errorf("--stream %q and --room %q name two rooms; --room is another name for --stream: give one", f.Stream, room)
		}
		f.Stream = room
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q: every value follows its flag, as in --csv users.csv", fs.Arg(0))
	}
	if err := f.check(); err != nil {
		return f, err
	}
	if f.Interval, err = parseInterval(interval); err != nil {
		return f, err
	}
	if f.Window, err = parseWindow(window, f.Weekends); err != nil {
		return f, err
	}
	return f, nil
}

// normaliseRunArgs gives the flag package what it can parse: it turns
// "--resume FILE" into "--resume=FILE" (the flag package has no optional
// values), and words unknown flags and missing values itself.
func normaliseRunArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" || arg == "-" || !strings.HasPrefix(arg, "-") {
			return append(out, args[i:]...), nil // the flag package stops here too
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		out = append(out, arg)
		if name == "h" || name == "help" {
			continue
		}
		fl := fs.Lookup(name)
		if fl == nil {
			return nil, fmt.Errorf("unknown flag %s", arg)
		}
		if hasValue {
			continue
		}
		if name == "resume" {
			if i+1 < len(args) && args[i+1] != "" && !strings.HasPrefix(args[i+1], "-") {
				out[len(out)-1] = "--resume=" + args[i+1]
				i++
			}
			continue
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 >= len(args) {
			return nil, fmt.Errorf("--%s needs a value%s", name, flagValueExample(name))
		}
		out = append(out, args[i+1])
		i++
	}
	return out, nil
}

// flagValueExample shows what a value flag expects, for error messages.
func flagValueExample(name string) string {
	switch name {
	case "config":
		return " (the bot's config.json or config.yaml)"
	case "csv":
		return " (the user list, such as users.csv)"
	case "stream", "room":
		return " (the room's stream ID)"
	case "auth":
		return ": rsa or cert"
	case "interval":
		return " such as 3s or 3"
	case "window":
		return " such as 18:00-08:00"
	case "out":
		return " (a folder)"
	case "column":
		return " (the user column's header)"
	}
	return ""
}

// check validates the values that need no file or network.
func (f *runFlags) check() error {
	f.Auth = strings.ToLower(strings.TrimSpace(f.Auth))
	switch f.Auth {
	case "", string(symphony.AuthRSA), string(symphony.AuthCert):
	default:
		return fmt.Errorf("--auth %q: expected rsa or cert (or leave it out: the config says which)", f.Auth)
	}
	return nil
}

// parseInterval reads --interval as a duration: a Go duration ("3s", "500ms") or
// plain seconds ("3", "0.5"), as the seed script's users may write it. 0
// means the default pace.
func parseInterval(raw string) (time.Duration, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return 0, nil
	}
	bad := fmt.Errorf("--interval %q: expected a duration such as 3s or 500ms, or plain seconds such as 3", raw)
	var d time.Duration
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(secs) || math.IsInf(secs, 0) || secs > 24*3600 {
			return 0, bad
		}
		d = time.Duration(secs * float64(time.Second))
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, bad
	}
	if d <= 0 {
		return 0, fmt.Errorf("--interval %q: the pace must be more than zero (Symphony asks for 3s in rooms over %d members)",
			raw, bulk.PaceThreshold)
	}
	if d > 24*time.Hour {
		return 0, fmt.Errorf("--interval %q: more than a day between changes; expected something like 3s", raw)
	}
	return d, nil
}

// parseWindow reads --window and --weekends; nil when no window is set.
func parseWindow(raw string, weekends bool) (*bulk.Window, error) {
	if strings.TrimSpace(raw) == "" {
		if weekends {
			return nil, errors.New("--weekends only applies with --window HH:MM-HH:MM")
		}
		return nil, nil
	}
	w, err := bulk.ParseWindow(strings.TrimSpace(raw), weekends)
	if err != nil {
		return nil, fmt.Errorf("--window: %v", err) // it quotes the value and says what is expected
	}
	return w, nil
}

// resumeValue is --resume: a flag that may stand alone (find the journal)
// or take a journal path.
type resumeValue string

func (r *resumeValue) String() string {
	if r == nil {
		return ""
	}
	return string(*r)
}

func (r *resumeValue) Set(v string) error {
	switch v {
	case "true":
		*r = resumeAuto
	case "false":
		*r = ""
	case "":
		return errors.New("--resume= needs a journal path, or leave out the '=' to find the journal by itself")
	case resumeAuto:
		*r = "./" + resumeAuto // a file really named "auto"
	default:
		*r = resumeValue(v)
	}
	return nil
}

// IsBoolFlag lets a bare --resume parse.
func (r *resumeValue) IsBoolFlag() bool { return true }
