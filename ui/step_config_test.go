package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/symphony"
)

func writeFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConfigStepOffersConfigFilesOfTheFolderInAnyCase(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "config.json", "BOT.YAML", "pod.Yml", "notes.txt", "users.csv")
	m := newSized(t, Options{StartDir: dir}, 80, 24)
	v := m.View()
	mustContain(t, v, "config.json", "BOT.YAML", "pod.Yml", "Browse for another file")
	mustNotContain(t, v, "notes.txt", "users.csv")
	checkFits(t, v, 80, 24)
}

func TestConfigStepShowsTheErrorInPlaceThenAcceptsAnotherFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "a.json", "b.json")
	var calls []string
	bad := filepath.Join(dir, "a.json")
	m := newSized(t, Options{StartDir: dir, Connect: fakeConnector(&calls, map[string]error{bad: errAuth})}, 80, 24)

	press(t, m, "enter")
	if len(calls) != 1 || calls[0] != bad {
		t.Fatalf("connector calls = %v, want [%s]", calls, bad)
	}
	if m.step != stepConfig {
		t.Fatal("a failed config must not move on")
	}
	v := m.View()
	mustContain(t, v, "Could not use", "a.json", "401 Unauthorized", "choose it again")
	if m.ExitCode() != 2 {
		t.Fatalf("exit code after a config error = %d, want 2", m.ExitCode())
	}

	press(t, m, "down", "enter")
	if m.step != stepCSV {
		t.Fatalf("after a good config the wizard is at step %d, want the user list", m.step)
	}
	if m.made.session == nil || m.made.session.Config.BotUsername != "roster-bot" {
		t.Fatal("session not kept")
	}
}

func TestConfigFlagLoadsAtOnceAndSkipsTheStep(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "cfg/config.yaml")
	var calls []string
	path := filepath.Join(dir, "cfg/config.yaml")
	m := newSized(t, Options{ConfigPath: path, Connect: fakeConnector(&calls, nil)}, 80, 24)
	settleCmd(t, m, m.Init())
	if len(calls) != 1 || calls[0] != path {
		t.Fatalf("connector calls = %v", calls)
	}
	if m.step != stepCSV {
		t.Fatalf("step = %d, want the user list", m.step)
	}
}

func TestConfigStepShowsSpinnerWhileLoading(t *testing.T) {
	m := newSized(t, Options{ConfigPath: "/nowhere/config.json"}, 80, 24)
	m.config.load("/nowhere/config.json")
	late := busyDoneMsg{owner: &m.config.work, gen: m.config.work.gen, msg: configLoadedMsg{path: "/nowhere/config.json", session: &Session{}}}
	mustContain(t, m.View(), "Loading config.json and signing in")
	if h := m.active().help().short; len(h) != 1 || h[0].Help().Desc != "cancel" {
		t.Fatalf("only esc (cancel) while loading: %v", h)
	}
	press(t, m, "enter", "down")
	if !m.config.work.active() {
		t.Fatal("keys other than esc wait for the answer")
	}
	press(t, m, "esc")
	if m.config.work.active() {
		t.Fatal("esc cancels loading")
	}
	settle(t, m, late)
	if m.step != stepConfig || m.config.session != nil {
		t.Fatal("a cancelled load's answer is dropped")
	}
}

func TestBrowserListsFoldersAndMatchesExtensionsInAnyCase(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "sub/inner.CSV", "LIST.CSV", "list.txt", "photo.png", ".hidden.csv")
	m := newSized(t, Options{StartDir: dir}, 80, 24)
	atStepCSV(m)
	press(t, m, "b")
	v := m.View()
	mustContain(t, v, "Folder "+dir, "sub/", "LIST.CSV", "photo.png")
	mustNotContain(t, v, ".hidden.csv")

	// photo.png is shown but cannot be chosen
	c := m.screens[stepCSV].(*csvStep).chooser
	for i, e := range c.browser.entries {
		if e.name == "photo.png" {
			c.browser.cursor = i
		}
	}
	press(t, m, "enter")
	mustContain(t, m.View(), "photo.png is not a .csv, .txt, .tsv file")

	// into sub/, choose inner.CSV (upper case)
	c.browser.cursor = 0
	press(t, m, "enter")
	mustContain(t, m.View(), "inner.CSV")
	press(t, m, "enter")
	cs := m.screens[stepCSV].(*csvStep)
	if cs.list == nil || !strings.HasSuffix(cs.list.Path, "inner.CSV") {
		t.Fatalf("chosen file not read: list=%v err=%v", cs.list, cs.err)
	}
}

func TestBrowserReportsAFolderItCannotRead(t *testing.T) {
	b := &browser{sh: New(Options{}).sh, exts: []string{".csv"}, height: 10}
	missing := filepath.Join(t.TempDir(), "missing")
	b.update(b.read(missing, "")())
	if !strings.Contains(b.err, "cannot read the folder "+missing) {
		t.Fatalf("err = %q", b.err)
	}
	mustContain(t, b.view(80), "cannot read the folder", "Folder "+missing)
}

func TestEscClosesTheBrowserThenGoesBack(t *testing.T) {
	m := newSized(t, Options{}, 80, 24)
	atStepCSV(m)
	press(t, m, "b")
	if !m.screens[stepCSV].(*csvStep).chooser.browsing {
		t.Fatal("b opens the browser")
	}
	press(t, m, "esc")
	if m.screens[stepCSV].(*csvStep).chooser.browsing || m.step != stepCSV {
		t.Fatal("esc closes the browser first")
	}
	press(t, m, "esc")
	if m.step != stepConfig {
		t.Fatalf("esc goes back a step; step = %d", m.step)
	}
}

func atStepCSV(m *Model) {
	m.made.session = &Session{}
	m.step = stepCSV
	m.layout()
}

func TestConfigWarningsAreShownBeforeGoingOn(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "config.json")
	connect := func(ctx context.Context, path string, auth symphony.AuthMethod) (*Session, error) {
		return &Session{Config: &symphony.Config{Path: path, BotUsername: "roster-bot",
			Warnings: []string{`config.json: key "podHostt" is unknown (did you mean "podHost"?)`}}}, nil
	}
	m := newSized(t, Options{StartDir: dir, Connect: connect}, 80, 24)
	press(t, m, "enter")
	if m.step != stepConfig {
		t.Fatal("warnings are shown before going on")
	}
	mustContain(t, m.View(), "Signed in as roster-bot", "loaded with warnings", `"podHostt" is unknown`)
	press(t, m, "enter")
	if m.step != stepCSV {
		t.Fatalf("enter goes on; step = %d", m.step)
	}
}

func TestBrowserParentFolderPutsTheCursorOnWhereWeCameFrom(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "a/x.csv", "b/y.csv", "c/z.csv")
	m := newSized(t, Options{StartDir: dir}, 80, 24)
	atStepCSV(m)
	press(t, m, "b", "down", "enter") // into b/
	c := m.screens[stepCSV].(*csvStep).chooser
	if c.browser.dir != filepath.Join(dir, "b") {
		t.Fatalf("in %s", c.browser.dir)
	}
	press(t, m, "left")
	if c.browser.dir != dir || c.browser.entries[c.browser.cursor].name != "b" {
		t.Fatalf("back in %s on %q", c.browser.dir, c.browser.entries[c.browser.cursor].name)
	}
}
