package podsim

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// callers of the rules table, each logged in.
type ruleWorld struct {
	*testPod
	tokens map[string]string
	ids    map[string]int64
	people []int64
}

// ruleCallers are the callers of the rules tables; the people after them
// are targets.
var ruleCallers = []string{"owner", "member", "outsider", "provisioner", "officer", "officerMember", "superOfficer"}

// newRuleWorld: room "closed" (members may not invite), room "open"
// (members may invite) and room "public"; owner and member are in all
// three; officerMember is a compliance officer who is a member of them.
func newRuleWorld(t *testing.T) (*ruleWorld, map[string]string) {
	p := startPod(t, Options{})
	w := &ruleWorld{testPod: p, tokens: map[string]string{}, ids: map[string]int64{}, people: p.addPeople("q", 2*len(ruleCallers))}
	roles := map[string][]string{
		"provisioner": {roleUserProvisioning}, "officer": {roleComplianceOfficer}, "officerMember": {roleComplianceOfficer},
		"superOfficer": {roleSuperComplianceOfficer},
	}
	for i, name := range ruleCallers {
		id := w.people[i]
		w.ids[name] = id
		w.serviceUser(t, id, name, roles[name]...)
		w.tokens[name] = w.login(name, sharedKey(t))
	}
	w.tokens["bot"] = w.token
	in := []int64{w.ids["owner"], w.ids["member"], w.ids["officerMember"]}
	rooms := map[string]string{
		"closed": p.AddRoom(Room{Name: "closed", Active: true, Members: members(in, w.ids["owner"])}),
		"open":   p.AddRoom(Room{Name: "open", Active: true, MembersCanInvite: true, Members: members(in, w.ids["owner"])}),
		"public": p.AddRoom(Room{Name: "public", Active: true, Public: true, Members: members(in, w.ids["owner"])}),
	}
	return w, rooms
}

// The Add Member page's Required Permissions and its rule on joining public
// rooms (rest-api.symphony.com, Room endpoints, Add Member).
func TestAddPermissions(t *testing.T) {
	w, rooms := newRuleWorld(t)
	tests := []struct {
		caller, room string
		self         bool // the caller adds itself
		status       int
	}{
		{"owner", "closed", false, 200},         // "Owners of the room"
		{"member", "closed", false, 403},        // a member, and the room does not let participants add
		{"member", "open", false, 200},          // "Members of the room (if 'Let participants add members' ...)"
		{"outsider", "closed", false, 403},      // no rule lets a non-member add
		{"outsider", "open", false, 403},        // membersCanInvite is for members only
		{"provisioner", "closed", false, 200},   // "Service Users with the User Provisioning role"
		{"officer", "closed", false, 200},       // "Compliance Officers ... who are not members of the room"
		{"superOfficer", "closed", false, 200},  // "... and Super Compliance Officers who are not members"
		{"officerMember", "closed", false, 403}, // an officer who is a member is a member
		{"officerMember", "open", false, 200},
		{"outsider", "public", true, 200},   // "Joining Public Rooms": the caller adds itself
		{"outsider", "public", false, 403},  // ... itself only
		{"outsider", "closed", true, 403},   // ... and only to a public room
		{"superOfficer", "open", true, 200}, // an officer may add itself too
	}
	for i, tt := range tests {
		name := tt.caller + " in " + tt.room
		if tt.self {
			name += ", itself"
		}
		t.Run(name, func(t *testing.T) {
			target := w.people[len(ruleCallers)+i%len(ruleCallers)]
			if tt.self {
				target = w.ids[tt.caller]
			}
			r := w.do("POST", "/pod/v1/room/"+rooms[tt.room]+"/membership/add", w.tokens[tt.caller], map[string]int64{"id": target})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			st, _ := w.State().Room(rooms[tt.room])
			if tt.status == 403 {
				if e := r.apiErr(t); e.Message != msgNoEntitlement {
					t.Errorf("403 message %q", e.Message)
				}
				if contains(st.Members, target) && !tt.self {
					t.Errorf("user %d in the room after a 403", target)
				}
				return
			}
			var ok successResponse
			r.json(t, &ok)
			if ok.Format != "TEXT" || ok.Message != msgMemberAdded && ok.Message != msgAlreadyMemberOrXpod {
				t.Errorf("reply %s", r.body)
			}
			if !contains(st.Members, target) {
				t.Errorf("user %d not in the room after a 200", target)
			}
		})
	}
}

// The Remove Member page's Required Permissions, and the Promote Owner and
// Demote Owner pages' (owners and User Provisioning).
func TestRemoveAndOwnerPermissions(t *testing.T) {
	for _, tt := range []struct {
		caller, action string
		self           bool // the caller is the target
		status         int
	}{
		{"owner", "remove", false, 200},        // "Owners of the room"
		{"provisioner", "remove", false, 200},  // "Service Users with the User Provisioning role (members or not members ...)"
		{"member", "remove", false, 403},       // a plain member may not
		{"officer", "remove", false, 200},      // "Compliance Officers ... who are not members of the room"
		{"superOfficer", "remove", false, 200}, // "... and Super Compliance Officers who are not members"
		{"outsider", "remove", false, 403},
		{"member", "remove", true, 200},        // "The service user can always remove itself from the room"
		{"officerMember", "remove", true, 200}, // itself, whatever its roles
		{"owner", "promoteOwner", false, 200},
		{"provisioner", "promoteOwner", false, 200},
		{"member", "promoteOwner", false, 403},
		{"superOfficer", "promoteOwner", false, 403}, // no page lets officers change owners
		{"owner", "demoteOwner", false, 200},
		{"member", "demoteOwner", false, 403},
	} {
		name := tt.caller + " " + tt.action
		if tt.self {
			name += " itself"
		}
		t.Run(name, func(t *testing.T) {
			w, rooms := newRuleWorld(t)
			target := w.ids["officerMember"]
			if tt.self {
				target = w.ids[tt.caller]
			}
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
		{"already a member", room, "add", map[string]int64{"id": ppl[0]}, 200, msgAlreadyMemberOrXpod},
		{"added", room, "add", map[string]int64{"id": ppl[3]}, 200, "Member added"},
		{"deactivated room add", dead, "add", map[string]int64{"id": ppl[4]}, 400, "Cannot add member to a deactivated room"},
		{"deactivated room remove", dead, "remove", map[string]int64{"id": ppl[0]}, 400, "Cannot remove member from a deactivated room"},
		{"unknown user", room, "add", map[string]int64{"id": 99999999999}, 400, msgUserNotFound},
		{"inactive user", room, "add", map[string]int64{"id": inactive}, 400, msgUserInactive},
		{"external user, room not cross-pod", room, "add", map[string]int64{"id": external}, 403, msgExternalNotAllowed},
		{"external user, cross-pod room", cross, "add", map[string]int64{"id": external}, 200, msgAlreadyMemberOrXpod},
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

// The success replies, byte for byte: the spec's examples (pod-api-public.yaml,
// the 200 of each membership call) and the reply observed on real pods for
// an add that changes nothing.
func TestSuccessRepliesWordForWord(t *testing.T) {
	p := startPod(t, Options{})
	ppl := p.addPeople("w", 3)
	room := p.AddRoom(Room{Name: "r", Active: true, Members: members([]int64{p.botID, ppl[0]}, p.botID)})
	for _, step := range []struct{ action, body string }{
		{"add", `{"format":"TEXT","message":"Member added"}`},                                                                     // spec
		{"add", `{"format":"TEXT","message":"Member already part of the room or Xpod request will be processed asynchronously"}`}, // observed
		{"promoteOwner", `{"format":"TEXT","message":"Member promoted to owner"}`},                                                // spec
		{"demoteOwner", `{"format":"TEXT","message":"Owner demoted"}`},                                                            // spec
		{"remove", `{"format":"TEXT","message":"Member removed"}`},                                                                // spec
	} {
		r := p.do("POST", "/pod/v1/room/"+room+"/membership/"+step.action, p.token, map[string]int64{"id": ppl[1]})
		if r.status != 200 || string(r.body) != step.body {
			t.Errorf("%s: %d %s\nwant 200 %s", step.action, r.status, r.body, step.body)
		}
	}
}

// An external user added to a cross-pod room: 200 with the observed "... or
// Xpod request will be processed asynchronously", and the user joins
// XpodDelay later. Until then the user is not in the member list, and
// adding again changes nothing.
func TestCrossPodAddJoinsLater(t *testing.T) {
	clock := newTestClock()
	p := startPodAt(t, Options{XpodDelay: 5 * time.Second}, clock)
	ext := p.AddUser(User{Username: "far", Email: "far@other.example", Active: true, External: true})
	room := p.AddRoom(Room{Name: "x", Active: true, CrossPod: true, Members: members([]int64{p.botID}, p.botID)})
	listed := func() bool {
		var list []memberInfo
		p.do("GET", "/pod/v2/room/"+room+"/membership/list", p.token, nil).json(t, &list)
		for _, m := range list {
			if m.ID == ext {
				return true
			}
		}
		return false
	}
	want := `{"format":"TEXT","message":"` + msgAlreadyMemberOrXpod + `"}`
	for i := 0; i < 2; i++ {
		if r := p.add(room, ext); r.status != 200 || string(r.body) != want {
			t.Fatalf("add %d: %d %s", i+1, r.status, r.body)
		}
		clock.Advance(2 * time.Second)
		if listed() {
			t.Fatalf("listed %v after the add", time.Duration(i+1)*2*time.Second)
		}
	}
	if rs, _ := p.State().Room(room); !contains(rs.Joining, ext) || contains(rs.Members, ext) {
		t.Fatalf("state before the delay: %+v", rs)
	}
	clock.Advance(time.Second + time.Millisecond)
	if !listed() {
		t.Fatal("not listed once the delay from the first add is over")
	}
	if rs, _ := p.State().Room(room); len(rs.Joining) != 0 || !contains(rs.Members, ext) {
		t.Fatalf("state after the delay: %+v", rs)
	}
	if c := p.State().Calls[ext]; c.Add != 2 {
		t.Errorf("%d add calls counted, want 2", c.Add)
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
