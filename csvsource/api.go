package csvsource

// CONTRACT FILE: the exported names below are what symphony/bulk, ui and main
// rely on. The implementation may add to them but must not change their meaning.

// Kind is what a user cell holds.
type Kind uint8

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
// Problems counts the rows dropped, Warnings the rows recovered (both are in
// the Problems list, told apart by Problem.Warning).
type Summary struct {
	Entries, IDs, Emails, Usernames, Owners, Duplicates, Problems, Warnings int

	// Unlisted counts the problems and warnings that are counted above but
	// were left out of the Problems list, which is capped (see MaxListedErrors)
	// so that a file of a million damaged rows cannot fill memory.
	Unlisted int
}

// Options tune reading.
type Options struct {
	Column string // the user column's header, if the caller names it (any case and spacing)
}

// List is a whole file read.
type List struct {
	Path       string
	Entries    []Entry // unique, in file order
	Problems   []Problem
	Duplicates []Duplicate
	Summary    Summary
	Format     Format // how the file was read: encoding, delimiter, header, columns
}
