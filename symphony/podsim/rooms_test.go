package podsim

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

// roomWorld is a pod with a room owned by the test's bot... and people.
type roomWorld struct {
	*testPod
	people []int64
	room   string
}

func newRoomWorld(t *testing.T, opts Options) *roomWorld {
	p := startPod(t, opts)
	w := &roomWorld{testPod: p, people: p.addPeople("p", 10)}
	w.room = p.AddRoom(Room{Name: "Rates Desk", Description: "EMEA rates", Active: true,
		Members: members([]int64{p.botID, w.people[0], w.people[1]}, p.botID, w.people[0])})
	return w
}

func TestRoomInfo(t *testing.T) {
	w := newRoomWorld(t, Options{})
	r := w.do("GET", "/pod/v3/room/"+w.room+"/info", w.token, nil)
	var d v3RoomDetail
	r.json(t, &d)
	if r.status != 200 || d.RoomAttributes.Name != "Rates Desk" || d.RoomAttributes.Description != "EMEA rates" ||
		d.RoomSystemInfo.ID != w.room || !d.RoomSystemInfo.Active || d.RoomSystemInfo.CreatedByUserID != w.botID ||
		d.RoomSystemInfo.CreationDate == 0 {
		t.Fatalf("room info: %d %s", r.status, r.body)
	}
	if !strings.Contains(string(r.body), `"membersCanInvite":false`) || !strings.Contains(string(r.body), `"crossPod":false`) {
		t.Errorf("room info lacks spec fields: %s", r.body)
	}
}

// Every endpoint with a stream ID in its path answers 400 "Stream not found."
// for an unknown room and for IDs that are not URL-safe base64 without padding.
func TestStreamNotFound(t *testing.T) {
	w := newRoomWorld(t, Options{})
	raw, _ := base64.RawURLEncoding.DecodeString(w.room)
	std := base64.StdEncoding.EncodeToString(raw)
	ids := map[string]string{
		"unknown":          newStreamID(),
		"standard base64":  url.PathEscape(std),
		"padded url-safe":  url.PathEscape(base64.URLEncoding.EncodeToString(raw)),
		"not base64":       "not*base64",
		"truncated base64": w.room[:len(w.room)-1] + "%21",
	}
	if !strings.ContainsAny(std, "+/") {
		t.Fatalf("room ID %s has no character that differs between the forms", w.room)
	}
	paths := []struct{ method, format string }{
		{"GET", "/pod/v3/room/%s/info"},
		{"GET", "/pod/v2/streams/%s/info"},
		{"GET", "/pod/v2/room/%s/membership/list"},
		{"POST", "/pod/v1/room/%s/membership/add"},
		{"POST", "/pod/v1/room/%s/membership/remove"},
		{"POST", "/pod/v1/room/%s/membership/promoteOwner"},
		{"POST", "/pod/v1/room/%s/membership/demoteOwner"},
	}
	for name, id := range ids {
		for _, p := range paths {
			var body any
			if p.method == "POST" {
				body = map[string]int64{"id": w.people[2]}
			}
			path := strings.Replace(p.format, "%s", id, 1)
			r := w.do(p.method, path, w.token, body)
			if r.status != 400 || r.apiErr(t).Message != "Stream not found." {
				t.Errorf("%s: %s %s: %d %s", name, p.method, path, r.status, r.body)
			}
		}
	}
}

func TestStreamInfo(t *testing.T) {
	w := newRoomWorld(t, Options{})
	var a struct {
		ID             string
		CrossPod       bool
		Origin         string
		Active         bool
		StreamType     struct{ Type string }
		RoomAttributes struct {
			Name string
		}
	}
	r := w.do("GET", "/pod/v2/streams/"+w.room+"/info", w.token, nil)
	r.json(t, &a)
	if r.status != 200 || a.ID != w.room || a.StreamType.Type != "ROOM" || a.RoomAttributes.Name != "Rates Desk" || !a.Active || a.Origin != "INTERNAL" {
		t.Fatalf("stream info: %d %s", r.status, r.body)
	}
}

func TestMemberList(t *testing.T) {
	w := newRoomWorld(t, Options{})
	var list []memberInfo
	r := w.do("GET", "/pod/v2/room/"+w.room+"/membership/list", w.token, nil)
	r.json(t, &list)
	if r.status != 200 || len(list) != 3 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	want := []memberInfo{{ID: w.botID, Owner: true}, {ID: w.people[0], Owner: true}, {ID: w.people[1]}}
	for i, m := range list {
		if m.ID != want[i].ID || m.Owner != want[i].Owner || m.JoinDate == 0 {
			t.Errorf("member %d: %+v, want %+v", i, m, want[i])
		}
	}
	if list[0].JoinDate > list[2].JoinDate {
		t.Errorf("join dates not in join order: %+v", list)
	}

	// A private room's members are hidden from non-members without a role;
	// a public room's are not.
	plain := w.people[5]
	key := w.serviceUser(t, plain, "svc5")
	tok := w.login("svc5", key)
	if r := w.do("GET", "/pod/v2/room/"+w.room+"/membership/list", tok, nil); r.status != 403 {
		t.Errorf("private room listed to a non-member: %d", r.status)
	}
	pub := w.AddRoom(Room{Name: "Town hall", Active: true, Public: true, Members: members([]int64{w.people[0]}, w.people[0])})
	if r := w.do("GET", "/pod/v2/room/"+pub+"/membership/list", tok, nil); r.status != 200 {
		t.Errorf("public room not listed: %d %s", r.status, r.body)
	}
}

func TestRoomSearch(t *testing.T) {
	p := startPod(t, Options{})
	var ids []string
	for i := 0; i < 7; i++ {
		ids = append(ids, p.AddRoom(Room{Name: "Desk " + string(rune('A'+i)), Description: "trading", Active: i != 3, Members: members([]int64{p.botID}, p.botID)}))
	}
	p.AddRoom(Room{Name: "Lunch", Active: true, Public: true})
	type result struct {
		Count, Skip, Limit int
		Rooms              []v3RoomDetail
	}
	tests := []struct {
		name      string
		query     string
		body      any
		status    int
		count     int
		firstName string
		page      int
	}{
		{"by name", "", map[string]any{"query": "desk"}, 200, 7, "Desk A", 7},
		{"by description", "", map[string]any{"query": "TRADING"}, 200, 7, "Desk A", 7},
		{"empty query matches all", "", map[string]any{"query": ""}, 200, 8, "Desk A", 8},
		{"paged", "?skip=2&limit=3", map[string]any{"query": "desk"}, 200, 7, "Desk C", 3},
		{"last page", "?skip=6&limit=3", map[string]any{"query": "desk"}, 200, 7, "Desk G", 1},
		{"past the end", "?skip=9", map[string]any{"query": "desk"}, 200, 7, "", 0},
		{"active only", "", map[string]any{"query": "desk", "active": true}, 200, 6, "Desk A", 6},
		{"by member", "", map[string]any{"query": "", "member": map[string]int64{"id": p.botID}}, 200, 7, "Desk A", 7},
		{"no match", "", map[string]any{"query": "zebra"}, 200, 0, "", 0},
		{"private only", "", map[string]any{"query": "", "private": true}, 200, 7, "Desk A", 7},
		{"public only", "", map[string]any{"query": "", "private": false}, 200, 1, "Lunch", 1},
		{"by owner", "", map[string]any{"query": "", "owner": map[string]int64{"id": p.botID}}, 200, 7, "Desk A", 7},
		{"by owner, nobody", "", map[string]any{"query": "", "owner": map[string]int64{"id": 1}}, 200, 0, "", 0},
		{"no query field", "", map[string]any{"active": true}, 400, 0, "", 0},
		{"not JSON", "", "{", 400, 0, "", 0},
		{"limit too big", "?limit=101", map[string]any{"query": "desk"}, 400, 0, "", 0},
		{"limit zero", "?limit=0", map[string]any{"query": "desk"}, 400, 0, "", 0},
		{"negative skip", "?skip=-1", map[string]any{"query": "desk"}, 400, 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The desks are the bot's own private rooms, not discoverable:
			// the search shows them only with includeNonDiscoverable.
			q := "?includeNonDiscoverable=true"
			if tt.query != "" {
				q = tt.query + "&includeNonDiscoverable=true"
			}
			r := p.do("POST", "/pod/v3/room/search"+q, p.token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status != 200 {
				r.apiErr(t)
				return
			}
			var res result
			r.json(t, &res)
			if res.Count != tt.count || len(res.Rooms) != tt.page {
				t.Fatalf("count %d, %d rooms; want %d, %d", res.Count, len(res.Rooms), tt.count, tt.page)
			}
			if tt.page > 0 && res.Rooms[0].RoomAttributes.Name != tt.firstName {
				t.Errorf("first room %q, want %q", res.Rooms[0].RoomAttributes.Name, tt.firstName)
			}
		})
	}
}

func TestUnknownEndpointIsJSON404(t *testing.T) {
	p := startPod(t, Options{})
	r := p.do("GET", "/pod/v9/nothing", p.token, nil)
	if r.status != 404 {
		t.Fatalf("status %d", r.status)
	}
	r.apiErr(t)
}

func TestAddRoomIDs(t *testing.T) {
	p := startPod(t, Options{})
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		id := p.AddRoom(Room{Name: "r", Active: true})
		if !validStreamID(id) || seen[id] {
			t.Fatalf("generated ID %q invalid or repeated", id)
		}
		seen[id] = true
	}
	if id := p.AddRoom(Room{ID: "tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA==", Name: "given", Active: true}); id != "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA" {
		t.Errorf("standard ID stored as %q", id)
	}
	// The same ID again replaces the room.
	p.AddRoom(Room{ID: "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA", Name: "again", Active: true})
	st := p.State()
	if r, ok := st.Room("tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA"); !ok || r.Name != "again" || len(st.Rooms) != 51 {
		t.Errorf("replaced room: %+v, %d rooms", r, len(st.Rooms))
	}
	if r := p.do("GET", "/pod/v3/room/tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA/info", p.token, nil); r.status != 200 {
		t.Errorf("info of the given ID: %d", r.status)
	}
}

// The Search Rooms page's scope: the caller's rooms (active or not), active
// public rooms, active private rooms "set to be visible in search"; the
// spec's includeNonDiscoverable brings in the caller's own private rooms
// that are not discoverable.
func TestRoomSearchScope(t *testing.T) {
	p := startPod(t, Options{})
	other := p.addPeople("o", 1)[0]
	me := p.addPeople("s", 1)[0]
	tok := p.login("plain", p.serviceUser(t, me, "plain"))
	mine := func(name string, r Room) Room {
		r.Name, r.Members = name, members([]int64{me}, me)
		return r
	}
	theirs := func(name string, r Room) Room {
		r.Name, r.Members = name, members([]int64{other}, other)
		return r
	}
	for _, r := range []Room{
		mine("mine private", Room{Active: true}),
		mine("mine discoverable", Room{Active: true, Discoverable: true}),
		mine("mine deactivated public", Room{Public: true}),
		theirs("theirs public", Room{Active: true, Public: true}),
		theirs("theirs discoverable", Room{Active: true, Discoverable: true}),
		theirs("theirs private", Room{Active: true}),
		theirs("theirs deactivated public", Room{Public: true}),
		theirs("theirs deactivated discoverable", Room{Discoverable: true}),
	} {
		p.AddRoom(r)
	}
	names := func(query string) []string {
		r := p.do("POST", "/pod/v3/room/search"+query, tok, map[string]string{"query": ""})
		if r.status != 200 {
			t.Fatalf("search%s: %d %s", query, r.status, r.body)
		}
		var res struct{ Rooms []v3RoomDetail }
		r.json(t, &res)
		var out []string
		for _, d := range res.Rooms {
			out = append(out, d.RoomAttributes.Name)
		}
		return out
	}
	want := "mine discoverable, mine deactivated public, theirs public, theirs discoverable"
	if got := strings.Join(names(""), ", "); got != want {
		t.Errorf("default scope:\n got %s\nwant %s", got, want)
	}
	if got := strings.Join(names("?includeNonDiscoverable=true"), ", "); got != "mine private, "+want {
		t.Errorf("with includeNonDiscoverable:\n got %s\nwant mine private, %s", got, want)
	}
	if r := p.do("POST", "/pod/v3/room/search?includeNonDiscoverable=perhaps", tok, map[string]string{"query": ""}); r.status != 400 {
		t.Errorf("includeNonDiscoverable=perhaps: %d", r.status)
	}
}

// Room info, stream info and the member list of a private room are refused
// (403) to a caller who is neither a member nor holds a role that allows
// it: Room Info and Room Members pages, Required Permissions (members,
// Compliance Officers and Super Compliance Officers, User Provisioning). A
// discoverable room's info and stream info are shown to anyone (the
// details search shows anyway; the Stream Info page asks for a privilege
// only for rooms that are not discoverable); its members are not.
func TestPrivateRoomVisibility(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("v", 6)
	callers := map[string]string{}
	for i, c := range []struct {
		name  string
		roles []string
	}{{"plain", nil}, {"officer", []string{roleComplianceOfficer}}, {"superOfficer", []string{roleSuperComplianceOfficer}},
		{"provisioner", []string{roleUserProvisioning}}, {"member", nil}} {
		key := p.serviceUser(t, ppl[i], c.name, c.roles...)
		callers[c.name] = p.login(c.name, key)
	}
	in := members([]int64{ppl[5], ppl[4]}, ppl[5]) // ppl[4] is "member"
	rooms := map[string]string{
		"private":      p.AddRoom(Room{Name: "private", Active: true, Members: in}),
		"discoverable": p.AddRoom(Room{Name: "discoverable", Active: true, Discoverable: true, Members: in}),
		"public":       p.AddRoom(Room{Name: "public", Active: true, Public: true, Members: in}),
	}
	paths := []string{"/pod/v3/room/%s/info", "/pod/v2/streams/%s/info", "/pod/v2/room/%s/membership/list"}
	tests := []struct {
		caller, room string
		want         [3]int // info, stream info, member list
	}{
		{"plain", "private", [3]int{403, 403, 403}},
		{"plain", "discoverable", [3]int{200, 200, 403}},
		{"plain", "public", [3]int{200, 200, 200}},
		{"member", "private", [3]int{200, 200, 200}},
		{"officer", "private", [3]int{200, 200, 200}},
		{"superOfficer", "private", [3]int{200, 200, 200}},
		{"provisioner", "private", [3]int{200, 200, 200}},
	}
	for _, tt := range tests {
		for i, format := range paths {
			path := strings.Replace(format, "%s", rooms[tt.room], 1)
			r := p.do("GET", path, callers[tt.caller], nil)
			if r.status != tt.want[i] {
				t.Errorf("%s reads %s: %d, want %d: %s", tt.caller, path, r.status, tt.want[i], r.body)
				continue
			}
			if r.status == 403 && r.apiErr(t).Message != msgNoEntitlement {
				t.Errorf("%s reads %s: %s", tt.caller, path, r.body)
			}
		}
	}
	// The info says what the room is: discoverable is its own attribute.
	for name, want := range map[string]string{"private": `"discoverable":false,"public":false`,
		"discoverable": `"discoverable":true,"public":false`, "public": `"discoverable":true,"public":true`} {
		r := p.do("GET", "/pod/v3/room/"+rooms[name]+"/info", callers["member"], nil)
		if !strings.Contains(string(r.body), want) {
			t.Errorf("%s room info: %s, want %s", name, r.body, want)
		}
	}
}
