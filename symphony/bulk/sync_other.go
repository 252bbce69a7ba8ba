//go:build !linux

package bulk

import "os"

// syncData makes what was written to f durable: File.Sync (fsync(2), or
// F_FULLFSYNC on macOS) where roster does not know a cheaper call.
func syncData(f *os.File) error { return f.Sync() }
