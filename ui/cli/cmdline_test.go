package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
)

// testFlags is a flag set with one flag of each kind, and what they set.
type testFlags struct {
	fs     *flagSet
	name   string
	yes    bool
	pace   time.Duration
	rate   float64
	count  int64
	resume string
}

func newTestFlags() *testFlags {
	t := &testFlags{fs: newFlagSet()}
	t.fs.str("name", " (a name)", &t.name)
	t.fs.boolean("yes", &t.yes)
	t.fs.duration("pace", &t.pace, func(d time.Duration) error {
		if d <= 0 {
			return errors.New("must be more than zero")
		}
		return nil
	})
	t.fs.float("rate", " such as 0.5", &t.rate, nil)
	t.fs.integer("count", " such as 3", &t.count, nil)
	t.fs.optional("resume", func() { t.resume = "auto" }, func(v string) error {
		if v == "bad" {
			return flagError("--resume bad: worded by the flag")
		}
		t.resume = v
		return nil
	})
	return t
}

func (t *testFlags) String() string {
	return fmt.Sprintf("name=%q yes=%v pace=%v rate=%v count=%d resume=%q", t.name, t.yes, t.pace, t.rate, t.count, t.resume)
}

func TestFlagSetParses(t *testing.T) {
	tests := []struct {
		args []string
		want string
		rest []string
	}{
		{nil, `name="" yes=false pace=0s rate=0 count=0 resume=""`, nil},
		{[]string{"--name", "a", "-yes", "-pace=3s", "--rate", "0.5", "-count", "-3"},
			`name="a" yes=true pace=3s rate=0.5 count=-3 resume=""`, nil},
		{[]string{"file", "--name=-x", "other", "--yes=false"}, `name="-x" yes=false pace=0s rate=0 count=0 resume=""`, []string{"file", "other"}},
		{[]string{"--name", "-dash-first"}, `name="-dash-first" yes=false pace=0s rate=0 count=0 resume=""`, nil},
		{[]string{"--resume", "--yes"}, `name="" yes=true pace=0s rate=0 count=0 resume="auto"`, nil},
		{[]string{"--resume"}, `name="" yes=false pace=0s rate=0 count=0 resume="auto"`, nil},
		{[]string{"--resume", "j.jsonl"}, `name="" yes=false pace=0s rate=0 count=0 resume="j.jsonl"`, nil},
		{[]string{"--resume=j.jsonl", "x"}, `name="" yes=false pace=0s rate=0 count=0 resume="j.jsonl"`, []string{"x"}},
		{[]string{"--yes", "--", "--name", "-"}, `name="" yes=true pace=0s rate=0 count=0 resume=""`, []string{"--name", "-"}},
		{[]string{"-"}, `name="" yes=false pace=0s rate=0 count=0 resume=""`, []string{"-"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			f := newTestFlags()
			rest, err := f.fs.parse(tt.args)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if f.String() != tt.want || fmt.Sprint(rest) != fmt.Sprint(tt.rest) {
				t.Errorf("got  %s, rest %q\nwant %s, rest %q", f, rest, tt.want, tt.rest)
			}
		})
	}
}

// Every command words its flag errors with these words.
func TestFlagSetWordsErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--nmae", "x"}, "unknown flag --nmae (did you mean --name?)"},
		{[]string{"-yse"}, "unknown flag --yse (did you mean --yes?)"},
		{[]string{"--colour"}, "unknown flag --colour"},
		{[]string{"---name", "x"}, "unknown flag ---name"},
		{[]string{"--name"}, "--name needs a value (a name)"},
		{[]string{"--name="}, "--name needs a value (a name)"},
		{[]string{"--name", " "}, "--name needs a value (a name)"},
		{[]string{"--name", "--yes"}, "--name needs a value (a name)"},
		{[]string{"--name", "--"}, "--name needs a value (a name)"},
		{[]string{"--count"}, "--count needs a value such as 3"},
		{[]string{"--pace", "soon"}, `--pace "soon": expected a duration such as 500ms, 3s or 1m`},
		{[]string{"--pace", "-1s"}, `--pace "-1s": must be more than zero`},
		{[]string{"--rate", "lots"}, `--rate "lots": expected a number such as 0.5`},
		{[]string{"--count=2.5"}, `--count "2.5": expected a whole number such as 3`},
		{[]string{"--yes=maybe"}, `--yes "maybe": expected true or false, or --yes alone`},
		{[]string{"--resume=bad"}, "--resume bad: worded by the flag"},
		// The first wrong flag is the one reported.
		{[]string{"--pace", "x", "--bogus"}, `--pace "x": expected a duration`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := newTestFlags().fs.parse(tt.args)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("parse(%q) error %v, want %q", tt.args, err, tt.want)
			}
		})
	}
}

// Help wins, wherever it is and whatever else is wrong; after "--" it is
// an argument.
func TestFlagSetHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"-help"}, {"x", "--name", "n", "-h"}, {"--bogus", "--help"}, {"--name", "--help"}, {"--help=1"}} {
		if _, err := newTestFlags().fs.parse(args); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("parse(%q) = %v, want flag.ErrHelp", args, err)
		}
	}
	rest, err := newTestFlags().fs.parse([]string{"--", "-h"})
	if err != nil || fmt.Sprint(rest) != "[-h]" {
		t.Errorf(`parse("-- -h") = %q, %v; want the argument -h`, rest, err)
	}
}

func TestFlagSetRefusesADuplicateFlag(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a flag defined twice did not panic")
		}
	}()
	f := newTestFlags()
	f.fs.boolean("yes", new(bool))
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"csv", "csv", 0}, {"cvs", "csv", 1}, {"csvv", "csv", 1}, {"cs", "csv", 1},
		{"strem", "stream", 1}, {"intervall", "interval", 1}, {"dryrun", "dry-run", 1}, {"abc", "xyz", 3},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
