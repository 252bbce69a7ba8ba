package csvsource

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// A plan holds millions of entries: the room must fit in Entry's padding.
func TestEntryIs48Bytes(t *testing.T) {
	if n := unsafe.Sizeof(Entry{}); n != 48 {
		t.Errorf("Entry is %d bytes; want 48", n)
	}
}

func readString(t *testing.T, text string, opts Options) (*List, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rooms.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return ReadFile(path, opts)
}

func TestRoomColumnDetection(t *testing.T) {
	cases := []struct {
		name       string
		text       string
		opts       Options
		user, room string // the columns read ("" room: none)
		number     int    // the room column's number
		err        error  // the reason of the *FileError, or nil
		says       string // in the error
	}{
		{"room", "email,Room\na@b.com,R1\n", Options{}, "email", "Room", 2, nil, ""},
		{"room name", "Room Name;userId\nR1;1\n", Options{}, "userId", "Room Name", 1, nil, ""},
		{"room id", "room_id,username\nabc,jdoe\n", Options{}, "username", "room_id", 1, nil, ""},
		{"stream", "user,STREAM\njdoe,abc\n", Options{}, "user", "STREAM", 2, nil, ""},
		{"stream id", "Stream ID\tUser ID\nabc\t1\n", Options{}, "User ID", "Stream ID", 1, nil, ""},
		{"streamid", "member,owner,streamId\n1,yes,abc\n", Options{}, "member", "streamId", 3, nil, ""},
		{"stream user id is a user column", "streamUserId,room\n1,abc\n", Options{}, "streamUserId", "room", 2, nil, ""},
		{"no room column", "email,name\na@b.com,Ann\n", Options{}, "email", "", 0, nil, ""},
		{"a stream ID column beats a room column", "Room,Stream ID,email\nDesk,abc,a@b.com\n", Options{}, "email", "Stream ID", 2, nil, ""},
		{"two room columns", "room,room name,email\nR,R,a@b.com\n", Options{}, "", "", 0, ErrRoomColumn, `several columns could be the room column ("room" and "room name"); name the one to use with --room-column`},
		{"named", "email,Desk\na@b.com,R1\n", Options{RoomColumn: "desk"}, "email", "Desk", 2, nil, ""},
		{"named among two", "room,room name,email\nR,R,a@b.com\n", Options{RoomColumn: "ROOM NAME"}, "email", "room name", 2, nil, ""},
		{"named, not there", "email,Desk\na@b.com,R1\n", Options{RoomColumn: "room"}, "", "", 0, ErrRoomColumn, `room column "room" is not in the header (the first row has "email", "Desk"); check the spelling`},
		{"named, headerless", "1\n2\n", Options{RoomColumn: "room"}, "", "", 0, ErrRoomColumn, "a room column needs a header row"},
		{"named twice", "email,room,Room\na@b.com,R,R\n", Options{RoomColumn: "room"}, "", "", 0, ErrRoomColumn, `room column "room" appears 2 times`},
		{"named owner", "email,owner\na@b.com,yes\n", Options{RoomColumn: "owner"}, "", "", 0, ErrRoomColumn, "holds the owner flag, not rooms"},
		{"named user column leaves the others", "email,user,Desk\na@b.com,jdoe,R\n", Options{RoomColumn: "user"}, "email", "user", 2, nil, ""},
		{"named beside unknown names", "Desk,Person\nR,1\n", Options{RoomColumn: "Desk", Column: "Person"}, "Person", "Desk", 1, nil, ""},
		{"user named room", "Room,Stream\n1,abc\n", Options{Column: "room"}, "Room", "Stream", 2, nil, ""},
		{"user and room named the same", "email,Room\na@b.com,R\n", Options{Column: "room", RoomColumn: "ROOM"}, "", "", 0, ErrNoColumn, "named as both the user column and the room column"},
		{"a room header is never the user column", "Room\n71811853189212\n", Options{}, "", "", 0, ErrNoColumn, `no user column: the header has "Room"`},
		{"room and unknown", "room,person\nR,1\n", Options{}, "", "", 0, ErrNoColumn, "no user column"},
		{"named room, no user column", "Desk,Person\nR,1\n", Options{RoomColumn: "desk"}, "", "", 0, ErrNoColumn, "no user column"},
		{"headerless", "71811853189212\n71811853189213\n", Options{}, "", "", 0, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := readString(t, tc.text, tc.opts)
			if tc.err != nil {
				var fe *FileError
				if !errors.Is(err, tc.err) || !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.says) {
					t.Fatalf("error %v; want %v saying %q", err, tc.err, tc.says)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			f := l.Format
			if f.UserColumn != tc.user || f.RoomColumn != tc.room || f.RoomColumnNumber != tc.number || l.HasRooms() != (tc.room != "") {
				t.Errorf("user %q, room %q (column %d), HasRooms %v; want user %q, room %q (column %d)",
					f.UserColumn, f.RoomColumn, f.RoomColumnNumber, l.HasRooms(), tc.user, tc.room, tc.number)
			}
			if tc.room != "" && !strings.HasSuffix(f.String(), fmt.Sprintf("room column %q", tc.room)) {
				t.Errorf("format %q does not name the room column", f)
			}
			if tc.room == "" && (l.Rooms != nil || l.RoomSummaries != nil || strings.Contains(f.String(), "room")) {
				t.Errorf("no room column, but rooms %q, summaries %v, format %q", l.Rooms, l.RoomSummaries, f)
			}
		})
	}
}

// roomsOf spells out a list's entries as "line room value[ owner]".
func roomsOf(l *List) []string {
	var out []string
	for _, e := range l.Entries {
		s := fmt.Sprintf("%d %s %s", e.Line, l.roomName(e.Room), e.Value)
		if e.Owner {
			s += " owner"
		}
		out = append(out, s)
	}
	return out
}

func (l *List) roomName(room uint32) string {
	if room == 0 {
		return "-"
	}
	return l.Rooms[room-1]
}

func TestDuplicatesPerRoom(t *testing.T) {
	text := strings.Join([]string{
		"userId,email,username,stream id,owner", // 1
		"71811853189212,,,AAA,",                 // 2
		"71811853189212,,,BBB,",                 // 3: the same user, another room
		"71,811,853,189,212,,,AAA,",             // 4: too wide (unquoted thousands separators)
		`"71,811,853,189,212",,,AAA,`,           // 5: the same ID in room AAA, as Excel wrote it
		",Ann@Bank.com,,AAA,yes",                // 6
		",ann@bank.com,,BBB,no",                 // 7: another room, another owner flag: fine
		",ANN@bank.com,,AAA,yes",                // 8: a duplicate in AAA
		",ann@bank.com,,AAA,no",                 // 9: the same user in AAA, not an owner: a problem
		",,jdoe,  Trading Desk  ,",              // 10: a name, trimmed
		",,jdoe,AAA,",                           // 11
		",,jdoe,Trading Desk,",                  // 12: a duplicate in Trading Desk
		",,JDoe,Trading Desk,",                  // 13: usernames as written: another user
	}, "\n") + "\n"
	l, err := readString(t, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantEntries := []string{
		"2 AAA 71811853189212", "3 BBB 71811853189212", "6 AAA ann@bank.com owner", "7 BBB ann@bank.com",
		"10 Trading Desk jdoe", "11 AAA jdoe", "13 Trading Desk JDoe",
	}
	if got := roomsOf(l); !slices.Equal(got, wantEntries) {
		t.Errorf("entries\n got %q\nwant %q", got, wantEntries)
	}
	if !slices.Equal(l.Rooms, []string{"AAA", "BBB", "Trading Desk"}) {
		t.Errorf("rooms %q", l.Rooms)
	}
	var dups []string
	for _, d := range l.Duplicates {
		dups = append(dups, fmt.Sprintf("%d %s %s first %d", d.Line, l.roomName(d.Room), d.Value, d.FirstLine))
	}
	wantDups := []string{"5 AAA 71811853189212 first 2", "8 AAA ann@bank.com first 6", "12 Trading Desk jdoe first 10"}
	if !slices.Equal(dups, wantDups) {
		t.Errorf("duplicates\n got %q\nwant %q", dups, wantDups)
	}
	var problems []string
	for _, p := range l.Problems {
		problems = append(problems, fmt.Sprintf("%d %s %v", p.Line, l.roomName(p.Room), p.Warning))
	}
	// Line 4's cells are shifted, so its room cell is not usable; line 9's is.
	wantProblems := []string{"4 - false", "9 AAA false"}
	if !slices.Equal(problems, wantProblems) {
		t.Errorf("problems\n got %q\nwant %q\n%v", problems, wantProblems, l.Problems)
	}
	want := Summary{Entries: 7, IDs: 2, Emails: 2, Usernames: 3, Owners: 1, Duplicates: 3, Problems: 2}
	if l.Summary != want {
		t.Errorf("summary %+v; want %+v", l.Summary, want)
	}
}

func TestRoomCellProblems(t *testing.T) {
	long := strings.Repeat("x", MaxRoomBytes+1)
	text := strings.Join([]string{
		"email,room",                     // 1
		"a@bank.com,",                    // 2: empty
		"b@bank.com,   ",                 // 3: blank
		"c@bank.com",                     // 4: no room cell at all
		"d@bank.com," + long,             // 5: too long
		"e@bank.com," + long[1:],         // 6: the longest kept
		"f@bank.com,\"Desk\nTwo\"",       // 7-8: a line break
		"g@bank.com,#N/A",                // 9: Excel's error value
		"h@bank.com,Desk\x7fOne",         // 10: a control character
		"i@bank.com,Desk \xff",           // 11: not UTF-8
		"j@bank.com,Trading",             // 12: fine
		"not an email,Trading",           // 13: a bad user cell in a room
		"k@bank.com,Sales,extra",         // 14: too wide
		"l@bank.com,\"  Sales, EMEA  \"", // 15: fine, trimmed
	}, "\n") + "\n"
	l, err := readString(t, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := roomsOf(l); !slices.Equal(got, []string{"6 " + long[1:] + " e@bank.com", "12 Trading j@bank.com", "15 Sales, EMEA l@bank.com"}) {
		t.Errorf("entries %q", got)
	}
	wants := []struct {
		line int
		room string
		says string
	}{
		{2, "-", `no room: the room cell is empty; give the room's stream ID or its exact name in the room column ("room"), or remove the line`},
		{3, "-", "no room: the room cell is empty"},
		{4, "-", "no room: the room cell is empty"},
		{5, "-", fmt.Sprintf(`the room cell (column "room") is %d bytes long, longer than any stream ID or room name (at most %d bytes)`, MaxRoomBytes+1, MaxRoomBytes)},
		{7, "-", `the room cell (column "room") "Desk\nTwo" holds a control character (a line break or tab)`},
		{9, "-", "holds Excel's error value #N/A"},
		{10, "-", `"Desk\x7fOne" holds a control character`},
		{11, "-", "is not valid text"},
		{13, "Trading", `"not an email" is not a valid email address`},
		{14, "-", "the row has 3 cells but the header (line 1) has 2"},
	}
	var errs []Problem
	for _, p := range l.Problems {
		if !p.Warning {
			errs = append(errs, p)
		}
	}
	if len(errs) != len(wants) {
		t.Fatalf("%d problems; want %d: %v", len(errs), len(wants), errs)
	}
	for i, w := range wants {
		p := errs[i]
		if p.Line != w.line || l.roomName(p.Room) != w.room || !strings.Contains(p.Message, w.says) {
			t.Errorf("problem %d: line %d room %s %q; want line %d room %s saying %q", i, p.Line, l.roomName(p.Room), p.Message, w.line, w.room, w.says)
		}
	}
}

// A file of many rows in each of several rooms, some dropped: each room's
// part holds its own rows with their lines, and its Summary counts them.
func TestForRoom(t *testing.T) {
	var b strings.Builder
	b.WriteString("Room,userId,owner\n")
	rooms := []string{"Rates", "FX", "Credit"}
	type count struct{ entries, owners, dups, problems int }
	want := map[string]*count{}
	wantLines := map[string][]int{}
	line := 1
	for i := range 300 {
		room := rooms[i*7%len(rooms)]
		c := want[room]
		if c == nil {
			c = &count{}
			want[room] = c
		}
		line++
		switch {
		case i%10 == 9:
			fmt.Fprintf(&b, "%s,x%d,\n", room, i) // a bad user cell
			c.problems++
		case i%10 == 8:
			back := 3 // the user of row i-3, in the same room, or of row i-4, in another
			if i%20 == 18 {
				back = 4
			}
			fmt.Fprintf(&b, "%s,%d,\n", room, 1000+i-back)
			if rooms[(i-back)*7%len(rooms)] == room {
				c.dups++
			} else {
				c.entries++
				wantLines[room] = append(wantLines[room], line)
			}
		case i%10 == 7:
			fmt.Fprintf(&b, ",%d,\n", 1000+i) // no room
		default:
			owner := i%4 == 0
			fmt.Fprintf(&b, "%s,%d,%v\n", room, 1000+i, owner)
			c.entries++
			if owner {
				c.owners++
			}
			wantLines[room] = append(wantLines[room], line)
		}
	}
	l, err := readString(t, b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Rooms, []string{"Rates", "FX", "Credit"}) {
		t.Fatalf("rooms %q", l.Rooms)
	}
	parts := l.Parts()
	// Without RoomSummaries (a list built by hand), the parts are counted
	// from the lists, and must come out the same.
	counted := *l
	counted.RoomSummaries = nil
	countedParts := counted.Parts()
	total := 0
	for i, name := range l.Rooms {
		room := uint32(i + 1)
		p := l.ForRoom(room)
		if fmt.Sprint(p) != fmt.Sprint(parts[i]) || fmt.Sprint(p) != fmt.Sprint(countedParts[i]) {
			t.Errorf("room %s: ForRoom, Parts and the counted part differ:\n%+v\n%+v\n%+v", name, p, parts[i], countedParts[i])
		}
		c := want[name]
		wantSum := Summary{Entries: c.entries, IDs: c.entries, Owners: c.owners, Duplicates: c.dups, Problems: c.problems}
		if p.Summary != wantSum || len(p.Entries) != c.entries || len(p.Duplicates) != c.dups || len(p.Problems) != c.problems {
			t.Errorf("room %s: summary %+v, %d entries, %d duplicates, %d problems; want %+v", name, p.Summary, len(p.Entries), len(p.Duplicates), len(p.Problems), wantSum)
		}
		var lines []int
		for _, e := range p.Entries {
			lines = append(lines, e.Line)
			if e.Room != room {
				t.Errorf("room %s holds an entry of room %d", name, e.Room)
			}
		}
		if !slices.Equal(lines, wantLines[name]) {
			t.Errorf("room %s: lines %v; want %v", name, lines, wantLines[name])
		}
		for _, d := range p.Duplicates {
			if l.Entries[slices.IndexFunc(l.Entries, func(e Entry) bool { return e.Line == d.FirstLine })].Room != room {
				t.Errorf("room %s: duplicate %+v whose first line is in another room", name, d)
			}
		}
		if p.Path != l.Path || p.Format.String() != l.Format.String() || p.Rooms != nil || p.HasRooms() {
			t.Errorf("room %s: path %q, format %q, rooms %q", name, p.Path, p.Format, p.Rooms)
		}
		total += len(p.Entries)
	}
	if total != len(l.Entries) || l.Summary.Problems != want["Rates"].problems+want["FX"].problems+want["Credit"].problems+30 {
		t.Errorf("%d entries in the rooms of %d; summary %+v", total, len(l.Entries), l.Summary)
	}
	for _, room := range []uint32{0, 4} {
		if p := l.ForRoom(room); len(p.Entries)+len(p.Problems)+len(p.Duplicates) != 0 || p.Summary != (Summary{}) || p.Path != l.Path {
			t.Errorf("ForRoom(%d) = %+v; want an empty part", room, p)
		}
	}
	plain, err := readString(t, "userId\n1\n2\n", Options{})
	if err != nil || plain.HasRooms() || plain.Parts() != nil || len(plain.ForRoom(1).Entries) != 0 {
		t.Errorf("a list without rooms: %v, %+v", err, plain)
	}
}

// The problems left out of the capped list are still counted in their room.
func TestRoomSummaryCountsUnlisted(t *testing.T) {
	var b strings.Builder
	b.WriteString("room,userId\nR,1\n")
	for range MaxListedErrors + 3 {
		b.WriteString("R,bad!\n")
	}
	l, err := readString(t, b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := l.ForRoom(1).Summary
	if s.Problems != MaxListedErrors+3 || s.Unlisted != 3 || len(l.ForRoom(1).Problems) != MaxListedErrors {
		t.Errorf("room summary %+v, %d listed", s, len(l.ForRoom(1).Problems))
	}
}

func TestRoomCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("room,userId\n")
	for i := range MaxRooms {
		fmt.Fprintf(&b, "room %d,1\n", i)
	}
	b.WriteString("room 0,2\n") // a room seen before: fine
	within := b.String()
	l, err := readString(t, within, Options{})
	if err != nil || len(l.Rooms) != MaxRooms || len(l.Entries) != MaxRooms+1 {
		t.Fatalf("%d rooms: %v", MaxRooms, err)
	}
	_, err = readString(t, within+"room past,3\nroom 1,4\n", Options{})
	line := MaxRooms + 3
	want := fmt.Sprintf(`line %d names a room past the first %d ("room past"), and roster takes at most %d rooms from one file; split the file into files of at most %d rooms`, line, MaxRooms, MaxRooms, MaxRooms)
	var fe *FileError
	if !errors.Is(err, ErrTooManyRooms) || !errors.As(err, &fe) || fe.Detail != want {
		t.Fatalf("error %v; want %q", err, want)
	}
	// Streamed: Next stops at that line, and says so again if called again.
	r, err := NewReader(strings.NewReader(within+"room past,3\nroom 1,4\n"), "r.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for ; ; n++ {
		if _, err = r.Next(); err != nil {
			break
		}
	}
	if _, again := r.Next(); n != MaxRooms+1 || !errors.Is(err, ErrTooManyRooms) || again != err || err == io.EOF {
		t.Errorf("%d entries, then %v, then %v", n, err, again)
	}
}

// Room values (and emails kept with their room) outlive the rows they were
// read from, also when the values are too long for the sets' chunks.
func TestRoomValuesOutliveTheRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("email,room\n")
	// 254 bytes, the longest email: with its room, too long for the chunks.
	domain := strings.Repeat("b", 61) + "." + strings.Repeat("c", 61) + "." + strings.Repeat("d", 61) + ".com"
	for i := range 2000 {
		fmt.Fprintf(&b, "u%063d@%s,Room %d\n", i%500, domain, i%7)
	}
	l, err := readString(t, b.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range l.Entries {
		key := l.Rooms[e.Room-1] + "/" + e.Value
		if seen[key] || len(e.Value) != 254 || !strings.HasSuffix(e.Value, domain) {
			t.Fatalf("entry %+v", e)
		}
		seen[key] = true
	}
	if len(l.Entries)+len(l.Duplicates) != 2000 || len(l.Rooms) != 7 {
		t.Fatalf("%d entries, %d duplicates, %d rooms", len(l.Entries), len(l.Duplicates), len(l.Rooms))
	}
	for _, d := range l.Duplicates {
		first := l.Entries[slices.IndexFunc(l.Entries, func(e Entry) bool { return e.Line == d.FirstLine })]
		if first.Value != d.Value || first.Room != d.Room {
			t.Fatalf("duplicate %+v of %+v", d, first)
		}
	}
}
