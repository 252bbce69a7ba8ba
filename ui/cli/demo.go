package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"roster/symphony/podsim"
	"roster/ui"
)

// Demo pace: Symphony's 3 s becomes 30 ms, on the pod and in roster alike.
const (
	demoPace    = 30 * time.Millisecond
	demoLatency = 120 * time.Millisecond // so that a run is watchable
	demoBanner  = "DEMO: simulated pod, pace sped up 100x (30ms, not 3s)"
	// demoRoomsCSV is the demo's list with a room column (many rooms in one run)
	demoRoomsCSV = "demo-rooms.csv"
)

const demoUsage = `Usage: roster demo [--out DIR]

Opens the wizard in this terminal against a simulated pod inside the program,
with a config, a key and two user lists already offered: one for a room you
pick, and one with a room column that changes four rooms in one run, side by
side (one of them deactivated, so it cannot run). The pace is sped up 100x
and the pod answers a few 429s and 503s, so that retries show. Nothing leaves
this machine. The config, key and list are removed at exit; the run's journal
and report are kept, and the summary says where.

Flags:
  --out DIR    where the demo run's journal and report go
               (default: %s)
  -h, --help   print this help
`

// cmdDemo runs the wizard against a built-in simulated pod (roster demo).
// The config, key and CSV live in a temporary folder removed at exit; the
// journal and report go to roster/demo in the user's cache folder (or
// --out), which stays, so the newcomer can open them. Never the current
// folder: `go run . demo` in a clone leaves the clone as it was.
func cmdDemo(args []string, stdout, stderr io.Writer) int {
	const cmd = "roster demo"
	var out string
	rest, err := demoFlagSet(&out).parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, demoUsageText())
		return exitOK
	}
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected argument %q: roster demo takes flags only, as in --out DIR", rest[0])
	}
	if err != nil {
		return usageFailed(stderr, cmd, err)
	}
	if !isTerminal(os.Stdin) || !isTerminal(os.Stdout) {
		fmt.Fprintln(stderr, "roster demo: needs a terminal (it is the interactive wizard); for a simulated pod to script against, use roster sim")
		return exitInput
	}
	outDir, err := prepareDemoOut(out)
	if err != nil {
		fmt.Fprintf(stderr, "roster demo: --out %s: %v\n", out, err)
		return exitInput
	}
	dir, err := os.MkdirTemp("", "roster-demo-")
	if err != nil {
		fmt.Fprintf(stderr, "roster demo: temporary folder: %v\n", err)
		return exitInput
	}
	defer os.RemoveAll(dir)
	opts, stop, err := startDemo(dir, outDir)
	if err != nil {
		fmt.Fprintf(stderr, "roster demo: %v\n", err)
		return exitInput
	}
	defer stop()
	code, err := ui.Run(opts, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "roster demo: %v\n", err)
	}
	fmt.Fprint(stdout, demoExitNote(outDir, dir))
	return code
}

// demoFlagSet is roster demo's flags.
func demoFlagSet(out *string) *flagSet {
	fs := newFlagSet()
	fs.str("out", " (a folder)", out)
	return fs
}

// demoExitNote is what roster demo prints when the wizard has closed.
func demoExitNote(outDir, configDir string) string {
	return fmt.Sprintf("The demo's journal and report are kept in %s\n"+
		"The demo's simulated pod is stopped and its config folder %s removed.\n", outDir, configDir)
}

// demoCacheOut is the demo's default --out: roster/demo in the user's cache
// folder (~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on
// Windows); "" when there is none.
func demoCacheOut() string {
	dir, err := os.UserCacheDir()
	if err != nil || !filepath.IsAbs(dir) {
		return ""
	}
	return filepath.Join(dir, "roster", "demo")
}

// demoUsageText is roster demo --help, with where the files go by default.
func demoUsageText() string {
	where := "a new roster-demo-out folder in " + os.TempDir()
	if dir := demoCacheOut(); dir != "" {
		where = dir
	}
	return fmt.Sprintf(demoUsage, where)
}

// prepareDemoOut creates the folder the demo's journal and report go to and
// returns its absolute path: out when given; else roster/demo in the user's
// cache folder; else, when that cannot be made, a new folder in the temporary
// folder (kept, like the cache one, so that the files can be opened).
func prepareDemoOut(out string) (string, error) {
	if out != "" {
		abs, err := filepath.Abs(out)
		if err != nil {
			return "", err
		}
		if err := os.MkdirAll(abs, 0o700); err != nil {
			return "", err
		}
		return abs, nil
	}
	if dir := demoCacheOut(); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err == nil {
			return dir, nil
		}
	}
	dir, err := os.MkdirTemp("", "roster-demo-out-")
	if err != nil {
		return "", err
	}
	return filepath.Abs(dir)
}

// startDemo serves a seeded simulated pod, writes its config, key and the
// sample user list into dir, and returns the wizard's options.
func startDemo(dir, outDir string) (ui.Options, func(), error) {
	srv, d, err := startSimPod(podsim.Options{PaceGap: demoPace, Latency: demoLatency}, "127.0.0.1:0", dir)
	if err != nil {
		return ui.Options{}, nil, err
	}
	stop := func() { srv.Close() }
	csvPath := filepath.Join(dir, "demo-users.csv")
	if err := os.WriteFile(csvPath, []byte(podsim.SampleCSV(d, srv.State())), 0o600); err != nil {
		stop()
		return ui.Options{}, nil, fmt.Errorf("write the demo CSV: %w", err)
	}
	// a list with a room column: an estate run over four of the rooms
	roomsPath := filepath.Join(dir, demoRoomsCSV)
	if err := os.WriteFile(roomsPath, []byte(podsim.SampleEstateCSV(d, srv.State())), 0o600); err != nil {
		stop()
		return ui.Options{}, nil, fmt.Errorf("write the demo's multi-room CSV: %w", err)
	}
	opts := ui.Options{
		OfferConfigs: []string{filepath.Join(dir, podsim.FileLegacyConfig), filepath.Join(dir, podsim.FileBDKConfig)},
		OfferCSVs:    []string{csvPath, roomsPath},
		SuggestRooms: []string{d.Medium, d.Small, d.Jumbo, d.Deactivated, d.Forbidden}, // medium first: the pace starts at 500
		StartDir:     dir,
		Interval:     demoPace,
		OutDir:       outDir,
		Banner:       demoBanner,
		Ephemeral:    true,
		// A few 429s and 503s once the run starts, so the retries show.
		OnRunStart: func() {
			srv.SetFaults(podsim.Faults{Rate429: 0.08, RetryAfter: time.Second, Rate5xx: 0.03, Burst5xx: 1, Seed: 7})
		},
	}
	return opts, stop, nil
}
