package symphony

import (
	"encoding/json"
	"reflect"
	"testing"
)

// userListSamples are replies of v3/users: the shapes pods send, and the
// ones decodeUserList leaves to encoding/json.
var userListSamples = []struct {
	body string
	fast bool // decodeUserList reads it itself
}{
	{`{"users":[{"id":12987981100001,"emailAddress":"jane.doe@corp.example","firstName":"Jane","lastName":"Doe","displayName":"Jane Doe","company":"Corp","username":"jane.doe","accountType":"NORMAL"}]}`, true},
	{` { "users" : [ { "id" : -0 , "displayName" : "Zoë Ünal" , "roles" : [ "INDIVIDUAL" , "X" ] , "avatars" : [ { "size" : "original" , "url" : "..\/a.png\u00e9" } ] , "location" : null , "x" : 1.5e-3 , "y" : true } , { } ] , "errors" : [ ] , "extra" : { "a" : [ [ ] , { } ] } }` + "\n", true},
	{`{"users":[],"errors":null}`, true},
	{`{"users":null}`, true},
	{`{}`, true},
	{`{"users":[{"id":1,"roles":[],"company":null,"emailAddress":"a@b.c","id":2}]}`, true},
	{`{"users":[{"id":1,"displayName":"Jane \"JD\" Doe"}]}`, false},                // an escape in a kept string
	{`{"users":[{"ID":1}]}`, false},                                                // a key that differs by case
	{`{"Users":[{"id":1}]}`, false},                                                // the same, at the top
	{`{"users":[{"id":"1"}]}`, false},                                              // an ID in a string: encoding/json's error
	{`{"users":[{"id":1.0}]}`, false},                                              // a fraction
	{`{"users":[{"id":99999999999999999999}]}`, false},                             // too large
	{`{"users":[{"id":1}],"errors":[{"error":"invalid.format","id":"x"}]}`, false}, // errors
	{`{"users":[{"id":1}],"users":[{"id":2}]}`, false},                             // users twice
	{`{"users":[{"id":1,"displayName":"\xff"}]}`, false},                           // invalid UTF-8
	{`{"users":[{"id":1}]} x`, false},                                              // trailing content
	{`{"users":[{"id":1},]}`, false},                                               // invalid JSON
	{`null`, false},
	{`[]`, false},
}

func TestDecodeUserList(t *testing.T) {
	for _, s := range userListSamples {
		var got wireUserList
		fast := decodeUserList([]byte(s.body), &got)
		if fast != s.fast {
			t.Errorf("%s: read by decodeUserList: %v, want %v", s.body, fast, s.fast)
		}
		if !fast {
			continue
		}
		var want wireUserList
		if err := json.Unmarshal([]byte(s.body), &want); err != nil {
			t.Fatalf("%s: %v", s.body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", s.body, got, want)
		}
	}
	var w wireUserList
	if !decodeUserList([]byte(userListSamples[0].body), &w) || len(w.Users) != 1 || w.Users[0].ID != 12987981100001 ||
		w.Users[0].DisplayName != "Jane Doe" || w.Users[0].Email != "jane.doe@corp.example" || w.Users[0].AccountType != "NORMAL" {
		t.Errorf("the first sample: %+v", w)
	}
}

// FuzzDecodeUserList: whatever decodeUserList reads, it reads as
// json.Unmarshal does, and it reads nothing that encoding/json refuses.
func FuzzDecodeUserList(f *testing.F) {
	for _, s := range userListSamples {
		f.Add([]byte(s.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got, want wireUserList
		fast := decodeUserList(body, &got)
		err := json.Unmarshal(body, &want)
		if !fast {
			return
		}
		if err != nil {
			t.Fatalf("%q: read, but encoding/json says %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %#v\nwant %#v", body, got, want)
		}
	})
}
