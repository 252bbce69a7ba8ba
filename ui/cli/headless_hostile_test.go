package cli

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// reportOutcomes reads a report CSV into user ID -> outcome, by the header's
// column names, so that a change of column order does not break the test.
func reportOutcomes(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\uFEFF"))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("report %s: %v (%d rows)", path, err, len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	idCol, idOK := col["user ID"]
	outCol, outOK := col["outcome"]
	if !idOK || !outOK {
		t.Fatalf("report %s has no \"user ID\" and \"outcome\" columns: %q", path, rows[0])
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		got[row[idCol]] = row[outCol]
	}
	return got
}

// TestHeadlessThroughAHostilePod runs the CLI against a pod that answers
// 429 with Retry-After, bursts of 503, drops connections and kills every
// session every 50ms, with the config's retry policy scaled to
// milliseconds. Every user must end up a member, the output must show the
// retry waits, and the report must say every user was added.
func TestHeadlessThroughAHostilePod(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	yaml, err := os.ReadFile(pod.YAMLConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	config := writeFile(t, pod.Dir, "hostile.yaml", string(yaml)+
		"retry:\n  maxAttempts: 12\n  initialIntervalMillis: 5\n  maxIntervalMillis: 40\n")
	users := pod.Demo.Candidates[600:660] // the medium room passes 500: paced too
	dir := t.TempDir()
	path := writeFile(t, dir, "users.csv", idCSV(userIDs(users)...))
	pod.SetFaults(podsim.Faults{Rate429: 0.15, RetryAfter: 10 * time.Millisecond, Rate5xx: 0.08, Burst5xx: 2,
		DropRate: 0.04, KillSessionsEvery: 50 * time.Millisecond, Seed: 7})

	r := runCmd(t, "--config", config, "--csv", path, "--stream", pod.Demo.Medium, "--yes",
		"--interval", testPace.String(), "--out", dir)
	pod.SetFaults(podsim.Faults{})
	if r.code != exitOK {
		t.Fatalf("hostile pod: want exit 0\n%s", r)
	}
	if !regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  waiting \S+, until \d\d:\d\d:\d\d, to retry \(attempt \d+\): `).MatchString(r.stdout) {
		t.Errorf("no retry wait was printed through 429s and 503s\n%s", r)
	}
	if !regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  line .* [2-9]\d* attempts`).MatchString(r.stdout) {
		t.Errorf("no outcome line shows more than one attempt\n%s", r)
	}
	members := pod.MemberSet(t, pod.Demo.Medium)
	outcomes := reportOutcomes(t, reportPath(r.stdout))
	for _, u := range users {
		if !members[u.ID] {
			t.Errorf("user %d is not a member", u.ID)
		}
		// A retried add whose first reply was lost may find the user
		// already in: that is a success too.
		if o := outcomes[fmt.Sprint(u.ID)]; o != "added" && o != "already-member" {
			t.Errorf("the report says %q for user %d, want added", o, u.ID)
		}
	}
	assertNoSecrets(t, "stdout", r.stdout, pod.Demo.BotKeyPEM)
	assertNoSecrets(t, "stderr", r.stderr, pod.Demo.BotKeyPEM)
}

// BenchmarkHeadlessRun measures the whole headless path per user: config,
// login, plan, HTTPS calls to the simulated pod, the journal flushed per
// outcome, the report and the printed lines. Iterations alternate adding
// and removing the same 200 users in the small (unpaced) room:
// go test -run '^$' -bench HeadlessRun -benchtime 6x .
func BenchmarkHeadlessRun(b *testing.B) {
	pod := startPod(b, podsim.Options{})
	demo, dir := pod.Demo, pod.Dir
	const n = 200
	path := filepath.Join(dir, "bench.csv")
	if err := os.WriteFile(path, []byte(idCSV(userIDs(demo.Candidates[:n])...)), 0o600); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		args := []string{"--config", pod.ConfigPath(), "--csv", path, "--stream", demo.Small,
			"--yes", "--out", b.TempDir()}
		if i%2 == 1 {
			args = append(args, "--remove")
		}
		var stdout, stderr strings.Builder
		if code := cmdRun(args, nil, &stdout, &stderr); code != exitOK {
			b.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*n), "ms/user")
}

// TestHeadlessPrintsWaitsWhilePlanning: a pod that answers 429 while the
// plan is built makes the client wait; every wait is printed as it starts
// (not hidden behind "Planning"), and a pod that never stops asking fails
// the plan (exit 2, nothing changed) once the config's attempts are spent.
func TestHeadlessPrintsWaitsWhilePlanning(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	yaml, err := os.ReadFile(pod.YAMLConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	config := writeFile(t, pod.Dir, "busy.yaml", string(yaml)+"retry:\n  maxAttempts: 3\n")
	dir := t.TempDir()
	path := writeFile(t, dir, "users.csv", idCSV(userIDs(pod.Demo.Candidates[:3])...))
	pod.SetFaults(podsim.Faults{Rate429: 1, RetryAfter: 20 * time.Millisecond})
	r := runCmd(t, "--config", config, "--csv", path, "--stream", pod.Demo.Medium, "--yes", "--out", dir)
	pod.SetFaults(podsim.Faults{})
	if r.code != 2 {
		t.Fatalf("want exit 2\n%s", r)
	}
	waits := regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  waiting \S+, until \d\d:\d\d:\d\d, to retry \(attempt [23]\): \S+ /\S+: .*HTTP 429`).FindAllString(r.stdout, -1)
	if len(waits) != 2 {
		t.Errorf("%d planning waits printed, want 2 (attempts 2 and 3)\n%s", len(waits), r)
	}
}
