package ui

import (
	"os"
	"testing"
)

// TestMain gives the runs' room locks a cache folder of the tests' own,
// not the user's (os.UserCacheDir reads XDG_CACHE_HOME on Linux and the BSDs).
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "roster-ui-cache-")
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", cache)
	}
	code := m.Run()
	if err == nil {
		os.RemoveAll(cache)
	}
	os.Exit(code)
}
