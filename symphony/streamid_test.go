package symphony

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestParseStreamIDForms(t *testing.T) {
	// The spec's own examples: a URL-safe ID from room info and standard,
	// padded ones from room search.
	cases := []struct{ in, want string }{
		{"bjHSiY4iz3ar4iIh6-VzCX___peoM7cPdA", "bjHSiY4iz3ar4iIh6-VzCX___peoM7cPdA"},
		{"tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA==", "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA"},
		{"tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA", "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA"},
		{"tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA==", "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA"},
		{"o6UkQ1TEmU0Tf/DHUlZrCH///qr+JQowdA==", "o6UkQ1TEmU0Tf_DHUlZrCH___qr-JQowdA"},
		{"  o6UkQ1TEmU0Tf_DHUlZrCH___qr-JQowdA\n", "o6UkQ1TEmU0Tf_DHUlZrCH___qr-JQowdA"},
		{"QUJD", "QUJD"},
		{"QUI=", "QUI"},
		{"QQ==", "QQ"},
	}
	for _, c := range cases {
		got, err := ParseStreamID(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseStreamID(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestParseStreamIDRejects(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{"abc!def", `'!' at position 4`},
		{"https://mypod.symphony.com/?streamId=abc", `':' at position 6`},
		{"abc def", `' ' at position 4`},
		{"ab+c_d", "mixes standard"},
		{"ab=cd", "padding may only end"},
		{"abcde===", "wrong padding"},
		{"abcdef=", "wrong padding"},
		{"abcde", "not complete base64"},
		{strings.Repeat("A", 300), "300 characters"},
		{"ab€cd", "'€'"},
	}
	for _, c := range cases {
		_, err := ParseStreamID(c.in)
		if err == nil {
			t.Errorf("ParseStreamID(%q) succeeded; want an error saying %q", c.in, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "stream ID") {
			t.Errorf("ParseStreamID(%q) error %q; want it to say %q", c.in, err, c.want)
		}
	}
}

func FuzzParseStreamID(f *testing.F) {
	for _, s := range []string{"bjHSiY4iz3ar4iIh6-VzCX___peoM7cPdA", "tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA==", "", "=", "a=b", "ab+_", "€"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseStreamID(s)
		if err != nil {
			if id != "" {
				t.Fatalf("error with a result %q", id)
			}
			return
		}
		// Whatever is accepted is URL-safe, unpadded, decodable and stable.
		if strings.ContainsAny(id, "+/= \t\n") {
			t.Fatalf("ParseStreamID(%q) = %q, not URL-safe unpadded", s, id)
		}
		if _, err := base64.RawURLEncoding.DecodeString(id); err != nil {
			t.Fatalf("ParseStreamID(%q) = %q, which does not decode: %v", s, id, err)
		}
		if again, err := ParseStreamID(id); err != nil || again != id {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, id, again, err)
		}
	})
}
