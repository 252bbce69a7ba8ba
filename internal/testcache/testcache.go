// Package testcache is the TestMain of the packages whose tests start runs
// (symphony/bulk, ui, ui/cli): the runs' room locks live in
// os.UserCacheDir()/roster/locks, and a test must never take, wait for or
// leave a lock in the user's own cache folder. It is imported by tests only,
// and imports nothing of roster's.
package testcache

import (
	"os"
	"testing"
)

// userEnv is the environment before Main changed it.
var userEnv []string

// Main runs the tests of m with XDG_CACHE_HOME (which os.UserCacheDir reads
// on Linux and the BSDs) set to a new temporary folder whose name begins
// with prefix, so that the tests' runs, and the binaries they start (which
// inherit it), keep their room locks there. After the tests it removes the
// folder, calls each of cleanups, and exits with the tests' code. When the
// folder cannot be made the tests run with the environment as it was.
func Main(m *testing.M, prefix string, cleanups ...func()) {
	userEnv = os.Environ()
	cache, err := os.MkdirTemp("", prefix)
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", cache)
	}
	code := m.Run()
	if err == nil {
		os.RemoveAll(cache)
	}
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

// UserEnv is the environment as it was before Main changed it, for a
// command that must use the user's own caches: go build, whose build cache
// is in os.UserCacheDir() too unless GOCACHE says otherwise, would
// otherwise build every package afresh into the tests' empty folder.
func UserEnv() []string {
	if userEnv == nil {
		return os.Environ()
	}
	return append([]string(nil), userEnv...)
}
