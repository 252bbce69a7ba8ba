package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/internal/testcache"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// testPace is the simulated pace of the headless tests: Symphony's 3 s
// scaled to milliseconds, so that paced runs are fast but still paced.
const testPace = 5 * time.Millisecond

// TestMain gives the runs' room locks a cache folder of the tests' own (the
// binaries inherit it), not the user's, and removes the binary built for
// the real-binary tests.
func TestMain(m *testing.M) {
	testcache.Main(m, "roster-cli-cache-", func() {
		if binDir != "" {
			os.RemoveAll(binDir)
		}
	})
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// rosterBinary builds the real binary once for the whole test run.
func rosterBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary; skipped with -short")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "roster-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "roster")
		binErr = buildRoster(binPath)
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// buildRoster builds the binary into bin with go build and its flags, in
// the user's environment (testcache.UserEnv): with the tests' own cache
// folder, go would build every package afresh.
func buildRoster(bin string, flags ...string) error {
	cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, flags...), "roster")...)
	cmd.Env = testcache.UserEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", strings.Join(flags, " "), err, out)
	}
	return nil
}

// startPod starts a pod seeded with the demo world, its config folder
// written (podsimtest); it stops when the test ends. A zero PaceGap is
// testPace, not Symphony's 3 s.
func startPod(t testing.TB, opts podsim.Options) *podsimtest.Pod {
	t.Helper()
	return podsimtest.Start(t, opts, podsimtest.DefaultPaceGap(testPace))
}

// writeFile writes a test file and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// idCSV is a user list with one userId column.
func idCSV(ids ...int64) string {
	var b strings.Builder
	b.WriteString("userId\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "%d\n", id)
	}
	return b.String()
}

// userIDs are the users' IDs.
func userIDs(users []podsim.User) []int64 {
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}

// runResult is what one cmdRun call gave.
type runResult struct {
	code           int
	stdout, stderr string
}

// runCmd calls cmdRun as main does, with no terminal.
func runCmd(t *testing.T, args ...string) runResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cmdRun(args, nil, &stdout, &stderr)
	return runResult{code, stdout.String(), stderr.String()}
}

func (r runResult) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// outcomeLine matches the headless printer's line for one finished user.
var outcomeLine = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  line \d+ `)

// outcomeLines counts the outcome lines of a run's output.
func outcomeLines(out string) int { return len(outcomeLine.FindAllString(out, -1)) }

// reportPath is the report named in a run's summary.
func reportPath(out string) string { return summaryPath(out, "Report") }

// journalPath is the journal named in a run's summary.
func journalPath(out string) string { return summaryPath(out, "Journal") }

func summaryPath(out, label string) string {
	m := regexp.MustCompile(`(?m)^` + label + `\s+(.+)$`).FindStringSubmatch(out)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// assertNoSecrets fails when text holds key material or a stack trace.
func assertNoSecrets(t *testing.T, what, text string, keyPEM []byte) {
	t.Helper()
	for _, bad := range []string{"PRIVATE KEY", "goroutine ", "panic:"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s contains %q:\n%s", what, bad, text)
		}
	}
	// A line of the key's base64 body is enough to leak it.
	for _, line := range strings.Split(string(keyPEM), "\n") {
		if len(line) >= 40 && !strings.HasPrefix(line, "-----") && strings.Contains(text, line) {
			t.Errorf("%s contains a line of the bot's private key", what)
			return
		}
	}
}
