package csvsource

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

// Small shapes that need no fixture file: each read from a string, one byte
// at a time so that every buffer boundary is crossed.
func TestReadShapes(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		opts     Options
		entries  []string
		errors   []int
		warnings []int
		dups     [][2]int
	}{
		{name: "headerless row wider than one column",
			in:      id212 + "\n" + id213 + ",x\n" + id214 + ",\n",
			entries: []string{"1 id " + id212, "3 id " + id214}, errors: []int{2}},
		{name: "user cell with a line break",
			in:      "userId,note\n\"7181\n1853189212\",x\n" + id213 + ",y\n",
			entries: []string{"4 id " + id213}, errors: []int{2}, warnings: []int{2}},
		{name: "quoted note with line breaks keeps later line numbers",
			in:      "userId,note\n" + id212 + ",\"a\nb\nc\"\n" + id213 + ",d\n",
			entries: []string{"2 id " + id212, "5 id " + id213}, warnings: []int{2}},
		{name: "comment and blank lines inside the data",
			in:      "# exported 2026-11-20\nuserId\n\n# team A\n" + id212 + "\n   \n" + id213 + "\n",
			entries: []string{"5 id " + id212, "7 id " + id213}},
		{name: "empty rows from Excel",
			in:      "userId,owner\n,\n" + id212 + ",yes\n,,\n",
			entries: []string{"3 id " + id212 + " owner"}},
		{name: "BOM in front of a cell of a concatenated file",
			in:      "userId\n\uFEFF" + id212 + "\n",
			entries: []string{"2 id " + id212}},
		{name: "no trailing newline and CRLF",
			in:      "email\r\nJane@Bank.com\r\nJANE@bank.com",
			entries: []string{"2 email jane@bank.com"}, dups: [][2]int{{3, 2}}},
		{name: "the same user by ID and by email is not a duplicate here",
			in:      "user\n" + id212 + "\njane@bank.com\n",
			entries: []string{"2 id " + id212, "3 email jane@bank.com"}},
		{name: "the owner flag of the first occurrence, the same again",
			in:      "userId,owner\n" + id212 + ",x\n'" + id212 + ",yes\n",
			entries: []string{"2 id " + id212 + " owner"}, dups: [][2]int{{3, 2}}},
		{name: "a named column that is not an alias",
			in: "Name,Person,Owner\nJane,jane@bank.com,y\nBob,bob,n\n", opts: Options{Column: "person"},
			entries: []string{"2 email jane@bank.com owner", "3 username bob"}},
		{name: "a header cell with a stray quote",
			in:      "\"userId\",\"owner\"\n\"" + id212 + "\",\"1\"\n",
			entries: []string{"2 id " + id212 + " owner"}},
		{name: "Excel error values are rows, not comments",
			in:      "#N/A\n" + id212 + "\n# a comment\n#ref!\n#Nope\n",
			entries: []string{"2 id " + id212}, errors: []int{1, 4}},
		{name: "an Excel error value in a row of several cells",
			in:      "userId,owner\n#N/A,yes\n" + id212 + ",#VALUE!\n" + id213 + ",no\n",
			entries: []string{"4 id " + id213}, errors: []int{2, 3}},
		{name: "an unclosed quote on the first row",
			in:      "\"userId\n" + id212 + "\n" + id213 + "\n",
			entries: []string{"2 id " + id212, "3 id " + id213}, errors: []int{1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(iotest.OneByteReader(strings.NewReader(tc.in)), "shape.csv", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if !equalLists(got.entries, tc.entries) || !equalLists(got.errors, tc.errors) ||
				!equalLists(got.warnings, tc.warnings) || !equalLists(got.dups, tc.dups) {
				t.Errorf("got entries %q, errors %v, warnings %v, dups %v\nwant entries %q, errors %v, warnings %v, dups %v\n%s",
					got.entries, got.errors, got.warnings, got.dups, tc.entries, tc.errors, tc.warnings, tc.dups,
					strings.Join(got.messages, "\n"))
			}
		})
	}
}

func equalLists[T any](a, b []T) bool { return fmt.Sprint(a) == fmt.Sprint(b) && len(a) == len(b) }

// A read error in the middle of a file stops reading with the file's name and
// the last line read; it is never mistaken for the end of the file.
func TestReadErrorMidFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("userId\n")
	for i := range 20_000 {
		fmt.Fprintf(&b, "%d\n", 71811853189212+i)
	}
	boom := errors.New("disk on fire")
	src := io.MultiReader(strings.NewReader(b.String()), iotest.ErrReader(boom))
	r, err := NewReader(src, "users.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		if _, err = r.Next(); err != nil {
			break
		}
		n++
	}
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "users.csv: reading after line 20001: ") || n != 20_000 {
		t.Errorf("after %d entries: %v", n, err)
	}
}

// The problem list is capped; the counts are not.
func TestProblemListIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("userId\n")
	rows := MaxListedWarnings + 7
	for i := range rows {
		fmt.Fprintf(&b, "%d.0\n", 71811853189212+i)
	}
	r, err := NewReader(strings.NewReader(b.String()), "many.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{Entries: rows, IDs: rows, Warnings: rows, Unlisted: 7}
	if got.sum != want || len(got.warnings) != MaxListedWarnings || got.warnings[len(got.warnings)-1] != MaxListedWarnings+1 {
		t.Errorf("summary %+v, %d warnings listed", got.sum, len(got.warnings))
	}
}

// idSet agrees with a map on random IDs, with many collisions and growth.
func TestIDSet(t *testing.T) {
	var s idSet
	m := map[int64]uint64{}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200_000 {
		id := rng.Int64N(50_000) + 1 // many repeats
		if i%3 == 0 {
			id = 71811853189212 + int64(i)*1024 // regular strides
		}
		got, found := s.getOrPut(id, uint64(i))
		want, ok := m[id]
		if !ok {
			m[id] = uint64(i)
		}
		if found != ok || got != want {
			t.Fatalf("getOrPut(%d) = %d, %v; want %d, %v", id, got, found, want, ok)
		}
	}
	if s.used != len(m) {
		t.Errorf("%d IDs in the set, %d in the map", s.used, len(m))
	}
}

// A quote opened on the first line and never closed costs one line, not the
// file: the rows after it are read, and the sample stays bounded.
func TestUnclosedQuoteOnALongFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("\"oops\n")
	for i := range 1000 {
		fmt.Fprintf(&b, "%d\n", 71811853189212+i)
	}
	r, err := NewReader(strings.NewReader(b.String()), "long.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.rs.pending) + len(r.pre); n > maxRecordLines+sampleRecords {
		t.Errorf("%d lines held after opening", n)
	}
	got, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if got.sum != (Summary{Entries: 1000, IDs: 1000, Problems: 1}) || got.entries[0] != "2 id "+id212 ||
		got.entries[999] != "1001 id 71811853190211" || !equalLists(got.errors, []int{1}) {
		t.Errorf("summary %+v, errors %v, first %q", got.sum, got.errors, got.entries[0])
	}
}
