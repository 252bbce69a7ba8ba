package podsim

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"
)

// FuzzMembershipRequest: whatever the stream ID and body, a membership call
// answers 200, 400 or 403 with a JSON body, and never panics.
func FuzzMembershipRequest(f *testing.F) {
	p := startPod(f, Options{PaceGap: 1})
	ppl := p.addPeople("z", 2)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID, ppl[0]}, p.botID)})
	h := p.routes()
	f.Add(room, `{"id":12987981100002}`, "add")
	f.Add(room, `{"id":-1}`, "remove")
	f.Add("abc+/==", `{"id":1}`, "promoteOwner")
	f.Add(room, `{"id":1e99}`, "demoteOwner")
	f.Add("", `null`, "add")
	f.Add(room, `[`, "remove")
	f.Fuzz(func(t *testing.T, id, body, action string) {
		switch action {
		case "add", "remove", "promoteOwner", "demoteOwner":
		default:
			action = "add"
		}
		target := "/pod/v1/room/" + url.PathEscape(id) + "/membership/" + action
		req := httptest.NewRequest("POST", target, strings.NewReader(body))
		req.Header.Set("sessionToken", p.token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if path.Clean(target) != target && w.Code == 307 {
			return // the mux redirects "room//membership" and dot segments to the clean path
		}
		switch w.Code {
		case 200, 400, 403, 404:
		default:
			t.Fatalf("id %q body %q: status %d %s", id, body, w.Code, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("id %q body %q: not JSON: %s", id, body, w.Body)
		}
	})
}

// FuzzUsersQuery: v3/users answers 200, 204 or 400 to any query.
func FuzzUsersQuery(f *testing.F) {
	p := startPod(f, Options{})
	p.addPeople("y", 3)
	h := p.routes()
	f.Add("uid=12987981100002,abc")
	f.Add("email=a@b.example&local=true")
	f.Add("username=y&active=maybe")
	f.Add("uid=&email=")
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest("GET", "/pod/v3/users", nil)
		req.URL.RawQuery = query
		req.Header.Set("sessionToken", p.token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case 200, 400:
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("%q: not JSON: %s", query, w.Body)
			}
		case 204:
		default:
			t.Fatalf("%q: status %d", query, w.Code)
		}
	})
}
