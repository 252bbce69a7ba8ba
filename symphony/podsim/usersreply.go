package podsim

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// appendUsersReply appends the body of a GET /pod/v3/users reply: the users
// of records users, as userV2 without roles, and errs. It writes what
// encoding/json writes for usersReply (FuzzUsersReply compares the two),
// without making a userV2 and its strings for every user of the pod's
// answer.
func (st *userStore) appendUsersReply(dst []byte, users []int32, errs []userError) []byte {
	dst = append(dst, `{"users":[`...)
	for k, i := range users {
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = st.appendUserV2(dst, &st.recs[i])
	}
	dst = append(dst, ']')
	if len(errs) > 0 {
		dst = append(dst, `,"errors":[`...)
		for k, e := range errs {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"error":`...)
			dst = appendJSONString(dst, e.Error)
			if e.Email != "" {
				dst = append(dst, `,"email":`...)
				dst = appendJSONString(dst, e.Email)
			}
			if e.ID != "" {
				dst = append(dst, `,"id":`...)
				dst = appendJSONString(dst, e.ID)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// usersReply is the shape appendUsersReply writes.
type usersReply struct {
	Users  []userV2    `json:"users"`
	Errors []userError `json:"errors,omitempty"`
}

// appendUserV2 appends what encoding/json writes for user.v2(false).
func (st *userStore) appendUserV2(dst []byte, r *userRec) []byte {
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendInt(dst, r.id, 10)
	field := func(name string, v []byte) {
		if len(v) > 0 {
			dst = append(dst, ",\""...)
			dst = append(dst, name...)
			dst = append(dst, "\":"...)
			dst = appendJSONString(dst, v)
		}
	}
	display := st.text(r, textDisplayName)
	if !r.external {
		field("emailAddress", st.text(r, textEmail))
	}
	if !r.service {
		first, last, _ := bytes.Cut(display, []byte(" "))
		field("firstName", first)
		field("lastName", last)
	}
	field("displayName", display)
	field("company", st.text(r, textCompany))
	field("username", st.text(r, textUsername))
	if r.service {
		return append(dst, `,"accountType":"SYSTEM"}`...)
	}
	return append(dst, `,"accountType":"NORMAL"}`...)
}

// appendJSONString appends s as a JSON string, as encoding/json writes it:
// printable ASCII as is, but for the characters it escapes (" \ < > &);
// anything else is left to encoding/json itself.
func appendJSONString[S string | []byte](dst []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, err := json.Marshal(string(s))
			if err != nil { // a string always encodes; never reached
				panic(err)
			}
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
