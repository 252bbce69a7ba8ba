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
	"strconv"
	"strings"
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

const simUsage = `Usage: roster sim --dir DIR [flags]

Serves a simulated Symphony pod on localhost until Ctrl+C, and writes a working
config.json, config.yaml, bot key, CA and sample users.csv into DIR.

Flags:
  --dir DIR            folder for the config, key, CA and users.csv (created if missing)
  --addr HOST:PORT     address to listen on (default 127.0.0.1:0, port 0: any free port)
  --latency D          delay added to every reply, such as 50ms (default 0)
  --pace D             the pod's pace: minimum gap between changes in rooms over 500
                       members (default 3s)
  --pace-reject        answer changes that come faster than --pace with 429 (otherwise
                       they are only counted)
  --caller-gap D       the bot's rate over every room: a change sooner than D after its
                       last one is answered 429 with Retry-After (default 0: none)
  --session D          session lifetime (default 1h)
  --rate-429 P         probability (0 to 1) that a /pod call answers 429 (default 0)
  --retry-after D      Retry-After of the injected 429s (default 1s)
  --rate-5xx P         probability (0 to 1) that a /pod call starts a burst of 503s (default 0)
  --burst-5xx N        503s in a burst (default 1)
  --drop P             probability (0 to 1) that a /pod call's connection is closed with
                       no reply (default 0)
  --kill-sessions D    invalidate every session this often (default 0: never)
  --seed N             random seed of the faults, for reproducible runs (default 0: from
                       the clock)
  --log                print one line per request (method, path, status; never tokens)
  -h, --help           print this help
`

// simFlags are the options of roster sim.
type simFlags struct {
	dir, addr string
	log       bool
	opts      podsim.Options
	faults    podsim.Faults
}

// parseSimFlags reads roster sim's flags as every command reads its flags
// (see flagSet).
func parseSimFlags(args []string) (*simFlags, error) {
	f := &simFlags{addr: "127.0.0.1:0"}
	f.opts.PaceGap = 3 * time.Second
	f.opts.SessionLifetime = time.Hour
	f.faults.RetryAfter = time.Second
	f.faults.Burst5xx = 1
	rest, err := simFlagSet(f).parse(args)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("unexpected argument %q: roster sim takes flags only, as in --dir %s", rest[0], rest[0])
	}
	if f.dir == "" {
		return nil, errors.New("--dir is required: the folder where the config, key, CA and sample CSV go")
	}
	return f, nil
}

// simFlagSet is roster sim's flags, set into f, each value checked as it comes.
func simFlagSet(f *simFlags) *flagSet {
	notNegative := func(d time.Duration) error {
		if d < 0 {
			return errors.New("must not be negative")
		}
		return nil
	}
	// The pod reads 0 as its default (3 s, 1 hour): refuse it rather than
	// print a banner with a pace the pod does not keep.
	positive := func(example string) func(time.Duration) error {
		return func(d time.Duration) error {
			if d <= 0 {
				return errors.New("must be more than zero, such as " + example)
			}
			return nil
		}
	}
	probability := func(p float64) error {
		if !(p >= 0 && p <= 1) { // NaN too
			return errors.New("expected a probability between 0 and 1, such as 0.1")
		}
		return nil
	}
	fs := newFlagSet()
	fs.str("dir", " (a folder)", &f.dir)
	fs.str("addr", " such as 127.0.0.1:0", &f.addr)
	fs.duration("latency", &f.opts.Latency, notNegative)
	fs.duration("pace", &f.opts.PaceGap, positive("10ms"))
	fs.boolean("pace-reject", &f.opts.PaceReject)
	fs.duration("caller-gap", &f.opts.CallerGap, notNegative)
	fs.duration("session", &f.opts.SessionLifetime, positive("1h"))
	fs.float("rate-429", " between 0 and 1, such as 0.1", &f.faults.Rate429, probability)
	fs.duration("retry-after", &f.faults.RetryAfter, notNegative)
	fs.float("rate-5xx", " between 0 and 1, such as 0.1", &f.faults.Rate5xx, probability)
	fs.value("burst-5xx", " such as 1 or 3", func(v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > 1000 {
			return errors.New("expected a whole number from 1 to 1000, such as 3")
		}
		f.faults.Burst5xx = n
		return nil
	})
	fs.float("drop", " between 0 and 1, such as 0.1", &f.faults.DropRate, probability)
	fs.duration("kill-sessions", &f.faults.KillSessionsEvery, notNegative)
	fs.boolean("log", &f.log)
	fs.integer("seed", " such as 7", &f.faults.Seed, nil)
	return fs
}

// serveSim is roster sim until ctx ends.
func serveSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseSimFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, simUsage)
		return exitOK
	}
	if err != nil {
		return usageFailed(stderr, "roster sim", err)
	}
	if f.log {
		f.opts.RequestLog = stdout
	}
	pod, demo, err := startSimPod(f.opts, f.addr, f.dir)
	if err != nil {
		fmt.Fprintf(stderr, "roster sim: %v\n", err)
		return exitInput
	}
	defer pod.Close()
	pod.SetFaults(f.faults)
	printSimBanner(stdout, pod, demo, f)
	<-ctx.Done()
	fmt.Fprintln(stdout, "roster sim: stopped.")
	return exitOK
}

// startSimPod serves a seeded simulated pod on addr and writes its config,
// key, CA and sample list into dir: what roster sim and roster demo both
// start. The errors name the flag to fix.
func startSimPod(opts podsim.Options, addr, dir string) (*podsim.Server, *podsim.Demo, error) {
	pod, err := podsim.New(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("simulated pod: %w", err)
	}
	demo, err := pod.SeedDemo()
	if err != nil {
		return nil, nil, fmt.Errorf("simulated pod: seed: %w", err)
	}
	if err := pod.Start(addr); err != nil {
		return nil, nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	if err := pod.WriteDir(dir, demo); err != nil {
		pod.Close()
		return nil, nil, fmt.Errorf("--dir %s: %w", dir, err)
	}
	return pod, demo, nil
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
		{"forbidden", d.Forbidden, "private, discoverable: the bot sees it, not its members, and may not add here"},
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
