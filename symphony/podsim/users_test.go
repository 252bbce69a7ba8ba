package podsim

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestUsersLookup(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("u", 120)
	old := p.AddUser(User{Username: "old.timer", Email: "old.timer@corp.example", DisplayName: "Old Timer", Active: false})
	ext := p.AddUser(User{Username: "far.away", Email: "far.away@other.example", DisplayName: "Far Away", Active: true, External: true})
	idList := func(ids ...int64) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(s, ",")
	}
	var email0 string
	p.mu.Lock()
	email0 = p.users.get(ppl[0]).Email
	uname1 := p.users.get(ppl[1]).Username
	p.mu.Unlock()

	tests := []struct {
		name   string
		query  url.Values
		status int
		ids    []int64
		errors int
	}{
		{"uids", url.Values{"uid": {idList(ppl[0], ppl[1])}}, 200, []int64{ppl[0], ppl[1]}, 0},
		{"exactly 100", url.Values{"uid": {idList(ppl[:100]...)}}, 200, ppl[:100], 0},
		{"101 is too many", url.Values{"uid": {idList(ppl[:101]...)}}, 400, nil, 0},
		{"email any case", url.Values{"email": {strings.ToUpper(email0)}}, 200, []int64{ppl[0]}, 0},
		{"username", url.Values{"username": {uname1}}, 200, []int64{ppl[1]}, 0},
		{"nothing found", url.Values{"uid": {"1,2,3"}}, 204, nil, 0},
		{"unknown email", url.Values{"email": {"nobody@corp.example"}}, 204, nil, 0},
		{"malformed uid", url.Values{"uid": {idList(ppl[0]) + ",12ab"}}, 200, []int64{ppl[0]}, 1},
		{"malformed email only", url.Values{"email": {"not-an-email"}}, 200, nil, 1},
		{"inactive found by default", url.Values{"uid": {idList(old)}}, 200, []int64{old}, 0},
		{"active=true hides inactive", url.Values{"uid": {idList(old, ppl[2])}, "active": {"true"}}, 200, []int64{ppl[2]}, 0},
		{"active=false shows only inactive", url.Values{"uid": {idList(old, ppl[2])}, "active": {"false"}}, 200, []int64{old}, 0},
		{"external found without local", url.Values{"email": {"far.away@other.example"}}, 200, []int64{ext}, 0},
		{"local=true hides external", url.Values{"email": {"far.away@other.example"}, "local": {"true"}}, 204, nil, 0},
		{"external username unknown", url.Values{"username": {"far.away"}}, 204, nil, 0},
		{"duplicates once", url.Values{"uid": {idList(ppl[3], ppl[3])}}, 200, []int64{ppl[3]}, 0},
		{"two lists", url.Values{"uid": {idList(ppl[0])}, "email": {email0}}, 400, nil, 0},
		{"no list", url.Values{}, 400, nil, 0},
		{"empty list", url.Values{"uid": {" , "}}, 400, nil, 0},
		{"bad active", url.Values{"uid": {idList(ppl[0])}, "active": {"maybe"}}, 400, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := p.do("GET", "/pod/v3/users?"+tt.query.Encode(), p.token, nil)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			switch tt.status {
			case 204:
				if len(r.body) != 0 {
					t.Errorf("204 with a body: %s", r.body)
				}
				return
			case 400:
				r.apiErr(t)
				return
			}
			var res usersReply
			r.json(t, &res)
			if len(res.Users) != len(tt.ids) || len(res.Errors) != tt.errors {
				t.Fatalf("%d users, %d errors; want %d, %d: %s", len(res.Users), len(res.Errors), len(tt.ids), tt.errors, r.body)
			}
			for i, u := range res.Users {
				if u.ID != tt.ids[i] {
					t.Errorf("user %d: id %d, want %d", i, u.ID, tt.ids[i])
				}
			}
			for _, e := range res.Errors {
				if e.Error != "invalid.format" || e.ID == "" && e.Email == "" {
					t.Errorf("error entry %+v", e)
				}
			}
		})
	}
}

func TestUserRecordFields(t *testing.T) {
	p := startPod(t, Options{})
	id := p.AddUser(User{Username: "jane.doe", Email: "jane.doe@corp.example", DisplayName: "Jane Doe", Company: "Corp", Active: true})
	r := p.do("GET", "/pod/v3/users?uid="+strconv.FormatInt(id, 10), p.token, nil)
	var res usersReply
	r.json(t, &res)
	u := res.Users[0]
	if u.EmailAddress != "jane.doe@corp.example" || u.Username != "jane.doe" || u.FirstName != "Jane" || u.LastName != "Doe" ||
		u.DisplayName != "Jane Doe" || u.Company != "Corp" || u.AccountType != "NORMAL" {
		t.Errorf("user record %s", r.body)
	}
}

// v3/users gives emailAddress for the pod's own users only (as observed on
// real pods): a user of another pod comes back without it, looked up by ID
// or by the very email; the username is shown (no source says a pod hides it).
func TestExternalUserRecord(t *testing.T) {
	p := startPod(t, Options{})
	id := p.AddUser(User{Username: "far.away", Email: "far.away@other.example", DisplayName: "Far Away", Company: "Other", Active: true, External: true})
	for _, q := range []string{"uid=" + strconv.FormatInt(id, 10), "email=far.away@other.example&local=false"} {
		r := p.do("GET", "/pod/v3/users?"+q, p.token, nil)
		var res usersReply
		r.json(t, &res)
		if len(res.Users) != 1 || res.Users[0].ID != id || res.Users[0].Username != "far.away" || res.Users[0].Company != "Other" ||
			strings.Contains(string(r.body), "emailAddress") {
			t.Errorf("%s: external user record %s", q, r.body)
		}
	}
}

func TestSessionInfo(t *testing.T) {
	p := startPod(t, Options{})
	r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil)
	var me userV2
	r.json(t, &me)
	if r.status != 200 || me.ID != p.botID || me.Username != "bot" || me.AccountType != "SYSTEM" ||
		!slices.Contains(me.Roles, roleUserProvisioning) {
		t.Fatalf("sessioninfo: %d %s", r.status, r.body)
	}
}
