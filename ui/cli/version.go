package cli

import (
	"runtime/debug"
	"strings"
)

// version is roster's version, set when releasing with
//
//	go build -ldflags "-X roster/ui/cli.version=v1.2.3"
//
// When it is empty, versionString falls back to the module's build info.
var version string

// versionString is what roster --version prints after "roster ".
func versionString() string {
	if v := strings.TrimSpace(version); v != "" {
		return v
	}
	info, ok := debug.ReadBuildInfo()
	return buildInfoVersion(info, ok)
}

// buildInfoVersion is the version the build info gives: the main module's
// version (a tag, or the pseudo-version go build derives from the commit),
// or, for a "(devel)" build, the commit it was built from, its time and
// whether the checkout had uncommitted changes.
func buildInfoVersion(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "unknown (built without module information)"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return "(devel)" // go run, or a build outside a checkout
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	v := "(devel) " + revision
	if at != "" {
		v += " " + at
	}
	if modified {
		v += " (modified)"
	}
	return v
}
