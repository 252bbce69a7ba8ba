package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/ui"
)

// runTUI opens the wizard with whatever the flags fill in.
func runTUI(f runFlags, stdout, stderr io.Writer) int {
	interval, window := f.Interval, f.Window // parsed by parseRunFlags
	opts := ui.Options{ConfigPath: f.Config, Auth: f.Auth, CSVPath: f.CSV, Column: f.Column, Stream: f.Stream,
		Interval: interval, Window: window, OutDir: f.Out, Resume: f.Resume, DryRun: f.DryRun}
	if f.Remove {
		opts.Mode = bulk.ModeRemove
	}
	code, err := ui.Run(opts, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "roster: %v\n", err)
	}
	return code
}

// Demo pace: Symphony's 3 s becomes 30 ms, on the pod and in roster alike.
const (
	demoPace    = 30 * time.Millisecond
	demoLatency = 120 * time.Millisecond // so that a run is watchable
	demoBanner  = "DEMO: simulated pod, pace sped up 100x (30ms, not 3s)"
)

// cmdDemo runs the wizard against a built-in simulated pod (roster demo).
// The config, key and CSV live in a temporary folder removed at exit; the
// journal and report go to ./roster-demo-out (or --out), which stays, so
// the newcomer can open them; the summary says where they are.
func cmdDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("roster demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "roster-demo-out", "where the demo run's journal and report go")
	if err := fs.Parse(args); err != nil {
		return exitInput
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "roster demo: unexpected %q; the only flag is --out DIR\n", fs.Arg(0))
		return exitInput
	}
	if !isTerminal(os.Stdin) || !isTerminal(os.Stdout) {
		fmt.Fprintln(stderr, "roster demo: needs a terminal (it is the interactive wizard); for a simulated pod to script against, use roster sim")
		return exitInput
	}
	dir, err := os.MkdirTemp("", "roster-demo-")
	if err != nil {
		fmt.Fprintf(stderr, "roster demo: temporary folder: %v\n", err)
		return exitInput
	}
	defer os.RemoveAll(dir)
	opts, stop, err := startDemo(dir, *out)
	if err != nil {
		fmt.Fprintf(stderr, "roster demo: %v\n", err)
		return exitInput
	}
	defer stop()
	code, err := ui.Run(opts, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "roster demo: %v\n", err)
	}
	fmt.Fprintf(stdout, "The demo's simulated pod is stopped and its config folder %s removed.\n", dir)
	return code
}

// startDemo serves a seeded simulated pod, writes its config, key and a demo
// CSV into dir, and returns the wizard's options.
func startDemo(dir, outDir string) (ui.Options, func(), error) {
	srv, err := podsim.New(podsim.Options{PaceGap: demoPace, Latency: demoLatency})
	if err != nil {
		return ui.Options{}, nil, fmt.Errorf("simulated pod: %w", err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		return ui.Options{}, nil, fmt.Errorf("simulated pod: %w", err)
	}
	stop := func() { srv.Close() }
	d, err := srv.SeedDemo()
	if err != nil {
		stop()
		return ui.Options{}, nil, fmt.Errorf("simulated pod: seed: %w", err)
	}
	if err := srv.WriteDir(dir, d); err != nil {
		stop()
		return ui.Options{}, nil, fmt.Errorf("write the demo config into %s: %w", dir, err)
	}
	csvPath := filepath.Join(dir, "demo-users.csv")
	if err := os.WriteFile(csvPath, []byte(demoCSV(d, srv.State())), 0o600); err != nil {
		stop()
		return ui.Options{}, nil, fmt.Errorf("write the demo CSV: %w", err)
	}
	opts := ui.Options{
		OfferConfigs: []string{filepath.Join(dir, "config.json"), filepath.Join(dir, "config.yaml")},
		OfferCSVs:    []string{csvPath},
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

// demoCSV is a realistic list: IDs, emails, usernames, an owner, duplicates,
// bad rows, inactive, external and unknown users, and users already in the
// small and medium rooms.
func demoCSV(d *podsim.Demo, st podsim.State) string {
	var b strings.Builder
	b.WriteString("user,owner\n")
	c := d.Candidates
	n := min(len(c), 34)
	for i := 0; i < n && i < 24; i++ {
		owner := ""
		if i == 1 {
			owner = "yes"
		}
		fmt.Fprintf(&b, "%d,%s\n", c[i].ID, owner)
	}
	for i := 24; i < n && i < 30; i++ {
		fmt.Fprintf(&b, "%s,\n", c[i].Email)
	}
	for i := 30; i < n; i++ {
		fmt.Fprintf(&b, "%s,\n", c[i].Username)
	}
	if n > 25 {
		fmt.Fprintf(&b, "%d,\n", c[0].ID)                      // a duplicate
		fmt.Fprintf(&b, "%s,\n", strings.ToUpper(c[24].Email)) // the same email in capitals
	}
	for _, r := range st.Rooms {
		if r.ID != d.Small && r.ID != d.Medium {
			continue
		}
		added := 0
		for _, id := range r.Members {
			if id != d.BotID && added < 2 {
				fmt.Fprintf(&b, "%d,\n", id) // already in the room
				added++
			}
		}
	}
	if len(d.Inactive) > 0 {
		fmt.Fprintf(&b, "%d,\n", d.Inactive[0].ID)
	}
	if len(d.External) > 0 {
		fmt.Fprintf(&b, "%d,\n", d.External[0].ID)
	}
	b.WriteString("nobody.here@bank.example,\n") // unknown
	b.WriteString("not an id,\n")                // bad rows
	b.WriteString("-42,\n")
	return b.String()
}
