package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"
	"time"

	"roster/symphony/podsim"
)

// cmdSim serves the simulated pod (roster sim) until SIGINT or SIGTERM.
func cmdSim(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveSim(ctx, args, stdout, stderr)
}

// simFlags are the options of roster sim.
type simFlags struct {
	dir, addr string
	log       bool
	opts      podsim.Options
	faults    podsim.Faults
}

func parseSimFlags(args []string, stderr io.Writer) (*simFlags, error) {
	f := &simFlags{}
	fs := flag.NewFlagSet("roster sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: roster sim --dir DIR [--addr 127.0.0.1:0] [flags]")
		fmt.Fprintln(stderr, "Serves a simulated Symphony pod on localhost and writes a working config, key, CA and sample CSV into DIR.")
		fs.PrintDefaults()
	}
	fs.StringVar(&f.dir, "dir", "", "folder for config.json, config.yaml, bot-key.pem, ca.pem and users.csv (created if missing)")
	fs.StringVar(&f.addr, "addr", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	fs.DurationVar(&f.opts.Latency, "latency", 0, "delay added to every reply, e.g. 50ms")
	fs.DurationVar(&f.opts.PaceGap, "pace", 3*time.Second, "the pod's pace: minimum gap between changes in rooms over 500 members")
	fs.BoolVar(&f.opts.PaceReject, "pace-reject", false, "answer changes that come faster than --pace with 429 (otherwise only counted)")
	fs.DurationVar(&f.opts.SessionLifetime, "session", time.Hour, "session lifetime")
	fs.Float64Var(&f.faults.Rate429, "rate-429", 0, "probability (0 to 1) that a /pod call answers 429")
	fs.DurationVar(&f.faults.RetryAfter, "retry-after", time.Second, "Retry-After of injected 429s")
	fs.Float64Var(&f.faults.Rate5xx, "rate-5xx", 0, "probability (0 to 1) that a /pod call starts a burst of 503s")
	fs.IntVar(&f.faults.Burst5xx, "burst-5xx", 1, "503s in a burst")
	fs.Float64Var(&f.faults.DropRate, "drop", 0, "probability (0 to 1) that a /pod call's connection is closed with no reply")
	fs.DurationVar(&f.faults.KillSessionsEvery, "kill-sessions", 0, "invalidate every session this often (0: never)")
	fs.BoolVar(&f.log, "log", false, "print one line per request (method, path, status; never tokens)")
	fs.Int64Var(&f.faults.Seed, "seed", 0, "random seed of the faults, for reproducible runs (0: from the clock)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("roster sim: %w", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("roster sim: unexpected argument %q (flags only; see roster sim --help)", fs.Arg(0))
	}
	if f.dir == "" {
		return nil, errors.New("roster sim: --dir is required: the folder where the config, key, CA and sample CSV go")
	}
	for name, p := range map[string]float64{"--rate-429": f.faults.Rate429, "--rate-5xx": f.faults.Rate5xx, "--drop": f.faults.DropRate} {
		if p < 0 || p > 1 {
			return nil, fmt.Errorf("roster sim: %s %v: a probability is between 0 and 1, e.g. 0.1", name, p)
		}
	}
	for name, d := range map[string]time.Duration{"--latency": f.opts.Latency, "--pace": f.opts.PaceGap,
		"--session": f.opts.SessionLifetime, "--retry-after": f.faults.RetryAfter, "--kill-sessions": f.faults.KillSessionsEvery} {
		if d < 0 {
			return nil, fmt.Errorf("roster sim: %s %v: must not be negative", name, d)
		}
	}
	// The pod reads 0 as its default (3 s, 1 hour): say so rather than
	// print a banner with a pace the pod does not keep.
	for name, d := range map[string]time.Duration{"--pace": f.opts.PaceGap, "--session": f.opts.SessionLifetime} {
		if d == 0 {
			return nil, fmt.Errorf("roster sim: %s %v: must be positive, e.g. 10ms", name, d)
		}
	}
	if f.faults.Burst5xx < 1 {
		return nil, fmt.Errorf("roster sim: --burst-5xx %d: must be at least 1", f.faults.Burst5xx)
	}
	return f, nil
}

// serveSim is roster sim until ctx ends.
func serveSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseSimFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInput
	}
	if f.log {
		f.opts.RequestLog = stdout
	}
	pod, err := podsim.New(f.opts)
	if err != nil {
		fmt.Fprintf(stderr, "roster sim: %v\n", err)
		return exitInput
	}
	demo, err := pod.SeedDemo()
	if err != nil {
		fmt.Fprintf(stderr, "roster sim: %v\n", err)
		return exitInput
	}
	pod.SetFaults(f.faults)
	if err := pod.Start(f.addr); err != nil {
		fmt.Fprintf(stderr, "roster sim: --addr %s: %v\n", f.addr, err)
		return exitInput
	}
	defer pod.Close()
	if err := pod.WriteDir(f.dir, demo); err != nil {
		fmt.Fprintf(stderr, "roster sim: --dir %s: %v\n", f.dir, err)
		return exitInput
	}
	printSimBanner(stdout, pod, demo, f)
	<-ctx.Done()
	fmt.Fprintln(stdout, "roster sim: stopped.")
	return exitOK
}

func printSimBanner(w io.Writer, pod *podsim.Server, d *podsim.Demo, f *simFlags) {
	dir := f.dir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	st := pod.State()
	size := func(id string) int {
		r, _ := st.Room(id)
		return len(r.Members)
	}
	fmt.Fprintf(w, "roster sim: a simulated Symphony pod is serving at %s\n\n", pod.URL())
	fmt.Fprintf(w, "Files written in %s:\n", dir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  %s\tlegacy config of the old Python script (RSA)\n", podsim.FileLegacyConfig)
	fmt.Fprintf(tw, "  %s\tBDK 2.0 config\n", podsim.FileBDKConfig)
	fmt.Fprintf(tw, "  %s\tprivate key of the bot %q\n", podsim.FileBotKey, d.BotUsername)
	fmt.Fprintf(tw, "  %s\tthe pod's CA certificate (truststore)\n", podsim.FileCA)
	fmt.Fprintf(tw, "  %s\ta sample user list\n", podsim.FileUsersCSV)
	tw.Flush()
	fmt.Fprintln(w, "\nRooms (stream IDs):")
	rooms := []struct{ label, id, note string }{
		{"small", d.Small, "the bot owns it"},
		{"medium", d.Medium, "the bot owns it; paced once over 500"},
		{"jumbo", d.Jumbo, "the bot owns it; paced"},
		{"deactivated", d.Deactivated, "adds fail: room deactivated"},
		{"forbidden", d.Forbidden, "the bot may not add here"},
	}
	for _, r := range rooms {
		fmt.Fprintf(tw, "  %s\t%s\t%d members\t%s\n", r.label, r.id, size(r.id), r.note)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nPace: one change every %v in rooms over %d members", f.opts.PaceGap, podsim.PaceThreshold)
	if f.opts.PaceReject {
		fmt.Fprint(w, " (faster changes are answered 429)")
	}
	fmt.Fprintf(w, ".\n\nTry:\n  curl --cacert %s %s/_sim/state\n",
		filepath.Join(dir, podsim.FileCA), pod.URL())
	// roster paces at Symphony's 3 s unless told: match a faster sim pace.
	interval := ""
	if f.opts.PaceGap != 3*time.Second {
		interval = " --interval " + f.opts.PaceGap.String()
	}
	for _, room := range []struct{ id, why string }{{d.Small, "a small room: no pace"}, {d.Jumbo, "the jumbo room: paced"}} {
		fmt.Fprintf(w, "  roster --config %s --csv %s --stream %s%s   # %s\n",
			filepath.Join(dir, podsim.FileLegacyConfig), filepath.Join(dir, podsim.FileUsersCSV), room.id, interval, room.why)
	}
	fmt.Fprintln(w, "\nServing until Ctrl+C.")
}
