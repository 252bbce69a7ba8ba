package podsim

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// callers of the rules table, each logged in.
type ruleWorld struct {
	*testPod
	tokens map[string]string
	ids    map[string]int64
	people []int64
}

// newRuleWorld: room "closed" (members may not invite) and room "open"
// (members may invite); owner and member are in both; coMember is a
// compliance officer who is a member of closed.
func newRuleWorld(t *testing.T) (*ruleWorld, map[string]string) {
	p := startPod(t, Options{})
	w := &ruleWorld{testPod: p, tokens: map[string]string{}, ids: map[string]int64{}, people: p.addPeople("q", 12)}
	roles := map[string][]string{
		"owner": nil, "member": nil, "outsider": nil,
		"provisioner": {roleUserProvisioning}, "officer": {roleComplianceOfficer}, "officerMember": {roleComplianceOfficer},
	}
	i := 0
	for _, name := range []string{"owner", "member", "outsider", "provisioner", "officer", "officerMember"} {
		id := w.people[i]
		i++
		w.ids[name] = id
		w.serviceUser(t, id, name, roles[name]...)
		w.tokens[name] = w.login(name, sharedKey(t))
	}
	w.tokens["bot"] = w.token
	in := []int64{w.ids["owner"], w.ids["member"], w.ids["officerMember"]}
	rooms := map[string]string{
		"closed": p.AddRoom(Room{Name: "closed", Active: true, Members: members(in, w.ids["owner"])}),
		"open":   p.AddRoom(Room{Name: "open", Active: true, MembersCanInvite: true, Members: members(in, w.ids["owner"])}),
	}
	return w, rooms
}

func TestAddPermissions(t *testing.T) {
	w, rooms := newRuleWorld(t)
	tests := []struct {
		caller, room string
		status       int
	}{
		{"owner", "closed", 200},
		{"member", "closed", 403},
		{"member", "open", 200},
		{"outsider", "closed", 403},
		{"outsider", "open", 403},
		{"provisioner", "closed", 200}, // User Provisioning, not a member
		{"officer", "closed", 200},     // compliance officer, not a member
		{"officerMember", "closed", 403},
		{"officerMember", "open", 200},
	}
	for i, tt := range tests {
		t.Run(tt.caller+" in "+tt.room, func(t *testing.T) {
			target := w.people[6+i%6]
			r := w.do("POST", "/pod/v1/room/"+rooms[tt.room]+"/membership/add", w.tokens[tt.caller], map[string]int64{"id": target})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.status == 403 {
				if e := r.apiErr(t); !strings.Contains(e.Message, "lacks the required entitlement") {
					t.Errorf("403 message %q", e.Message)
				}
				return
			}
			var ok successResponse
			r.json(t, &ok)
			if ok.Format != "TEXT" || ok.Message != "Member added" && !strings.HasPrefix(ok.Message, "Member already part of the room") {
				t.Errorf("reply %s", r.body)
			}
			st, _ := w.State().Room(rooms[tt.room])
			if !contains(st.Members, target) {
				t.Errorf("user %d not in the room after a 200", target)
			}
		})
	}
}

func TestRemoveAndOwnerPermissions(t *testing.T) {
	for _, tt := range []struct {
		caller, action string
		status         int
	}{
		{"owner", "remove", 200},
		{"provisioner", "remove", 200},
		{"member", "remove", 403},
		{"officer", "remove", 403},
		{"outsider", "remove", 403},
		{"owner", "promoteOwner", 200},
		{"provisioner", "promoteOwner", 200},
		{"member", "promoteOwner", 403},
		{"owner", "demoteOwner", 200},
		{"member", "demoteOwner", 403},
	} {
		t.Run(tt.caller+" "+tt.action, func(t *testing.T) {
			w, rooms := newRuleWorld(t)
			target := w.ids["officerMember"]
			if tt.action == "demoteOwner" {
				w.do("POST", "/pod/v1/room/"+rooms["open"]+"/membership/promoteOwner", w.tokens["owner"], map[string]int64{"id": target})
			}
			r := w.do("POST", "/pod/v1/room/"+rooms["open"]+"/membership/"+tt.action, w.tokens[tt.caller], map[string]int64{"id": target})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			st, _ := w.State().Room(rooms["open"])
			in, owner := contains(st.Members, target), contains(st.Owners, target)
			want := map[string][2]bool{"remove": {false, false}, "promoteOwner": {true, true}, "demoteOwner": {true, false}}[tt.action]
			if tt.status == 403 {
				want = [2]bool{true, tt.action == "demoteOwner"}
			}
			if in != want[0] || owner != want[1] {
				t.Errorf("member %v owner %v, want %v", in, owner, want)
			}
		})
	}
}

// The edge replies of the membership calls.
func TestMembershipEdgeReplies(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("e", 6)
	inactive := p.AddUser(User{Username: "old", Email: "old@corp.example", Active: false})
	external := p.AddUser(User{Username: "ext", Email: "ext@other.example", Active: true, External: true})
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID, ppl[0]}, p.botID)})
	cross := p.AddRoom(Room{Name: "x", Active: true, CrossPod: true, Members: members([]int64{p.botID}, p.botID)})
	dead := p.AddRoom(Room{Name: "d", Active: false, Members: members([]int64{p.botID, ppl[0]}, p.botID)})
	soleOwner := p.AddRoom(Room{Name: "s", Active: true, Members: members([]int64{ppl[1], ppl[2]}, ppl[1])})
	tests := []struct {
		name, room, action string
		body               any
		status             int
		message            string // prefix
	}{
		{"already a member", room, "add", map[string]int64{"id": ppl[0]}, 200, "Member already part of the room"},
		{"added", room, "add", map[string]int64{"id": ppl[3]}, 200, "Member added"},
		{"deactivated room add", dead, "add", map[string]int64{"id": ppl[4]}, 400, "Cannot add member to a deactivated room"},
		{"deactivated room remove", dead, "remove", map[string]int64{"id": ppl[0]}, 400, "Cannot remove member from a deactivated room"},
		{"unknown user", room, "add", map[string]int64{"id": 99999999999}, 400, msgUserNotFound},
		{"inactive user", room, "add", map[string]int64{"id": inactive}, 400, msgUserInactive},
		{"external user, room not cross-pod", room, "add", map[string]int64{"id": external}, 403, msgExternalNotAllowed},
		{"external user, cross-pod room", cross, "add", map[string]int64{"id": external}, 200, "Member added"},
		{"remove non-member", room, "remove", map[string]int64{"id": ppl[5]}, 400, msgNotAMember},
		{"remove member", room, "remove", map[string]int64{"id": ppl[0]}, 200, "Member removed"},
		{"remove unknown user", room, "remove", map[string]int64{"id": 42}, 400, msgUserNotFound},
		{"promote non-member", room, "promoteOwner", map[string]int64{"id": ppl[5]}, 400, msgNotAMember},
		{"demote last owner", soleOwner, "demoteOwner", map[string]int64{"id": ppl[1]}, 400, msgLastOwner},
		{"remove last owner", soleOwner, "remove", map[string]int64{"id": ppl[1]}, 400, "Cannot remove the last owner"},
		{"no body", room, "add", "", 400, msgBadPayload},
		{"no id", room, "add", map[string]string{"user": "x"}, 400, msgBadPayload},
		{"id as string", room, "add", map[string]string{"id": "12"}, 400, msgBadPayload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := p.do("POST", "/pod/v1/room/"+tt.room+"/membership/"+tt.action, p.token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			var msg string
			if r.status == 200 {
				var ok successResponse
				r.json(t, &ok)
				msg = ok.Message
			} else {
				msg = r.apiErr(t).Message
			}
			if !strings.HasPrefix(msg, tt.message) {
				t.Errorf("message %q, want it to start with %q", msg, tt.message)
			}
		})
	}
}

// Deactivating a room mid-run turns adds into 400; reactivating it restores them.
func TestSetRoomActive(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("a", 2)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID}, p.botID)})
	p.SetRoomActive(room, false)
	if r := p.do("POST", "/pod/v1/room/"+room+"/membership/add", p.token, map[string]int64{"id": ppl[0]}); r.status != 400 {
		t.Fatalf("add to deactivated room: %d", r.status)
	}
	p.SetRoomActive(room, true)
	if r := p.do("POST", "/pod/v1/room/"+room+"/membership/add", p.token, map[string]int64{"id": ppl[0]}); r.status != 200 {
		t.Fatalf("add to reactivated room: %d", r.status)
	}
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestSetUserActive(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("z", 1)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID}, p.botID)})
	p.SetUserActive(ppl[0], false)
	if r := p.add(room, ppl[0]); r.status != 400 {
		t.Fatalf("add a deactivated user: %d", r.status)
	}
	p.SetUserActive(ppl[0], true)
	if r := p.add(room, ppl[0]); r.status != 200 {
		t.Fatalf("add a reactivated user: %d", r.status)
	}
	p.SetUserActive(p.botID, false)
	if r := p.do("GET", "/pod/v2/sessioninfo", p.token, nil); r.status != 401 {
		t.Fatalf("a deactivated caller's session: %d", r.status)
	}
}

// Concurrent changes are all applied and counted once each.
func TestConcurrentAdds(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("c", 40)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID}, p.botID)})
	var wg sync.WaitGroup
	errs := make(chan string, len(ppl))
	for _, id := range ppl {
		wg.Go(func() {
			// No t.Fatal off the test's goroutine: errors go to a channel.
			req, _ := http.NewRequest("POST", p.URL()+"/pod/v1/room/"+room+"/membership/add",
				strings.NewReader(`{"id":`+strconv.FormatInt(id, 10)+`}`))
			req.Header.Set("sessionToken", p.token)
			resp, err := p.client.Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- resp.Status
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	st := p.State()
	rs, _ := st.Room(room)
	if len(rs.Members) != len(ppl)+1 {
		t.Fatalf("%d members, want %d", len(rs.Members), len(ppl)+1)
	}
	for _, id := range ppl {
		if st.Calls[id].Add != 1 {
			t.Errorf("user %d: %d adds", id, st.Calls[id].Add)
		}
	}
}
