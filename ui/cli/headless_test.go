package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// unknownID is a user ID that no demo pod holds.
const unknownID = 987654321987

// standardStreamID is a stream ID as the Symphony client shows it (standard
// base64, padded), which users paste; the CLI must accept it.
func standardStreamID(urlSafe string) string {
	s := strings.NewReplacer("-", "+", "_", "/").Replace(urlSafe)
	for len(s)%4 != 0 {
		s += "="
	}
	return s
}

// addList is a list of users to add to the small room, with one unknown and
// one inactive user set aside by the plan.
type addList struct {
	path     string
	toAdd    []podsim.User
	unknown  int // line of the unknown ID
	inactive int // line of the inactive user
}

func writeAddList(t *testing.T, pod *podsimtest.Pod, dir string, n int) addList {
	t.Helper()
	l := addList{toAdd: pod.Demo.Candidates[:n]}
	ids := append(userIDs(l.toAdd), unknownID, pod.Demo.Inactive[0].ID)
	l.unknown, l.inactive = n+2, n+3 // header is line 1
	l.path = writeFile(t, dir, "users.csv", idCSV(ids...))
	return l
}

func TestHeadlessDryRunChangesNothing(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	for _, config := range []string{"config.json", "config.yaml"} {
		t.Run(config, func(t *testing.T) { testDryRun(t, pod, filepath.Join(pod.Dir, config)) })
	}
}

func testDryRun(t *testing.T, pod *podsimtest.Pod, config string) {
	dir := t.TempDir()
	list := writeAddList(t, pod, dir, 12)
	before := pod.MemberSet(t, pod.Demo.Small)
	out := filepath.Join(dir, "out")

	r := runCmd(t, "--auth", "rsa", "--config", config, "--csv", list.path,
		"--stream", standardStreamID(pod.Demo.Small), "--dry-run", "--out", out)
	if r.code != exitOK {
		t.Fatalf("dry run: want exit 0\n%s", r)
	}
	for _, want := range []string{
		"Dry run: nothing was changed;",
		"Changes   12 to add",
		fmt.Sprintf("line %-6d unknown-user", list.unknown),
		fmt.Sprintf("line %-6d inactive-user", list.inactive),
		pod.Demo.Small, // the normalised stream ID
		"Pod       " + pod.URL() + " as " + pod.Demo.BotUsername + " (rsa authentication, from " + config + ")",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run output lacks %q\n%s", want, r)
		}
	}
	assertUnchanged(t, pod, pod.Demo.Small, before, list.toAdd)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a dry run created %s (stat: %v); it must write nothing", out, err)
	}
}

func TestHeadlessWithoutYesChangesNothing(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	list := writeAddList(t, pod, dir, 5)
	before := pod.MemberSet(t, pod.Demo.Small)

	r := runCmd(t, "--config", pod.ConfigPath(), "--csv", list.path, "--stream", pod.Demo.Small, "--out", dir)
	if r.code != exitInput {
		t.Fatalf("no --yes: want exit 2\n%s", r)
	}
	if !strings.Contains(r.stdout, "Nothing was changed. To make these 5 changes, run the same command again with --yes.") {
		t.Errorf("no --yes: the output does not say to re-run with --yes\n%s", r)
	}
	assertUnchanged(t, pod, pod.Demo.Small, before, list.toAdd)
	if entries, _ := os.ReadDir(dir); len(entries) != 1 { // users.csv only
		t.Errorf("no --yes: %d files in the out folder, want only the list", len(entries))
	}
}

// assertUnchanged checks that a room still has the same members and that no
// membership call reached the pod for the listed users.
func assertUnchanged(t *testing.T, pod *podsimtest.Pod, room string, before map[int64]bool, users []podsim.User) {
	t.Helper()
	after := pod.MemberSet(t, room)
	if len(after) != len(before) {
		t.Errorf("the room went from %d to %d members; nothing should change", len(before), len(after))
	}
	st := pod.State()
	for _, u := range users {
		if c := podsimtest.Calls(st, u.ID); c.Add+c.Remove != 0 {
			t.Errorf("user %d got %d adds and %d removals; nothing should be called", u.ID, c.Add, c.Remove)
		}
	}
}

func TestHeadlessAddsEveryone(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	users := pod.Demo.Candidates[:15]
	var csv strings.Builder
	csv.WriteString("user,owner\n")
	for i, u := range users {
		switch {
		case i == 0:
			fmt.Fprintf(&csv, "%d,yes\n", u.ID) // to be made owner
		case i < 4 && u.Email != "":
			fmt.Fprintf(&csv, "%s,\n", u.Email)
		default:
			fmt.Fprintf(&csv, "%d,\n", u.ID)
		}
	}
	path := writeFile(t, dir, "users.csv", csv.String())
	out := filepath.Join(dir, "runs")

	r := runCmd(t, "--config", pod.ConfigPath(), "--csv", path, "--stream", pod.Demo.Small,
		"--yes", "--no-tui", "--interval", "5ms", "--out", out)
	if r.code != exitOK {
		t.Fatalf("want exit 0\n%s", r)
	}
	if got := outcomeLines(r.stdout); got != len(users) {
		t.Errorf("%d outcome lines, want one per user (%d)\n%s", got, len(users), r)
	}
	members := pod.MemberSet(t, pod.Demo.Small)
	st := pod.State()
	for _, u := range users {
		if !members[u.ID] {
			t.Errorf("user %d is not a member after the run", u.ID)
		}
		if c := podsimtest.Calls(st, u.ID); c.Add != 1 {
			t.Errorf("user %d: %d add calls, want exactly 1", u.ID, c.Add)
		}
	}
	owners := map[int64]bool{}
	for _, id := range pod.Room(t, pod.Demo.Small).Owners {
		owners[id] = true
	}
	if !owners[users[0].ID] {
		t.Errorf("user %d was flagged owner in the list but is not an owner", users[0].ID)
	}
	if !strings.Contains(r.stdout, "The run finished at") || !strings.Contains(r.stdout, "15 of 15 done") {
		t.Errorf("the summary does not say the run finished with 15 of 15 done\n%s", r)
	}
	report := reportPath(r.stdout)
	if report == "" {
		t.Fatalf("the summary names no report\n%s", r)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	for _, u := range users[4:] {
		if !strings.Contains(string(data), fmt.Sprint(u.ID)) {
			t.Errorf("the report does not mention user %d", u.ID)
		}
	}
	for what, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "report": string(data)} {
		assertNoSecrets(t, what, text, pod.Demo.BotKeyPEM)
	}
}

func TestHeadlessRemove(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	room := pod.Room(t, pod.Demo.Small)
	owner := map[int64]bool{pod.Demo.BotID: true}
	for _, id := range room.Owners {
		owner[id] = true
	}
	var gone []int64
	for _, id := range room.Members {
		if !owner[id] && len(gone) < 4 {
			gone = append(gone, id)
		}
	}
	if len(gone) < 2 {
		t.Fatalf("the small room has too few plain members to remove: %v", room.Members)
	}
	dir := t.TempDir()
	path := writeFile(t, dir, "leavers.csv", idCSV(append(gone, pod.Demo.Candidates[0].ID)...))

	r := runCmd(t, "--config", pod.ConfigPath(), "--csv", path, "--room", pod.Demo.Small, "--remove", "--yes", "--out", dir)
	if r.code != exitOK {
		t.Fatalf("remove: want exit 0\n%s", r)
	}
	if !strings.Contains(r.stdout, "1 not-member") {
		t.Errorf("the plan does not set the non-member aside\n%s", r)
	}
	members := pod.MemberSet(t, pod.Demo.Small)
	st := pod.State()
	for _, id := range gone {
		if members[id] {
			t.Errorf("user %d is still a member after the removal", id)
		}
		if c := podsimtest.Calls(st, id); c.Remove != 1 || c.Add != 0 {
			t.Errorf("user %d: %d removals and %d adds, want 1 and 0", id, c.Remove, c.Add)
		}
	}
	if len(members) != len(room.Members)-len(gone) {
		t.Errorf("the room has %d members, want %d", len(members), len(room.Members)-len(gone))
	}
}

func TestHeadlessRefusesBadInput(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	list := writeAddList(t, pod, dir, 3)
	garbage := writeFile(t, dir, "broken.json", "{ this is not json")
	empty := writeFile(t, dir, "empty.csv", "")
	aFile := writeFile(t, dir, "not-a-folder", "x")
	yaml, err := os.ReadFile(pod.YAMLConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	stranger := writeFile(t, pod.Dir, "stranger.yaml", strings.Replace(string(yaml), "username: "+pod.Demo.BotUsername, "username: nobody-bot", 1))
	cfg := pod.ConfigPath()
	room := pod.Demo.Small
	before := pod.MemberSet(t, room)
	tests := []struct {
		name string
		args []string
		want []string // stderr must contain each
	}{
		{"no config", []string{"--csv", list.path, "--stream", room}, []string{"--config"}},
		{"config missing", []string{"--config", filepath.Join(dir, "nope.json"), "--csv", list.path, "--stream", room}, []string{"--config", "nope.json"}},
		{"config broken", []string{"--config", garbage, "--csv", list.path, "--stream", room}, []string{"--config", "broken.json"}},
		{"csv missing", []string{"--config", cfg, "--csv", filepath.Join(dir, "nope.csv"), "--stream", room}, []string{"--csv", "nope.csv"}},
		{"csv empty", []string{"--config", cfg, "--csv", empty, "--stream", room}, []string{"--csv", "empty.csv"}},
		{"stream not base64", []string{"--config", cfg, "--csv", list.path, "--stream", "room #42!"}, []string{"--stream", "room #42!"}},
		{"auth cert without a certificate", []string{"--auth", "cert", "--config", cfg, "--csv", list.path, "--stream", room}, []string{"--config with --auth cert", "botCertPath"}},
		{"unknown bot", []string{"--config", stranger, "--csv", list.path, "--stream", room}, []string{"--config: authenticate as", "The pod refused the bot's login"}},
		{"unknown room", []string{"--config", cfg, "--csv", list.path, "--stream", "AAAAAAAAAAAAAAAAAAAAAA"}, []string{"--stream: no room has \"AAAAAAAAAAAAAAAAAAAAAA\" as its stream ID or its name", "copy the stream ID"}},
		{"deactivated room", []string{"--config", cfg, "--csv", list.path, "--stream", pod.Demo.Deactivated, "--yes", "--out", dir}, []string{"The run cannot start"}},
		{"forbidden room", []string{"--config", cfg, "--csv", list.path, "--stream", pod.Demo.Forbidden, "--yes", "--out", dir}, []string{"The run cannot start"}},
		{"deactivated room, dry run", []string{"--config", cfg, "--csv", list.path, "--stream", pod.Demo.Deactivated, "--dry-run", "--out", dir}, []string{"The run cannot start", "deactivated"}},
		{"out is a file", []string{"--config", cfg, "--csv", list.path, "--stream", room, "--yes", "--out", aFile}, []string{"--out", "not-a-folder"}},
		{"resume a folder", []string{"--config", cfg, "--csv", list.path, "--stream", room, "--yes", "--out", dir, "--resume", dir}, []string{"Cannot resume", "is a folder"}},
		{"resume file missing", []string{"--config", cfg, "--csv", list.path, "--stream", room, "--yes", "--out", dir, "--resume", filepath.Join(dir, "gone.jsonl")}, []string{"Cannot resume", "gone.jsonl", "no such file"}},
		{"no such column", []string{"--config", cfg, "--csv", list.path, "--column", "Work Email", "--stream", room}, []string{"--csv", "Work Email"}},
		{"unknown flag", []string{"--config", cfg, "--csv", list.path, "--stream", room, "--force"}, []string{"unknown flag --force"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.args...)
			if r.code != exitInput {
				t.Errorf("want exit 2\n%s", r)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q\n%s", want, r)
				}
			}
			assertNoSecrets(t, "stderr", r.stderr, pod.Demo.BotKeyPEM)
		})
	}
	assertUnchanged(t, pod, room, before, pod.Demo.Candidates[:3])
}

func TestHeadlessNothingToDo(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	room := pod.Room(t, pod.Demo.Small)
	dir := t.TempDir()
	path := writeFile(t, dir, "users.csv", idCSV(room.Members[0], room.Members[1], unknownID))
	before := pod.MemberSet(t, pod.Demo.Small)

	r := runCmd(t, "--config", pod.ConfigPath(), "--csv", path, "--stream", pod.Demo.Small, "--out", dir)
	if r.code != exitOK {
		t.Fatalf("nothing to do: want exit 0, even without --yes\n%s", r)
	}
	for _, want := range []string{"Set aside 2 already-member, 1 unknown-user", "Nothing to add: every user in the list is set aside"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
	if after := pod.MemberSet(t, pod.Demo.Small); len(after) != len(before) {
		t.Errorf("members went from %d to %d", len(before), len(after))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the out folder, want only the list: nothing to journal", len(entries))
	}
}

func TestHeadlessDryRunIntoTheJumboRoomWarns(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	dir := t.TempDir()
	list := writeAddList(t, pod, dir, 20)
	r := runCmd(t, "--config", pod.ConfigPath(), "--csv", list.path, "--stream", pod.Demo.Jumbo, "--dry-run")
	if r.code != exitOK {
		t.Fatalf("want exit 0\n%s", r)
	}
	for _, want := range []string{
		"Members   1,200 -> 1,220",
		"Pace      one change every 3s above 500 members; estimated 1m",
		"\n  WARN   ",
		"jumbo",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q\n%s", want, r)
		}
	}
}

// TestHeadlessNeverPrintsSecrets runs with a proxy password in the config
// and a proxy that refuses connections: the error must say what failed
// without the password, and the config's unknown key is a warning.
func TestHeadlessNeverPrintsSecrets(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	yaml, err := os.ReadFile(pod.YAMLConfigPath())
	if err != nil {
		t.Fatal(err)
	}
	const password = "Sup3r-S3cret-Proxy-Pa55"
	config := writeFile(t, pod.Dir, "proxied.yaml", string(yaml)+
		"proxy:\n  host: 127.0.0.1\n  port: 1\n  username: ops\n  password: "+password+"\n"+
		"retry:\n  maxAttempts: 2\n  initialIntervalMillis: 5\n"+
		"favouriteColour: blue\n")
	list := writeAddList(t, pod, t.TempDir(), 2)

	r := runCmd(t, "--config", config, "--csv", list.path, "--stream", pod.Demo.Small, "--yes")
	if r.code != exitInput || !strings.Contains(r.stderr, "--config: authenticate as") {
		t.Fatalf("a proxy that refuses connections: want exit 2 and why\n%s", r)
	}
	if !strings.Contains(r.stderr, "roster: warning:") || !strings.Contains(r.stderr, "favouriteColour") {
		t.Errorf("the unknown config key is not warned about by name\n%s", r)
	}
	if strings.Contains(r.stdout+r.stderr, password) {
		t.Errorf("the proxy password was printed\n%s", r)
	}
	assertNoSecrets(t, "output", r.stdout+r.stderr, pod.Demo.BotKeyPEM)
}
