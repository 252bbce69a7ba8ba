package csvsource

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// group writes digits in groups of three from the right, as Excel does.
func group(digits, sep string) string {
	var parts []string
	for len(digits) > 3 {
		parts = append([]string{digits[len(digits)-3:]}, parts...)
		digits = digits[:len(digits)-3]
	}
	return strings.Join(append([]string{digits}, parts...), sep)
}

// Every form Excel gives an ID reads back as exactly that ID, for IDs of every
// length; and every shortened scientific form is refused, never rounded.
func TestExcelFormsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		id := rng.Int64N(1<<62) >> rng.IntN(60)
		if id == 0 {
			continue
		}
		d := strconv.FormatInt(id, 10)
		forms := []string{
			d, "'" + d, `="` + d + `"`, d + ".0", d + ",00",
			group(d, " "), group(d, "\u00a0"), group(d, "'"), group(d, " ") + ",0", group(d, "'") + ".0",
			group(d, ",") + ".00", group(d, ".") + ",00",
		}
		// "123.000", "1,234" and "123.456" are ambiguous, and refused (see
		// TestParseUserID): a separator must occur twice, or with decimals.
		if len(d) > 3 {
			forms = append(forms, d+".000")
		}
		if len(d) > 6 || len(d) <= 3 {
			forms = append(forms, group(d, ","), group(d, "."))
		}
		if len(d) > 1 {
			forms = append(forms, d[:1]+"."+d[1:]+"E+"+strconv.Itoa(len(d)-1), d[:1]+","+d[1:]+"e"+strconv.Itoa(len(d)-1))
		}
		for _, f := range forms {
			if res := parseUserID(f); res.err != "" || res.id != id {
				t.Fatalf("%q read as %d (%s), want %d", f, res.id, res.err, id)
			}
		}
		if sig := strings.TrimRight(d, "0"); len(sig) > 2 {
			short := sig[:1] + "." + sig[1:len(sig)-1] + "E+" + strconv.Itoa(len(d)-1)
			if res := parseUserID(short); res.err == "" || !res.lost {
				t.Fatalf("%q (from %d) read as %d, want it refused", short, id, res.id)
			}
		}
	}
}
