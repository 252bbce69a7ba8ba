package csvsource

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readResult is everything a read gives, in a form a table can spell out.
type readResult struct {
	entries  []string // "line kind value", plus " owner"
	errors   []int    // lines of dropped rows
	warnings []int    // lines of recovered rows
	dups     [][2]int // line, first line
	sum      Summary
	format   Format
	messages []string // every problem's "line: message", for error-text checks
}

func readAll(t *testing.T, r *Reader) (readResult, error) {
	t.Helper()
	var res readResult
	var err error
	for {
		var e Entry
		if e, err = r.Next(); err != nil {
			break
		}
		s := fmt.Sprintf("%d %s %s", e.Line, e.Kind, e.Value)
		if e.Owner {
			s += " owner"
		}
		if e.Kind == KindUserID && fmt.Sprint(e.UserID) != e.Value {
			t.Errorf("entry on line %d: UserID %d but Value %q", e.Line, e.UserID, e.Value)
		}
		res.entries = append(res.entries, s)
	}
	for _, p := range r.Problems() {
		if p.Warning {
			res.warnings = append(res.warnings, p.Line)
		} else {
			res.errors = append(res.errors, p.Line)
		}
		res.messages = append(res.messages, fmt.Sprintf("%d: %s", p.Line, p.Message))
	}
	for _, d := range r.Duplicates() {
		res.dups = append(res.dups, [2]int{d.Line, d.FirstLine})
	}
	res.sum, res.format = r.Summary(), r.Format()
	if err == io.EOF {
		err = nil
	}
	return res, err
}

const (
	id212 = "71811853189212"
	id213 = "71811853189213"
	id214 = "71811853189214"
)

// formatWant is the part of Format a case checks.
type formatWant struct {
	enc        string
	delim      rune
	headerLine int
	user       string
	fallbacks  []string
	owner      string
}

var readCases = []struct {
	file     string
	opts     Options
	entries  []string
	errors   []int
	warnings []int
	dups     [][2]int
	sum      Summary
	format   formatWant
}{
	{file: "seed_ids.txt",
		entries: []string{"1 id " + id212, "2 id " + id213, "5 id " + id214, "7 id 71811853189215"},
		dups:    [][2]int{{6, 1}},
		sum:     Summary{Entries: 4, IDs: 4, Duplicates: 1},
		format:  formatWant{enc: EncodingUTF8}},
	{file: "semicolon_crlf.csv",
		entries: []string{"2 id " + id212 + " owner", "3 id " + id213, "4 id " + id214, "7 id 71811853189216 owner"},
		errors:  []int{5, 6},
		sum:     Summary{Entries: 4, IDs: 4, Owners: 2, Problems: 2},
		format:  formatWant{enc: EncodingUTF8, delim: ';', headerLine: 1, user: "User ID", owner: "Owner"}},
	{file: "tab_fallback.tsv",
		entries: []string{"2 id " + id212 + " owner", "3 email bob.smith@bank.com", "4 id " + id214 + " owner"},
		sum:     Summary{Entries: 3, IDs: 2, Emails: 1, Owners: 2},
		format:  formatWant{enc: EncodingUTF8, delim: '\t', headerLine: 1, user: "user_id", fallbacks: []string{"email"}, owner: "isOwner"}},
	{file: "pipe_usernames.txt",
		entries: []string{"2 username jane.doe owner", "3 username bob_smith@ext", "5 username JANE.DOE"},
		errors:  []int{4},
		sum:     Summary{Entries: 3, Usernames: 3, Owners: 1, Problems: 1},
		format:  formatWant{enc: EncodingUTF8, delim: '|', headerLine: 1, user: "Username", owner: "Owner"}},
	{file: "quoted.csv",
		entries:  []string{"2 id " + id212 + " owner", "3 id " + id213, "5 id " + id214, "6 id 71811853189215 owner"},
		warnings: []int{3},
		sum:      Summary{Entries: 4, IDs: 4, Owners: 2, Warnings: 1},
		format:   formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "userId", owner: "owner"}},
	{file: "trailing_delims.csv",
		entries: []string{"1 id " + id212, "2 id " + id213, "3 id " + id214},
		sum:     Summary{Entries: 3, IDs: 3},
		format:  formatWant{enc: EncodingUTF8, delim: ','}},
	{file: "cr_only.csv",
		entries: []string{"2 id " + id212, "4 id " + id213},
		sum:     Summary{Entries: 2, IDs: 2},
		format:  formatWant{enc: EncodingUTF8, headerLine: 1, user: "userId"}},
	{file: "mixed_line_endings.csv",
		entries: []string{"2 id " + id212, "3 id " + id213, "4 id " + id214},
		sum:     Summary{Entries: 3, IDs: 3},
		format:  formatWant{enc: EncodingUTF8, headerLine: 1, user: "userId"}},
	{file: "bom_utf8.csv",
		entries: []string{"2 email jane@bank.com"},
		sum:     Summary{Entries: 1, Emails: 1},
		format:  formatWant{enc: EncodingUTF8BOM, headerLine: 1, user: "Email"}},
	{file: "excel_unicode_text.txt",
		entries:  []string{"2 id " + id212, "4 id " + id213},
		errors:   []int{3},
		warnings: []int{4},
		sum:      Summary{Entries: 2, IDs: 2, Problems: 1, Warnings: 1},
		format:   formatWant{enc: EncodingUTF16LE, delim: '\t', headerLine: 1, user: "User ID"}},
	{file: "excel_damage.csv",
		entries: []string{"2 id " + id212, "3 id " + id213, "4 id " + id214, "5 id 71811853189215",
			"6 id 71811853189216", "7 id 71811853189217", "8 id 71811853189218", "15 id 71811853189221",
			"17 id 1234567", "18 id 71811853189222"},
		errors:   []int{9, 10, 11, 12, 13, 14},
		warnings: []int{2, 3, 4, 5, 6, 7, 8, 15, 17, 18},
		dups:     [][2]int{{16, 6}},
		sum:      Summary{Entries: 10, IDs: 10, Duplicates: 1, Problems: 6, Warnings: 10},
		format:   formatWant{enc: EncodingUTF8, headerLine: 1, user: "userId"}},
	{file: "excel_semicolon.csv",
		entries:  []string{"2 id " + id212 + " owner", "4 id " + id213 + " owner"},
		errors:   []int{3},
		warnings: []int{2, 4},
		sum:      Summary{Entries: 2, IDs: 2, Owners: 2, Problems: 1, Warnings: 2},
		format:   formatWant{enc: EncodingUTF8, delim: ';', headerLine: 1, user: "userId", owner: "owner"}},
	{file: "headerless_thousands.txt",
		entries:  []string{"1 id " + id212, "2 id " + id213},
		warnings: []int{1, 2},
		sum:      Summary{Entries: 2, IDs: 2, Warnings: 2},
		format:   formatWant{enc: EncodingUTF8}},
	{file: "emails.csv",
		entries:  []string{"2 email jane.doe@bank.com owner", "3 email bob.smith@bank.com", "7 email ann@bank.com"},
		errors:   []int{4, 5, 8},
		warnings: []int{3, 7},
		dups:     [][2]int{{6, 2}},
		sum:      Summary{Entries: 3, Emails: 3, Owners: 1, Duplicates: 1, Problems: 3, Warnings: 2},
		format:   formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "Email Address", owner: "Owner"}},
	{file: "mixed_headerless.txt",
		entries: []string{"1 id " + id212, "2 email jane.doe@bank.com", "3 username jdoe", "5 username 12abc"},
		errors:  []int{4, 6},
		sum:     Summary{Entries: 4, IDs: 1, Emails: 1, Usernames: 2, Problems: 2},
		format:  formatWant{enc: EncodingUTF8}},
	{file: "lone_header.txt",
		entries:  []string{"2 id " + id212, "3 id " + id213},
		warnings: []int{1},
		sum:      Summary{Entries: 2, IDs: 2, Warnings: 1},
		format:   formatWant{enc: EncodingUTF8, headerLine: 1, user: "Attendees"}},
	{file: "bare_id.csv",
		entries: []string{"2 email jane@bank.com"},
		errors:  []int{3},
		sum:     Summary{Entries: 1, Emails: 1, Problems: 1},
		format:  formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "Email"}},
	{file: "sep_directive.csv",
		entries: []string{"3 id " + id212 + " owner"},
		sum:     Summary{Entries: 1, IDs: 1, Owners: 1},
		format:  formatWant{enc: EncodingUTF8, delim: '|', headerLine: 2, user: "userId", owner: "owner"}},
	{file: "unclosed_quote.csv",
		entries: []string{"3 id " + id213, "4 id " + id214, "6 id 71811853189216"},
		errors:  []int{2, 5},
		sum:     Summary{Entries: 3, IDs: 3, Problems: 2},
		format:  formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "userId"}},
	{file: "latin1.csv",
		entries: []string{"2 id " + id212},
		sum:     Summary{Entries: 1, IDs: 1},
		format:  formatWant{enc: EncodingUTF8, delim: ';', headerLine: 1, user: "userId"}},
	{file: "owners.csv",
		entries: []string{"2 id 1001 owner", "3 id 1002 owner", "4 id 1003 owner", "5 id 1004 owner", "6 id 1005 owner",
			"7 id 1006", "8 id 1007", "9 id 1008", "10 id 1009", "11 id 1010", "13 id 1012"},
		errors: []int{12},
		sum:    Summary{Entries: 11, IDs: 11, Owners: 5, Problems: 1},
		format: formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "userId", owner: "owner"}},
	{file: "duplicates.csv",
		entries: []string{"2 id " + id212, "4 id " + id213 + " owner"},
		errors:  []int{5},
		dups:    [][2]int{{3, 2}, {6, 2}},
		sum:     Summary{Entries: 2, IDs: 2, Owners: 1, Duplicates: 2, Problems: 1},
		format:  formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "userId", owner: "owner"}},
	{file: "named_columns.csv",
		entries: []string{"2 id " + id212 + " owner", "3 id " + id213},
		sum:     Summary{Entries: 2, IDs: 2, Owners: 1},
		format:  formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "User_ID", fallbacks: []string{"Login"}, owner: "Owner"}},
	{file: "named_columns.csv", opts: Options{Column: "LOGIN"},
		entries: []string{"2 username jdoe owner"},
		errors:  []int{3},
		sum:     Summary{Entries: 1, Usernames: 1, Owners: 1, Problems: 1},
		format:  formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "Login", owner: "Owner"}},
	{file: "named_columns.csv", opts: Options{Column: "user id"},
		entries: []string{"2 id " + id212 + " owner", "3 id " + id213},
		sum:     Summary{Entries: 2, IDs: 2, Owners: 1},
		format:  formatWant{enc: EncodingUTF8, delim: ',', headerLine: 1, user: "User_ID", owner: "Owner"}},
}

func TestReadFixtures(t *testing.T) {
	for _, tc := range readCases {
		t.Run(tc.file+"/"+tc.opts.Column, func(t *testing.T) {
			r, err := Open(filepath.Join("testdata", tc.file), tc.opts)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer r.Close()
			got, err := readAll(t, r)
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			checkResult(t, got, tc.entries, tc.errors, tc.warnings, tc.dups, tc.sum)
			f := got.format
			gotFormat := formatWant{f.Encoding, f.Delimiter, f.HeaderLine, f.UserColumn, f.Fallbacks, f.OwnerColumn}
			if fmt.Sprint(gotFormat) != fmt.Sprint(tc.format) {
				t.Errorf("format\n got %+v\nwant %+v", gotFormat, tc.format)
			}
		})
	}
}

func checkResult(t *testing.T, got readResult, entries []string, errs, warnings []int, dups [][2]int, sum Summary) {
	t.Helper()
	if !slices.Equal(got.entries, entries) {
		t.Errorf("entries\n got %q\nwant %q", got.entries, entries)
	}
	if !slices.Equal(got.errors, errs) {
		t.Errorf("problem lines: got %v, want %v\n%s", got.errors, errs, strings.Join(got.messages, "\n"))
	}
	if !slices.Equal(got.warnings, warnings) {
		t.Errorf("warning lines: got %v, want %v\n%s", got.warnings, warnings, strings.Join(got.messages, "\n"))
	}
	if !slices.Equal(got.dups, dups) {
		t.Errorf("duplicates: got %v, want %v", got.dups, dups)
	}
	if got.sum != sum {
		t.Errorf("summary\n got %+v\nwant %+v", got.sum, sum)
	}
}
