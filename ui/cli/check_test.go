package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/csvsource"
)

// fixture is a user list from csvsource's test fixtures.
func fixture(name string) string { return filepath.Join("..", "..", "csvsource", "testdata", name) }

func runCheck(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = cmdCheck(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCheckText(t *testing.T) {
	path := fixture("excel_semicolon.csv")
	code, out, errOut := runCheck(path)
	want := path + `: usable, 2 users to read
  format:     UTF-8, delimiter ';', header on line 1, user column "userId", owner column "owner"
  entries:    2 (2 user IDs, 0 emails, 0 usernames), 2 owners
  duplicates: 0 (left out: each user is read once)
  problems:   1 (rows left out)
  warnings:   2 (rows recovered: check them)

Problems:
  line 2: warning: "71811853189212,00" read as user ID 71811853189212 after removing the trailing ,00; format the column as Text in Excel before exporting to avoid this
  line 3: left out: "7,18112E+13" is in scientific notation and has lost digits (Excel kept only 6 significant digits), so the real user ID cannot be recovered; format the column as Text in Excel before exporting, or export the IDs again
  line 4: warning: "71.811.853.189.213" read as user ID 71811853189213 after removing the thousands separators; format the column as Text in Excel before exporting to avoid this
`
	if code != exitOK || out != want || errOut != "" {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, out, want, errOut)
	}
}

func TestCheckTextSingular(t *testing.T) {
	path := fixture("mixed_headerless.txt")
	_, out, _ := runCheck(path)
	if !strings.Contains(out, "  entries:    4 (1 user ID, 1 email, 2 usernames), 0 owners\n") {
		t.Errorf("output:\n%s", out)
	}
}

func TestCheckTextDuplicates(t *testing.T) {
	path := fixture("seed_ids.txt")
	code, out, _ := runCheck(path)
	for _, s := range []string{
		path + ": usable, 4 users to read\n",
		"  format:     UTF-8, one column, no header row\n",
		"  entries:    4 (4 user IDs, 0 emails, 0 usernames), 0 owners\n",
		"  duplicates: 1 (left out",
		"\nDuplicates:\n  line 6: 71811853189212, first on line 1\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if code != exitOK || strings.Contains(out, "Problems:") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

// The text lists at most 50 problems, then says how many more there are.
func TestCheckTextCapsTheList(t *testing.T) {
	var b strings.Builder
	b.WriteString("userId\n71811853189212\n")
	for i := range 60 {
		fmt.Fprintf(&b, "bad-%d!\n", i)
	}
	path := filepath.Join(t.TempDir(), "many.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCheck(path)
	if code != exitOK || strings.Count(out, ": left out: ") != 50 ||
		!strings.Contains(out, "\n  line 52: left out: ") || strings.Contains(out, "line 53:") ||
		!strings.Contains(out, "  ... and 10 more (roster check --json lists them)\n") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	code, out, _ = runCheck("--json", path)
	var got struct{ Problems []struct{ Line int } }
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitOK || len(got.Problems) != 60 || got.Problems[59].Line != 62 {
		t.Errorf("json: exit %d, err %v, %d problems", code, err, len(got.Problems))
	}
}

// Past csvsource.MaxListedErrors, --json lists only the first ones: the
// text must not promise that it lists them all.
func TestCheckTextPastTheListCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("userId\n71811853189212\n")
	extra := 5
	for i := range csvsource.MaxListedErrors + extra {
		fmt.Fprintf(&b, "bad-%d!\n", i)
	}
	path := filepath.Join(t.TempDir(), "huge.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCheck(path)
	want := fmt.Sprintf("  ... and %d more (roster check --json lists %d of them; the other %d are counted only)\n",
		csvsource.MaxListedErrors+extra-checkListProblems, csvsource.MaxListedErrors-checkListProblems, extra)
	if code != exitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d; output lacks %q:\n%s", code, want, out[max(0, len(out)-400):])
	}
}

type checkJSONOut struct {
	File       string `json:"file"`
	Format     string `json:"format"`
	Entries    int    `json:"entries"`
	IDs        int    `json:"ids"`
	Emails     int    `json:"emails"`
	Usernames  int    `json:"usernames"`
	Owners     int    `json:"owners"`
	Duplicates int    `json:"duplicates"`
	Problems   []checkJSONLine
	Warnings   []checkJSONLine
	Error      string `json:"error"`
}

// decodeOne decodes stdout as exactly one JSON object with no unknown keys.
func decodeOne(t *testing.T, out string) checkJSONOut {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var got checkJSONOut
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON value:\n%s", out)
	}
	return got
}

func TestCheckJSON(t *testing.T) {
	path := fixture("emails.csv")
	for _, args := range [][]string{{"--json", path}, {path, "--json"}, {"-json", path}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runCheck(args...)
			got := decodeOne(t, out)
			want := checkJSONOut{
				File: path, Format: `UTF-8, delimiter ',', header on line 1, user column "Email Address", owner column "Owner"`,
				Entries: 3, Emails: 3, Owners: 1, Duplicates: 1,
				Problems: []checkJSONLine{
					{4, `"eve@bank" is not a valid email address: the domain after @ has no dot (expected name@bank.com); fix the address or remove the line`},
					{5, `"mallory@@bank.com" is not a valid email address: it has more than one @; fix the address or remove the line`},
					{8, `the user cell (column "Email Address") is empty; fill it in or remove the line`},
				},
				Warnings: []checkJSONLine{
					{3, `"Bob Smith <bob.smith@bank.com>" read as the email bob.smith@bank.com inside <...>`},
					{7, `"mailto:ann@bank.com" read as the email ann@bank.com without mailto:`},
				},
			}
			if code != exitOK || errOut != "" || fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
				t.Errorf("exit %d, stderr %q\n got %+v\nwant %+v", code, errOut, got, want)
			}
		})
	}
}

// An unusable file exits 2; with --json the object still comes, with the
// error and whatever problems were found.
func TestCheckUnusable(t *testing.T) {
	cases := []struct {
		args     []string
		says     string // in stderr, and in the JSON error
		problems []int
	}{
		{[]string{fixture("missing.csv")}, "missing.csv: no such file", nil},
		{[]string{fixture("")}, "is a folder", nil},
		{[]string{fixture("workbook.xlsx")}, "Excel workbook (.xlsx)", nil},
		{[]string{fixture("no_column.csv")}, "no user column", nil},
		{[]string{fixture("named_columns.csv"), "--column", "Mail"}, `column "Mail" is not in the header`, nil},
		{[]string{fixture("all_bad.csv")}, "none of its 3 rows can be used", []int{2, 3, 5}},
		{[]string{fixture("header_only.csv")}, "no user rows", nil},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCheck(tc.args...)
			if code != exitInput || !strings.Contains(errOut, tc.says) || !strings.HasPrefix(errOut, "roster check: ") ||
				!strings.Contains(out, ": NOT USABLE\n") {
				t.Errorf("text: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			code, out, _ = runCheck(append([]string{"--json"}, tc.args...)...)
			got := decodeOne(t, out)
			var lines []int
			for _, p := range got.Problems {
				lines = append(lines, p.Line)
			}
			if code != exitInput || !strings.Contains(got.Error, tc.says) || got.Entries != 0 || fmt.Sprint(lines) != fmt.Sprint(tc.problems) {
				t.Errorf("json: exit %d, %+v", code, got)
			}
		})
	}
}

func TestCheckArguments(t *testing.T) {
	named := fixture("named_columns.csv")
	cases := []struct {
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{[]string{named, "--column", "login"}, exitOK, `user column "Login"`, ""},
		{[]string{"--column", "login", named}, exitOK, `user column "Login"`, ""},
		{[]string{"--column=login", named}, exitOK, `user column "Login"`, ""},
		{[]string{"-column", "User ID", named}, exitOK, `user column "User_ID", owner`, ""},
		{[]string{"--", named}, exitOK, "usable, 2 users", ""},
		{[]string{"--help"}, exitOK, "Usage: roster check FILE", ""},
		{[]string{named, "-h"}, exitOK, "Usage: roster check FILE", ""},
		{[]string{"--colum", "x", "-help"}, exitOK, "Usage: roster check FILE", ""}, // help wins over a wrong flag
		{nil, exitInput, "", "roster check: give the user list to check"},
		{[]string{named, named}, exitInput, "", "give one file to check, not 2"},
		{[]string{named, "--column"}, exitInput, "", "roster check: --column needs a value (the user column's header)"},
		{[]string{named, "--column="}, exitInput, "", "--column needs a value"},
		{[]string{"--column", "--json", named}, exitInput, "", "--column needs a value"},
		{[]string{named, "--colum", "x"}, exitInput, "", "unknown flag --colum (did you mean --column?)"},
		{[]string{"--json=yes", named}, exitInput, "", `--json "yes": expected true or false, or --json alone`},
		{[]string{"--json=false", named}, exitOK, "usable, 2 users", ""},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCheck(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.stdoutHas) || !strings.Contains(errOut, tc.stderrHas) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			if tc.code == exitInput && !strings.HasSuffix(errOut, "\nRun `roster check --help` to see its flags.\n") {
				t.Errorf("a usage error does not end with the hint to the help:\n%s", errOut)
			}
			if tc.code == exitOK && errOut != "" {
				t.Errorf("stderr on success:\n%s", errOut)
			}
		})
	}
}

// writeList writes a user list into the test's folder.
func writeList(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const roomsList = `email;Stream ID;owner
ann@bank.com;AAAAAAAAAAAAAAAAAAAAAA==;yes
bob@bank.com;AAAAAAAAAAAAAAAAAAAAAA==
ann@bank.com;Rates Desk;no
ANN@bank.com;AAAAAAAAAAAAAAAAAAAAAA==;yes
cat@bank.com;
"Bob Smith <bob@bank.com>";Rates Desk
dan@bank;Rates Desk
eve@bank.com;#N/A
`

// A file with a room column: the room column and each room with its
// users, the room problems by line, the duplicates with their room.
func TestCheckTextRooms(t *testing.T) {
	path := writeList(t, "rooms.csv", roomsList)
	code, out, errOut := runCheck(path)
	want := path + `: usable, 4 users to read in 2 rooms
  format:     UTF-8, delimiter ';', header on line 1, user column "email", owner column "owner", room column "Stream ID"
  entries:    4 (0 user IDs, 4 emails, 0 usernames), 1 owner
  duplicates: 1 (left out: each user is read once in each room)
  problems:   3 (rows left out)
  warnings:   1 (rows recovered: check them)
  rooms:      2, in column 2 ("Stream ID"): stream IDs or rooms' exact names, found on the pod when a run is planned

Rooms (users to read in each):
  "AAAAAAAAAAAAAAAAAAAAAA==": 2 users (1 duplicate)
  "Rates Desk": 2 users (1 row left out, 1 warning)

Problems:
  line 6: left out: no room: the room cell is empty; give the room's stream ID or its exact name in the room column ("Stream ID"), or remove the line
  line 7: warning: "Bob Smith <bob@bank.com>" read as the email bob@bank.com inside <...>
  line 8: left out: "dan@bank" is not a valid email address: the domain after @ has no dot (expected name@bank.com); fix the address or remove the line
  line 9: left out: the room cell (column "Stream ID") holds Excel's error value #N/A; fix the formula, or give the room's stream ID or its exact name

Duplicates:
  line 5: ann@bank.com, first on line 2, in room "AAAAAAAAAAAAAAAAAAAAAA=="
`
	if code != exitOK || out != want || errOut != "" {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, out, want, errOut)
	}
}

// The text lists the first rooms and says how many more there are.
func TestCheckTextCapsTheRooms(t *testing.T) {
	var b strings.Builder
	b.WriteString("room,userId\n")
	for i := range checkListRooms + 5 {
		fmt.Fprintf(&b, "room %02d,%d\n", i, 71811853189212+i)
	}
	code, out, _ := runCheck(writeList(t, "many.csv", b.String()))
	if code != exitOK || strings.Count(out, ": 1 user\n") != checkListRooms ||
		!strings.Contains(out, "\n  \"room 19\": 1 user\n  ... and 5 more (roster check --json lists them)\n") ||
		!strings.Contains(out, ": usable, 25 users to read in 25 rooms\n") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestCheckJSONRooms(t *testing.T) {
	path := writeList(t, "rooms.csv", roomsList)
	code, out, _ := runCheck("--json", path)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var got struct {
		checkJSONOut
		Unlisted   int `json:"unlisted"`
		RoomColumn string
		Rooms      []checkJSONRoom
		Problems   []checkJSONProblem
		Warnings   []checkJSONProblem
	}
	if err := dec.Decode(&got); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	rooms := fmt.Sprintf("%+v", got.Rooms)
	wantRooms := "[{Room:AAAAAAAAAAAAAAAAAAAAAA== checkJSONCounts:{Entries:2 IDs:0 Emails:2 Usernames:0 Owners:1 Duplicates:1} Problems:0 Warnings:0} " +
		"{Room:Rates Desk checkJSONCounts:{Entries:2 IDs:0 Emails:2 Usernames:0 Owners:0 Duplicates:0} Problems:1 Warnings:1}]"
	var problems []string
	for _, p := range append(got.Problems, got.Warnings...) {
		problems = append(problems, fmt.Sprintf("%d %q", p.Line, p.Room))
	}
	if got.RoomColumn != "Stream ID" || rooms != wantRooms || got.Entries != 4 ||
		strings.Join(problems, ", ") != `6 "", 8 "Rates Desk", 9 "", 7 "Rates Desk"` {
		t.Errorf("room column %q\nrooms %s\nwant  %s\nproblems %s", got.RoomColumn, rooms, wantRooms, problems)
	}
}

func TestCheckRoomColumnArguments(t *testing.T) {
	path := writeList(t, "desk.csv", "Desk,email\nRates,ann@bank.com\nFX,ann@bank.com\n")
	code, out, errOut := runCheck(path, "--room-column", "DESK")
	if code != exitOK || !strings.Contains(out, ": usable, 2 users to read in 2 rooms\n") || !strings.Contains(out, `room column "Desk"`) {
		t.Errorf("named: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCheck(path)
	if code != exitOK || !strings.Contains(out, ": usable, 1 user to read\n") || strings.Contains(out, "room") {
		t.Errorf("not named: exit %d\n%s", code, out)
	}
	code, out, errOut = runCheck(path, "--room-column=Room")
	if code != exitInput || !strings.Contains(out, ": NOT USABLE\n") ||
		!strings.Contains(errOut, `roster check: `+path+`: room column "Room" is not in the header (the first row has "Desk", "email"); check the spelling, or leave out --room-column`) {
		t.Errorf("not there: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCheck(path, "--room-column")
	if code != exitInput || !strings.Contains(errOut, "--room-column needs a value (the room column's header)") {
		t.Errorf("no value: exit %d\n%s", code, errOut)
	}
}

// More rooms than roster takes: not usable, with the line that passed the cap.
func TestCheckTooManyRooms(t *testing.T) {
	var b strings.Builder
	b.WriteString("room,userId\n")
	for i := range csvsource.MaxRooms + 1 {
		fmt.Fprintf(&b, "room %d,1\n", i)
	}
	code, out, errOut := runCheck(writeList(t, "estate.csv", b.String()))
	line := fmt.Sprintf("line %d names a room past the first %d", csvsource.MaxRooms+2, csvsource.MaxRooms)
	if code != exitInput || !strings.Contains(out, ": NOT USABLE\n") || !strings.Contains(errOut, line) {
		t.Errorf("exit %d\n%s\n%s", code, out[:min(len(out), 600)], errOut)
	}
}
