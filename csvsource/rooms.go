package csvsource

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// readRoom reads the room cell of a row that fits its header. It returns the
// room's index (1-based), or a problem that drops the row, or a *FileError
// when the row names one room more than MaxRooms.
func (r *Reader) readRoom(rec record) (room uint32, problem string, err error) {
	col := r.layout.room
	v := ""
	if col.index < len(rec.fields) {
		v = trimCell(rec.fields[col.index])
	}
	if last := r.lastRoom; last > 0 && r.rooms[last-1] == v {
		return last, "", nil // the usual case: a file sorted by room
	}
	if problem := roomProblem(v, col.name); problem != "" {
		return 0, problem, nil
	}
	room, ok := r.roomIndex[v]
	if !ok {
		if len(r.rooms) == MaxRooms {
			return 0, "", fileError(r.name, ErrTooManyRooms, fmt.Sprintf(
				"line %d names a room past the first %d (%s), and roster takes at most %d rooms from one file; split the file into files of at most %d rooms",
				rec.line, MaxRooms, show(v), MaxRooms, MaxRooms))
		}
		v = strings.Clone(v) // the cell points into the row, which the next one overwrites
		if r.roomIndex == nil {
			r.roomIndex = map[string]uint32{}
		}
		r.rooms = append(r.rooms, v)
		r.roomSums = append(r.roomSums, Summary{})
		room = uint32(len(r.rooms))
		r.roomIndex[v] = room
	}
	r.lastRoom = room
	return room, "", nil
}

// roomProblem says why a trimmed room cell cannot name a room, or "". Whether
// it is a stream ID or a room's name is decided against the pod, not here.
func roomProblem(v, column string) string {
	switch {
	case v == "":
		return fmt.Sprintf("no room: the room cell is empty; give the room's stream ID or its exact name in the room column (%q), or remove the line", column)
	case len(v) > MaxRoomBytes:
		return fmt.Sprintf("the room cell (column %q) is %d bytes long, longer than any stream ID or room name (at most %d bytes); give the room's stream ID or its exact name", column, len(v), MaxRoomBytes)
	case !utf8.ValidString(v):
		return fmt.Sprintf("the room cell (column %q) is not valid text (it holds bytes that are not UTF-8); save the file as UTF-8 and give the room's stream ID or its exact name", column)
	case strings.ContainsFunc(v, unicode.IsControl):
		return fmt.Sprintf("the room cell (column %q) %s holds a control character (a line break or tab); give the room's stream ID or its exact name on one line", column, show(v))
	}
	if e := excelError(v); e != "" {
		return fmt.Sprintf("the room cell (column %q) holds Excel's error value %s; fix the formula, or give the room's stream ID or its exact name", column, e)
	}
	return ""
}

// seenInRoom is seen for a file with a room column: a user is a duplicate
// only within one room, so each set is keyed by the room's index and the
// value (for user IDs, the ID's 8 bytes).
func (r *Reader) seenInRoom(v *cellValue, mark uint64, room uint32) (first uint64, seen bool) {
	r.key = binary.LittleEndian.AppendUint32(r.key[:0], room)
	var set *strSet
	switch v.kind {
	case KindUserID:
		set = &r.roomIDs
		r.key = binary.LittleEndian.AppendUint64(r.key, uint64(v.id))
	case KindEmail:
		set = &r.emails
		r.key = append(r.key, v.value...)
	default:
		set = &r.usernames
		r.key = append(r.key, v.value...)
	}
	if r.expected > 0 {
		set.reserve(r.expected)
		r.expected = 0
	}
	kept, first, seen := set.getOrPut(unsafe.String(unsafe.SliceData(r.key), len(r.key)), mark)
	if v.kind == KindUserID {
		v.value = r.keepID(v.value)
	} else {
		v.value = kept[4:] // the key's bytes after the room's
	}
	return first, seen
}

// Rooms returns the rooms met so far (see List.Rooms); nil when the file has
// no room column.
func (r *Reader) Rooms() []string { return r.rooms }

// RoomSummaries counts each room's rows so far (see List.RoomSummaries).
func (r *Reader) RoomSummaries() []Summary { return r.roomSums }

// split returns the parts of the list for the rooms lo to hi (see ForRoom),
// in one pass over the list.
func (l *List) split(lo, hi uint32) []*List {
	parts := make([]*List, hi-lo+1)
	for i := range parts {
		parts[i] = &List{Path: l.Path, Format: l.Format}
		if room := lo + uint32(i); int(room) <= len(l.RoomSummaries) {
			parts[i].Summary = l.RoomSummaries[room-1]
			parts[i].Entries = make([]Entry, 0, parts[i].Summary.Entries)
		}
	}
	part := func(room uint32) *List {
		if room < lo || room > hi {
			return nil
		}
		return parts[room-lo]
	}
	for _, e := range l.Entries {
		if p := part(e.Room); p != nil {
			p.Entries = append(p.Entries, e)
		}
	}
	for _, pr := range l.Problems {
		if p := part(pr.Room); p != nil {
			p.Problems = append(p.Problems, pr)
		}
	}
	for _, d := range l.Duplicates {
		if p := part(d.Room); p != nil {
			p.Duplicates = append(p.Duplicates, d)
		}
	}
	for i, p := range parts {
		if int(lo)+i > len(l.RoomSummaries) {
			p.Summary = p.counted()
		}
	}
	return parts
}

func (l *List) parts() []*List {
	if len(l.Rooms) == 0 {
		return nil
	}
	return l.split(1, uint32(len(l.Rooms)))
}

func (l *List) forRoom(room uint32) *List {
	if room == 0 || int(room) > len(l.Rooms) {
		return &List{Path: l.Path, Format: l.Format}
	}
	return l.split(room, room)[0]
}

// counted is the Summary of a list's own entries, problems and duplicates,
// for a list read without RoomSummaries (the problems left out of a capped
// Problems list cannot be counted here).
func (l *List) counted() Summary {
	var s Summary
	for _, e := range l.Entries {
		s.countEntry(e.Kind, e.Owner)
	}
	for _, p := range l.Problems {
		if p.Warning {
			s.Warnings++
		} else {
			s.Problems++
		}
	}
	s.Duplicates = len(l.Duplicates)
	return s
}
