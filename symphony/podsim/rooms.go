package podsim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// room is a chat room and its members, kept in join order.
type room struct {
	Room       // its Members field is unused: members and order hold them
	created    time.Time
	creator    int64 // the first member when added
	members    map[int64]*member
	order      []int64 // member IDs in join order
	lastChange time.Time
	violations int       // pacing violations in this room (paceLocked)
	joining    []joining // external users accepted, not in the room yet, in the order of their adds
}

// joining is an external user whose add a pod accepted and processes
// asynchronously: the user appears in the room at due.
type joining struct {
	id  int64
	due time.Time
}

// isJoining says whether id waits to join the room.
func (r *room) isJoining(id int64) bool {
	for _, j := range r.joining {
		if j.id == id {
			return true
		}
	}
	return false
}

// settleJoins puts the external users whose delay is over into the room,
// as members at the time they were due (a room deactivated meanwhile takes
// no one: members cannot be added to it). Every reader of a room calls it
// first (under s.mu), so that the room is as the pod would have made it by now.
func (r *room) settleJoins(now time.Time) {
	rest := r.joining[:0]
	for _, j := range r.joining {
		if j.due.After(now) {
			rest = append(rest, j)
			continue
		}
		if r.Active {
			r.addMember(j.id, false, j.due)
		}
	}
	r.joining = rest
}

type member struct {
	owner  bool
	joined time.Time
}

func (r *room) ownerCount() int {
	n := 0
	for _, m := range r.members {
		if m.owner {
			n++
		}
	}
	return n
}

func (r *room) addMember(id int64, owner bool, at time.Time) {
	if m := r.members[id]; m != nil {
		m.owner = m.owner || owner
		return
	}
	r.members[id] = &member{owner: owner, joined: at}
	r.order = append(r.order, id)
}

func (r *room) removeMember(id int64) {
	if r.members[id] == nil {
		return
	}
	delete(r.members, id)
	for i, m := range r.order {
		if m == id {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
}

// podSuffix ends every generated stream ID, as a pod's IDs share their last
// bytes. Its 0xff bytes make '_' (or '/' in standard base64) appear, so
// clients really have to convert between the two forms.
var podSuffix = []byte{0x7f, 0xff, 0xfe, 0x97, 0xa8, 0x33, 0xb7, 0x0f, 0x74}

func newStreamID() string {
	b := make([]byte, 16, 16+len(podSuffix))
	rand.Read(b)
	b = append(b, podSuffix...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validStreamID says whether id is URL-safe base64 without padding, the only
// form a pod accepts in a path.
func validStreamID(id string) bool {
	if id == "" || strings.ContainsAny(id, "+/=") {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil
}

// AddRoom adds a room and returns its stream ID. The first member is its
// creator. An ID given in standard base64 is stored in the URL-safe form
// without padding, the only one the pod serves; a room with the same ID is
// replaced.
func (s *Server) AddRoom(r Room) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.ID == "" {
		r.ID = newStreamID()
	}
	r.ID = strings.NewReplacer("+", "-", "/", "_", "=", "").Replace(r.ID)
	now := s.now()
	rm := &room{Room: r, created: now, members: make(map[int64]*member, len(r.Members))}
	rm.Members = nil
	for i, m := range r.Members {
		if i == 0 {
			rm.creator = m.UserID
		}
		// Join dates a minute apart, the oldest first.
		rm.addMember(m.UserID, m.Owner, now.Add(time.Duration(i-len(r.Members))*time.Minute))
	}
	if old := s.rooms[r.ID]; old != nil {
		for i, o := range s.roomList {
			if o == old {
				s.roomList = append(s.roomList[:i], s.roomList[i+1:]...)
				break
			}
		}
	}
	s.rooms[r.ID] = rm
	s.roomList = append(s.roomList, rm)
	return r.ID
}

// JoinNow makes the external users waiting to join a room (see
// Options.XpodDelay) join now, as if their pods had processed the requests
// (for tests that hold the delay long and end it when they choose).
func (s *Server) JoinNow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, r := range s.roomList {
		for i := range r.joining {
			r.joining[i].due = now
		}
		r.settleJoins(now)
	}
}

// SetRoomActive deactivates or reactivates a room (for mid-run tests).
func (s *Server) SetRoomActive(id string, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.rooms[id]; r != nil {
		r.Active = active
	}
}

// roomLocked finds the room of the path's id, or answers 400 "Stream not
// found." (also for IDs that are not URL-safe base64, as a pod cannot find
// them either). Callers hold s.mu.
func (s *Server) roomLocked(w http.ResponseWriter, id string) *room {
	if !validStreamID(id) {
		writeError(w, http.StatusBadRequest, msgStreamNotFound)
		return nil
	}
	r := s.rooms[id]
	if r == nil {
		writeError(w, http.StatusBadRequest, msgStreamNotFound)
		return nil
	}
	r.settleJoins(s.now())
	return r
}

// v3RoomDetail is the spec's V3RoomDetail.
type v3RoomDetail struct {
	RoomAttributes struct {
		Name             string `json:"name"`
		Description      string `json:"description"`
		MembersCanInvite bool   `json:"membersCanInvite"`
		Discoverable     bool   `json:"discoverable"`
		Public           bool   `json:"public"`
		ReadOnly         bool   `json:"readOnly"`
		CopyProtected    bool   `json:"copyProtected"`
		CrossPod         bool   `json:"crossPod"`
		ViewHistory      bool   `json:"viewHistory"`
		MultiLateralRoom bool   `json:"multiLateralRoom"`
	} `json:"roomAttributes"`
	RoomSystemInfo struct {
		ID              string `json:"id"`
		CreationDate    int64  `json:"creationDate"`
		CreatedByUserID int64  `json:"createdByUserId"`
		Active          bool   `json:"active"`
	} `json:"roomSystemInfo"`
}

func (r *room) detail() v3RoomDetail {
	var d v3RoomDetail
	a := &d.RoomAttributes
	a.Name, a.Description = r.Name, r.Description
	a.MembersCanInvite, a.Public, a.Discoverable, a.CrossPod = r.MembersCanInvite, r.Public, r.Public || r.Discoverable, r.CrossPod
	i := &d.RoomSystemInfo
	i.ID, i.CreationDate, i.CreatedByUserID, i.Active = r.ID, r.created.UnixMilli(), r.creator, r.Active
	return d
}

// mayRead says whether caller may read r's member list: its
// members, Compliance Officers and Super Compliance Officers, and User
// Provisioning (the Room Members page's Required Permissions). A public
// room's list is read by anyone, who could join it anyway (our choice: the
// page makes no exception for public rooms).
func (r *room) mayRead(caller *user) bool {
	return r.Public || r.members[caller.ID] != nil || caller.hasRole(roleUserProvisioning) ||
		caller.hasRole(roleComplianceOfficer) || caller.hasRole(roleSuperComplianceOfficer)
}

// maySee says whether caller may read r's info (room info, stream info):
// whoever may read its members (the Room Info page names the same
// members and roles), and anyone for a discoverable room, whose same
// details search shows to non-members (the Search Rooms page) and whose
// stream info needs a privilege only when it is not discoverable (the
// Stream Info page).
func (r *room) maySee(caller *user) bool {
	return r.Discoverable || r.mayRead(caller)
}

// visibleRoomLocked is roomLocked for the reads of one room: a private
// room the caller may not see answers 403, as any refused read does.
func (s *Server) visibleRoomLocked(w http.ResponseWriter, id string, caller *user, may func(*room, *user) bool) *room {
	r := s.roomLocked(w, id)
	if r != nil && !may(r, caller) {
		writeError(w, http.StatusForbidden, msgNoEntitlement)
		return nil
	}
	return r
}

// handleRoomInfo serves GET /pod/v3/room/{id}/info.
func (s *Server) handleRoomInfo(w http.ResponseWriter, req *http.Request, caller *user) {
	s.mu.Lock()
	r := s.visibleRoomLocked(w, req.PathValue("id"), caller, (*room).maySee)
	var d v3RoomDetail
	if r != nil {
		d = r.detail()
	}
	s.mu.Unlock()
	if r != nil {
		writeJSON(w, http.StatusOK, d)
	}
}

// handleStreamInfo serves GET /pod/v2/streams/{sid}/info (V2StreamAttributes).
func (s *Server) handleStreamInfo(w http.ResponseWriter, req *http.Request, caller *user) {
	type roomAttrs struct {
		Name string `json:"name"`
	}
	type streamType struct {
		Type string `json:"type"`
	}
	var reply struct {
		ID              string     `json:"id"`
		CrossPod        bool       `json:"crossPod"`
		Origin          string     `json:"origin"`
		Active          bool       `json:"active"`
		LastMessageDate int64      `json:"lastMessageDate"`
		StreamType      streamType `json:"streamType"`
		RoomAttributes  roomAttrs  `json:"roomAttributes"`
	}
	s.mu.Lock()
	r := s.visibleRoomLocked(w, req.PathValue("sid"), caller, (*room).maySee)
	if r != nil {
		reply.ID, reply.CrossPod, reply.Origin, reply.Active = r.ID, r.CrossPod, "INTERNAL", r.Active
		reply.LastMessageDate = r.created.UnixMilli()
		reply.StreamType.Type = "ROOM"
		reply.RoomAttributes.Name = r.Name
	}
	s.mu.Unlock()
	if r != nil {
		writeJSON(w, http.StatusOK, reply)
	}
}

// memberInfo is the spec's MemberInfo.
type memberInfo struct {
	ID       int64 `json:"id"`
	Owner    bool  `json:"owner"`
	JoinDate int64 `json:"joinDate"`
}

// handleMemberList serves GET /pod/v2/room/{id}/membership/list, to the
// callers mayRead allows (403 otherwise).
func (s *Server) handleMemberList(w http.ResponseWriter, req *http.Request, caller *user) {
	s.mu.Lock()
	r := s.visibleRoomLocked(w, req.PathValue("id"), caller, (*room).mayRead)
	if r == nil {
		s.mu.Unlock()
		return
	}
	list := make([]memberInfo, 0, len(r.order))
	for _, id := range r.order {
		m := r.members[id]
		list = append(list, memberInfo{ID: id, Owner: m.owner, JoinDate: m.joined.UnixMilli()})
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, list)
}

// roomSearchCriteria is the part of V2RoomSearchCriteria the pod honours.
type roomSearchCriteria struct {
	Query   *string `json:"query"`
	Active  *bool   `json:"active,omitempty"`
	Private *bool   `json:"private,omitempty"`
	Member  *struct {
		ID int64 `json:"id"`
	} `json:"member,omitempty"`
	Owner *struct {
		ID int64 `json:"id"`
	} `json:"owner,omitempty"`
}

// inSearchScope applies the Search Rooms page's scope: the rooms the caller
// is a member of (active or not), active public rooms, and active private
// rooms set to be visible in search ("discoverable"). The spec's
// includeNonDiscoverable ("whether the non discoverable rooms should be
// returned, false by default") is read as bringing in the caller's own
// non-discoverable private rooms, the only ones the scope holds (our
// reading; without it a pod leaves them out).
func (r *room) inSearchScope(caller *user, includeNonDiscoverable bool) bool {
	switch {
	case r.members[caller.ID] != nil:
		return r.Public || r.Discoverable || includeNonDiscoverable
	case !r.Active:
		return false
	}
	return r.Public || r.Discoverable
}

// handleRoomSearch serves POST /pod/v3/room/search: query matches name or
// description (case-insensitive) among the rooms inSearchScope; skip >= 0;
// limit 1..100, 50 by default.
func (s *Server) handleRoomSearch(w http.ResponseWriter, req *http.Request, caller *user) {
	includeNonDiscoverable, ok := parseOptionalBool(req.URL.Query(), "includeNonDiscoverable")
	if !ok {
		writeError(w, http.StatusBadRequest, "includeNonDiscoverable must be true or false")
		return
	}
	skip, limit := 0, 50
	if v := req.URL.Query().Get("skip"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "skip must be a non-negative integer")
			return
		}
		skip = n
	}
	if v := req.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "limit must be a positive integer not exceeding 100")
			return
		}
		limit = n
	}
	var c roomSearchCriteria
	if err := json.NewDecoder(io.LimitReader(req.Body, 64<<10)).Decode(&c); err != nil {
		writeError(w, http.StatusBadRequest, "The request body must be a room search query object")
		return
	}
	if c.Query == nil {
		writeError(w, http.StatusBadRequest, "The query field is required")
		return
	}
	q := strings.ToLower(strings.TrimSpace(*c.Query))
	var matched []v3RoomDetail
	s.mu.Lock()
	for _, r := range s.roomList {
		if !r.inSearchScope(caller, includeNonDiscoverable.set && includeNonDiscoverable.v) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(r.Name), q) && !strings.Contains(strings.ToLower(r.Description), q) {
			continue
		}
		if c.Active != nil && *c.Active != r.Active || c.Private != nil && *c.Private == r.Public {
			continue
		}
		if c.Member != nil && r.members[c.Member.ID] == nil {
			continue
		}
		if c.Owner != nil && (r.members[c.Owner.ID] == nil || !r.members[c.Owner.ID].owner) {
			continue
		}
		matched = append(matched, r.detail())
	}
	s.mu.Unlock()
	page := []v3RoomDetail{}
	if skip < len(matched) {
		page = matched[skip:min(len(matched), skip+limit)]
	}
	writeJSON(w, http.StatusOK, struct {
		Count             int                `json:"count"`
		Skip              int                `json:"skip"`
		Limit             int                `json:"limit"`
		Query             roomSearchCriteria `json:"query"`
		Rooms             []v3RoomDetail     `json:"rooms"`
		FacetedMatchCount []struct{}         `json:"facetedMatchCount"`
	}{len(matched), skip, limit, c, page, []struct{}{}})
}
