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

// Replies of our own choosing where real pods' replies are not on record.
// Each is the status a pod gives for that class of problem (400 for a bad
// target, 403 for a rule the caller may not break), with a message that
// names the problem.
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
	msgLastOwner = "Cannot demote the last owner of the room"
	// Membership of a deactivated room is locked.
	msgDeactivatedRemove = "Cannot remove member from a deactivated room"
	msgDeactivatedChange = "Cannot change owners of a deactivated room"
	// The body was not {"id": n}.
	msgBadPayload = "Payload must be a JSON object {\"id\": <user ID>}"
)

// handleMembership serves the four membership calls. The order of checks:
// payload, room (400 "Stream not found."), caller's permission (403), room
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
		s.countCallLocked(action, target)
		r := s.roomLocked(w, req.PathValue("id"))
		if r == nil {
			return
		}
		if !s.mayChangeLocked(action, caller, r) {
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

// mayChangeLocked applies the rules of Symphony's Add Member page: owners
// may add; members may add when the room lets members invite; users with
// User Provisioning may add anywhere; compliance officers may add to rooms
// they are not members of. Removing and changing owners is for owners and
// User Provisioning.
func (s *Server) mayChangeLocked(a membershipAction, caller *user, r *room) bool {
	m := r.members[caller.ID]
	if m != nil && m.owner || caller.hasRole(roleUserProvisioning) {
		return true
	}
	if a != actionAdd {
		return false
	}
	if m != nil {
		return r.MembersCanInvite
	}
	return caller.hasRole(roleComplianceOfficer)
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

func (s *Server) addLocked(w http.ResponseWriter, r *room, target int64) {
	u := s.users[target]
	switch {
	case u == nil:
		writeError(w, http.StatusBadRequest, msgUserNotFound)
		return
	case r.members[target] != nil:
		writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: msgAlreadyMember})
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
	r.addMember(target, false, s.now())
	writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: "Member added"})
}

// memberLocked is the target's membership, or nil after answering 400 when
// the target is no user or not in the room: what removing, promoting and
// demoting all check first.
func (s *Server) memberLocked(w http.ResponseWriter, r *room, target int64) *member {
	m := r.members[target]
	switch {
	case s.users[target] == nil:
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
		writeError(w, http.StatusBadRequest, "Cannot remove the last owner of the room")
		return
	}
	if !s.paceLocked(w, r) {
		return
	}
	r.removeMember(target)
	writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: "Member removed"})
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
	msg := "Member promoted to owner"
	if !owner {
		msg = "Member demoted to participant"
	}
	writeJSON(w, http.StatusOK, successResponse{Format: "TEXT", Message: msg})
}
