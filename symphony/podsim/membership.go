package podsim

import (
	"encoding/json"
	"io"
	"net/http"
)

// membershipAction is one of the four POST /pod/v1/room/{id}/membership/... calls.
type membershipAction int

const (
	actionAdd membershipAction = iota
	actionRemove
	actionPromote
	actionDemote
)

// Replies of our own choosing where real pods' replies are not on record
// (doc.go lists them with the reasons). Each is the status a pod gives for
// that class of problem (400 for a bad target, 403 for a rule the caller
// may not break), with a message that names the problem.
const (
	// An ID that is no user of the pod (or of a visible other pod).
	msgUserNotFound = "User not found."
	// A deactivated user cannot be added; the account must be reactivated first.
	msgUserInactive = "Cannot add an inactive user to the room"
	// External users only go into rooms created as cross-pod: 403, as the
	// room's setting forbids it whoever the caller is.
	msgExternalNotAllowed = "Cannot add an external user to a room that is not cross-pod"
	// Removing, promoting or demoting someone who is not in the room.
	msgNotAMember = "User is not a member of the room"
	// A room keeps at least one owner.
	msgLastOwner       = "Cannot demote the last owner of the room"
	msgLastOwnerRemove = "Cannot remove the last owner of the room"
	// Membership of a deactivated room is locked.
	msgDeactivatedRemove = "Cannot remove member from a deactivated room"
	msgDeactivatedChange = "Cannot change owners of a deactivated room"
	// The body was not {"id": n}.
	msgBadPayload = "Payload must be a JSON object {\"id\": <user ID>}"
)

// The success messages of the membership calls: the spec's examples
// (pod-api-public.yaml, the 200 of each /v1/room/{id}/membership/... call).
const (
	msgMemberAdded   = "Member added"             // spec: membership/add
	msgMemberRemoved = "Member removed"           // spec: membership/remove
	msgOwnerPromoted = "Member promoted to owner" // spec: membership/promoteOwner
	msgOwnerDemoted  = "Owner demoted"            // spec: membership/demoteOwner
)

// handleMembership serves the four membership calls. The order of checks:
// payload, the caller's rate (Options.CallerGap: 429), room (400 "Stream not found."), caller's permission (403), room
// active (400), target user (400/403), then the change itself with the
// pacing rule.
func (s *Server) handleMembership(action membershipAction) authedHandler {
	return func(w http.ResponseWriter, req *http.Request, caller *user) {
		var body struct {
			ID *int64 `json:"id"`
		}
		if err := json.NewDecoder(io.LimitReader(req.Body, 4<<10)).Decode(&body); err != nil || body.ID == nil {
			writeError(w, http.StatusBadRequest, msgBadPayload)
			return
		}
		target := *body.ID
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.throttleCallerLocked(w, caller) {
			return
		}
		s.countCallLocked(action, target)
		r := s.roomLocked(w, req.PathValue("id"))
		if r == nil {
			return
		}
		if !s.mayChangeLocked(action, caller, r, target) {
			writeError(w, http.StatusForbidden, msgNoEntitlement)
			return
		}
		if !r.Active {
			writeError(w, http.StatusBadRequest, deactivatedMessage(action))
			return
		}
		switch action {
		case actionAdd:
			s.addLocked(w, r, target)
		case actionRemove:
			s.removeLocked(w, r, target)
		case actionPromote, actionDemote:
			s.setOwnerLocked(w, r, target, action == actionPromote)
		}
	}
}

func deactivatedMessage(a membershipAction) string {
	switch a {
	case actionAdd:
		return msgDeactivatedAdd
	case actionRemove:
		return msgDeactivatedRemove
	}
	return msgDeactivatedChange
}

// mayChangeLocked applies the Required Permissions of Symphony's Add Member
// and Remove Member pages (rest-api.symphony.com, Room endpoints):
//
//   - add: owners; members when the room lets members invite ("Let
//     participants add members"); Compliance Officers and Super Compliance
//     Officers who are not members; service users with User Provisioning.
//     And, from the same page's Rules: a user may add itself to a public
//     room ("Joining Public Rooms").
//   - remove: owners; Compliance Officers and Super Compliance Officers who
//     are not members; User Provisioning (members or not); and "the service
//     user can always remove itself from the room".
//   - promote and demote: owners and User Provisioning (the Promote Owner
//     and Demote Owner pages name no other role).
//
// The pages say User Provisioning adds "who are not members"; podsim lets
// such a user add as a member too, since being in the room takes no right
// away (our reading).
func (s *Server) mayChangeLocked(a membershipAction, caller *user, r *room, target int64) bool {
	m := r.members[caller.ID]
	if m != nil && m.owner || caller.hasRole(roleUserProvisioning) {
		return true
	}
	officer := m == nil && (caller.hasRole(roleComplianceOfficer) || caller.hasRole(roleSuperComplianceOfficer))
	switch a {
	case actionAdd:
		switch {
		case m != nil:
			return r.MembersCanInvite
		case officer:
			return true
		}
		return target == caller.ID && r.Public
	case actionRemove:
		return officer || target == caller.ID
	}
	return false
}

func (s *Server) countCallLocked(a membershipAction, target int64) {
	if a != actionAdd && a != actionRemove {
		return
	}
	c := s.calls[target]
	if c == nil {
		c = &CallCount{}
		s.calls[target] = c
	}
	if a == actionAdd {
		c.Add++
	} else {
		c.Remove++
	}
}

// addLocked adds target to r. An add that changes nothing and an add of an
// external user to a cross-pod room both answer 200 with the observed
// msgAlreadyMemberOrXpod: a pod processes the latter asynchronously, so
// the user joins s.opts.XpodDelay later (settleJoins).
func (s *Server) addLocked(w http.ResponseWriter, r *room, target int64) {
	u := s.users.get(target)
	switch {
	case u == nil:
		writeError(w, http.StatusBadRequest, msgUserNotFound)
		return
	case r.members[target] != nil || r.isJoining(target):
		writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: msgAlreadyMemberOrXpod})
		return
	case !u.Active:
		writeError(w, http.StatusBadRequest, msgUserInactive)
		return
	case u.External && !r.CrossPod:
		writeError(w, http.StatusForbidden, msgExternalNotAllowed)
		return
	}
	if !s.paceLocked(w, r) {
		return
	}
	if u.External {
		r.joining = append(r.joining, joining{id: target, due: s.now().Add(s.opts.XpodDelay)})
		writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: msgAlreadyMemberOrXpod})
		return
	}
	r.addMember(target, false, s.now())
	writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: msgMemberAdded})
}

// memberLocked is the target's membership, or nil after answering 400 when
// the target is no user or not in the room: what removing, promoting and
// demoting all check first.
func (s *Server) memberLocked(w http.ResponseWriter, r *room, target int64) *member {
	m := r.members[target]
	switch {
	case !s.users.has(target):
		writeError(w, http.StatusBadRequest, msgUserNotFound)
		return nil
	case m == nil:
		writeError(w, http.StatusBadRequest, msgNotAMember)
		return nil
	}
	return m
}

func (s *Server) removeLocked(w http.ResponseWriter, r *room, target int64) {
	m := s.memberLocked(w, r, target)
	if m == nil {
		return
	}
	if m.owner && r.ownerCount() == 1 {
		writeError(w, http.StatusBadRequest, msgLastOwnerRemove)
		return
	}
	if !s.paceLocked(w, r) {
		return
	}
	r.removeMember(target)
	writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: msgMemberRemoved})
}

func (s *Server) setOwnerLocked(w http.ResponseWriter, r *room, target int64, owner bool) {
	m := s.memberLocked(w, r, target)
	if m == nil {
		return
	}
	if !owner && m.owner && r.ownerCount() == 1 {
		writeError(w, http.StatusBadRequest, msgLastOwner)
		return
	}
	m.owner = owner
	msg := msgOwnerPromoted
	if !owner {
		msg = msgOwnerDemoted
	}
	writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: msg})
}
