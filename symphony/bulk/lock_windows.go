//go:build windows

package bulk

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// The byte locked is far past any end of file: Windows locks are mandatory
// for the range they cover, and the journal and the lock file must stay
// readable and writable by their holder's other handles.
const lockOffsetHigh = 0x7fffffff

// tryLock takes an exclusive LockFileEx lock on f without waiting. The
// lock belongs to the handle: two opens of one file conflict even in one
// process, and Windows drops the lock when the process ends.
func tryLock(f *os.File) error {
	ol := windows.Overlapped{OffsetHigh: lockOffsetHigh}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return errLocked
	}
	return err
}

// unlock lets f's lock go at once (closing f lets it go in time).
func unlock(f *os.File) {
	ol := windows.Overlapped{OffsetHigh: lockOffsetHigh}
	_ = windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}
