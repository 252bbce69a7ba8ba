package cli

import (
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildInfoVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"a tagged module", &debug.BuildInfo{Main: debug.Module{Path: "roster", Version: "v1.4.0"}}, true, "v1.4.0"},
		{"a pseudo-version from the commit", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260102030405-0123456789ab+dirty"},
			Settings: vcs("vcs.revision", "0123456789abcdef0123")}, true, "v0.0.0-20260102030405-0123456789ab+dirty"},
		{"a devel build of a clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs", "git", "vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-01-02T03:04:05Z", "vcs.modified", "false")},
			true, "(devel) 0123456789ab 2026-01-02T03:04:05Z"},
		{"a devel build with changes", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", "abc123", "vcs.modified", "true")}, true, "(devel) abc123 (modified)"},
		{"go run: no vcs", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "(devel)"},
		{"no version at all", &debug.BuildInfo{}, true, "(devel)"},
		{"no build info", nil, false, "unknown (built without module information)"},
	}
	for _, tt := range tests {
		if got := buildInfoVersion(tt.info, tt.ok); got != tt.want {
			t.Errorf("%s: buildInfoVersion = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestVersionVariableWins(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = ""
	info, ok := debug.ReadBuildInfo()
	if got, want := versionString(), buildInfoVersion(info, ok); got != want || got == "" {
		t.Errorf("with no version set: %q, want the build info's %q", got, want)
	}
	version = "v2.0.1"
	if got := versionString(); got != "v2.0.1" {
		t.Errorf("versionString() = %q, want the variable's v2.0.1", got)
	}
}

// A release build sets the version with -ldflags; every way of asking
// prints it on stdout and exits 0.
func TestVersionSetByLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "roster")
	if err := buildRoster(bin, "-ldflags", "-X roster/ui/cli.version=v9.8.7-test"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}, {"--no-tui", "--version"}, {"--version=true"}} {
		r := runBinary(t, bin, "", nil, args...)
		if r.code != exitOK || r.stdout != "roster v9.8.7-test\n" || r.stderr != "" {
			t.Errorf("roster %s: %s", strings.Join(args, " "), r)
		}
	}
}

// Without -ldflags, the binary prints what the build info gives.
func TestVersionFromBuildInfo(t *testing.T) {
	bin := rosterBinary(t)
	r := runBinary(t, bin, "", nil, "--version")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "roster ") || strings.Count(r.stdout, "\n") != 1 ||
		strings.Contains(r.stdout, "unknown") || r.stderr != "" {
		t.Errorf("roster --version: %s", r)
	}
	r2 := runBinary(t, bin, "", nil, "version")
	if r2.stdout != r.stdout || r2.code != exitOK {
		t.Errorf("roster version printed %q, roster --version %q", r2.stdout, r.stdout)
	}
	// --version=false asks for no version: the run goes on (and wants its flags).
	if r := runBinary(t, bin, "", nil, "--version=false"); r.code != exitInput || r.stdout != "" ||
		!strings.Contains(r.stderr, "needed to run without the wizard") {
		t.Errorf("roster --version=false: %s", r)
	}
	if r := runBinary(t, bin, "", nil, "version", "extra"); r.code != exitInput ||
		r.stderr != "roster version: unexpected argument \"extra\": roster version takes none\nRun `roster version --help` to see its flags.\n" {
		t.Errorf("roster version extra: %s", r)
	}
}
