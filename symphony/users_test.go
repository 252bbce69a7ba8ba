package symphony

import (
	"fmt"
	"strings"
	"testing"

	"roster/symphony/podsim"
)

func TestUserLookups(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	ctx := testCtx(t)
	type want struct{ active, external bool }
	expect := map[int64]want{}
	var emails, usernames []string
	var ids []int64
	for i := 0; i < 230; i++ { // three calls' worth
		u := podsim.User{Username: fmt.Sprintf("user%03d", i), Email: fmt.Sprintf("user%03d@example.com", i),
			Active: i%50 != 7, External: i%60 == 11}
		id := p.AddUser(u)
		expect[id] = want{u.Active, u.External}
		emails = append(emails, u.Email)
		usernames = append(usernames, u.Username)
		ids = append(ids, id)
	}
	emails = append(emails, "USER000@EXAMPLE.COM", "nobody@example.com", "not-an-email", " ", "a,b@example.com")

	check := func(t *testing.T, l *UserLookup, err error, wantUsers int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Users) != wantUsers {
			t.Errorf("found %d users, want %d", len(l.Users), wantUsers)
		}
		for _, u := range l.Users {
			w, ok := expect[u.ID]
			if !ok {
				t.Errorf("unexpected user %+v", u)
				continue
			}
			if u.Active != w.active || u.External != w.external {
				t.Errorf("user %s: active %v external %v; want %v %v", u.Username, u.Active, u.External, w.active, w.external)
			}
		}
	}

	t.Run("by email", func(t *testing.T) {
		before := c.requests.Load()
		l, err := c.UsersByEmail(ctx, emails)
		check(t, l, err, 230)
		if l.Users[0].Email != "user000@example.com" || l.Users[229].Email != "user229@example.com" {
			t.Errorf("users are not in input order: first %s, last %s", l.Users[0].Email, l.Users[229].Email)
		}
		var sawComma bool
		for _, e := range l.Errors {
			if e.Email == "a,b@example.com" {
				sawComma = true
			}
		}
		if !sawComma {
			t.Errorf("errors %+v do not report the value with a comma", l.Errors)
		}
		// 230 local active users take 3 calls; the few others, unknown and
		// invalid ones take a few more, never one per user.
		if n := c.requests.Load() - before; n > 3+3*3 {
			t.Errorf("%d requests for 235 emails; want at most 12", n)
		}
	})
	t.Run("by username", func(t *testing.T) {
		// Usernames are asked of the pod's own users only (local=true, as
		// the BDKs send): 2 of these 120 are external and stay unfound, at
		// the cost of two calls for the active and one for the inactive,
		// none with local=false.
		before := c.requests.Load()
		l, err := c.UsersByUsername(ctx, usernames[:120])
		check(t, l, err, 118)
		if n := c.requests.Load() - before; n != 3 {
			t.Errorf("%d requests for 120 usernames; want 3", n)
		}
	})
	t.Run("by id", func(t *testing.T) {
		l, err := c.UsersByID(ctx, append(ids, 999999999, ids[0]))
		check(t, l, err, 230)
	})
	t.Run("all local and active: one call per 100", func(t *testing.T) {
		var plain []string
		for i := 0; i < 230; i++ {
			if i%50 != 7 && i%60 != 11 {
				plain = append(plain, fmt.Sprintf("user%03d@example.com", i))
			}
		}
		before := c.requests.Load()
		l, err := c.UsersByEmail(ctx, plain)
		check(t, l, err, len(plain))
		if n := c.requests.Load() - before; n != 3 {
			t.Errorf("%d requests for %d local active users; want 3", n, len(plain))
		}
	})
	t.Run("external users by email", func(t *testing.T) {
		// A pod does not show the email of another pod's users: the batch
		// answers them without it, and each is placed by asking its
		// address alone.
		var mixed []string
		var external []int64
		for i := 0; i < 230; i++ {
			if i%60 == 11 {
				external = append(external, ids[i])
			}
			if i < 100 || i%60 == 11 {
				mixed = append(mixed, emails[i])
			}
		}
		before := c.requests.Load()
		l, err := c.UsersByEmail(ctx, mixed)
		check(t, l, err, len(mixed))
		byID := map[int64]User{}
		for _, u := range l.Users {
			byID[u.ID] = u
		}
		for _, id := range external {
			if u := byID[id]; !u.External || !strings.HasSuffix(u.Email, "@example.com") || u.Username == "" {
				t.Errorf("external user %d: %+v", id, u)
			}
		}
		// Two batches of local active users, one of local inactive ones,
		// one of external active ones, then one call per address it could
		// not match.
		if n := c.requests.Load() - before; n != 4+int64(len(external)) {
			t.Errorf("%d requests for %d emails", n, len(mixed))
		}
	})
	t.Run("IDs that cannot exist are reported, not sent", func(t *testing.T) {
		l, err := c.UsersByID(ctx, []int64{0, -5, ids[1]})
		if err != nil || len(l.Users) != 1 || len(l.Errors) != 2 || l.Errors[0].ID != 0 || l.Errors[1].ID != -5 {
			t.Errorf("UsersByID(0, -5, valid) = %+v, %v; want one user and two invalid.format errors", l, err)
		}
	})
	t.Run("nothing found is no error", func(t *testing.T) {
		l, err := c.UsersByEmail(ctx, []string{"nobody@example.com"})
		if err != nil || len(l.Users) != 0 {
			t.Errorf("UsersByEmail(nobody) = %+v, %v; want no users and no error", l, err)
		}
	})
	t.Run("empty input makes no call", func(t *testing.T) {
		before := c.requests.Load()
		l, err := c.UsersByUsername(ctx, nil)
		if err != nil || len(l.Users) != 0 || c.requests.Load() != before {
			t.Errorf("UsersByUsername(nil) = %+v, %v", l, err)
		}
	})
	t.Run("invalid format reported", func(t *testing.T) {
		l, err := c.UsersByEmail(ctx, []string{"not-an-email", "user001@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Users) != 1 {
			t.Errorf("found %d users, want 1", len(l.Users))
		}
		found := false
		for _, e := range l.Errors {
			if e.Email == "not-an-email" && strings.Contains(e.Error, "invalid") {
				found = true
			}
		}
		if !found {
			t.Errorf("errors %+v do not report not-an-email as invalid", l.Errors)
		}
	})
}
