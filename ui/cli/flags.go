package cli

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"roster/symphony"
	"roster/symphony/bulk"
)

// runFlags are the run's flags (the CLI contract of DESIGN.md).
type runFlags struct {
	Config, Auth, CSV, Column, Stream string
	Remove, AllowRemovingLastOwner    bool
	Interval                          time.Duration // parsed once by parseRunFlags; 0 is the default pace
	Window                            *bulk.Window  // --window with --weekends; nil when none is set
	Weekends                          bool
	Out                               string
	Resume                            resumeFlag
	DryRun, Yes, NoTUI                bool
	MaxWait, MaxOutage                time.Duration // 0 = the config's (or the default)

	// Rooms are every room given (--stream or --room, each a stream ID or
	// a room's exact name) when more than one is; nil for one, which is
	// Stream. A pointer keeps runFlags comparable.
	Rooms       *[]string
	RoomColumn  string // the list's room column, when the operator names it
	Lanes       int    // rooms at once; 0 = bulk.DefaultLanes
	SkipBlocked bool   // start without the rooms that cannot run

	given *roomFlags // the --stream and --room values while parsing; nil after
}

// resumeFlag is --resume, parsed once: not given, given alone (find this
// run's journal in the out folder) or given a journal file.
type resumeFlag struct {
	kind resumeKind
	file string // the journal; set for resumeFile only
}

type resumeKind uint8

const (
	resumeNone resumeKind = iota // no --resume: an unfinished journal of this run refuses it
	resumeFind                   // --resume alone: the journal of this run in the out folder
	resumeFile                   // --resume FILE: that journal ("auto" is a file too)
)

// parseResume reads the value given to --resume (a journal file).
func parseResume(v string) (resumeFlag, error) {
	if strings.TrimSpace(v) == "" {
		return resumeFlag{}, flagError("--resume= needs a journal path, or leave out the '=' to find the journal by itself")
	}
	return resumeFlag{kind: resumeFile, file: v}, nil
}

// choice is the flag as the job takes it.
func (r resumeFlag) choice() bulk.ResumeChoice {
	switch r.kind {
	case resumeFind:
		return bulk.ResumeChoice{Auto: true}
	case resumeFile:
		return bulk.ResumeChoice{File: r.file}
	}
	return bulk.ResumeChoice{}
}

// runHint ends every flag error, so that the reader knows where the list is.
const runHint = "Run `roster help` to see every flag."

// parseRunFlags reads the run flags as every command reads its flags (see
// flagSet): -flag or --flag, with a value after "=" or as the next argument,
// as the seed script took them. It parses and checks the values that need no
// file or network (auth, interval, window) once, into typed fields.
func parseRunFlags(args []string) (runFlags, error) {
	var f runFlags
	var room, window string
	rest, err := runFlagSet(&f, &room, &window).parse(args)
	given := f.given
	f.given = nil
	if err != nil {
		return f, err
	}
	if err := given.set(&f); err != nil {
		return f, err
	}
	if len(rest) > 0 {
		return f, fmt.Errorf("unexpected argument %q: every value follows its flag, as in --csv users.csv", rest[0])
	}
	if f.Window, err = parseWindow(window, f.Weekends); err != nil {
		return f, err
	}
	return f, nil
}

// roomFlags are the --stream and --room values as given, in order.
type roomFlags struct{ stream, room []string }

// set puts the rooms given into f: one room in Stream (as it always was),
// several in Rooms too. --room is another name for --stream: the same
// room under both is one room, and two different rooms under the two
// names are refused, since the operator may have meant one to replace the
// other. A room given twice is one room.
func (r *roomFlags) set(f *runFlags) error {
	if r == nil {
		return nil
	}
	all := r.stream
	if len(r.stream) == 0 {
		all = r.room
	}
	for _, v := range r.room {
		if len(r.stream) > 0 && !slices.Contains(r.stream, v) {
			return fmt.Errorf("--stream %q and --room %q name two rooms; --room is another name for --stream: give one (repeat it for several rooms: --stream A --stream B)", r.stream[0], v)
		}
	}
	var rooms []string
	for _, v := range all {
		if !slices.Contains(rooms, v) {
			rooms = append(rooms, v)
		}
	}
	if len(rooms) == 0 {
		return nil
	}
	f.Stream = rooms[0]
	if len(rooms) > 1 {
		f.Rooms = &rooms
	}
	return nil
}

// runFlagSet is the run's flags, set into f; --window is kept as given,
// and so are the values of --stream and --room (in f.given; room gets the
// last --room), for parseRunFlags to check with the others.
func runFlagSet(f *runFlags, room, window *string) *flagSet {
	given := func() *roomFlags {
		if f.given == nil {
			f.given = &roomFlags{}
		}
		return f.given
	}
	fs := newFlagSet()
	fs.str("config", " (the bot's config.json or config.yaml)", &f.Config)
	fs.value("auth", ": rsa or cert", func(v string) error {
		f.Auth = v
		return f.check()
	})
	fs.str("csv", " (the user list, such as users.csv)", &f.CSV)
	fs.str("column", " (the user column's header)", &f.Column)
	fs.value("stream", " (the room's stream ID)", func(v string) error {
		given().stream = append(given().stream, v)
		return nil
	})
	fs.value("room", " (the room's stream ID)", func(v string) error { // alias of --stream
		*room = v
		given().room = append(given().room, v)
		return nil
	})
	fs.str("room-column", " (the room column's header)", &f.RoomColumn)
	fs.value("lanes", fmt.Sprintf(" (rooms at once, 1 to %d)", bulk.MaxLanes), func(v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > bulk.MaxLanes {
			return flagErrorf("--lanes %q: expected a whole number of rooms at once, from 1 to %d (default %d)", v, bulk.MaxLanes, bulk.DefaultLanes)
		}
		f.Lanes = n
		return nil
	})
	fs.boolean("skip-blocked", &f.SkipBlocked)
	fs.boolean("remove", &f.Remove)
	fs.boolean("allow-removing-last-owner", &f.AllowRemovingLastOwner)
	fs.value("interval", " such as 3s or 3", func(v string) (err error) {
		f.Interval, err = parseInterval(v)
		return err
	})
	fs.value("max-wait", " such as 15m", func(v string) (err error) {
		f.MaxWait, err = parseLimit("max-wait", v)
		return err
	})
	fs.value("max-outage", " such as 5m", func(v string) (err error) {
		f.MaxOutage, err = parseLimit("max-outage", v)
		return err
	})
	fs.str("window", " such as 18:00-08:00", window)
	fs.boolean("weekends", &f.Weekends)
	fs.str("out", " (a folder)", &f.Out)
	fs.optional("resume", func() { f.Resume = resumeFlag{kind: resumeFind} }, func(v string) (err error) {
		f.Resume, err = parseResume(v)
		return err
	})
	fs.boolean("dry-run", &f.DryRun)
	fs.boolean("yes", &f.Yes)
	fs.boolean("no-tui", &f.NoTUI)
	fs.boolean("version", new(bool)) // Main prints the version before the run (see asksVersion)
	return fs
}

// check validates --auth, which the config may also give.
func (f *runFlags) check() error {
	f.Auth = strings.ToLower(strings.TrimSpace(f.Auth))
	switch f.Auth {
	case "", string(symphony.AuthRSA), string(symphony.AuthCert):
	default:
		return flagErrorf("--auth %q: expected rsa or cert (or leave it out: the config says which)", f.Auth)
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
	bad := flagErrorf("--interval %q: expected a duration such as 3s or 500ms, or plain seconds such as 3", raw)
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
		return 0, flagErrorf("--interval %q: the pace must be more than zero (Symphony asks for 3s in rooms over %d members)",
			raw, bulk.PaceThreshold)
	}
	if d > 24*time.Hour {
		return 0, flagErrorf("--interval %q: more than a day between changes; expected something like 3s", raw)
	}
	return d, nil
}

// parseLimit reads --max-wait or --max-outage: a Go duration ("15m") or
// plain seconds ("900"), from one second to a week.
func parseLimit(name, raw string) (time.Duration, error) {
	s := strings.TrimSpace(raw)
	var d time.Duration
	if secs, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(secs) && !math.IsInf(secs, 0) && secs < 1e9 {
		d = time.Duration(secs * float64(time.Second))
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, flagErrorf("--%s %q: expected a duration such as 15m or 90s, or plain seconds such as 900", name, raw)
	}
	if d < time.Second || d > 7*24*time.Hour {
		return 0, flagErrorf("--%s %q: expected from 1s to 168h (a week)", name, raw)
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
