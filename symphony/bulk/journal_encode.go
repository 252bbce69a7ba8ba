package bulk

import (
	"encoding/json"
	"strconv"
	"time"
)

// appendCallRecord appends a start or result record as json.Marshal
// writes it (the same fields, in the same order, with the same omissions
// and the same escapes), without its reflection and allocations: these are
// the two records of every change, written on the way to the next call.
// The other records (header, resume, stop, end: a few a run) go through
// json.Marshal. TestAppendCallRecord holds the two to the same bytes.
func appendCallRecord(b []byte, r *record) []byte {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, r.Type)
	b = append(b, `,"time":"`...)
	b = r.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	if r.Line != 0 {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(r.Line), 10)
	}
	b = appendStringField(b, `,"input":`, r.Input)
	b = appendStringField(b, `,"kind":`, r.Kind)
	if r.UserID != 0 {
		b = append(b, `,"userId":`...)
		b = strconv.AppendInt(b, r.UserID, 10)
	}
	b = appendStringField(b, `,"name":`, r.Name)
	if r.Action != actionNone {
		b = appendStringField(b, `,"action":`, r.Action.String())
	}
	if r.Owner {
		b = append(b, `,"owner":true`...)
	}
	if r.Outcome != outcomeNone {
		b = appendStringField(b, `,"outcome":`, r.Outcome.String())
	}
	if r.Promoted {
		b = append(b, `,"promoted":true`...)
	}
	if r.Status != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(r.Status), 10)
	}
	b = appendStringField(b, `,"message":`, r.Message)
	if r.Attempts != 0 {
		b = append(b, `,"attempts":`...)
		b = strconv.AppendInt(b, int64(r.Attempts), 10)
	}
	if r.Unsettled != actionNone {
		b = appendStringField(b, `,"unsettled":`, r.Unsettled.String())
	}
	if r.Settled {
		b = append(b, `,"settled":true`...)
	}
	return append(b, '}')
}

// appendStringField appends a string field unless the string is empty
// (omitempty).
func appendStringField(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, key...), s)
}

// appendJSONString appends s quoted as json.Marshal quotes it. Plain
// printable ASCII (a user ID, an email, most names and messages) is copied
// as it is; anything else (a quote, a backslash, <, > or &, which
// json.Marshal escapes for HTML, a control character, any byte past
// ASCII) is left to json.Marshal, so the two can never differ.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			if err != nil { // a string always encodes; kept for the contract
				return append(b, `""`...)
			}
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
