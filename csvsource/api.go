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

// Entry is one usable user row. It is 48 bytes (Room sits in the padding
// after Kind); a plan holds millions of them.
type Entry struct {
	Line   int    // 1-based physical line number in the file
	Kind   Kind   //
	Room   uint32 // 1-based index into List.Rooms; 0 when the file has no room column
	Value  string // normalised: trimmed; emails lower-cased; IDs in decimal
	UserID int64  // set when Kind == KindUserID
	Owner  bool   // from an "owner" column
}

// Problem is a row that could not be used, or a warning about a recovered row.
type Problem struct {
	Line    int
	Message string // says what is wrong and how to fix it
	Warning bool   // true: the row was recovered (e.g. Excel's ".0"); false: the row was dropped
	Room    uint32 // the row's room (index as Entry.Room) when the row has a usable room cell; 0 otherwise
}

// Duplicate is an entry seen before: in a file with a room column, the same
// user twice in one room (the same user in two rooms is two entries).
type Duplicate struct {
	Line      int
	FirstLine int // in the same room
	Value     string
	Room      uint32 // the row's room (index as Entry.Room); 0 when the file has no room column
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

	// RoomColumn is the room column's header when the caller names it (any
	// case and spacing); "" = found by itself: a header "room", "room name",
	// "room id", "stream", "stream id" or "streamid" (any case and spacing)
	// that is not the user column. A file without a header row has no room
	// column.
	RoomColumn string
}

// MaxRooms is how many distinct rooms one file may name; the row that names
// one more ends the reading with a *FileError (ErrTooManyRooms) naming its line.
const MaxRooms = 10_000

// MaxRoomBytes is the longest room cell read (a stream ID is 22 to 24
// characters; a room's name is at most a few hundred): a longer cell is a Problem.
const MaxRoomBytes = 256

// List is a whole file read.
type List struct {
	Path       string
	Entries    []Entry // unique (per room, when the file has a room column), in file order
	Problems   []Problem
	Duplicates []Duplicate
	Summary    Summary
	Format     Format // how the file was read: encoding, delimiter, header, columns

	// Rooms are the room column's distinct values (trimmed, as written: a
	// stream ID in either base64 form or a room's exact name), in first-seen
	// order; nil when the file has no room column. A room whose every row
	// was dropped is here too, with no entries. Whether a value is a stream
	// ID or a name is not decided here.
	Rooms []string

	// RoomSummaries counts each room's rows as Summary counts the whole
	// file's (RoomSummaries[i] for Rooms[i]), including the problems left out
	// of the Problems list; nil when the file has no room column. ReadFile
	// sets it; ForRoom counts from the lists when it is not set.
	RoomSummaries []Summary
}

// HasRooms reports whether the file has a room column.
func (l *List) HasRooms() bool { return l.Rooms != nil }

// ForRoom returns the part of the list for one room (1-based index): its
// entries, problems and duplicates, with Summary counted for that part; Path
// and Format as the whole list's; Rooms nil. The entries keep their Line (the
// line in the file). The rows of no room (an empty or unusable room cell,
// a row that could not be split) are in no room's part: see the whole list's
// Problems with Room 0. An index out of range gives an empty part.
func (l *List) ForRoom(room uint32) *List { return l.forRoom(room) }

// Parts returns the list split by room: Parts()[i] is ForRoom(i+1), all made
// in one pass over the list (ForRoom makes one pass for each room called);
// nil when the list has no rooms.
func (l *List) Parts() []*List { return l.parts() }
