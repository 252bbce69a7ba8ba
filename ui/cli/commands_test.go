package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// commandsUnderTest are roster's commands: how they are called, the name
// their errors start with, and the first line of their usage.
var commandsUnderTest = []struct {
	args  []string // before the flags
	name  string
	usage string
}{
	{nil, "roster", "roster adds users to a Symphony room"},
	{[]string{"check"}, "roster check", "Usage: roster check FILE"},
	{[]string{"sim"}, "roster sim", "Usage: roster sim --dir DIR"},
	{[]string{"demo"}, "roster demo", "Usage: roster demo [--out DIR]"},
	{[]string{"version"}, "roster version", "Usage: roster version"},
}

// Every -h, --help and -help prints the command's usage on stdout and exits 0.
func TestEveryCommandPrintsItsHelp(t *testing.T) {
	bin := rosterBinary(t)
	for _, c := range commandsUnderTest {
		for _, help := range [][]string{{"-h"}, {"--help"}, {"-help"}, {"--bogus", "-h"}} {
			args := append(append([]string{}, c.args...), help...)
			r := runBinary(t, bin, t.TempDir(), nil, args...)
			if r.code != exitOK || !strings.HasPrefix(r.stdout, c.usage) || r.stderr != "" {
				t.Errorf("roster %s: want exit 0 and the usage on stdout; %s", strings.Join(args, " "), r)
			}
		}
		// roster help COMMAND says the same as roster COMMAND --help.
		args := append([]string{"help"}, c.args...)
		r := runBinary(t, bin, "", nil, args...)
		if r.code != exitOK || !strings.HasPrefix(r.stdout, c.usage) || r.stderr != "" {
			t.Errorf("roster %s: %s", strings.Join(args, " "), r)
		}
	}
	if r := runBinary(t, bin, "", nil, "help", "nothing"); r.code != exitInput || !strings.Contains(r.stderr, `roster help: no command "nothing"`) {
		t.Errorf("roster help nothing: %s", r)
	}
}

// Every command words a wrong flag the same way and ends with a hint to its help.
func TestEveryCommandWordsFlagErrorsAlike(t *testing.T) {
	bin := rosterBinary(t)
	hint := map[string]string{
		"roster":         "Run `roster help` to see every flag.",
		"roster check":   "Run `roster check --help` to see its flags.",
		"roster sim":     "Run `roster sim --help` to see its flags.",
		"roster demo":    "Run `roster demo --help` to see its flags.",
		"roster version": "Run `roster version --help` to see its flags.",
	}
	for _, tt := range []struct {
		args []string
		name string
		msg  string
	}{
		{[]string{"--bogus"}, "roster", "unknown flag --bogus"},
		{[]string{"check", "--bogus"}, "roster check", "unknown flag --bogus"},
		{[]string{"sim", "--bogus"}, "roster sim", "unknown flag --bogus"},
		{[]string{"demo", "--bogus"}, "roster demo", "unknown flag --bogus"},
		{[]string{"version", "--bogus"}, "roster version", "unknown flag --bogus"},

		{[]string{"--strem", "X"}, "roster", "unknown flag --strem (did you mean --stream?)"},
		{[]string{"check", "f.csv", "-colum", "X"}, "roster check", "unknown flag --colum (did you mean --column?)"},
		{[]string{"sim", "--dri", "X"}, "roster sim", "unknown flag --dri (did you mean --dir?)"},
		{[]string{"demo", "--outt", "X"}, "roster demo", "unknown flag --outt (did you mean --out?)"},

		{[]string{"--csv"}, "roster", "--csv needs a value (the user list, such as users.csv)"},
		{[]string{"check", "f.csv", "--column"}, "roster check", "--column needs a value (the user column's header)"},
		{[]string{"sim", "--dir"}, "roster sim", "--dir needs a value (a folder)"},
		{[]string{"demo", "--out"}, "roster demo", "--out needs a value (a folder)"},
		{[]string{"demo", "--out="}, "roster demo", "--out needs a value (a folder)"},

		{[]string{"--interval", "fast"}, "roster", `--interval "fast": expected a duration such as 3s or 500ms, or plain seconds such as 3`},
		{[]string{"--yes=maybe"}, "roster", `--yes "maybe": expected true or false, or --yes alone`},
		{[]string{"check", "--json=maybe", "f.csv"}, "roster check", `--json "maybe": expected true or false, or --json alone`},
		{[]string{"sim", "--dir", "d", "--pace", "soon"}, "roster sim", `--pace "soon": expected a duration such as 500ms, 3s or 1m`},
		{[]string{"sim", "--dir", "d", "--log=maybe"}, "roster sim", `--log "maybe": expected true or false, or --log alone`},

		{[]string{"extra"}, "roster", `unexpected argument "extra": every value follows its flag, as in --csv users.csv`},
		{[]string{"check"}, "roster check", "give the user list to check: roster check FILE"},
		{[]string{"sim", "--dir", "d", "extra"}, "roster sim", `unexpected argument "extra": roster sim takes flags only, as in --dir extra`},
		{[]string{"demo", "extra"}, "roster demo", `unexpected argument "extra": roster demo takes flags only, as in --out DIR`},
	} {
		dir := t.TempDir()
		r := runBinary(t, bin, dir, nil, tt.args...)
		want := tt.name + ": " + tt.msg + "\n" + hint[tt.name] + "\n"
		if r.code != exitInput || r.stderr != want || r.stdout != "" {
			t.Errorf("roster %s:\n%s\nwant exit 2 and stderr %q", strings.Join(tt.args, " "), r, want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("roster %s left %d files in its folder", strings.Join(tt.args, " "), len(entries))
		}
	}
}

// Each command's usage lists every flag it takes, and no flag it does not.
func TestEveryUsageListsItsFlags(t *testing.T) {
	var (
		rf          runFlags
		room, win   string
		ca          checkArgs
		sf          simFlags
		out         string
		usageFlags  = func(usage string) []string { return flagNamesIn(usage) }
		definedHelp = []string{"help"}
	)
	for _, tt := range []struct {
		name  string
		fs    *flagSet
		usage string
		more  []string // flags the usage names that are no flag of the set
	}{
		{"roster", runFlagSet(&rf, &room, &win), usage, definedHelp},
		{"roster check", checkFlagSet(&ca), checkUsage, definedHelp},
		{"roster sim", simFlagSet(&sf), simUsage, definedHelp},
		{"roster demo", demoFlagSet(&out), demoUsageText(), definedHelp},
	} {
		var want []string
		for name := range tt.fs.flags {
			want = append(want, name)
		}
		want = append(want, tt.more...)
		sort.Strings(want)
		got := usageFlags(tt.usage)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: the usage lists %v\nthe flags are         %v", tt.name, got, want)
		}
	}
}

// flagNamesIn are the --flags a usage text lists at the start of its lines,
// and their aliases: "(alias --room)".
func flagNamesIn(usage string) []string {
	seen := map[string]bool{}
	for _, line := range strings.Split(usage, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(line, "-h, ")
		if _, alias, ok := strings.Cut(line, "(alias --"); ok {
			seen[strings.TrimSuffix(alias, ")")] = true
		}
		if !strings.HasPrefix(line, "--") {
			continue
		}
		name := strings.TrimPrefix(strings.Fields(line)[0], "--")
		seen[name] = true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// roster demo with no terminal refuses before it makes any folder, and its
// help says where the files go: the cache folder, not the current one.
func TestDemoBinaryLeavesTheCurrentFolderAlone(t *testing.T) {
	bin := rosterBinary(t)
	cache, work := t.TempDir(), t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + cache, "HOME=" + cache}
	r := runBinary(t, bin, work, env, "demo")
	if r.code != exitInput || !strings.Contains(r.stderr, "needs a terminal") {
		t.Errorf("roster demo with no terminal: %s", r)
	}
	r = runBinary(t, bin, work, env, "demo", "--help")
	if want := filepath.Join(cache, "roster", "demo"); r.code != exitOK || !strings.Contains(r.stdout, "(default: "+want+")") {
		t.Errorf("roster demo --help does not name %s: %s", want, r)
	}
	for _, d := range []string{work, cache} {
		if entries, _ := os.ReadDir(d); len(entries) != 0 {
			t.Errorf("%s holds %d entries after roster demo refused", d, len(entries))
		}
	}
}
