package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"roster/csvsource"
	"roster/symphony/bulk"
	"roster/symphony/podsim"
)

// The demo's list must show a newcomer every kind of row roster handles.
func TestDemoCSVShowsEveryKindOfRow(t *testing.T) {
	dir := t.TempDir()
	opts, stop, err := startDemo(dir, filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if len(opts.OfferConfigs) != 2 || len(opts.OfferCSVs) != 2 || len(opts.SuggestRooms) != 5 || opts.Banner == "" {
		t.Fatalf("options: %+v", opts)
	}
	for _, p := range append(opts.OfferConfigs, opts.OfferCSVs...) {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("offered file: %v", err)
		}
	}
	l, err := csvsource.ReadFile(opts.OfferCSVs[0], csvsource.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := l.Summary
	if s.IDs == 0 || s.Emails == 0 || s.Usernames == 0 || s.Owners == 0 || s.Duplicates < 2 || s.Problems < 2 {
		t.Fatalf("the demo list lacks a kind of row: %+v", s)
	}
	if opts.Interval != demoPace || !strings.Contains(opts.Banner, "100x") {
		t.Fatalf("the demo's pace %v and banner %q", opts.Interval, opts.Banner)
	}
	if opts.Mode != bulk.ModeAdd {
		t.Fatal("the demo adds")
	}
	// One generator: the demo offers the list roster sim writes as users.csv.
	demoList, _ := os.ReadFile(opts.OfferCSVs[0])
	simList, err := os.ReadFile(filepath.Join(dir, podsim.FileUsersCSV))
	if err != nil || !bytes.Equal(demoList, simList) {
		t.Fatalf("the demo's list and WriteDir's users.csv differ (%v):\n%s\n---\n%s", err, demoList, simList)
	}
}

// The sample list holds users of the pod in each state the demo shows.
func TestSampleCSVRows(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	d, st := pod.Demo, pod.State()
	list := podsim.SampleCSV(d, st)
	rows := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(list, "\n"), "\n")[1:] {
		rows[strings.TrimSuffix(strings.TrimSuffix(line, ",yes"), ",")]++
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for what, row := range map[string]string{
		"an inactive user":       id(d.Inactive[0].ID),
		"an external user by ID": id(d.External[0].ID),
		"a duplicate ID":         id(d.Candidates[0].ID),
		"the email in capitals":  strings.ToUpper(d.Candidates[3].Email),
		"an unknown user":        "departed.colleague@northwind-bank.example",
		"a bad row":              "-42",
	} {
		if rows[row] == 0 {
			t.Errorf("the sample list lacks %s (%q):\n%s", what, row, list)
		}
	}
	if rows[id(d.Candidates[0].ID)] != 2 {
		t.Errorf("the duplicate ID is there %d times, want 2", rows[id(d.Candidates[0].ID)])
	}
	if !strings.Contains(list, "\n"+id(d.Candidates[1].ID)+",yes\n") {
		t.Errorf("no owner in the sample list:\n%s", list)
	}
	for _, room := range []string{d.Small, d.Medium} {
		r, _ := st.Room(room)
		in := 0
		for _, m := range r.Members {
			if m != d.BotID && rows[id(m)] > 0 {
				in++
			}
		}
		if in != 2 {
			t.Errorf("room %s: %d of its members in the list, want 2", room, in)
		}
	}
	if !strings.HasPrefix(list, "user,owner\n") {
		t.Errorf("the list's header: %q", list[:min(len(list), 20)])
	}
}

func TestDemoRefusesWithoutATerminal(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cmdDemo(nil, &out, &errOut)
	if code != exitInput || !strings.Contains(errOut.String(), "needs a terminal") {
		t.Fatalf("code %d, stderr %q", code, errOut.String())
	}
	errOut.Reset()
	code = cmdDemo([]string{"extra"}, &out, &errOut)
	want := "roster demo: unexpected argument \"extra\": roster demo takes flags only, as in --out DIR\nRun `roster demo --help` to see its flags.\n"
	if code != exitInput || errOut.String() != want {
		t.Fatalf("code %d, stderr %q\nwant %q", code, errOut.String(), want)
	}
}

// The demo's files go to the user's cache folder, never the current folder.
func TestPrepareDemoOutUsesTheCacheFolder(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // os.UserCacheDir on Linux and the BSDs
	t.Setenv("HOME", t.TempDir())     // and macOS: ~/Library/Caches
	t.Setenv("LocalAppData", cache)   // and Windows
	want := demoCacheOut()
	if want == "" || !filepath.IsAbs(want) || filepath.Base(want) != "demo" || filepath.Base(filepath.Dir(want)) != "roster" {
		t.Fatalf("demoCacheOut() = %q, want an absolute .../roster/demo", want)
	}
	cwd := t.TempDir()
	t.Chdir(cwd)
	got, err := prepareDemoOut("")
	if err != nil || got != want {
		t.Fatalf("prepareDemoOut() = %q, %v; want %q", got, err, want)
	}
	if fi, err := os.Stat(got); err != nil || !fi.IsDir() {
		t.Fatalf("the folder was not made: %v", err)
	}
	if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
		t.Errorf("the current folder holds %d entries, want none", len(entries))
	}
	if !strings.Contains(demoUsageText(), want) {
		t.Errorf("roster demo --help does not say where the files go (%s):\n%s", want, demoUsageText())
	}
}

// With no cache folder (no HOME, say, under a service account), the demo's
// files go to a new folder in the temporary folder.
func TestPrepareDemoOutFallsBackToATempFolder(t *testing.T) {
	tmp := t.TempDir()
	for _, v := range []string{"TMPDIR", "TMP", "TEMP"} { // os.TempDir
		t.Setenv(v, tmp)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	t.Setenv("LocalAppData", "")
	if dir := demoCacheOut(); dir != "" {
		t.Skipf("this system has a cache folder without HOME: %s", dir)
	}
	t.Chdir(t.TempDir())
	got, err := prepareDemoOut("")
	if err != nil || !strings.HasPrefix(got, filepath.Join(tmp, "roster-demo-out-")) {
		t.Fatalf("prepareDemoOut() = %q, %v; want a new folder in %s", got, err, tmp)
	}
	if fi, err := os.Stat(got); err != nil || !fi.IsDir() {
		t.Fatalf("the folder was not made: %v", err)
	}
	// A cache folder that cannot be made (a file stands in its way) falls back too.
	blocked := filepath.Join(tmp, "cache")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", blocked)
	t.Setenv("HOME", blocked)
	got, err = prepareDemoOut("")
	if err != nil || !strings.HasPrefix(got, filepath.Join(tmp, "roster-demo-out-")) {
		t.Fatalf("with the cache folder blocked: prepareDemoOut() = %q, %v; want a new folder in %s", got, err, tmp)
	}
}

func TestPrepareDemoOutTakesOutAsGiven(t *testing.T) {
	cwd := t.TempDir()
	t.Chdir(cwd)
	got, err := prepareDemoOut(filepath.Join("runs", "demo"))
	if want := filepath.Join(cwd, "runs", "demo"); err != nil || got != want {
		t.Fatalf("prepareDemoOut(runs/demo) = %q, %v; want %q", got, err, want)
	}
	if _, err := os.Stat(got); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cwd, "file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := prepareDemoOut(filepath.Join("file", "out")); err == nil {
		t.Error("an --out that cannot be made was taken")
	}
}

func TestDemoExitNoteSaysWhereTheFilesAre(t *testing.T) {
	note := demoExitNote("/home/ann/.cache/roster/demo", "/tmp/roster-demo-1")
	if !strings.Contains(note, "journal and report are kept in /home/ann/.cache/roster/demo\n") ||
		!strings.Contains(note, "/tmp/roster-demo-1 removed") {
		t.Errorf("exit note:\n%s", note)
	}
}

// The demo's multi-room list names four of the demo's rooms by their exact
// names, the jumbo room and the deactivated one among them, and reads as a
// list with a room column.
func TestDemoOffersAMultiRoomList(t *testing.T) {
	dir := t.TempDir()
	opts, stop, err := startDemo(dir, filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	path := opts.OfferCSVs[1]
	if filepath.Base(path) != demoRoomsCSV {
		t.Fatalf("the second offered list is %s", path)
	}
	l, err := csvsource.ReadFile(path, csvsource.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"All Staff Announcements", "Credit Research", "Rates Desk EMEA", "Project Falcon (archived)"}
	if !l.HasRooms() || strings.Join(l.Rooms, "|") != strings.Join(want, "|") {
		t.Fatalf("rooms %q, want %q", l.Rooms, want)
	}
	if !bulk.ManyRooms(nil, l) || l.Summary.Problems != 0 || l.Summary.Emails == 0 {
		t.Fatalf("the multi-room list: %+v", l.Summary)
	}
	for i, part := range l.Parts() {
		if len(part.Entries) == 0 {
			t.Errorf("room %q has no users", l.Rooms[i])
		}
	}
}
