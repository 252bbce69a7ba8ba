package bulk

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// syncData makes what was written to f durable. On Linux that is
// fdatasync(2): the file's data and the metadata needed to read it back
// (its size), not its times, which the journal never needs. On the shared
// disk it was measured on, the device's flush is nearly all of the cost
// either way (BenchmarkJournalRecord: 0.12-0.6 ms, as the other programs'
// writes go).
func syncData(f *os.File) error {
	for {
		err := unix.Fdatasync(int(f.Fd()))
		if !errors.Is(err, unix.EINTR) {
			if err != nil {
				return &os.PathError{Op: "fdatasync", Path: f.Name(), Err: err}
			}
			return nil
		}
	}
}
