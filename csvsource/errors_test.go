package csvsource

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files that cannot be used fail with a *FileError that names the file, gives
// the reason and says how to fix it; never with a panic or a bare OS error.
func TestReadFileRefuses(t *testing.T) {
	cases := []struct {
		file   string
		opts   Options
		reason error
		says   []string
	}{
		{"missing.csv", Options{}, ErrNotFound, []string{"no such file", "check the path"}},
		{".", Options{}, ErrIsFolder, []string{"is a folder", "path of the CSV file inside it"}},
		{"empty.csv", Options{}, ErrEmpty, []string{"the file is empty (0 bytes)", "export the user list again"}},
		{"bom_only.csv", Options{}, ErrEmpty, []string{"only a byte-order mark"}},
		{"only_comments.csv", Options{}, ErrEmpty, []string{"only blank lines or # comments"}},
		{"binary.bin", Options{}, ErrBinary, []string{"not a text file", "NUL byte at byte 7", "save the user list as CSV"}},
		{"workbook.xlsx", Options{}, ErrBinary, []string{"Excel workbook (.xlsx)", `"CSV UTF-8 (Comma delimited)"`}},
		{"utf16_no_bom.txt", Options{}, ErrBinary, []string{"UTF-16 text without a byte-order mark", "save it as UTF-8"}},
		{"no_column.csv", Options{}, ErrNoColumn, []string{`the first row has 2 cells ("Name", "Dept")`, "--column"}},
		{"headerless_two_columns.csv", Options{}, ErrNoColumn, []string{`("71811853189212", "yes")`, "add a header row (for example userId,owner)"}},
		{"ambiguous_columns.csv", Options{}, ErrNoColumn, []string{`("Email" and "E-mail")`, "--column"}},
		{"owner_only.csv", Options{}, ErrNoColumn, []string{`the header has "Owner", "Name" but no user ID, email or username column`}},
		{"named_columns.csv", Options{Column: "mail"}, ErrNoColumn, []string{`column "mail" is not in the header`, `"User_ID", "Login", "Owner"`}},
		{"seed_ids.txt", Options{Column: "userId"}, ErrNoColumn, []string{"seems to have no header row: leave out --column"}},
		{"header_only.csv", Options{}, ErrNoEntries, []string{"header row (line 1) but no user rows"}},
		{"all_bad.csv", Options{}, ErrNoEntries, []string{"none of its 3 rows can be used", `line 2: "abc" is not a user ID`, "fix the rows"}},
	}
	for _, tc := range cases {
		t.Run(tc.file+"/"+tc.opts.Column, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			list, err := ReadFile(path, tc.opts)
			if err == nil {
				t.Fatalf("ReadFile gave %d entries and no error", len(list.Entries))
			}
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, tc.reason) {
				t.Fatalf("error %v (%T), want a *FileError for %v", err, err, tc.reason)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, path+": ") {
				t.Errorf("message does not start with the file's name: %s", msg)
			}
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message does not say %q:\n%s", s, msg)
				}
			}
		})
	}
}

// A file where every row is bad still lists each problem with its line.
func TestEveryRowBadKeepsProblems(t *testing.T) {
	r, err := Open(filepath.Join("testdata", "all_bad.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := readAll(t, r)
	if !errors.Is(err, ErrNoEntries) {
		t.Fatalf("err = %v, want ErrNoEntries", err)
	}
	checkResult(t, got, nil, []int{2, 3, 5}, nil, nil, Summary{Problems: 3})
	if _, again := r.Next(); again != err {
		t.Errorf("Next after the end gave %v, want the same error again", again)
	}
}

func TestOpenUnreadable(t *testing.T) {
	dir := t.TempDir()
	// A path through a file fails for any user, root included.
	notDir := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(notDir, []byte("userId\n1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, path, cause string }{
		{"path through a file", filepath.Join(notDir, "users.csv"), "not a directory"},
	}
	if os.Geteuid() != 0 { // root reads every file
		secret := filepath.Join(dir, "secret.csv")
		if err := os.WriteFile(secret, []byte("userId\n1\n"), 0o200); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ name, path, cause string }{"no read permission", secret, "permission denied"})
	}
	for _, c := range cases {
		_, err := Open(c.path, Options{})
		if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), c.path+": cannot be opened ("+c.cause+")") {
			t.Errorf("%s: err %v; want ErrUnreadable naming the file and %q", c.name, err, c.cause)
		}
	}
}

func TestCloseTwice(t *testing.T) {
	r, err := Open(filepath.Join("testdata", "seed_ids.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
