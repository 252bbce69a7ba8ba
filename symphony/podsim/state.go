package podsim

import "net/http"

// State returns a copy of the state: rooms in creation order with members
// in join order (with their pacing violations), membership calls per target
// user ID, pacing violations in all rooms, and calls the per-caller throttle
// refused.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{
		Rooms:            make([]RoomState, 0, len(s.roomList)),
		Calls:            make(map[int64]*CallCount, len(s.calls)),
		PacingViolations: s.pacing.violations,
		Throttled:        s.pacing.throttled,
	}
	for _, r := range s.roomList {
		r.settleJoins(s.now())
		rs := RoomState{ID: r.ID, Name: r.Name, Active: r.Active,
			Members: make([]int64, 0, len(r.order)), Owners: []int64{}, Joining: []int64{},
			PacingViolations: r.violations}
		for _, j := range r.joining {
			rs.Joining = append(rs.Joining, j.id)
		}
		for _, id := range r.order {
			rs.Members = append(rs.Members, id)
			if r.members[id].owner {
				rs.Owners = append(rs.Owners, id)
			}
		}
		st.Rooms = append(st.Rooms, rs)
	}
	for id, c := range s.calls {
		cc := *c
		st.Calls[id] = &cc
	}
	return st
}

// Room returns the state of one room and whether it exists.
func (st State) Room(id string) (RoomState, bool) {
	for _, r := range st.Rooms {
		if r.ID == id {
			return r, true
		}
	}
	return RoomState{}, false
}

// handleState serves GET /_sim/state, a path the real API does not use, with
// no session needed: it is for tests and for a newcomer's curl.
func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.State())
}
