package cli

import (
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"roster/symphony/bulk"
)

func TestParseRunFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want runFlags
	}{
		{
			name: "the seed script's flags",
			args: []string{"--auth", "rsa", "--config", "config.json", "--csv", "userIDs.csv", "--stream", "abc+/=="},
			want: runFlags{Auth: "rsa", Config: "config.json", CSV: "userIDs.csv", Stream: "abc+/=="},
		},
		{
			name: "single dashes, values after =, --room alias",
			args: []string{"-config=c.yaml", "-csv", "u.csv", "-room=XYZ", "-remove", "-dry-run"},
			want: runFlags{Config: "c.yaml", CSV: "u.csv", Stream: "XYZ", Remove: true, DryRun: true},
		},
		{
			name: "auth is case-insensitive",
			args: []string{"--auth", "CERT"},
			want: runFlags{Auth: "cert"},
		},
		{
			name: "a bare --resume finds the journal",
			args: []string{"--resume", "--yes", "--no-tui"},
			want: runFlags{Resume: resumeFlag{kind: resumeFind}, Yes: true, NoTUI: true},
		},
		{
			name: "a bare --resume last",
			args: []string{"--yes", "--resume"},
			want: runFlags{Resume: resumeFlag{kind: resumeFind}, Yes: true},
		},
		{
			name: "--resume FILE",
			args: []string{"--resume", "out/run.jsonl", "--yes"},
			want: runFlags{Resume: resumeFlag{kind: resumeFile, file: "out/run.jsonl"}, Yes: true},
		},
		{
			name: "--resume=FILE",
			args: []string{"--resume=run.jsonl"},
			want: runFlags{Resume: resumeFlag{kind: resumeFile, file: "run.jsonl"}},
		},
		{
			name: "a journal really named auto is a file",
			args: []string{"--resume", "auto"},
			want: runFlags{Resume: resumeFlag{kind: resumeFile, file: "auto"}},
		},
		{
			name: "a URL-safe stream ID may start with a dash",
			args: []string{"--stream", "-xsgH___qr-JJkWdA", "--csv", "u.csv"},
			want: runFlags{Stream: "-xsgH___qr-JJkWdA", CSV: "u.csv"},
		},
		{
			name: "interval, column and out",
			args: []string{"--interval", "3", "--column", "Email Address", "--out", "runs"},
			want: runFlags{Interval: 3 * time.Second, Column: "Email Address", Out: "runs"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRunFlags(tt.args)
			if err != nil {
				t.Fatalf("parseRunFlags(%q): %v", tt.args, err)
			}
			if got != tt.want {
				t.Errorf("parseRunFlags(%q)\n got %+v\nwant %+v", tt.args, got, tt.want)
			}
		})
	}
}

func TestParseRunFlagsRefuses(t *testing.T) {
	tests := []struct {
		args []string
		want string // the message must contain it
	}{
		{[]string{"--cvs", "u.csv"}, "unknown flag --cvs"},
		{[]string{"--csv"}, "--csv needs a value"},
		{[]string{"--config"}, "--config needs a value"},
		{[]string{"--auth", "password"}, `--auth "password": expected rsa or cert`},
		{[]string{"--interval", "0"}, "--interval \"0\": the pace must be more than zero"},
		{[]string{"--interval", "-3s"}, "must be more than zero"},
		{[]string{"--interval", "fast"}, `--interval "fast": expected a duration`},
		{[]string{"--interval", "NaN"}, `--interval "NaN"`},
		{[]string{"--interval", "48h"}, "more than a day"},
		{[]string{"--weekends"}, "--weekends only applies with --window"},
		{[]string{"--stream", "AAAA", "--room", "BBBB"}, `--stream "AAAA" and --room "BBBB" name two rooms`},
		{[]string{"--window", "18:00"}, `--window: run window "18:00"`},
		{[]string{"--csv", "u.csv", "extra.csv"}, `unexpected argument "extra.csv"`},
		{[]string{"--resume="}, "--resume= needs a journal path"},
		{[]string{"--resume=  "}, "--resume= needs a journal path"},
		{[]string{"--yes=maybe"}, `--yes "maybe": expected true or false, or --yes alone`},
		{[]string{"--csv", "--yes"}, "--csv needs a value (the user list, such as users.csv)"},
		{[]string{"--csv="}, "--csv needs a value"},
		{[]string{"--stram", "X"}, "unknown flag --stram (did you mean --stream?)"},
		{[]string{"-dryrun"}, "unknown flag --dryrun (did you mean --dry-run?)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := parseRunFlags(tt.args)
			if err == nil {
				t.Fatalf("parseRunFlags(%q) = nil error, want one containing %q", tt.args, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseRunFlags(%q) error %q, want it to contain %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestParseRunFlagsHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "-help"} {
		if _, err := parseRunFlags([]string{"--csv", "u.csv", arg}); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("parseRunFlags(%s) = %v, want flag.ErrHelp", arg, err)
		}
		// Help wins over a wrong flag.
		if _, err := parseRunFlags([]string{"--cvs", arg, "--interval", "fast"}); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("parseRunFlags(%s) = %v, want flag.ErrHelp", arg, err)
		}
	}
}

func TestRunFlagsInterval(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{"0.5", 500 * time.Millisecond},
		{"250ms", 250 * time.Millisecond},
		{" 2m ", 2 * time.Minute},
	}
	for _, tt := range tests {
		got, err := parseInterval(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("interval(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestRunFlagsWindow(t *testing.T) {
	w, err := parseWindow("18:00-08:00", true)
	if err != nil {
		t.Fatalf("window: %v", err)
	}
	if w == nil || w.Start != 18*time.Hour || w.End != 8*time.Hour || !w.Weekends {
		t.Errorf("window = %+v, want 18:00-08:00 with weekends", w)
	}
	if _, err := parseWindow("25:00-08:00", false); err == nil || !strings.Contains(err.Error(), "--window") {
		t.Errorf("window(25:00-08:00) error = %v, want one naming --window", err)
	}
	if w, err := parseWindow("", false); w != nil || err != nil {
		t.Errorf("no window = %v, %v; want nil, nil", w, err)
	}
}

func TestParseRunFlagsParsesPaceAndWindowOnce(t *testing.T) {
	f, err := parseRunFlags([]string{"--interval", "500ms", "--window", "18:00-08:00", "--weekends"})
	if err != nil {
		t.Fatalf("parseRunFlags: %v", err)
	}
	if f.Interval != 500*time.Millisecond {
		t.Errorf("Interval = %v, want 500ms", f.Interval)
	}
	if f.Window == nil || f.Window.Start != 18*time.Hour || f.Window.End != 8*time.Hour || !f.Window.Weekends {
		t.Errorf("Window = %+v, want 18:00-08:00 with weekends", f.Window)
	}
}

// TestRunFlagsLimits: --max-wait and --max-outage take a duration or plain
// seconds, go into the job's request, and refuse what is out of range.
func TestRunFlagsLimits(t *testing.T) {
	f, err := parseRunFlags([]string{"--max-wait", "90", "--max-outage=2m"})
	if err != nil || f.MaxWait != 90*time.Second || f.MaxOutage != 2*time.Minute {
		t.Fatalf("parsed %v %v, %v", f.MaxWait, f.MaxOutage, err)
	}
	if l := f.request().Limits; l.MaxWait != 90*time.Second || l.MaxOutage != 2*time.Minute {
		t.Errorf("request limits %+v", l)
	}
	for _, args := range [][]string{{"--max-wait", "0"}, {"--max-wait", "soon"}, {"--max-outage", "30d"}, {"--max-outage", "200h"}} {
		if _, err := parseRunFlags(args); err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%q: err %v; want a refusal naming the flag", args, err)
		}
	}
}

// TestResumeFlagIsTheJobsChoice: each case of --resume is one choice of the
// job's; a file named "auto" is a file like any other.
func TestResumeFlagIsTheJobsChoice(t *testing.T) {
	tests := []struct {
		args []string
		want bulk.ResumeChoice
	}{
		{nil, bulk.ResumeChoice{}},
		{[]string{"--resume"}, bulk.ResumeChoice{Auto: true}},
		{[]string{"--resume", "--yes"}, bulk.ResumeChoice{Auto: true}},
		{[]string{"--resume=out/run.jsonl"}, bulk.ResumeChoice{File: "out/run.jsonl"}},
		{[]string{"--resume", "auto"}, bulk.ResumeChoice{File: "auto"}},
	}
	for _, tt := range tests {
		f, err := parseRunFlags(tt.args)
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if got := f.request().Resume; got != tt.want {
			t.Errorf("%q: the job's choice %+v, want %+v", tt.args, got, tt.want)
		}
	}
}
