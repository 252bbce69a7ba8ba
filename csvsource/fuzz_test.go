package csvsource

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzRead: whatever the bytes, reading never panics, and ends either in a
// clean *FileError or in entries, every entry and problem numbered with a
// line that exists. The column string is tried as the user column and as
// the room column.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 4096 {
			f.Add(data, "")
		}
	}
	f.Add([]byte("User_ID,Login,Owner\n1,jdoe,yes\n"), "login")
	f.Add([]byte("a,\"b\nc\",d\r\n\"\"\"\r1,2"), "a")
	f.Add([]byte("sep=;\nuserId;owner\n1;x\n"), "")
	f.Add(encodeUTF16(unicodeText, binary.BigEndian), "")
	f.Add([]byte("email,Stream ID,owner\na@b.com,abc==,yes\nA@b.com,abc==\nc@d.com,,\n1,\"x\ny\"\n"), "")
	f.Add([]byte("userId;Desk\n1;R\n1;S\n1;R\n2;#N/A\n"), "desk")
	f.Fuzz(func(t *testing.T, data []byte, column string) {
		fuzzRead(t, data, Options{Column: column})
		fuzzRead(t, data, Options{RoomColumn: column})
	})
}

func fuzzRead(t *testing.T, data []byte, opts Options) {
	r, err := NewReader(bytes.NewReader(data), "fuzz.csv", opts)
	if err != nil {
		checkFileError(t, err)
		return
	}
	hasRooms := r.Format().RoomColumnNumber > 0
	if hasRooms != (r.Rooms() != nil) {
		t.Fatalf("format %q, rooms %q", r.Format(), r.Rooms())
	}
	maxLine := len(data) + 1 // each line but the last takes at least one byte
	entries, lastLine := 0, 0
	for {
		e, err := r.Next()
		if err == io.EOF {
			if entries == 0 {
				t.Fatal("io.EOF without a single entry")
			}
			break
		}
		if err != nil {
			checkFileError(t, err)
			if !errors.Is(err, ErrNoEntries) || entries > 0 {
				t.Fatalf("error after %d entries: %v", entries, err)
			}
			break
		}
		entries++
		if e.Line < 1 || e.Line > maxLine || e.Line <= lastLine {
			t.Fatalf("entry on line %d (after line %d, file of %d bytes)", e.Line, lastLine, len(data))
		}
		lastLine = e.Line
		checkEntry(t, e)
		if hasRooms != (e.Room > 0) || int(e.Room) > len(r.Rooms()) {
			t.Fatalf("entry %+v with %d rooms", e, len(r.Rooms()))
		}
	}
	listed := 0
	for _, p := range r.Problems() {
		listed++
		if p.Line < 1 || p.Line > maxLine || p.Message == "" || strings.ContainsAny(p.Message, "\r\n") {
			t.Fatalf("problem %+v", p)
		}
	}
	for _, d := range r.Duplicates() {
		if d.FirstLine < 1 || d.FirstLine >= d.Line || d.Line > maxLine || hasRooms != (d.Room > 0) || int(d.Room) > len(r.Rooms()) {
			t.Fatalf("duplicate %+v", d)
		}
	}
	var inRooms Summary
	for _, s := range r.RoomSummaries() {
		inRooms.Entries += s.Entries
		inRooms.Duplicates += s.Duplicates
	}
	for _, room := range r.Rooms() {
		if room == "" || roomProblem(room, "") != "" {
			t.Fatalf("room %q", room)
		}
	}
	s := r.Summary()
	if s.Entries != entries || s.IDs+s.Emails+s.Usernames != s.Entries || s.Owners > s.Entries ||
		s.Problems+s.Warnings != listed+s.Unlisted || s.Duplicates != len(r.Duplicates()) {
		t.Fatalf("summary %+v with %d entries, %d problems listed", s, entries, listed)
	}
	if hasRooms && (inRooms.Entries != s.Entries || inRooms.Duplicates != s.Duplicates || len(r.RoomSummaries()) != len(r.Rooms())) {
		t.Fatalf("summary %+v, rooms' %+v", s, inRooms)
	}
}

func checkFileError(t *testing.T, err error) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "fuzz.csv: ") || fe.Detail == "" {
		t.Fatalf("not a clean file error: %T %v", err, err)
	}
}

func checkEntry(t *testing.T, e Entry) {
	t.Helper()
	switch e.Kind {
	case KindUserID:
		if e.UserID <= 0 || strconv.FormatInt(e.UserID, 10) != e.Value {
			t.Fatalf("entry %+v", e)
		}
	case KindEmail:
		if emailProblem(e.Value) != "" || strings.ToLower(e.Value) != e.Value {
			t.Fatalf("entry %+v", e)
		}
	case KindUsername:
		if e.Value == "" || usernameProblem(e.Value) != "" {
			t.Fatalf("entry %+v", e)
		}
	default:
		t.Fatalf("entry of no kind: %+v", e)
	}
}
