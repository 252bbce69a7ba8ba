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

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// testPace is the simulated pace of the headless tests: Symphony's 3 s
// scaled to milliseconds, so that paced runs are fast but still paced.
const testPace = 5 * time.Millisecond

// TestMain removes the binary built for the real-binary tests. The runs'
// room locks go to a cache folder of the tests' own (the binaries
// inherit it), not the user's.
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "roster-cli-cache-")
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", cache)
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	if cache != "" {
		os.RemoveAll(cache)
	}
	os.Exit(code)
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
		cmd := exec.Command("go", "build", "-o", binPath, "roster")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// startPod starts a pod seeded with the demo world, its config folder
// written (podsimtest); it stops when the test ends. A zero PaceGap is
// testPace, not Symphony's 3 s.
func startPod(t *testing.T, opts podsim.Options) *podsimtest.Pod {
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
