package csvsource

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestLineScanner(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"a\nb\n", []string{"a", "b"}},
		{"a\nb", []string{"a", "b"}},
		{"a\r\nb\r\n", []string{"a", "b"}},
		{"a\rb\r", []string{"a", "b"}},
		{"a\r\rb", []string{"a", "", "b"}},
		{"a\n\r\nb\r", []string{"a", "", "b"}},
		{"\n", []string{""}},
		{"", nil},
		{"\r", []string{""}},
	}
	for _, tc := range cases {
		for _, oneByte := range []bool{false, true} {
			t.Run(fmt.Sprintf("%q/%v", tc.in, oneByte), func(t *testing.T) {
				var src io.Reader = strings.NewReader(tc.in)
				if oneByte {
					src = iotest.OneByteReader(src)
				}
				s := newLineScanner(src)
				var got []string
				for {
					l, err := s.next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					if l.num != len(got)+1 {
						t.Errorf("line %q numbered %d, want %d", l.text, l.num, len(got)+1)
					}
					got = append(got, string(l.text))
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) || len(got) != len(tc.want) {
					t.Errorf("got %q, want %q", got, tc.want)
				}
			})
		}
	}
}

// A line longer than maxLineBytes is one problem on its own line; the lines
// around it are read, and memory stays bounded.
func TestOverlongLine(t *testing.T) {
	for _, end := range []string{"\n", "\r\n", "\r"} {
		t.Run(fmt.Sprintf("%q", end), func(t *testing.T) {
			var b bytes.Buffer
			b.WriteString("userId" + end + id212 + end)
			b.Write(bytes.Repeat([]byte("9"), maxLineBytes+5))
			b.WriteString(end + id213 + end)
			r, err := NewReader(&b, "long.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, got, []string{"2 id " + id212, "4 id " + id213}, []int{3}, nil, nil,
				Summary{Entries: 2, IDs: 2, Problems: 1})
			if !strings.Contains(got.messages[0], "longer than 1 MiB") {
				t.Errorf("message: %s", got.messages[0])
			}
		})
	}
}

func TestRecordSplitting(t *testing.T) {
	cases := []struct {
		name  string
		delim int
		in    string
		want  []string // each record as line:cells joined by "|"
	}{
		{"plain", ',', "a,b\nc,d,\n", []string{"1:a|b", "2:c|d|"}},
		{"quoted delimiter", ',', `"a,b",c` + "\n", []string{"1:a,b|c"}},
		{"doubled quotes", ';', `"say ""hi""";x` + "\n", []string{`1:say "hi"|x`}},
		{"quote inside unquoted cell", ',', `ab"c,d` + "\n", []string{`1:ab"c|d`}},
		{"text after closing quote on one line", ',', `"ab"c,d` + "\n", []string{"1:abc|d"}},
		{"line break in quotes", ',', "\"a\nb\",c\nnext,1\n", []string{"1:a\nb|c", "3:next|1"}},
		{"CRLF in quotes becomes LF", ',', "\"a\r\nb\",c\r\n", []string{"1:a\nb|c"}},
		{"blank and comment lines", ',', "\n# x,\"y\n  \na\n", []string{"4:a"}},
		{"single column keeps commas", -1, "1,234\n", []string{"1:1,234"}},
		{"tab", '\t', "a\tb\n", []string{"1:a|b"}},
		{"spaces before a quote", ',', `a, "b,c"` + "\n", []string{"1:a| b,c"}},
		{"empty quoted cell", ',', `"",x` + "\n", []string{"1:|x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs := &recordScanner{lines: newLineScanner(iotest.OneByteReader(strings.NewReader(tc.in))), delim: tc.delim}
			var got []string
			for {
				rec, err := rs.next()
				if err == io.EOF {
					break
				}
				if err != nil || rec.problem != "" {
					t.Fatalf("err %v, problem %q", err, rec.problem)
				}
				got = append(got, fmt.Sprintf("%d:%s", rec.line, strings.Join(rec.fields, "|")))
			}
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
