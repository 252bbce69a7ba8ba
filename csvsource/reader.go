package csvsource

import (
	"fmt"
	"io"
	"slices"
	"unsafe"
)

// The Problems list keeps at most this many errors and warnings; Summary still
// counts every one (see Summary.Unlisted).
const (
	MaxListedErrors   = 100_000
	MaxListedWarnings = 10_000
)

// Reader streams entries from a file. Only the duplicate sets grow with the
// file (16 to 32 bytes per unique user ID, 16 to 27 bytes per email or
// username besides its own bytes, which its Entry shares; in a file with a
// room column, per room and user: 28 to 38 bytes per user ID besides its
// text, 4 more per email or username, and the rooms themselves, at most
// MaxRooms of at most MaxRoomBytes); rows are read and let go one by one,
// without an allocation per row: a row's cells point into the scanner's
// buffer until the next row, and a value kept is copied into chunks shared
// by many (see strSet and keepID).
type Reader struct {
	name   string
	closer io.Closer
	rs     *recordScanner
	pre    []record // rows read while deciding the layout, not yet taken
	layout layout
	format Format

	// the duplicate sets: value -> first line<<1 | owner
	idNums            idSet
	emails, usernames strSet
	idText            []byte // the chunk user IDs' text is kept in (see keepID)
	scratch           []byte // an email lower-cased, until the next row

	// With a room column: the rooms (List.Rooms) and their indexes, each
	// room's counts, the last row's room, and the sets keyed by room (see
	// seenInRoom: emails and usernames go to the sets above, user IDs here).
	rooms     []string
	roomIndex map[string]uint32
	roomSums  []Summary
	lastRoom  uint32
	roomIDs   strSet
	key       []byte // the room and value looked up, until the next row

	// The rows a file is expected to hold, from its size and its first
	// lines; the first duplicate set used is made that size (see expect).
	sampleBytes, sampleLines, expected int

	problems []Problem
	dups     []Duplicate
	sum      Summary
	dataRows int
	end      error // io.EOF, or why reading stopped
}

// Next returns the next unique usable entry, or io.EOF. Problems and
// duplicates met on the way are kept and available from Problems/Duplicates.
// When the file ends without a single usable entry, Next returns a *FileError
// (ErrNoEntries) instead of io.EOF.
func (r *Reader) Next() (Entry, error) {
	for r.end == nil {
		var rec record
		if len(r.pre) > 0 {
			rec, r.pre = r.pre[0], r.pre[1:]
		} else {
			var err error
			if rec, err = r.rs.next(); err != nil {
				r.finish(err)
				break
			}
		}
		if e, ok := r.take(rec); ok {
			return e, nil
		}
	}
	return Entry{}, r.end
}

func (r *Reader) finish(err error) {
	switch {
	case err != io.EOF:
		r.end = fmt.Errorf("%s: reading after line %d: %w", r.name, r.rs.lines.num, err)
	case r.sum.Entries > 0:
		r.end = io.EOF
	case r.dataRows == 0 && r.format.HeaderLine > 0:
		r.end = fileError(r.name, ErrNoEntries, fmt.Sprintf("has a header row (line %d) but no user rows below it; add the users", r.format.HeaderLine))
	case r.dataRows == 0:
		r.end = fileError(r.name, ErrNoEntries, "has no user rows; add the users")
	default:
		first := slices.IndexFunc(r.problems, func(p Problem) bool { return !p.Warning })
		detail := fmt.Sprintf("none of its %d rows can be used", r.dataRows)
		if first >= 0 {
			detail += fmt.Sprintf(" (the first problem, line %d: %s)", r.problems[first].Line, r.problems[first].Message)
		}
		r.end = fileError(r.name, ErrNoEntries, detail+"; fix the rows and try again")
	}
}

// take checks one row. It returns the entry when the row is usable and new.
func (r *Reader) take(rec record) (Entry, bool) {
	if rec.problem != "" {
		r.dataRows++
		r.addProblem(Problem{Line: rec.line, Message: rec.problem})
		return Entry{}, false
	}
	width := effectiveWidth(rec.fields)
	if width == 0 {
		return Entry{}, false // ",,,": an empty row as Excel writes it
	}
	r.dataRows++
	var room uint32
	var roomProblem string
	if r.layout.room.index >= 0 && width <= r.layout.width {
		// A row wider than its header has no usable room cell: its cells may be shifted.
		var err error
		if room, roomProblem, err = r.readRoom(rec); err != nil {
			r.end = err
			return Entry{}, false
		}
	}
	if rec.lastLine > rec.line {
		r.addProblem(Problem{Line: rec.line, Room: room, Warning: true, Message: fmt.Sprintf(
			"the row goes on to line %d because a quoted cell holds line breaks; check that the quotes are intended, since rows inside a quoted cell are not read as users", rec.lastLine)})
	}
	fail := func(msg string) (Entry, bool) {
		r.addProblem(Problem{Line: rec.line, Room: room, Message: msg})
		return Entry{}, false
	}
	if width > r.layout.width {
		return fail(r.widthProblem(width))
	}
	if roomProblem != "" {
		return fail(roomProblem)
	}
	var cell string
	var col column
	for _, c := range r.layout.user {
		if c.index < len(rec.fields) {
			v := trimCell(rec.fields[c.index])
			if r.format.Delimiter == 0 {
				// A single column: a trailing delimiter is not part of the value.
				v = trimCell(trimDelimiters(v))
			}
			if v != "" {
				cell, col = v, c
				break
			}
		}
	}
	if cell == "" {
		if r.layout.user[0].name == "" {
			return fail("the user cell is empty; fill it in or remove the line")
		}
		return fail(fmt.Sprintf("the user cell (column %q) is empty; fill it in or remove the line", r.layout.user[0].name))
	}
	v, warning, problem := readCell(cell, col.kind, col.name, &r.scratch)
	if problem != "" {
		return fail(problem)
	}
	owner := false
	if o := r.layout.owner; o.index >= 0 && o.index < len(rec.fields) {
		if owner, problem = readOwner(rec.fields[o.index], o.name); problem != "" {
			return fail(problem)
		}
	}
	// v.value may point into the row, which the next one overwrites: seen
	// makes it a string of its own, kept in the duplicate sets.
	first, seen := r.seen(&v, rec.line, owner, room)
	if seen {
		firstLine, firstOwner := int(first>>1), first&1 == 1
		if r.layout.owner.index >= 0 && firstOwner != owner {
			return fail(fmt.Sprintf("%s is also on line %d, but there as %s and here as %s; only line %d is used: make the two lines agree or remove one",
				show(v.value), firstLine, ownerWord(firstOwner), ownerWord(owner), firstLine))
		}
		r.dups = append(r.dups, Duplicate{Line: rec.line, FirstLine: firstLine, Value: v.value, Room: room})
		r.sum.Duplicates++
		if room > 0 {
			r.roomSums[room-1].Duplicates++
		}
		return Entry{}, false
	}
	if warning != "" {
		r.addProblem(Problem{Line: rec.line, Room: room, Message: warning, Warning: true})
	}
	r.sum.countEntry(v.kind, owner)
	if room > 0 {
		r.roomSums[room-1].countEntry(v.kind, owner)
	}
	return Entry{Line: rec.line, Kind: v.kind, Room: room, Value: v.value, UserID: v.id, Owner: owner}, true
}

// trimDelimiters cuts the delimiters (, ; tab |) a single-column value ends
// with (strings.TrimRight with a cutset builds the set on every call).
func trimDelimiters(s string) string {
	for len(s) > 0 {
		switch s[len(s)-1] {
		case ',', ';', '\t', '|':
			s = s[:len(s)-1]
		default:
			return s
		}
	}
	return s
}

func ownerWord(owner bool) string {
	if owner {
		return "an owner"
	}
	return "not an owner"
}

func (r *Reader) widthProblem(width int) string {
	if r.layout.header == nil {
		return fmt.Sprintf("the row has %d cells but the file has one column; if a value holds the delimiter, quote it", width)
	}
	delim := "delimiter"
	if r.format.Delimiter != 0 {
		delim = fmt.Sprintf("%q", r.format.Delimiter)
	}
	// Refused, not trimmed: an unquoted delimiter inside a cell (a name like
	// "Doe, Jane") shifts every cell after it, so the user or owner cell read
	// from this row could be the wrong one.
	return fmt.Sprintf("the row has %d cells but the header (line %d) has %d: a cell probably holds an unquoted %s, which shifts the cells after it; quote that cell or remove the extra cells",
		width, r.format.HeaderLine, r.layout.width, delim)
}

// seen records a value (in its room, when the file has a room column), or
// returns what was recorded for it first. It replaces v.value, which may
// point into the row, with a string that stays.
func (r *Reader) seen(v *cellValue, line int, owner bool, room uint32) (first uint64, seen bool) {
	mark := uint64(line) << 1
	if owner {
		mark |= 1
	}
	if room > 0 {
		return r.seenInRoom(v, mark, room)
	}
	if r.expected > 0 {
		// The first value: size its set for the whole file.
		switch v.kind {
		case KindUserID:
			r.idNums.reserve(r.expected)
		case KindEmail:
			r.emails.reserve(r.expected)
		default:
			r.usernames.reserve(r.expected)
		}
		r.expected = 0
	}
	switch v.kind {
	case KindUserID:
		first, seen = r.idNums.getOrPut(v.id, mark)
		v.value = r.keepID(v.value)
	case KindEmail:
		v.value, first, seen = r.emails.getOrPut(v.value, mark)
	default:
		v.value, first, seen = r.usernames.getOrPut(v.value, mark)
	}
	return first, seen
}

// maxExpected bounds the rows expect reserves room for (a table of 16M
// user IDs is 256 MB); a larger file grows its set as it is read.
const maxExpected = 1 << 24

// expect works out how many rows a file of size bytes holds, from the
// length of its first lines. Growing a duplicate set by doubling touches
// about four times the memory of a set made the right size at once, and
// first touching memory costs more than reading the rows. A file whose
// first lines are longer than the rest grows its set as usual; one whose
// first lines are shorter (or that repeats itself) gets a set larger than
// it needs, never larger than its rows.
func (r *Reader) expect(size int64) {
	if r.sampleLines == 0 || r.sampleBytes == 0 || size <= 0 {
		return
	}
	n := size * int64(r.sampleLines) / int64(r.sampleBytes)
	r.expected = int(min(n, maxExpected))
}

// keepID copies a user ID's text into a chunk shared by many, rather than
// a string of its own: no allocation per row. A chunk is never written again
// where an ID was put, so the string stays as it is.
func (r *Reader) keepID(s string) string {
	if len(r.idText)+len(s) > cap(r.idText) {
		r.idText = make([]byte, 0, max(16<<10, len(s)))
	}
	from := len(r.idText)
	r.idText = append(r.idText, s...)
	return unsafe.String(&r.idText[from], len(s))
}

// countEntry counts one usable entry.
func (s *Summary) countEntry(kind Kind, owner bool) {
	s.Entries++
	switch kind {
	case KindUserID:
		s.IDs++
	case KindEmail:
		s.Emails++
	case KindUsername:
		s.Usernames++
	}
	if owner {
		s.Owners++
	}
}

func (r *Reader) addProblem(p Problem) {
	var listed, limit int
	if p.Warning {
		r.sum.Warnings++
		listed, limit = r.sum.Warnings, MaxListedWarnings
	} else {
		r.sum.Problems++
		listed, limit = r.sum.Problems, MaxListedErrors
	}
	var rs *Summary
	if p.Room > 0 {
		rs = &r.roomSums[p.Room-1]
		if p.Warning {
			rs.Warnings++
		} else {
			rs.Problems++
		}
	}
	if listed > limit {
		r.sum.Unlisted++
		if rs != nil {
			rs.Unlisted++
		}
		return
	}
	r.problems = append(r.problems, p)
}

// Problems returns the problems and warnings met so far, in line order.
func (r *Reader) Problems() []Problem { return r.problems }

// Duplicates returns the duplicates met so far, in line order.
func (r *Reader) Duplicates() []Duplicate { return r.dups }

// Summary counts what was read so far; after Next has returned io.EOF, all of it.
func (r *Reader) Summary() Summary { return r.sum }

// Format says how the file is being read.
func (r *Reader) Format() Format { return r.format }

// Close closes the file that Open opened; it does nothing for NewReader.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}
