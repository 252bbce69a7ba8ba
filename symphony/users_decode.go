package symphony

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeUserList reads a GET /pod/v3/users reply into w as json.Unmarshal
// would, for the replies pods send: an object whose users are objects of
// plain strings and integers. Its strings are parts of one copy of the
// body, not one allocation each: a plan of 10M users reads 100,000 such
// replies. It returns false, w half-filled, on anything it leaves to
// encoding/json: a string with an escape, a key that differs from a field's
// name only by case, an "errors" list that is not empty, a value of another
// type than the field's, invalid JSON. FuzzDecodeUserList holds it to
// json.Unmarshal's result.
func decodeUserList(body []byte, w *wireUserList) bool {
	d := userListDecoder{s: string(body)}
	d.space()
	if !d.eat('{') {
		return false
	}
	seen := false
	ok := d.object(func(key string) bool {
		switch key {
		case "users":
			if seen { // the second list would be read into the first's users
				return false
			}
			seen = true
			return d.users(&w.Users)
		case "errors":
			if d.null() {
				w.Errors = nil
				return true
			}
			if !d.eat('[') || !d.eat(']') {
				return false
			}
			w.Errors = []wireLookupError{}
			return true
		}
		return d.other(key, "users", "errors")
	})
	d.space()
	return ok && d.i == len(d.s)
}

// userListDecoder reads s from i on.
type userListDecoder struct {
	s string
	i int
}

// maxSkipDepth bounds the nesting of the values the decoder skips; deeper
// ones are left to encoding/json.
const maxSkipDepth = 32

func (d *userListDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// eat consumes c, after spaces.
func (d *userListDecoder) eat(c byte) bool {
	d.space()
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// peek is the next byte after spaces (0 at the end).
func (d *userListDecoder) peek() byte {
	d.space()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// object reads the members of an object whose '{' is read, handing each
// key to member, which reads the value.
func (d *userListDecoder) object(member func(key string) bool) bool {
	if d.eat('}') {
		return true
	}
	for {
		if d.peek() != '"' {
			return false
		}
		key, ok := d.str()
		if !ok || !d.eat(':') || !member(key) {
			return false
		}
		if d.eat('}') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

// array reads the elements of an array whose '[' is read, each by elem.
func (d *userListDecoder) array(elem func() bool) bool {
	if d.eat(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.eat(']') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

// other skips the value of a key that is no field, when encoding/json
// would skip it too: not when the key matches a field's name but for case.
func (d *userListDecoder) other(key string, fields ...string) bool {
	for _, f := range fields {
		if strings.EqualFold(key, f) {
			return false
		}
	}
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf { // Unicode folding: left to encoding/json
			return false
		}
	}
	return d.skip(0)
}

// str reads a string without escapes, in valid UTF-8 (what encoding/json
// keeps byte for byte).
func (d *userListDecoder) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	ascii := true
	for ; d.i < len(d.s); d.i++ {
		switch c := d.s[d.i]; {
		case c == '"':
			v := d.s[start:d.i]
			d.i++
			return v, ascii || utf8.ValidString(v)
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// null consumes a null.
func (d *userListDecoder) null() bool {
	d.space()
	if strings.HasPrefix(d.s[d.i:], "null") {
		d.i += len("null")
		return true
	}
	return false
}

// users reads the users array (null: none).
func (d *userListDecoder) users(into *[]wireUser) bool {
	if d.null() {
		*into = nil
		return true
	}
	if !d.eat('[') {
		return false
	}
	us := []wireUser{}
	if d.peek() != ']' {
		us = make([]wireUser, 0, MaxUsersPerCall)
	}
	if !d.array(func() bool {
		if !d.eat('{') {
			return false
		}
		var u wireUser
		roles := false
		if !d.object(func(key string) bool {
			if key == "roles" {
				if roles { // the second list would be read into the first's
					return false
				}
				roles = true
			}
			return d.userField(&u, key)
		}) {
			return false
		}
		us = append(us, u)
		return true
	}) {
		return false
	}
	*into = us
	return true
}

// userField reads the value of one key of a user.
func (d *userListDecoder) userField(u *wireUser, key string) bool {
	var to *string
	switch key {
	case "id":
		return d.int(&u.ID)
	case "emailAddress":
		to = &u.Email
	case "username":
		to = &u.Username
	case "displayName":
		to = &u.DisplayName
	case "company":
		to = &u.Company
	case "accountType":
		to = &u.AccountType
	case "roles":
		return d.strings(&u.Roles)
	case "firstName", "lastName": // the UserV2 fields roster does not read
		return d.skip(0)
	default:
		return d.other(key, "id", "emailAddress", "username", "displayName", "company", "accountType", "roles")
	}
	if d.null() {
		return true
	}
	v, ok := d.str()
	*to = v
	return ok
}

// int reads an integer without fraction or exponent that fits an int64
// (null: unchanged).
func (d *userListDecoder) int(to *int64) bool {
	if d.null() {
		return true
	}
	start := d.i
	if d.i < len(d.s) && d.s[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
		d.i++
	}
	n := d.i - digits
	if n == 0 || (n > 1 && d.s[digits] == '0') {
		return false
	}
	if d.i < len(d.s) && (d.s[d.i] == '.' || d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		return false
	}
	v, err := strconv.ParseInt(d.s[start:d.i], 10, 64)
	*to = v
	return err == nil
}

// strings reads an array of strings (null: nil).
func (d *userListDecoder) strings(to *[]string) bool {
	if d.null() {
		*to = nil
		return true
	}
	if !d.eat('[') {
		return false
	}
	vs := []string{}
	if !d.array(func() bool {
		v, ok := d.str()
		if ok {
			vs = append(vs, v)
		}
		return ok
	}) {
		return false
	}
	*to = vs
	return true
}

// skip reads any JSON value (strings without escapes only).
func (d *userListDecoder) skip(depth int) bool {
	if depth > maxSkipDepth {
		return false
	}
	switch c := d.peek(); {
	case c == '"':
		return d.skipStr()
	case c == '{':
		d.i++
		return d.object(func(key string) bool { return d.skip(depth + 1) })
	case c == '[':
		d.i++
		return d.array(func() bool { return d.skip(depth + 1) })
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	for _, lit := range []string{"true", "false", "null"} {
		if strings.HasPrefix(d.s[d.i:], lit) {
			d.i += len(lit)
			return true
		}
	}
	return false
}

// skipStr reads any string, escapes included.
func (d *userListDecoder) skipStr() bool {
	d.i++ // the opening quote
	for d.i < len(d.s) {
		c := d.s[d.i]
		d.i++
		switch {
		case c == '"':
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if d.i >= len(d.s) {
				return false
			}
			e := d.s[d.i]
			d.i++
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if d.i+4 > len(d.s) {
					return false
				}
				if _, err := strconv.ParseUint(d.s[d.i:d.i+4], 16, 16); err != nil {
					return false
				}
				d.i += 4
			default:
				return false
			}
		}
	}
	return false
}

// number reads a JSON number.
func (d *userListDecoder) number() bool {
	digits := func() int {
		n := 0
		for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.s[d.i] == '-' {
		d.i++
	}
	start := d.i
	if n := digits(); n == 0 || (n > 1 && d.s[start] == '0') {
		return false
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return false
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}
