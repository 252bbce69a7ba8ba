package csvsource

import (
	"strings"
	"testing"
)

func TestParseUserID(t *testing.T) {
	cases := []struct {
		in      string
		id      int64  // 0: refused
		fixes   string // what the warning names ("" for none)
		errSays string // part of the refusal
	}{
		{"71811853189212", 71811853189212, "", ""},
		{"'71811853189212", 71811853189212, "the leading apostrophe", ""},
		{`="71811853189212"`, 71811853189212, `the ="..." around it`, ""},
		{"71,811,853,189,212", 71811853189212, "the thousands separators", ""},
		{"71 811 853 189 212", 71811853189212, "the thousands separators", ""},
		{"71\u202f811\u202f853\u202f189\u202f212", 71811853189212, "the thousands separators", ""},
		{"71.811.853.189.212", 71811853189212, "the thousands separators", ""},
		{"71'811'853'189'212", 71811853189212, "the thousands separators", ""},
		{"71811853189212.0", 71811853189212, "the trailing .0", ""},
		{"71811853189212,00", 71811853189212, "the trailing ,00", ""},
		{"71.811.853.189.212,00", 71811853189212, "the trailing ,00 and the thousands separators", ""},
		{"71,811,853,189,212.000", 71811853189212, "the trailing .000 and the thousands separators", ""},
		{"12345.000", 12345, "the trailing .000", ""},
		{"7.1811853189212E+13", 71811853189212, "the scientific notation (every digit was present)", ""},
		{"7,1811853189212E+13", 71811853189212, "the scientific notation (every digit was present)", ""},
		{"7.18118531892120E+13", 71811853189212, "the scientific notation (every digit was present)", ""},
		{"71811853189212E0", 71811853189212, "the scientific notation (every digit was present)", ""},
		{"+71811853189212", 71811853189212, "the + sign", ""},
		{"0071811853189212", 71811853189212, "leading zeros", ""},
		{"9223372036854775807", 9223372036854775807, "", ""},
		{"7.18112E+13", 0, "", "has lost digits (Excel kept only 6 significant digits)"},
		{"7.18112e13", 0, "", "has lost digits"},
		{"1E+13", 0, "", "has lost digits"},
		{"7.1811853189212E+12", 0, "", "not a whole number"},
		{"1.5E-3", 0, "", "not a whole number"},
		{"7.18E+", 0, "", "malformed"},
		{"7.1.8E+13", 0, "", "malformed"},
		{"1.234", 0, "", "ambiguous: it may be 1234"},
		{"1,234", 0, "", "ambiguous"},
		{"71811853189212.5", 0, "", "not a whole number"},
		{"1,234,567,8", 0, "", "not the thousands groups"},
		{"1,23,456", 0, "", "not the thousands groups"},
		{"1,234.567.890", 0, "", "not the thousands groups"},
		{"1.234.567.000,5", 0, "", "not a whole number"},
		{"1.234.567.0", 0, "", "not the thousands groups"},
		{"1234,567,890", 0, "", "not the thousands groups"},
		{"1..234", 0, "", "broken up by separators"},
		{"1,", 0, "", "broken up by separators"},
		{"12-34", 0, "", "broken up by separators"},
		{"-71811853189212", 0, "", "is negative"},
		{"0", 0, "", "positive whole numbers"},
		{"0.0", 0, "", "positive whole numbers"},
		{"9223372036854775808", 0, "", "too large for a user ID"},
		{"99999999999999999999", 0, "", "too large"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if !looksNumeric(tc.in) {
				t.Fatalf("looksNumeric(%q) = false", tc.in)
			}
			res := parseUserID(tc.in)
			if tc.id == 0 {
				if res.err == "" || !strings.Contains(res.err, tc.errSays) {
					t.Errorf("err %q, want one saying %q (id %d)", res.err, tc.errSays, res.id)
				}
				return
			}
			if res.err != "" || res.id != tc.id || joinFixesOrEmpty(res.fixes) != tc.fixes {
				t.Errorf("got %d, fixes %q, err %q; want %d, fixes %q", res.id, res.fixes, res.err, tc.id, tc.fixes)
			}
		})
	}
}

func joinFixesOrEmpty(f []string) string {
	if len(f) == 0 {
		return ""
	}
	return joinFixes(f)
}

func TestLooksNumeric(t *testing.T) {
	for in, want := range map[string]bool{
		"123": true, "'123": true, `="123"`: true, "-1": true, "1e5": true, "1 234": true,
		"": false, "abc": false, "12abc": false, "e5": false, "1e5e5": false, "jane@bank.com": false, "-": false, "'": false,
	} {
		if got := looksNumeric(in); got != want {
			t.Errorf("looksNumeric(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestReadCell(t *testing.T) {
	cases := []struct {
		cell, want string // want: "kind value", or "!" and part of the problem
		hint       Kind
		warns      bool
	}{
		{cell: "71811853189212", want: "id 71811853189212"},
		{cell: "Jane.Doe@Bank.COM", want: "email jane.doe@bank.com"},
		{cell: "jane.doe", want: "username jane.doe"},
		{cell: "j_doe-2", want: "username j_doe-2"},
		{cell: "Jane Doe <Jane@Bank.com>", want: "email jane@bank.com", warns: true},
		{cell: "MAILTO:jane@bank.com", want: "email jane@bank.com", warns: true},
		{cell: "jane doe", want: "!not a user ID, an email or a username"},
		{cell: "___", want: "!not a user ID, an email or a username"},
		{cell: "jane@bank", want: "!the domain after @ has no dot"},
		{cell: "jane@-bank.com", want: `!the domain "-bank.com" is malformed`},
		{cell: "jane@bank.123", want: "!ends in a number"},
		{cell: ".jane@bank.com", want: "!misplaced dot"},
		{cell: "ja ne@bank.com", want: `!holds ' '`},
		{cell: "jane@bänk.com", want: `!the domain holds 'ä'`},
		{cell: "@bank.com", want: "!1 to 64 characters"},
		{cell: "71811853189212", hint: KindUsername, want: "username 71811853189212"},
		{cell: "jane@bank", hint: KindUsername, want: "username jane@bank"},
		{cell: "jane doe", hint: KindUsername, want: "!not a valid username"},
		{cell: strings.Repeat("a", 129), hint: KindUsername, want: "!longer than 128"},
		{cell: "jdoe", hint: KindUserID, want: `!not a user ID (column "col" holds user IDs`},
		{cell: "jane@bank.com", hint: KindUserID, want: "!not a user ID"},
		{cell: "71811853189212", hint: KindEmail, want: "!it has no @"},
		{cell: "7.18112E+13", want: "!lost digits"},
		{cell: "\x00\x01", want: `!"\x00\x01" is not`},
	}
	for _, tc := range cases {
		t.Run(tc.cell, func(t *testing.T) {
			v, warning, problem := readCell(tc.cell, tc.hint, "col", nil)
			if strings.HasPrefix(tc.want, "!") {
				if !strings.Contains(problem, tc.want[1:]) {
					t.Errorf("problem %q, want one saying %q", problem, tc.want[1:])
				}
				return
			}
			if problem != "" || v.kind.String()+" "+v.value != tc.want || (warning != "") != tc.warns {
				t.Errorf("got %s %s (warning %q, problem %q), want %s (warning %v)", v.kind, v.value, warning, problem, tc.want, tc.warns)
			}
		})
	}
}

func TestReadOwner(t *testing.T) {
	for _, yes := range []string{"true", "TRUE", "Yes", "y", "1", "x", " X "} {
		if owner, p := readOwner(yes, "owner"); !owner || p != "" {
			t.Errorf("readOwner(%q) = %v, %q; want owner", yes, owner, p)
		}
	}
	for _, no := range []string{"false", "FALSE", "no", "N", "0", "", "  "} {
		if owner, p := readOwner(no, "owner"); owner || p != "" {
			t.Errorf("readOwner(%q) = %v, %q; want not owner", no, owner, p)
		}
	}
	for _, bad := range []string{"maybe", "2", "owner", "yes please", "1.0"} {
		if _, p := readOwner(bad, "owner"); !strings.Contains(p, "must be yes or no") {
			t.Errorf("readOwner(%q) problem %q", bad, p)
		}
	}
}

func TestShowCutsAndEscapes(t *testing.T) {
	if got := show(strings.Repeat("é", 50)); got != `"`+strings.Repeat("é", 40)+`"...` {
		t.Errorf("show cut: %s", got)
	}
	if got := show("a\nb\x00"); got != `"a\nb\x00"` {
		t.Errorf("show escapes: %s", got)
	}
}

// TestPlainEmailKeepsTheRules holds the one-pass check of the usual address
// to the full rules: everything it passes, they pass, and it passes the
// usual addresses (else it would save nothing).
func TestPlainEmailKeepsTheRules(t *testing.T) {
	cases := []string{
		"jane.doe@bank.com", "J.Doe+tag@Sub.Bank.CO.uk", "a@b.c", "x_y-z@a-b.example", "a@b.co1",
		"", "@bank.com", "jane@", "jane@bank", "jane@@bank.com", "jane@bank..com", "jane@.bank.com",
		"jane@bank.com.", ".jane@bank.com", "jane.@bank.com", "ja..ne@bank.com", "jane@-bank.com",
		"jane@bank-.com", "jane@bank.123", "jane doe@bank.com", "jane@bank_x.com", "jané@bank.com",
		"o'brien@bank.com", strings.Repeat("a", 64) + "@bank.com", strings.Repeat("a", 65) + "@bank.com",
		"a@" + strings.Repeat("b", 63) + ".com", "a@" + strings.Repeat("b", 64) + ".com",
		"a@" + strings.Repeat("b.", 126) + "com",
	}
	passed := 0
	for _, s := range cases {
		if !plainEmail(s) {
			continue
		}
		passed++
		if why := emailRules(s); why != "" {
			t.Errorf("plainEmail passes %q, which the rules refuse: %s", s, why)
		}
	}
	if passed < 5 {
		t.Errorf("plainEmail passed %d of the cases; the usual addresses should pass", passed)
	}
}

// FuzzPlainEmail: whatever the one-pass check passes, the rules pass.
func FuzzPlainEmail(f *testing.F) {
	for _, s := range []string{"jane.doe@bank.com", "a@b.c", "a-@b.c", "a@b-.c", "a@1.2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if plainEmail(s) && emailRules(s) != "" {
			t.Errorf("plainEmail passes %q, which the rules refuse: %s", s, emailRules(s))
		}
	})
}
