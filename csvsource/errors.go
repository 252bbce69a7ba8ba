package csvsource

import "errors"

// The reasons a file cannot be read as a user list at all. A *FileError wraps
// one of them, so callers can tell them apart with errors.Is.
var (
	ErrNotFound   = errors.New("no such file")
	ErrIsFolder   = errors.New("a folder, not a file")
	ErrUnreadable = errors.New("cannot be read")
	ErrEmpty      = errors.New("empty file")
	ErrBinary     = errors.New("not a text file")
	ErrNoColumn   = errors.New("no usable user column")
	ErrNoEntries  = errors.New("no usable rows")

	ErrRoomColumn   = errors.New("no usable room column") // the room column named is not there, or several could be it
	ErrTooManyRooms = errors.New("too many rooms")        // more than MaxRooms distinct rooms
)

// FileError is a file that cannot be used as a user list. Its message names the
// file, says what was found and how to fix it.
type FileError struct {
	Path   string
	Reason error  // one of the Err* values above
	Detail string // what was found and how to fix it
}

func (e *FileError) Error() string { return e.Path + ": " + e.Detail }

func (e *FileError) Unwrap() error { return e.Reason }

func fileError(path string, reason error, detail string) *FileError {
	return &FileError{Path: path, Reason: reason, Detail: detail}
}
