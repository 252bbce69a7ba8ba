//go:build linux || darwin || freebsd || netbsd || openbsd

package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// mkfifo makes a named pipe that nothing ever writes to: opening it to
// read blocks for ever.
func mkfifo(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

// legacyConfigWith writes a copy of the pod's config.json with some keys changed.
func legacyConfigWith(t *testing.T, src, dir, name string, set map[string]string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range set {
		m[k] = v
	}
	m["truststorePath"] = filepath.Join(filepath.Dir(src), "ca.pem")
	if _, ok := set["truststorePath"]; ok {
		m["truststorePath"] = set["truststorePath"]
	}
	if _, ok := set["botRSAPath"]; !ok {
		m["botRSAPath"] = filepath.Dir(src) + string(filepath.Separator)
	}
	out, _ := json.Marshal(m)
	return writeFile(t, dir, name, string(out))
}

// TestEndlessFilesAreRefused gives the real binary a config, a key, a
// truststore and a journal that never end (/dev/zero, /dev/urandom) or
// block on open (a FIFO nobody writes): each is refused with exit 2 and a
// message naming the file and the flag or key, instead of reading for ever.
func TestEndlessFilesAreRefused(t *testing.T) {
	bin := rosterBinary(t)
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	fifo := mkfifo(t, dir, "pipe")
	list := writeFile(t, dir, "users.csv", idCSV(userIDs(pod.Demo.Candidates[:2])...))
	run := func(config string, more ...string) []string {
		return append([]string{"--config", config, "--csv", list, "--stream", pod.Demo.Small, "--yes", "--no-tui",
			"--out", filepath.Join(dir, "out")}, more...)
	}
	keyIn := func(path string) map[string]string {
		return map[string]string{"botRSAPath": filepath.Dir(path) + "/", "botRSAName": filepath.Base(path)}
	}
	// A journal file in --out that never ends, and one that blocks on open.
	zeros := filepath.Join(dir, "zeros")
	os.MkdirAll(zeros, 0o700)
	if err := os.WriteFile(filepath.Join(zeros, "roster-zeros.jsonl"), make([]byte, 3<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	pipes := filepath.Join(dir, "pipes")
	os.MkdirAll(pipes, 0o700)
	mkfifo(t, pipes, "roster-pipe.jsonl")

	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"config /dev/zero", run("/dev/zero"), []string{"--config", "/dev/zero", "is a device"}},
		{"config /dev/urandom", run("/dev/urandom"), []string{"--config", "/dev/urandom", "is a device"}},
		{"config FIFO", run(fifo), []string{"--config", fifo, "named pipe"}},
		{"key /dev/zero", run(legacyConfigWith(t, pod.ConfigPath(), dir, "key-zero.json", keyIn("/dev/zero"))), []string{"--config", `"botRSA`, "/dev/zero", "is a device"}},
		{"key FIFO", run(legacyConfigWith(t, pod.ConfigPath(), dir, "key-fifo.json", keyIn(fifo))), []string{"--config", `"botRSA`, fifo, "named pipe"}},
		{"truststore /dev/urandom", run(legacyConfigWith(t, pod.ConfigPath(), dir, "ca-random.json", map[string]string{"truststorePath": "/dev/urandom"})), []string{"--config", "truststorePath", "/dev/urandom", "is a device"}},
		{"truststore FIFO", run(legacyConfigWith(t, pod.ConfigPath(), dir, "ca-fifo.json", map[string]string{"truststorePath": fifo})), []string{"--config", "truststorePath", fifo, "named pipe"}},
		{"--resume /dev/zero", run(pod.ConfigPath(), "--resume", "/dev/zero"), []string{"Cannot resume", "/dev/zero", "is a device, not a file"}},
		{"--resume FIFO", run(pod.ConfigPath(), "--resume", fifo), []string{"Cannot resume", fifo, "is a named pipe"}},
		{"a journal of zeros in --out", append(run(pod.ConfigPath(), "--resume"), "--out", zeros), []string{filepath.Join(zeros, "roster-zeros.jsonl"), "line 1", "over 1,048,576 bytes", "keep it aside", "--resume FILE"}},
		{"a FIFO journal in --out", append(run(pod.ConfigPath(), "--resume"), "--out", pipes), []string{filepath.Join(pipes, "roster-pipe.jsonl"), "a named pipe", "keep it aside"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := startRoster(t, bin, c.args...)
			code := p.wait(t)
			if code != exitInput {
				t.Errorf("exit %d, want 2:\n%s", code, p.output())
			}
			for _, w := range c.want {
				if !strings.Contains(p.stderr.String(), w) {
					t.Errorf("stderr does not say %q:\n%s", w, p.output())
				}
			}
			if strings.Contains(p.stdoutText(), "No unfinished journal") {
				t.Errorf("a damaged journal was passed over:\n%s", p.output())
			}
		})
	}
}

// TestSignalStopsAPlanningStuckOnAPipe: a user list given as a pipe that
// never ends its first line blocks the read, which no cancel reaches; one
// SIGTERM still ends the process (exit 3), saying nothing was changed.
func TestSignalStopsAPlanningStuckOnAPipe(t *testing.T) {
	bin := rosterBinary(t)
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	fifo := mkfifo(t, dir, "users.csv")
	p := startRoster(t, bin, "--config", pod.ConfigPath(), "--csv", fifo, "--stream", pod.Demo.Small, "--yes", "--no-tui",
		"--out", filepath.Join(dir, "out"))
	// Opening the write end without waiting succeeds once roster holds the
	// read end: it is then past setting up its signals, and planning. The
	// pipe is kept open and silent, so roster's read waits for ever.
	var w *os.File
	for w == nil {
		f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		switch {
		case err == nil:
			w = f
		case !errors.Is(err, syscall.ENXIO):
			t.Fatalf("open the pipe to write: %v", err)
		default:
			select {
			case <-p.waited:
				t.Fatalf("roster ended before reading the list:\n%s", p.output())
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	defer w.Close()
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t); code != exitAborted {
		t.Fatalf("exit %d after SIGTERM, want 3:\n%s", code, p.output())
	}
	if !strings.Contains(p.stderr.String(), "Nothing was changed") {
		t.Errorf("stderr does not say nothing was changed:\n%s", p.output())
	}
}
