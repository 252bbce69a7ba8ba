package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// flagSet is one command's flags. Every command (the run, check, sim, demo)
// parses its arguments with it, so that they all read flags the same way and
// word their errors the same way:
//
//   - -flag or --flag, with the value after "=" or as the next argument;
//   - flags before or after the command's arguments; "--" ends the flags;
//   - -h, -help or --help anywhere asks for the usage (flag.ErrHelp), even
//     when another flag is wrong;
//   - "unknown flag --x" (with the nearest known flag, if one is close),
//     "--x needs a value (...)", and `--x "v": what is expected` for a bad
//     value.
//
// The command prints the error after its name and ends it with its hint
// (see usageFailed).
type flagSet struct {
	flags map[string]*cmdFlag
}

type flagKind int

const (
	valueFlag    flagKind = iota // --name VALUE or --name=VALUE
	boolFlag                     // --name alone, or --name=true|false
	optionalFlag                 // --name alone, --name=VALUE, or --name VALUE when VALUE is no flag
)

type cmdFlag struct {
	name    string
	kind    flagKind
	example string             // after "needs a value": " (a folder)", " such as 3s"
	set     func(string) error // an error says what was expected; see flagError
	bare    func()             // an optional flag given alone
}

// flagError is an error already worded in full, flag name included; any
// other error of a flag's set is worded as `--name "value": error`.
type flagError string

func (e flagError) Error() string { return string(e) }

func flagErrorf(format string, a ...any) error { return flagError(fmt.Sprintf(format, a...)) }

func newFlagSet() *flagSet { return &flagSet{flags: map[string]*cmdFlag{}} }

func (fs *flagSet) add(f *cmdFlag) {
	if _, dup := fs.flags[f.name]; dup || f.name == "h" || f.name == "help" {
		panic("cli: flag --" + f.name + " defined twice")
	}
	fs.flags[f.name] = f
}

// value defines a flag that takes a value; set checks and keeps it.
func (fs *flagSet) value(name, example string, set func(string) error) {
	fs.add(&cmdFlag{name: name, kind: valueFlag, example: example, set: set})
}

// str defines a flag whose value is any non-empty text.
func (fs *flagSet) str(name, example string, p *string) {
	fs.value(name, example, func(v string) error { *p = v; return nil })
}

// boolean defines a flag that is given alone (or as --name=false).
func (fs *flagSet) boolean(name string, p *bool) {
	fs.add(&cmdFlag{name: name, kind: boolFlag, set: func(v string) error {
		*p = v == "true"
		return nil
	}})
}

// optional defines a flag that may stand alone (bare) or take a value.
func (fs *flagSet) optional(name string, bare func(), set func(string) error) {
	fs.add(&cmdFlag{name: name, kind: optionalFlag, set: set, bare: bare})
}

// typed defines a flag read by parse (whose error says what is expected)
// and then, when check is not nil, checked for its range.
func typed[T any](fs *flagSet, name, example string, p *T, parse func(string) (T, error), check func(T) error) {
	fs.value(name, example, func(v string) error {
		x, err := parse(strings.TrimSpace(v))
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(x); err != nil {
				return err
			}
		}
		*p = x
		return nil
	})
}

// duration defines a Go duration flag ("500ms", "3s", "1h"); check, when
// not nil, refuses values out of range with what is expected.
func (fs *flagSet) duration(name string, p *time.Duration, check func(time.Duration) error) {
	typed(fs, name, " such as 500ms or 3s", p, func(v string) (time.Duration, error) {
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, errors.New("expected a duration such as 500ms, 3s or 1m")
		}
		return d, nil
	}, check)
}

// float defines a number flag; check as for duration.
func (fs *flagSet) float(name, example string, p *float64, check func(float64) error) {
	typed(fs, name, example, p, func(v string) (float64, error) {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, errors.New("expected a number" + example)
		}
		return x, nil
	}, check)
}

// integer defines a whole number flag; check as for duration.
func (fs *flagSet) integer(name, example string, p *int64, check func(int64) error) {
	typed(fs, name, example, p, func(v string) (int64, error) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, errors.New("expected a whole number" + example)
		}
		return n, nil
	}, check)
}

// isHelp reports whether a flag's name asks for the usage.
func isHelp(name string) bool { return name == "h" || name == "help" }

// splitFlag reads "-name", "--name" or "--name=value"; ok is false when arg
// is no flag ("-", "--", or no leading dash).
func splitFlag(arg string) (name, value string, hasValue, ok bool) {
	if len(arg) < 2 || arg[0] != '-' || arg == "--" {
		return "", "", false, false
	}
	rest := arg[1:]
	if rest[0] == '-' {
		rest = rest[1:]
	}
	name, value, hasValue = strings.Cut(rest, "=")
	return name, value, hasValue, true
}

// parse sets the flags in args and returns the other arguments, in order.
// The error is flag.ErrHelp when the usage is asked for; otherwise it is
// the first wrong flag, worded for the user.
func (fs *flagSet) parse(args []string) ([]string, error) {
	var rest []string
	var first error
	help := false
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		name, value, hasValue, ok := splitFlag(arg)
		if !ok {
			rest = append(rest, arg)
			continue
		}
		if isHelp(name) {
			help = true
			continue
		}
		f := fs.flags[name]
		if f == nil || strings.HasPrefix(name, "-") {
			fail(fs.unknown(name))
			continue
		}
		switch f.kind {
		case boolFlag:
			v := "true"
			if hasValue {
				b, err := strconv.ParseBool(strings.TrimSpace(value))
				if err != nil {
					fail(fmt.Errorf("--%s %q: expected true or false, or --%s alone", name, value, name))
					continue
				}
				v = strconv.FormatBool(b)
			}
			fail(f.set(v))
		case optionalFlag:
			if !hasValue && i+1 < len(args) && args[i+1] != "" && !strings.HasPrefix(args[i+1], "-") {
				value, hasValue = args[i+1], true
				i++
			}
			if !hasValue {
				f.bare()
				continue
			}
			fail(wordFlagError(name, value, f.set(value)))
		default:
			if !hasValue {
				if i+1 >= len(args) || fs.isFlag(args[i+1]) {
					fail(fmt.Errorf("--%s needs a value%s", name, f.example))
					continue
				}
				i++
				value = args[i]
			}
			if strings.TrimSpace(value) == "" {
				fail(fmt.Errorf("--%s needs a value%s", name, f.example))
				continue
			}
			fail(wordFlagError(name, value, f.set(value)))
		}
	}
	if help {
		return nil, flag.ErrHelp
	}
	if first != nil {
		return nil, first
	}
	return rest, nil
}

// wordFlagError words a flag's set error: `--name "value": what is expected`.
func wordFlagError(name, value string, err error) error {
	var worded flagError
	if err == nil || errors.As(err, &worded) {
		return err
	}
	return fmt.Errorf("--%s %q: %v", name, value, err)
}

// isFlag reports whether arg, after a flag that needs a value, is another
// flag rather than that value: a known flag, or a request for help. A value
// may start with a dash (some stream IDs do); it is no known flag's name.
func (fs *flagSet) isFlag(arg string) bool {
	if arg == "--" {
		return true
	}
	name, _, _, ok := splitFlag(arg)
	if !ok {
		return false
	}
	return isHelp(name) || fs.flags[name] != nil
}

// unknown words an unknown flag, with the nearest known one when it is close.
func (fs *flagSet) unknown(name string) error {
	if near := fs.nearest(name); near != "" {
		return fmt.Errorf("unknown flag --%s (did you mean --%s?)", name, near)
	}
	return fmt.Errorf("unknown flag --%s", name)
}

// nearest is the known flag closest to name (a typo, a transposition, a
// missing letter), or "" when none is close.
func (fs *flagSet) nearest(name string) string {
	names := make([]string, 0, len(fs.flags))
	for n := range fs.flags {
		names = append(names, n)
	}
	sort.Strings(names)
	best, bestDist := "", 3
	for _, n := range names {
		limit := 2
		if len(n) <= 4 {
			limit = 1
		}
		if d := editDistance(strings.ToLower(name), n); d <= limit && d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of adjacent letters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// commandHint ends a subcommand's usage errors: where its flags are listed.
func commandHint(cmd string) string {
	return fmt.Sprintf("Run `%s --help` to see its flags.", cmd)
}

// usageFailed prints a usage error of cmd ("roster check") with its hint,
// and returns the exit code of bad input.
func usageFailed(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "%s: %v\n%s\n", cmd, err, commandHint(cmd))
	return exitInput
}
