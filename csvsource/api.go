// Package csvsource reads the list of users to add to (or remove from) a room:
// the files administrators really make, from Excel, HR systems and directory
// tools. It knows nothing of HTTP or of Symphony's API.
package csvsource

// CONTRACT FILE: the exported names below are what symphony/bulk, ui and main
// rely on. The implementation may add to them but must not change their meaning.

import (
	"errors"
	"io"
)

// Kind is what a user cell holds.
type Kind int

const (
	KindUserID   Kind = iota + 1 // a Symphony user ID (positive int64)
	KindEmail                    // an email address, lower-cased
	KindUsername                 // a username
)

func (k Kind) String() string {
	switch k {
	case KindUserID:
		return "id"
	case KindEmail:
		return "email"
	case KindUsername:
		return "username"
	}
	return "unknown"
}

// Entry is one usable user row.
type Entry struct {
	Line   int    // 1-based physical line number in the file
	Kind   Kind   //
	Value  string // normalised: trimmed; emails lower-cased; IDs in decimal
	UserID int64  // set when Kind == KindUserID
	Owner  bool   // from an "owner" column
}

// Problem is a row that could not be used, or a warning about a recovered row.
type Problem struct {
	Line    int
	Message string // says what is wrong and how to fix it
	Warning bool   // true: the row was recovered (e.g. Excel's ".0"); false: the row was dropped
}

// Duplicate is an entry seen before.
type Duplicate struct {
	Line      int
	FirstLine int
	Value     string
}

// Summary counts what was read. Entries counts unique usable entries.
type Summary struct {
	Entries, IDs, Emails, Usernames, Owners, Duplicates, Problems, Warnings int
}

// Options tune reading.
type Options struct {
	Column string // the user column's header, if the caller names it
}

// List is a whole file read.
type List struct {
	Path       string
	Entries    []Entry // unique, in file order
	Problems   []Problem
	Duplicates []Duplicate
	Summary    Summary
}

// Reader streams entries from a file.
type Reader struct{}

// Open opens a file for streaming. Errors name the file and say how to fix it.
func Open(path string, opts Options) (*Reader, error) { return nil, errNotImplemented }

// NewReader streams entries from r; name is used in messages.
func NewReader(r io.Reader, name string, opts Options) (*Reader, error) {
	return nil, errNotImplemented
}

// Next returns the next unique usable entry, or io.EOF. Problems and
// duplicates met on the way are kept and available from Problems/Duplicates.
func (r *Reader) Next() (Entry, error) { return Entry{}, io.EOF }

func (r *Reader) Problems() []Problem     { return nil }
func (r *Reader) Duplicates() []Duplicate { return nil }
func (r *Reader) Summary() Summary        { return Summary{} }
func (r *Reader) Close() error            { return nil }

// ReadFile reads a whole file. It fails (with a message naming the file) on a
// missing file, a folder, an empty or binary file, a file with no usable
// column, or a file where every row is bad.
func ReadFile(path string, opts Options) (*List, error) { return nil, errNotImplemented }

var errNotImplemented = errors.New("csvsource: not implemented yet")
