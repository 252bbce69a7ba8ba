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
// line that exists.
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
	f.Fuzz(func(t *testing.T, data []byte, column string) {
		r, err := NewReader(bytes.NewReader(data), "fuzz.csv", Options{Column: column})
		if err != nil {
			checkFileError(t, err)
			return
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
		}
		listed := 0
		for _, p := range r.Problems() {
			listed++
			if p.Line < 1 || p.Line > maxLine || p.Message == "" || strings.ContainsAny(p.Message, "\r\n") {
				t.Fatalf("problem %+v", p)
			}
		}
		for _, d := range r.Duplicates() {
			if d.FirstLine < 1 || d.FirstLine >= d.Line || d.Line > maxLine {
				t.Fatalf("duplicate %+v", d)
			}
		}
		s := r.Summary()
		if s.Entries != entries || s.IDs+s.Emails+s.Usernames != s.Entries || s.Owners > s.Entries ||
			s.Problems+s.Warnings != listed+s.Unlisted || s.Duplicates != len(r.Duplicates()) {
			t.Fatalf("summary %+v with %d entries, %d problems listed", s, entries, listed)
		}
	})
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
