package podsim

import (
	"bytes"
	"encoding/json"
	"hash/maphash"
	"strconv"
	"testing"
)

// encodedByJSON is the reply encoding/json writes for the users of st's
// records and errs: what appendUsersReply must write byte for byte.
func encodedByJSON(t testing.TB, st *userStore, users []int32, errs []userError) []byte {
	t.Helper()
	reply := usersReply{Users: []userV2{}, Errors: errs}
	for _, i := range users {
		reply.Users = append(reply.Users, st.user(i).v2(false))
	}
	b, err := json.Marshal(reply)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUsersReplyAsEncodingJSON(t *testing.T) {
	st := newUserStore()
	for _, u := range []*user{
		{User: User{ID: 1, Username: "jane.doe", Email: "jane.doe@corp.example", DisplayName: "Jane Doe", Company: "Corp", Active: true}},
		{User: User{ID: 2, Username: "far", Email: "far@other.example", DisplayName: "Far  Away Again", External: true}},
		{User: User{ID: 3, Username: "bot", Email: "bot@x.example", DisplayName: "Bot", Roles: []string{"INDIVIDUAL"}}, service: true},
		{User: User{ID: 4, Username: `q"uo\te<b>&amp;`, DisplayName: "Zoë \u2028 \x01 \xff tab\t", Company: "<script>"}},
		{User: User{ID: 5}},
		{User: User{ID: 6, DisplayName: " leading space"}},
	} {
		st.put(u)
	}
	cases := []struct {
		users []int32
		errs  []userError
	}{
		{nil, nil},
		{[]int32{0, 1, 2, 3, 4, 5}, nil},
		{[]int32{3}, []userError{{Error: "invalid.format", ID: "x<y"}, {Error: "invalid.format", Email: "a\"b"}}},
		{nil, []userError{{Error: "invalid.format"}}},
	}
	for _, c := range cases {
		got := st.appendUsersReply([]byte("keep"), c.users, c.errs)
		if want := encodedByJSON(t, &st, c.users, c.errs); !bytes.Equal(got, append([]byte("keep"), want...)) {
			t.Errorf("users %v errors %v:\n got %s\nwant keep%s", c.users, c.errs, got, want)
		}
	}
}

// FuzzUsersReply: the users reply the pod writes by hand is the one
// encoding/json writes, whatever the users' strings.
func FuzzUsersReply(f *testing.F) {
	f.Add("jane.doe", "Jane.Doe@corp.example", "Jane Doe", "Corp", "12x", "a@", uint8(0))
	f.Add("q\"<>&\\", "\xff\xfe", "Zoë\u2028 x", "\x00\x1f\x7f", "", "", uint8(7))
	// One store for every input (a new one allocates a chunk of 1 MB):
	// each input replaces the second user.
	st := newUserStore()
	st.put(&user{User: User{ID: 9, Username: "other", DisplayName: "Other One", Active: true}})
	f.Fuzz(func(t *testing.T, username, email, display, company, badID, badEmail string, flags uint8) {
		st.put(&user{User: User{ID: 12987981100001, Username: username, Email: email, DisplayName: display, Company: company,
			Active: flags&1 != 0, External: flags&2 != 0}, service: flags&4 != 0})
		var errs []userError
		if badID != "" || badEmail != "" {
			errs = append(errs, userError{Error: "invalid.format", ID: badID}, userError{Error: "invalid.format", Email: badEmail})
		}
		users := []int32{1, 0, 1}
		got := st.appendUsersReply(nil, users, errs)
		if want := encodedByJSON(t, &st, users, errs); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

func TestUserStoreReplaceAndFind(t *testing.T) {
	st := newUserStore()
	st.put(&user{User: User{ID: 1, Username: "Ann", Email: "Ann@X.example", DisplayName: "Ann A", Roles: []string{"INDIVIDUAL"}}})
	st.put(&user{User: User{ID: 2, Username: "bob", Email: "bob@x.example"}})
	if u := st.byEmailKey("ann@x.example"); u == nil || u.ID != 1 || u.Email != "Ann@X.example" || len(u.Roles) != 1 {
		t.Fatalf("by email: %+v", u)
	}
	// Replacing user 1: the old email and username find no one.
	st.put(&user{User: User{ID: 1, Username: "ann2", Email: "ann2@x.example", Active: true}})
	if u := st.byEmailKey("ann@x.example"); u != nil {
		t.Errorf("old email still finds %+v", u)
	}
	if u := st.byUsernameKey("ann"); u != nil {
		t.Errorf("old username still finds %+v", u)
	}
	if u := st.byUsernameKey("ann2"); u == nil || u.ID != 1 || !u.Active || u.Roles != nil {
		t.Errorf("new username: %+v", u)
	}
	if u := st.get(2); u == nil || u.Username != "bob" {
		t.Errorf("user 2: %+v", u)
	}
	if st.get(3) != nil || st.has(3) || !st.has(2) {
		t.Error("user 3 found")
	}
	// A copy: changing it changes nothing.
	st.get(2).Username = "changed"
	if st.get(2).Username != "bob" {
		t.Error("get is not a copy")
	}
}

// Two keys of one hash: the second goes to more, and each finds its own.
func TestKeyIndexCollision(t *testing.T) {
	keys := []string{"a", "b"}
	keyOf := func(i int32) string { return keys[i] }
	x := newKeyIndex()
	x.put("a", 0, keyOf)
	x.first[maphash.String(x.seed, "b")] = 0 // "b" hashes as "a" did
	x.put("b", 1, keyOf)
	if _, inMore := x.more["b"]; !inMore {
		t.Fatal("the colliding key is not in more")
	}
	for want, k := range keys {
		if i, ok := x.find(k, keyOf); !ok || i != int32(want) {
			t.Errorf("find %q: %d %v", k, i, ok)
		}
	}
	x.remove("b", keyOf)
	if _, ok := x.find("b", keyOf); ok {
		t.Error("b found after remove")
	}
	if i, ok := x.find("a", keyOf); !ok || i != 0 {
		t.Errorf("a after b's remove: %d %v", i, ok)
	}
	if _, ok := x.find("c", keyOf); ok {
		t.Error("c found")
	}
}

// IDs in turn from firstUserID go to the slice, the others to the map; an
// ID of the map is never shadowed when the slice reaches it.
func TestUserStoreIndex(t *testing.T) {
	st := newUserStore()
	put := func(id int64) { st.put(&user{User: User{ID: id, Username: strconv.FormatInt(id, 10)}}) }
	put(firstUserID)
	put(firstUserID + 2) // ahead of the slice: the map
	put(firstUserID + 1)
	put(firstUserID + 2) // replaced where it is
	put(firstUserID + 3)
	put(7)
	if len(st.dense) != 2 || len(st.byID) != 3 {
		t.Errorf("slice %v, map %v", st.dense, st.byID)
	}
	for _, id := range []int64{firstUserID, firstUserID + 1, firstUserID + 2, firstUserID + 3, 7} {
		if u := st.get(id); u == nil || u.ID != id || u.Username != strconv.FormatInt(id, 10) {
			t.Errorf("user %d: %+v", id, u)
		}
	}
	if len(st.recs) != 5 {
		t.Errorf("%d records, want 5", len(st.recs))
	}
	for _, id := range []int64{firstUserID - 1, firstUserID + 4, 8} {
		if st.has(id) {
			t.Errorf("user %d found", id)
		}
	}
}
