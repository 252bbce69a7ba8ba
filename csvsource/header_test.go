package csvsource

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Every spelling administrators use finds its column, in any case, with
// spaces, underscores or hyphens.
func TestHeaderSpellings(t *testing.T) {
	cases := []struct {
		header string
		kind   Kind // 0: any kind
		owner  bool
	}{
		{"userId", KindUserID, false}, {"User ID", KindUserID, false}, {"user_id", KindUserID, false},
		{"USERID", KindUserID, false}, {"uid", KindUserID, false}, {"Symphony User ID", KindUserID, false},
		{"id", KindUserID, false}, {"ID", KindUserID, false},
		{"email", KindEmail, false}, {"emailAddress", KindEmail, false}, {"E-mail", KindEmail, false},
		{"e_mail address", KindEmail, false}, {"mail", KindEmail, false}, {"UserPrincipalName", KindEmail, false},
		{"username", KindUsername, false}, {"User Name", KindUsername, false}, {"login", KindUsername, false},
		{"user", 0, false}, {"Members", 0, false},
		{"owner", 0, true}, {"isOwner", 0, true}, {"Is Owner?", 0, true}, {"room_owner", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			l, isHeader, _, err := findLayout("f.csv", []string{" " + tc.header + " ", "userId"}, nil, Options{})
			if tc.owner {
				if err != nil || !isHeader || l.owner.index != 0 || l.owner.name != tc.header {
					t.Errorf("owner column: %+v, header %v, err %v", l.owner, isHeader, err)
				}
				return
			}
			l, isHeader, _, err = findLayout("f.csv", []string{" " + tc.header + " ", "Owner"}, nil, Options{})
			if err != nil || !isHeader || len(l.user) != 1 || l.user[0].index != 0 || l.user[0].kind != tc.kind || l.owner.index != 1 {
				t.Errorf("layout %+v, header %v, err %v", l, isHeader, err)
			}
		})
	}
}

func TestUserColumnChoice(t *testing.T) {
	cases := []struct {
		header string // comma-separated
		column string // Options.Column
		want   string // the user column then fallbacks, "|"-separated; or "!" and part of the error
	}{
		{header: "User ID,Email,Username", want: "User ID|Email|Username"},
		{header: "Username,Email", want: "Email|Username"},
		{header: "ID,Email,Name", want: "Email"},     // a bare ID may be an employee number
		{header: "ID,Name", want: "ID"},              // but alone it is the user column
		{header: "Name,Member,Dept", want: "Member"}, // a generic user column
		{header: "Email,Username,Member", want: "Email|Username|Member"},
		{header: "Email,e_mail", want: `!"Email" and "e_mail"`},
		{header: "UserId,Owner,IsOwner", want: `!several owner columns ("Owner" and "IsOwner")`},
		{header: "Name,Member ID,Email", column: "member id", want: "Member ID"},
		{header: "Name,Person,Email", column: "PERSON", want: "Person"},
		{header: "Name,Person,Email", column: "Persons", want: `!column "Persons" is not in the header (the first row has "Name", "Person", "Email")`},
		{header: "Person,person", column: "person", want: `!column "person" appears 2 times`},
		{header: "Name,Owner", column: "owner", want: "!holds the owner flag"},
		{header: "Person,Owner,Is Owner", column: "person", want: `!several owner columns ("Owner" and "Is Owner")`},
	}
	for _, tc := range cases {
		t.Run(tc.header+"/"+tc.column, func(t *testing.T) {
			l, _, _, err := findLayout("f.csv", strings.Split(tc.header, ","), nil, Options{Column: tc.column})
			if strings.HasPrefix(tc.want, "!") {
				if !errors.Is(err, ErrNoColumn) || !strings.Contains(err.Error(), tc.want[1:]) {
					t.Errorf("err %v, want ErrNoColumn saying %q", err, tc.want[1:])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range l.user {
				names = append(names, c.name)
			}
			if got := strings.Join(names, "|"); got != tc.want {
				t.Errorf("user columns %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHeaderlessLayouts(t *testing.T) {
	cases := []struct {
		first   string
		rest    []string
		header  bool
		warning bool
		errSays string
	}{
		{first: "71811853189212", rest: []string{"71811853189213"}},
		{first: "jdoe", rest: []string{"asmith"}}, // usernames: no header to guess
		{first: "Attendees", rest: []string{"71811853189213", "jane@bank.com"}, header: true, warning: true},
		{first: "Attendees", rest: nil},                                // nothing below to judge by
		{first: "Attendees", rest: []string{"71811853189213", "jdoe"}}, // a username below: Attendees may be one too
		{first: "#N/A", rest: []string{"71811853189213"}},              // a broken cell, not a header
		{first: "71811853189212,yes", errSays: "add a header row"},
	}
	for _, tc := range cases {
		t.Run(tc.first, func(t *testing.T) {
			var rest [][]string
			for _, r := range tc.rest {
				rest = append(rest, []string{r})
			}
			l, isHeader, warning, err := findLayout("f.csv", strings.Split(tc.first, ","), rest, Options{})
			if tc.errSays != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errSays) {
					t.Errorf("err %v, want one saying %q", err, tc.errSays)
				}
				return
			}
			if err != nil || isHeader != tc.header || (warning != "") != tc.warning || l.width != 1 || l.user[0].index != 0 {
				t.Errorf("layout %+v, header %v, warning %q, err %v", l, isHeader, warning, err)
			}
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	cases := []struct {
		name string
		rows []string
		want int
	}{
		{"comma", []string{"userId,owner", "1,yes"}, ','},
		{"semicolon beats commas in names", []string{"userId;name", "1;Doe, Jane", "2;Roe, Richard"}, ';'},
		{"comma beats semicolons in quotes", []string{"userId,note", `1,"a;b"`}, ','},
		{"tab", []string{"userId\tname", "1\tJane"}, '\t'},
		{"pipe", []string{"userId|owner", "1|y"}, '|'},
		{"most consistent wins", []string{"a,b;c", "1,2;3;4", "5,6;7;8"}, ','},
		{"delimiter only inside quotes", []string{`"a,b"`, `"c,d"`}, -1},
		{"single column", []string{"userId", "1,234"}, -1},
		{"thousands separators, not columns", []string{"71,811,853,189,212", "1,234"}, -1},
		{"decimal commas, not columns", []string{"71811853189212,00", "71811853189213,00"}, -1},
		{"lost digits are still one column", []string{"7,18112E+13", "71811853189212,0"}, -1},
		{"one real pair of columns", []string{"71811853189212,x"}, ','},
		{"an ID and an owner flag", []string{"71811853189212,1", "71811853189213,0"}, ','},
		{"nothing", nil, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var rows [][]byte
			for _, r := range tc.rows {
				rows = append(rows, []byte(r))
			}
			if got := detectDelimiter(rows); got != tc.want {
				t.Errorf("got %q, want %q", rune(got), rune(tc.want))
			}
		})
	}
}

func TestSepDirective(t *testing.T) {
	for in, want := range map[string]int{"sep=;": ';', "SEP=,": ',', "sep=\t": '\t', " sep=| ": '|', "sep=": 0, "sep=\"": 0, "sep=;;": 0, "userId": 0} {
		got, ok := sepDirective([]byte(in))
		if ok != (want != 0) || got != want {
			t.Errorf("sepDirective(%q) = %q, %v", in, rune(got), ok)
		}
	}
}

func TestFormatString(t *testing.T) {
	f := Format{Encoding: EncodingUTF16LE, Delimiter: '\t', HeaderLine: 1, UserColumn: "User ID", Fallbacks: []string{"Email", "Login"}, OwnerColumn: "Owner"}
	want := `UTF-16 LE, tab-delimited, header on line 1, user column "User ID" (or "Email", then "Login" when it is empty), owner column "Owner"`
	if got := f.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := fmt.Sprint(Format{Encoding: EncodingUTF8}); got != "UTF-8, one column, no header row" {
		t.Errorf("got %s", got)
	}
}
