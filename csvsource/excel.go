package csvsource

import (
	"fmt"
	"strconv"
	"strings"
)

// Excel damages long numbers in known ways. Each is undone only when the
// original can be recovered exactly, and then with a warning that says what
// was changed; when it cannot (scientific notation that dropped digits, an
// ambiguous "1.234"), the row is refused with the fix.

const fixText = "format the column as Text in Excel before exporting"

// numberResult is what parseUserID found.
type numberResult struct {
	id    int64
	fixes []string // what was undone, for the warning
	err   string   // why the cell is not a user ID
	lost  bool     // a number Excel damaged beyond recovery (lost digits, ambiguous grouping)
}

// looksNumeric reports whether a cell is an attempt at a number: a digit (or
// a sign and a digit) first, then only digits, separators and one exponent.
// Such a cell is read as a user ID, and its errors are user ID errors.
func looksNumeric(s string) bool {
	s = stripExcelText(s)
	if s == "" {
		return false
	}
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i = 1
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return false
	}
	exponent := false
	for _, r := range s[i:] {
		switch {
		case r >= '0' && r <= '9', isGroupSeparator(r), r == '+' || r == '-':
		case r == 'e' || r == 'E':
			if exponent {
				return false
			}
			exponent = true
		default:
			return false
		}
	}
	return true
}

// isGroupSeparator: the characters Excel's locales put between digit groups
// (or before decimals): comma, dot, space, no-break spaces, Swiss apostrophe.
func isGroupSeparator(r rune) bool {
	return r == ',' || r == '.' || r == ' ' || r == '\u00A0' || r == '\u202F' || r == '\''
}

// stripExcelText removes the two ways of forcing Excel to keep a number as
// text: a leading apostrophe and a ="..." formula.
func stripExcelText(s string) string {
	if len(s) >= 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.TrimSpace(s[2 : len(s)-1])
	}
	if strings.HasPrefix(s, "'") {
		s = strings.TrimSpace(s[1:])
	}
	return s
}

// parseUserID reads a cell that looksNumeric as a Symphony user ID: a
// positive 64-bit integer.
func parseUserID(cell string) numberResult {
	var res numberResult
	s := cell
	if len(s) >= 3 && strings.HasPrefix(s, `="`) && strings.HasSuffix(s, `"`) {
		s = strings.TrimSpace(s[2 : len(s)-1])
		res.fixes = append(res.fixes, `the ="..." around it`)
	}
	if strings.HasPrefix(s, "'") {
		s = strings.TrimSpace(s[1:])
		res.fixes = append(res.fixes, "the leading apostrophe")
	}
	if strings.HasPrefix(s, "-") {
		res.err = fmt.Sprintf("%s is negative; a user ID is a positive whole number such as 71811853189212", show(cell))
		return res
	}
	if strings.HasPrefix(s, "+") {
		s = s[1:]
		res.fixes = append(res.fixes, "the + sign")
	}
	var digits string
	if allDigits(s) {
		digits = s // the usual case, and the fast one
	} else if i := strings.IndexAny(s, "eE"); i >= 0 {
		digits = res.scientific(cell, s[:i], s[i+1:])
	} else {
		digits = res.grouped(cell, s)
	}
	if res.err != "" {
		return res
	}
	trimmed := strings.TrimLeft(digits, "0")
	if trimmed == "" {
		res.err = fmt.Sprintf("%s is not a user ID: user IDs are positive whole numbers such as 71811853189212", show(cell))
		return res
	}
	if len(trimmed) != len(digits) {
		res.fixes = append(res.fixes, "leading zeros")
	}
	id, err := strconv.ParseInt(trimmed, 10, 64)
	if err != nil {
		res.err = fmt.Sprintf("%s is too large for a user ID (at most %d); check the value", show(cell), int64(1<<63-1))
		return res
	}
	res.id = id
	return res
}

// grouped reads digits with thousands separators and a decimal part
// ("1,234,567", "1 234 567", "1.234.567,00", "71811853189212.0") and returns
// the integer's digits. A decimal part must be all zeros.
func (res *numberResult) grouped(cell, s string) string {
	groups, seps, ok := splitDigitGroups(s)
	if !ok {
		res.err = fmt.Sprintf("%s is not a user ID: its digits are broken up by separators in an unusual way; %s", show(cell), fixText)
		return ""
	}
	if len(seps) == 0 {
		return groups[0]
	}
	last, lastGroup := seps[len(seps)-1], groups[len(groups)-1]
	others := seps[:len(seps)-1]
	decimal := false
	switch {
	case last != ',' && last != '.': // spaces and apostrophes only ever group
	case len(lastGroup) != 3: // "1234,00", "1,234,567.0"
		decimal = true
	case len(others) > 0:
		decimal = others[0] != last // "1,234.000" vs "1,234,567"
	case len(groups[0]) > 3: // "12345.000": a group is at most 3 digits
		decimal = true
	default:
		res.lost = true
		res.err = fmt.Sprintf("%s is ambiguous: it may be %s%s or a number with decimals; %s", show(cell), groups[0], lastGroup, fixText)
		return ""
	}
	if decimal {
		groups, seps = groups[:len(groups)-1], others
	}
	if len(seps) > 0 {
		// One separator between groups of three, after a first group of one
		// to three digits; and not the same character as the decimal mark.
		ok := !decimal || seps[0] != last
		for i, g := range groups {
			if i == 0 {
				ok = ok && len(g) <= 3
			} else {
				ok = ok && len(g) == 3 && seps[i-1] == seps[0]
			}
		}
		if !ok {
			res.err = fmt.Sprintf("%s is not a user ID: its digit groups are not the thousands groups Excel writes; %s", show(cell), fixText)
			return ""
		}
	}
	if decimal {
		if strings.Trim(lastGroup, "0") != "" {
			res.err = fmt.Sprintf("%s is not a whole number, so it cannot be a user ID; check the value and %s", show(cell), fixText)
			return ""
		}
		res.fixes = append(res.fixes, "the trailing "+string(last)+lastGroup)
	}
	if len(seps) == 0 {
		return groups[0]
	}
	res.fixes = append(res.fixes, "the thousands separators")
	return strings.Join(groups, "")
}

// splitDigitGroups splits "1,234.5" into ["1" "234" "5"] and [',' '.']. It
// fails on a separator at either end or two in a row.
func splitDigitGroups(s string) (groups []string, seps []rune, ok bool) {
	from := 0
	for i, r := range s {
		if r >= '0' && r <= '9' {
			continue
		}
		if !isGroupSeparator(r) || i == from {
			return nil, nil, false
		}
		groups = append(groups, s[from:i])
		seps = append(seps, r)
		from = i + len(string(r))
	}
	if from >= len(s) {
		return nil, nil, false
	}
	return append(groups, s[from:]), seps, true
}

// scientific reads "7.1811853189212E+13". It is exact only when the mantissa
// holds every digit of the integer; "7.18112E+13" has lost eight of them and
// no one can say which, so it is refused.
func (res *numberResult) scientific(cell, mantissa, exponent string) string {
	bad := func() string {
		res.err = fmt.Sprintf("%s is not a user ID: it looks like scientific notation but is malformed; %s", show(cell), fixText)
		return ""
	}
	exp, err := strconv.Atoi(strings.TrimPrefix(exponent, "+"))
	if err != nil || exp > 40 || exp < -40 {
		return bad()
	}
	intPart, frac := mantissa, ""
	if i := strings.IndexAny(mantissa, ".,"); i >= 0 {
		intPart, frac = mantissa[:i], mantissa[i+1:]
	}
	if !allDigits(intPart) || !allDigits(frac) || intPart == "" {
		return bad()
	}
	digits, scale := intPart+frac, exp-len(frac)
	switch {
	case scale > 0:
		res.lost = true
		significant := len(strings.TrimRight(strings.TrimLeft(digits, "0"), "0"))
		res.err = fmt.Sprintf("%s is in scientific notation and has lost digits (Excel kept only %d significant digits), so the real user ID cannot be recovered; %s, or export the IDs again", show(cell), significant, fixText)
		return ""
	case scale < 0:
		cut := len(digits) + scale
		if cut < 0 || strings.Trim(digits[max(cut, 0):], "0") != "" {
			res.err = fmt.Sprintf("%s is not a whole number, so it cannot be a user ID; check the value and %s", show(cell), fixText)
			return ""
		}
		digits = digits[:cut]
	}
	if digits == "" {
		return bad()
	}
	res.fixes = append(res.fixes, "the scientific notation (every digit was present)")
	return digits
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
