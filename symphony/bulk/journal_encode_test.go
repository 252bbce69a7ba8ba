package bulk

import (
	"encoding/json"
	"testing"
	"time"
)

// TestAppendCallRecord: the start and result records written by hand are
// byte for byte what json.Marshal writes of the same record, for every
// field set or empty and strings that json.Marshal escapes.
func TestAppendCallRecord(t *testing.T) {
	strs := []string{"", "71811853189212", "User.Name@Example.COM", "José Müller", `a "quoted" \ name`,
		"<b>&amp;</b>", "a<b", "a>b", "a&b", "a\"b", `a\b`, "a\x7fb", "a\x1fb", "a\x80b", "tab\there\nnewline\r\x00\x1f\b\f", "\u2028\u2029", "\xff\xfe bad UTF-8 \xc3", "~ ! # $ % ' ( ) * + , - . / : ; = ? @ [ ] ^ _ ` { | }"}
	times := []time.Time{time.Date(2026, 12, 5, 6, 30, 0, 0, time.UTC), time.Date(2026, 12, 5, 6, 30, 0, 123456789, time.UTC),
		time.Date(2026, 12, 5, 6, 30, 0, 120000000, time.UTC), {}}
	n := 0
	for i, s := range strs {
		for k, typ := range []string{recStart, recResult} {
			r := record{Type: typ, Time: times[(i+k)%len(times)], Line: i * k, Input: s, Kind: strs[(i+1)%len(strs)],
				UserID: int64(i-3) * 71811853189212, Name: strs[(i+2)%len(strs)], Action: Action((i + k) % 4), Owner: i%2 == 0,
				Outcome: Outcome(i % int(outcomeCount)), Promoted: i%3 == 0, Status: (i % 3) * 200, Message: strs[(i+4)%len(strs)],
				Attempts: i % 3, Unsettled: Action(i % 4), Settled: k == 1}
			want, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendCallRecord(nil, &r); string(got) != string(want) {
				t.Errorf("record %d:\n got %s\nwant %s", i, got, want)
			}
			n++
		}
	}
	if n != 2*len(strs) || len(strs) < int(outcomeCount) {
		t.Fatalf("%d records compared, not every outcome among them", n)
	}
}

// FuzzAppendCallRecord holds the hand-written record to json.Marshal's
// bytes for any strings and numbers.
//
//	go test ./symphony/bulk -run '^$' -fuzz FuzzAppendCallRecord -fuzztime 30s
func FuzzAppendCallRecord(f *testing.F) {
	f.Add("71811853189212", "José <x>", "Member added", int64(71811853189212), 2, 200, 1, int64(123456789))
	f.Add("", "", "", int64(0), 0, 0, 0, int64(0))
	f.Add("\xff\"\\", "\u2028", "\x00\n", int64(-1), -5, 429, 40, int64(999999999))
	f.Fuzz(func(t *testing.T, input, name, message string, id int64, line, status, attempts int, nanos int64) {
		r := record{Type: recResult, Time: time.Unix(1_790_000_000, nanos%1e9).UTC(), Line: line, Input: input, Kind: "email",
			UserID: id, Name: name, Action: ActionAdd, Owner: line%2 == 0, Outcome: Outcome(uint(line) % uint(outcomeCount)), Status: status, Message: message,
			Attempts: attempts, Unsettled: Action(uint(attempts) % 4), Settled: status%2 == 1}
		want, err := json.Marshal(r)
		if err != nil {
			t.Skip()
		}
		if got := appendCallRecord(nil, &r); string(got) != string(want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}
