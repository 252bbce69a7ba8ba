package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// TestDamagedJournalIsReportedNotSkipped: a bare --resume (and a run
// without it, and a dry run) whose --out holds a journal file that cannot
// be read refuses with exit 2, naming the file and the line and how to go
// on, instead of "No unfinished journal ... starting a new run". A torn
// last line, which a crash leaves, stays resumable, and other runs'
// journals are passed over whatever their body holds.
func TestDamagedJournalIsReportedNotSkipped(t *testing.T) {
	for _, c := range []struct {
		name   string
		damage func(t *testing.T, journal, out, dir string) string // the file to name
		code   int
		want   []string
	}{
		{"an empty journal file", func(t *testing.T, journal, out, dir string) string {
			return writeFile(t, out, "roster-empty-20261205T000000Z.jsonl", "")
		}, exitInput, []string{"cannot be used: empty"}},
		{"a garbage middle line", func(t *testing.T, journal, out, dir string) string {
			data, _ := os.ReadFile(journal)
			lines := strings.SplitAfter(string(data), "\n")
			damaged := strings.Join(lines[:2], "") + "#?! garbage\n" + strings.Join(lines[2:], "")
			os.WriteFile(journal, []byte(damaged), 0o600)
			return journal
		}, exitInput, []string{"line 3: not a journal record"}},
		{"a garbage first line", func(t *testing.T, journal, out, dir string) string {
			return writeFile(t, out, "roster-x.jsonl", "not a journal\n")
		}, exitInput, []string{"line 1: not a roster journal header"}},
		{"a torn last line", func(t *testing.T, journal, out, dir string) string {
			f, _ := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(`{"type":"result","time":"2026-12-05T04:00:00Z","userId":12`)
			f.Close()
			return journal
		}, exitOK, []string{"Resuming the journal"}},
		{"another run's journal with a garbage body", func(t *testing.T, journal, out, dir string) string {
			data, _ := os.ReadFile(journal)
			header := strings.SplitAfter(string(data), "\n")[0]
			other := strings.Replace(header, `"mode":"add"`, `"mode":"remove"`, 1)
			if other == header {
				t.Fatalf("no mode in the header %s", header)
			}
			return writeFile(t, out, "roster-other-20261205T000000Z.jsonl", other+"#?! garbage\n")
		}, exitOK, []string{"Resuming the journal"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pod := startPod(t, podsim.Options{Latency: 5 * time.Millisecond})
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			list := writeAddList(t, pod, dir, 4).path
			journal := unfinishedJournal(t, pod, list, out)
			named := c.damage(t, journal, out, dir)
			args := []string{"--config", pod.ConfigPath(), "--csv", list, "--stream", pod.Demo.Small, "--out", out}
			faces := [][]string{{"--resume", "--yes"}}
			if c.code != exitOK {
				faces = append(faces, []string{"--resume", "--dry-run"}, []string{"--yes"})
			}
			for _, more := range faces {
				r := runCmd(t, append(args, more...)...)
				if r.code != c.code {
					t.Fatalf("%v: exit %d, want %d\n%s", more, r.code, c.code, r)
				}
				if strings.Contains(r.stdout, "No unfinished journal") {
					t.Errorf("%v: the damaged journal was passed over\n%s", more, r)
				}
				text := r.stdout + r.stderr
				want := c.want
				if c.code != exitOK {
					want = append(want, named, "Nothing was changed", "keep it aside", "--resume FILE")
				}
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%v: the output does not say %q\n%s", more, w, r)
					}
				}
			}
		})
	}
}
