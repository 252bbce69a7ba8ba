package bulk

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"roster/symphony/podsim"
)

var updateFiles = flag.Bool("update", false, "rewrite testdata/mixed-files.golden")

// timeStamp matches the times of a journal and a report, which change
// from run to run.
var timeStamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)|\d{8}T\d{6}Z`)

// TestJournalAndReportBytes runs testdata/mixed.csv into a room, then out
// of it again, and compares the journals and reports, byte for byte but for
// their times, with the golden file: what the files say of every line (its
// value, kind, user ID, display name, outcome, reason) is a format that
// admins' tools read, and holds still whatever the plan keeps in memory.
func TestJournalAndReportBytes(t *testing.T) {
	p, _ := mixedPod(t)
	// The mixed room again, under a fixed ID: the journal's header names
	// the room and hashes it with the list.
	room := p.AddRoom(podsim.Room{ID: "mixedGoldenRoom0123456789_-", Name: "Mixed", Active: true, Members: []podsim.Member{
		{UserID: p.BotID, Owner: true}, {UserID: 7000007}, {UserID: 7000008}, {UserID: 7000009, Owner: true}}})
	list := readList(t, "testdata/mixed.csv")
	var got strings.Builder
	for _, mode := range []Mode{ModeAdd, ModeRemove} {
		dir := t.TempDir()
		plan := p.plan(t, room, mode, list, 0)
		out := run(t, p.client, plan, RunOptions{OutDir: dir, Retry: fastRetry})
		if out.err != nil {
			t.Fatalf("%v run: %v", mode, out.err)
		}
		for _, path := range []string{out.summary.JournalPath, out.summary.ReportPath} {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got.WriteString("== " + mode.String() + " " + timeStamp.ReplaceAllString(filepath.Base(path), "TIME") + "\n")
			got.WriteString(timeStamp.ReplaceAllString(string(b), "TIME"))
		}
	}
	golden := filepath.Join("testdata", "mixed-files.golden")
	if *updateFiles {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("the journal and report differ from %s:\n%s", golden, got.String())
	}
}
