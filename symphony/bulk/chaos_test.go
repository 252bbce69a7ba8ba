package bulk

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// readReport parses a report into rows keyed by user ID (rows without an
// ID, and duplicates, are keyed by their negative line number). Every
// row's outcome must be an outcome's word: no zero or unknown outcome
// reaches a report.
func readReport(t testing.TB, path string) map[int64][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("report %s: %v", path, err)
	}
	if strings.Join(rows[0], ",") != strings.Join(reportHeader, ",") {
		t.Fatalf("report header %v", rows[0])
	}
	out := map[int64][]string{}
	for _, row := range rows[1:] {
		if _, err := ParseOutcome(row[5]); err != nil {
			t.Errorf("report %s: a row with no outcome: %v: %q", path, err, row)
		}
		id, _ := strconv.ParseInt(row[3], 10, 64)
		if id == 0 || row[5] == OutcomeDuplicate.String() {
			line, _ := strconv.ParseInt(row[2], 10, 64)
			id = -line
		}
		out[id] = row
	}
	return out
}

// TestRunOutlastsAHostilePod runs through 429 storms, 503 bursts, dropped
// connections and sessions killed every 150 ms, across the pace threshold,
// and ends with every user where the list wants them, the report saying
// so, and no add repeated after the pod made it.
func TestRunOutlastsAHostilePod(t *testing.T) {
	p := startSim(t, podsim.Options{PaceGap: time.Millisecond, PaceTolerance: time.Millisecond / 2})
	existing := p.addUsers("member", 440)
	room := p.room("Hostile", existing)
	ids := p.addUsers("new", 160)
	owners := []int64{ids[3], ids[77], ids[150]}
	inactive := p.AddUser(podsim.User{Username: "gone", Active: false})
	list := idList(append(append([]int64(nil), ids...), inactive, 987654321), owners...)
	p.SetFaults(podsim.Faults{Rate429: 0.15, RetryAfter: 3 * time.Millisecond, Rate5xx: 0.04, Burst5xx: 3,
		DropRate: 0.05, KillSessionsEvery: 150 * time.Millisecond, Seed: 7})

	plan := p.plan(t, room, ModeAdd, list, time.Millisecond)
	if len(plan.Actions) != len(ids) || len(plan.SetAside) != 2 {
		t.Fatalf("plan: %d actions, %d set aside", len(plan.Actions), len(plan.SetAside))
	}
	out := run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if out.err != nil {
		t.Fatalf("Run: %v", out.err)
	}
	tot := out.summary.Totals
	if tot.Added != len(ids) || tot.Failed != 0 || tot.Promoted != len(owners) || out.summary.ExitCode() != 0 {
		t.Fatalf("totals %+v, stop %q", tot, out.summary.StopReason)
	}
	if out.count(EventRetryWait) == 0 || p.client.Logins() < 2 {
		t.Errorf("%d retry waits, %d logins: were the faults on?", out.count(EventRetryWait), p.client.Logins())
	}
	rs := p.Room(t, room)
	members := podsimtest.MemberSet(rs)
	st := p.State()
	for _, id := range ids {
		if !members[id] {
			t.Errorf("user %d is not in the room", id)
		}
		if c := st.Calls[id]; c == nil || c.Add != 1 {
			t.Errorf("user %d: the pod handled %+v adds, want exactly 1", id, c)
		}
	}
	if len(rs.Members) != 442+len(ids) || tot.Members != len(rs.Members) {
		t.Errorf("the room has %d members, the run counted %d", len(rs.Members), tot.Members)
	}
	isOwner := map[int64]bool{}
	for _, id := range rs.Owners {
		isOwner[id] = true
	}
	report := readReport(t, out.summary.ReportPath)
	for _, id := range ids {
		row := report[id]
		if row == nil || row[5] != OutcomeAdded.String() {
			t.Errorf("report row of %d: %v", id, row)
		}
	}
	for _, id := range owners {
		if !isOwner[id] || report[id][6] != "promoted" {
			t.Errorf("owner %d: owner in the room %v, report %v", id, isOwner[id], report[id])
		}
	}
	if row := report[inactive]; row == nil || row[5] != OutcomeInactive.String() {
		t.Errorf("report row of the inactive user: %v", row)
	}
	if len(report) != len(ids)+2 {
		t.Errorf("the report has %d rows, want %d", len(report), len(ids)+2)
	}
	noSecrets(t, p, out.summary.JournalPath, out.summary.ReportPath)

	// And out again, half of them, through the same storm.
	gone := ids[:80]
	plan = p.plan(t, room, ModeRemove, idList(gone), time.Millisecond)
	if len(plan.Actions) != len(gone) {
		t.Fatalf("removal plan: %d actions", len(plan.Actions))
	}
	out = run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if tot := out.summary.Totals; out.err != nil || tot.Removed != len(gone) || tot.Failed != 0 {
		t.Fatalf("removal: %v, totals %+v, stop %q", out.err, tot, out.summary.StopReason)
	}
	members = p.MemberSet(t, room)
	report = readReport(t, out.summary.ReportPath)
	for _, id := range gone {
		if members[id] || report[id][5] != OutcomeRemoved.String() {
			t.Errorf("user %d: still a member %v, report %v", id, members[id], report[id])
		}
		if c := p.State().Calls[id]; c.Remove != 1 {
			t.Errorf("user %d: %d removals reached the pod", id, c.Remove)
		}
	}
}

// noSecrets checks that no key material or session token reached a file.
func noSecrets(t *testing.T, p *simPod, paths ...string) {
	t.Helper()
	key, err := os.ReadFile(p.KeyPath())
	if err != nil {
		t.Fatal(err)
	}
	keyLine := strings.Split(string(key), "\n")[1] // a line of the key's base64
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(string(data))
		// "eyj" starts every JWT (base64 of `{"`); a session token would
		// only come with its header's name.
		for _, bad := range []string{"private key", "sessiontoken", "eyj", "password", strings.ToLower(keyLine)} {
			if strings.Contains(text, bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
	}
}
