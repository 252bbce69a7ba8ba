package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

func TestSimServesAndWritesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pod")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- serveSim(ctx, []string{"--dir", dir, "--pace", "10ms", "--rate-429", "0", "--log"}, &stdout, &stderr)
	}()

	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), "Serving until") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no banner; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	out := stdout.String()
	url := regexp.MustCompile(`https://127\.0\.0\.1:\d+`).FindString(out)
	if url == "" {
		t.Fatalf("no URL in %q", out)
	}
	for _, want := range []string{"config.json", "config.yaml", "bot-key.pem", "ca.pem", "users.csv",
		"1200 members", "480 members", "12 members", "curl --cacert " + filepath.Join(dir, "ca.pem") + " " + url + "/_sim/state", "--interval 10ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	resp, err := c.Get(url + "/_sim/state")
	if err != nil {
		t.Fatalf("GET state with the written CA: %v", err)
	}
	var st podsim.State
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || len(st.Rooms) != 5 {
		t.Fatalf("state: %v, %d rooms", err, len(st.Rooms))
	}
	for _, r := range st.Rooms {
		if !strings.Contains(out, r.ID) {
			t.Errorf("banner lacks room %s (%s)", r.Name, r.ID)
		}
	}
	// the pod logs a request once its answer is sent: it may come just
	// after the client has read it
	logged := func() bool { return strings.Contains(stdout.String(), "GET  /_sim/state 200") }
	for deadline := time.Now().Add(5 * time.Second); !logged() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if !logged() {
		t.Errorf("--log did not log the state request:\n%s", stdout.String())
	}
	if key, _ := os.ReadFile(filepath.Join(dir, "bot-key.pem")); len(key) == 0 || strings.Contains(out, string(key[40:80])) {
		t.Error("the bot's key is missing or printed")
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after stop, stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("roster sim did not stop")
	}
}

func TestSimRefusesBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		msg  string // the whole first line of stderr, after "roster sim: "
	}{
		{nil, "--dir is required: the folder where the config, key, CA and sample CSV go"},
		{[]string{"--dir", t.TempDir(), "--rate-429", "1.5"}, `--rate-429 "1.5": expected a probability between 0 and 1, such as 0.1`},
		{[]string{"--dir", t.TempDir(), "--drop", "-0.1"}, `--drop "-0.1": expected a probability between 0 and 1, such as 0.1`},
		{[]string{"--dir", t.TempDir(), "--rate-5xx=NaN"}, `--rate-5xx "NaN": expected a probability between 0 and 1, such as 0.1`},
		{[]string{"--dir", t.TempDir(), "--latency", "-1s"}, `--latency "-1s": must not be negative`},
		{[]string{"--dir", t.TempDir(), "--burst-5xx", "0"}, `--burst-5xx "0": expected a whole number from 1 to 1000, such as 3`},
		{[]string{"--dir", t.TempDir(), "--burst-5xx", "two"}, `--burst-5xx "two": expected a whole number from 1 to 1000, such as 3`},
		{[]string{"--dir", t.TempDir(), "--pace", "soon"}, `--pace "soon": expected a duration such as 500ms, 3s or 1m`},
		// The pod would read 0 as its default (3 s, 1 hour) while the banner said 0s.
		{[]string{"--dir", t.TempDir(), "--pace", "0"}, `--pace "0": must be more than zero, such as 10ms`},
		{[]string{"--dir", t.TempDir(), "--session", "0s"}, `--session "0s": must be more than zero, such as 1h`},
		{[]string{"--dir", t.TempDir(), "--bogus"}, "unknown flag --bogus"},
		{[]string{"--dir", t.TempDir(), "--pase", "1s"}, "unknown flag --pase (did you mean --pace?)"},
		{[]string{"--dir", t.TempDir(), "--seed"}, "--seed needs a value such as 7"},
		{[]string{"--dir", "--log"}, "--dir needs a value (a folder)"},
		{[]string{"--dir", t.TempDir(), "--log=sometimes"}, `--log "sometimes": expected true or false, or --log alone`},
		{[]string{"--dir", t.TempDir(), "extra"}, `unexpected argument "extra": roster sim takes flags only, as in --dir extra`},
	} {
		var stdout, stderr lockedBuffer
		// A bad flag that slipped through would serve until the context ends:
		// bound it, so the test fails instead of hanging.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		code := serveSim(ctx, tt.args, &stdout, &stderr)
		cancel()
		want := "roster sim: " + tt.msg + "\nRun `roster sim --help` to see its flags.\n"
		if code != exitInput || stderr.String() != want || stdout.String() != "" {
			t.Errorf("%v: exit %d, stdout %q\nstderr %q\n  want %q (exit 2)", tt.args, code, stdout.String(), stderr.String(), want)
		}
	}
}

// A port that cannot be listened on is no usage error: no hint to the help.
func TestSimRefusesABadAddress(t *testing.T) {
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := serveSim(ctx, []string{"--dir", t.TempDir(), "--addr", "256.0.0.1:0"}, &stdout, &stderr)
	if code != exitInput || !strings.HasPrefix(stderr.String(), "roster sim: --addr 256.0.0.1:0: ") || strings.Contains(stderr.String(), "goroutine") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestSimFlagsDefaultsAndValues(t *testing.T) {
	f, err := parseSimFlags([]string{"-dir=pod"})
	if err != nil {
		t.Fatal(err)
	}
	if f.dir != "pod" || f.addr != "127.0.0.1:0" || f.opts.PaceGap != 3*time.Second || f.opts.SessionLifetime != time.Hour ||
		f.faults.RetryAfter != time.Second || f.faults.Burst5xx != 1 || f.log || f.opts.PaceReject || f.opts.CallerGap != 0 {
		t.Errorf("defaults: %+v", f)
	}
	f, err = parseSimFlags([]string{"--pace", "10ms", "--dir", "pod", "--pace-reject", "--rate-429=0.25", "-burst-5xx", "3",
		"--seed", "-7", "--kill-sessions", "2m", "--log", "--addr", "127.0.0.1:9", "--caller-gap", "50ms"})
	if err != nil {
		t.Fatal(err)
	}
	if f.opts.PaceGap != 10*time.Millisecond || !f.opts.PaceReject || f.faults.Rate429 != 0.25 || f.faults.Burst5xx != 3 ||
		f.faults.Seed != -7 || f.faults.KillSessionsEvery != 2*time.Minute || !f.log || f.addr != "127.0.0.1:9" ||
		f.opts.CallerGap != 50*time.Millisecond {
		t.Errorf("values: %+v", f)
	}
}
