package symphony

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrNotStreamID is in the chain of every error of ParseStreamID: the value
// is not a stream ID at all, so no pod can know a room by it, and it was
// not sent to one. IsUnknownRoom counts a call refused for it; Advice says
// to copy the ID again rather than that the pod knows no such room.
var ErrNotStreamID = errors.New("not a stream ID")

// streamIDExample is shown in errors so that the reader sees both accepted forms.
const streamIDExample = `"tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA==" or "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA"`

// maxStreamIDLen bounds what is worth decoding; real stream IDs are about 34 characters.
const maxStreamIDLen = 256

// ParseStreamID accepts a stream ID in standard or URL-safe base64, padded or
// not, and returns it URL-safe without padding.
//
// The Symphony client shows stream IDs in standard base64 while URL paths
// need the URL-safe form, so both arrive from users; mixing the two
// alphabets in one ID cannot come from either and is refused.
func ParseStreamID(s string) (string, error) {
	id := strings.TrimSpace(s)
	if id == "" {
		return "", fmt.Errorf("%w: the stream ID is empty; expected base64 such as %s", ErrNotStreamID, streamIDExample)
	}
	if len(id) > maxStreamIDLen {
		return "", fmt.Errorf("%w: %s is %d characters long; a stream ID is base64 of about 34 characters such as %s",
			ErrNotStreamID, quoteShort(id), len(id), streamIDExample)
	}
	var standard, urlSafe bool
	padding := 0
	for i, r := range id {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r == '+' || r == '/':
			standard = true
		case r == '-' || r == '_':
			urlSafe = true
		case r == '=':
			padding++
			continue
		default:
			return "", fmt.Errorf("%w: %s contains %q at position %d, a character a stream ID never has; "+
				"a stream ID is base64 (letters, digits, and + / or - _) such as %s", ErrNotStreamID, quoteShort(id), r, i+1, streamIDExample)
		}
		if padding > 0 {
			return "", fmt.Errorf("%w: %s has '=' before position %d; padding may only end a stream ID", ErrNotStreamID, quoteShort(id), i+1)
		}
	}
	if standard && urlSafe {
		return "", fmt.Errorf("%w: %s mixes standard (+ /) and URL-safe (- _) base64 characters, which no stream ID does; copy it again from Symphony",
			ErrNotStreamID, quoteShort(id))
	}
	body := strings.TrimRight(id, "=")
	if padding > 2 || (padding > 0 && len(id)%4 != 0) {
		return "", fmt.Errorf("%w: %s has wrong padding; a stream ID is base64 such as %s", ErrNotStreamID, quoteShort(id), streamIDExample)
	}
	if standard {
		body = strings.Map(toURLSafe, body)
	}
	var buf [maxStreamIDLen]byte // decoded only to validate; no allocation
	if _, err := base64.RawURLEncoding.Decode(buf[:], []byte(body)); err != nil {
		return "", fmt.Errorf("%w: %s is not complete base64 (%d characters cannot encode whole bytes); a stream ID is base64 such as %s; "+
			"copy it again from Symphony", ErrNotStreamID, quoteShort(id), len(body), streamIDExample)
	}
	return body, nil
}

func toURLSafe(r rune) rune {
	switch r {
	case '+':
		return '-'
	case '/':
		return '_'
	}
	return r
}

// quoteShort quotes user input for an error message, cut to a readable length.
func quoteShort(s string) string {
	const limit = 60
	if len(s) > limit {
		return fmt.Sprintf("%q...", s[:limit])
	}
	return fmt.Sprintf("%q", s)
}
