package bulk

import (
	"testing"

	"roster/internal/testcache"
)

// TestMain gives the runs' room locks a cache folder of the tests' own, not
// the user's.
func TestMain(m *testing.M) { testcache.Main(m, "roster-bulk-cache-") }
