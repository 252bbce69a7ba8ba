package csvsource

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// What a user cell may hold, by kind:
//
//   - user ID: a positive 64-bit integer, possibly damaged by Excel (see excel.go);
//   - email: one '@', a local part of letters, digits and the usual symbols, and a
//     domain of at least two dot-separated labels; lower-cased, as Symphony
//     compares emails without case;
//   - username: 1 to 128 characters among ASCII letters, digits and . _ - @,
//     kept as written. In a column not named as a username column, a value must
//     also hold a letter (digits alone are a user ID) and no '@' (a value with
//     '@' there is an email, and must be a valid one).

const maxUsernameLen = 128

// cellValue is a user cell read as one kind.
type cellValue struct {
	kind  Kind
	value string
	id    int64
}

// trimCell removes spaces, no-break spaces, zero-width spaces and stray
// byte-order marks, which copy-paste and concatenated exports leave around values.
func trimCell(s string) string {
	if s != "" && s[0] > ' ' && s[0] < 0x80 && s[len(s)-1] > ' ' && s[len(s)-1] < 0x80 {
		return s // the usual case: nothing to trim at either end
	}
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B'
	})
}

// readCell reads a trimmed, non-empty user cell. hint is the kind its column
// holds, or 0 when the column may hold any kind. It returns the value, a
// warning when Excel damage was undone, or an error saying what is wrong.
// The value may be cell itself, or (for an email with capitals, when scratch
// is not nil) a string in *scratch: valid until scratch is used again.
func readCell(cell string, hint Kind, column string, scratch *[]byte) (v cellValue, warning, problem string) {
	if e := excelError(cell); e != "" && len(e) == len(cell) {
		return v, "", fmt.Sprintf("%s is an Excel error value, not a user: fix the formula in that cell (or paste the column as values) and export again", show(cell))
	}
	switch hint {
	case KindUserID:
		if !looksNumeric(cell) {
			return v, "", fmt.Sprintf("%s is not a user ID (column %q holds user IDs: whole numbers such as 71811853189212); fix the value or remove the line", show(cell), column)
		}
		return readUserID(cell)
	case KindEmail:
		return readEmail(cell, scratch)
	case KindUsername:
		if why := usernameProblem(cell); why != "" {
			return v, "", fmt.Sprintf("%s is not a valid username: %s; fix the value or remove the line", show(cell), why)
		}
		return cellValue{kind: KindUsername, value: cell}, "", ""
	}
	switch {
	case looksNumeric(cell):
		return readUserID(cell)
	case strings.ContainsRune(cell, '@'):
		return readEmail(cell, scratch)
	case usernameProblem(cell) == "" && strings.IndexFunc(cell, isASCIILetter) >= 0:
		return cellValue{kind: KindUsername, value: cell}, "", ""
	}
	return v, "", fmt.Sprintf("%s is not a user ID, an email or a username (usernames use only letters, digits and . _ - @); fix the value or remove the line", show(cell))
}

func readUserID(cell string) (cellValue, string, string) {
	res := parseUserID(cell)
	if res.err != "" {
		return cellValue{}, "", res.err
	}
	v := cellValue{kind: KindUserID, id: res.id, value: cell}
	if len(res.fixes) == 0 {
		return v, "", "" // cell is already the ID in decimal: no new string
	}
	v.value = strconv.FormatInt(res.id, 10)
	warning := fmt.Sprintf("%s read as user ID %d after removing %s; %s to avoid this", show(cell), res.id, joinFixes(res.fixes), fixText)
	return v, warning, ""
}

// readEmail accepts an address as written, or as Outlook copies it
// ("Jane Doe <jane.doe@bank.com>", "mailto:..."), with a warning for the latter.
func readEmail(cell string, scratch *[]byte) (cellValue, string, string) {
	addr, warning := cell, ""
	if i := strings.LastIndexByte(addr, '<'); i >= 0 && strings.HasSuffix(addr, ">") {
		addr = trimCell(addr[i+1 : len(addr)-1])
		warning = fmt.Sprintf("%s read as the email %s inside <...>", show(cell), addr)
	}
	if len(addr) > 7 && strings.EqualFold(addr[:7], "mailto:") {
		addr = addr[7:]
		warning = fmt.Sprintf("%s read as the email %s without mailto:", show(cell), addr)
	}
	if why := emailProblem(addr); why != "" {
		return cellValue{}, "", fmt.Sprintf("%s is not a valid email address: %s; fix the address or remove the line", show(cell), why)
	}
	return cellValue{kind: KindEmail, value: lowerASCII(addr, scratch)}, warning, ""
}

// lowerASCII lower-cases s, which holds only ASCII (a valid email does): s
// itself when it has no capital, else a copy in *scratch, or a new string
// when scratch is nil.
func lowerASCII(s string, scratch *[]byte) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	if scratch == nil {
		return strings.ToLower(s)
	}
	b := append((*scratch)[:0], s...)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	*scratch = b
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// emailProblem says what is wrong with an address, or returns "". The check is
// deliberately basic: the pod has the last word on who exists.
func emailProblem(s string) string {
	if plainEmail(s) {
		return ""
	}
	return emailRules(s)
}

// emailRules checks s against every rule, to say which one it breaks.
func emailRules(s string) string {
	at := strings.IndexByte(s, '@')
	switch {
	case at < 0:
		return "it has no @"
	case strings.Count(s, "@") > 1:
		return "it has more than one @"
	case len(s) > 254:
		return "it is longer than 254 characters"
	}
	local, domain := s[:at], s[at+1:]
	if local == "" || len(local) > 64 {
		return "the part before @ must have 1 to 64 characters"
	}
	for _, r := range local {
		if !isASCIILetter(r) && !(r >= '0' && r <= '9') && !strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", r) {
			return fmt.Sprintf("the part before @ holds %q", r)
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "the part before @ has a misplaced dot"
	}
	if !strings.Contains(domain, ".") {
		return "the domain after @ has no dot (expected name@bank.com)"
	}
	last := ""
	for l := range strings.SplitSeq(domain, ".") {
		last = l
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return fmt.Sprintf("the domain %q is malformed", domain)
		}
		for _, r := range l {
			if !isASCIILetter(r) && !(r >= '0' && r <= '9') && r != '-' {
				return fmt.Sprintf("the domain holds %q", r)
			}
		}
	}
	if allDigits(last) {
		return fmt.Sprintf("the domain %q ends in a number", domain)
	}
	return ""
}

// plainEmail is the rule above in one pass over the bytes, for the usual
// address (letters, digits, . _ - + in the local part): true when s passes
// it; false sends s through emailProblem's checks, which say what is wrong
// (or pass it: the less usual symbols of a local part are left to them).
func plainEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at, dots, label := -1, 0, 0 // label: the length of the domain's current label
	prev := byte('.')           // a local part may not start with a dot
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		switch {
		case at < 0 && c == '@':
			if i == 0 || i > 64 || prev == '.' {
				return false
			}
			at = i
		case at < 0:
			if !letter && c != '_' && c != '-' && c != '+' && (c != '.' || prev == '.') {
				return false
			}
		case c == '.':
			if label == 0 || prev == '-' {
				return false
			}
			dots++
			label = 0
		case letter || c == '-':
			if c == '-' && label == 0 {
				return false
			}
			if label++; label > 63 {
				return false
			}
		default:
			return false
		}
		prev = c
	}
	if at < 0 || dots == 0 || label == 0 || prev == '-' {
		return false
	}
	// The last label must not be all digits.
	for i := len(s) - label; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return true
		}
	}
	return false
}

// usernameProblem says why s is not a username under the rule above, or "".
func usernameProblem(s string) string {
	if n := utf8.RuneCountInString(s); n > maxUsernameLen {
		return fmt.Sprintf("it is longer than %d characters", maxUsernameLen)
	}
	for _, r := range s {
		if !isASCIILetter(r) && !(r >= '0' && r <= '9') && !strings.ContainsRune("._-@", r) {
			return fmt.Sprintf("usernames use only letters, digits and . _ - @, not %q", r)
		}
	}
	return ""
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// readOwner reads an owner cell: true yes y 1 x mean owner; false no n 0 and
// an empty cell mean not. Anything else is refused rather than guessed, since
// making someone an owner by mistake is worse than asking.
func readOwner(cell string, column string) (owner bool, problem string) {
	switch strings.ToLower(trimCell(cell)) {
	case "true", "yes", "y", "1", "x":
		return true, ""
	case "false", "no", "n", "0", "":
		return false, ""
	}
	return false, fmt.Sprintf("owner cell %s (column %q) must be yes or no: true, yes, y, 1 or x for an owner; false, no, n, 0 or empty otherwise", show(cell), column)
}

// show quotes a value for a message, cut short when long, with control and
// invalid bytes escaped so a message is always one readable line.
func show(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) > limit {
		cut := 0
		for i := range s {
			if cut == limit {
				s = s[:i]
				break
			}
			cut++
		}
		return strconv.Quote(s) + "..."
	}
	return strconv.Quote(s)
}

func joinFixes(fixes []string) string {
	switch len(fixes) {
	case 1:
		return fixes[0]
	case 2:
		return fixes[0] + " and " + fixes[1]
	}
	return strings.Join(fixes[:len(fixes)-1], ", ") + " and " + fixes[len(fixes)-1]
}
