package bulk

import (
	"context"
	"fmt"

	"roster/symphony"
)

// RoomStatus is a room as the room step lists it: its info, and its member
// and owner counts when the member list could be read.
type RoomStatus struct {
	Room         symphony.Room
	Members      int // -1 when the member list could not be read
	Owners       int
	CallerOwner  bool
	CallerMember bool
	MembersErr   string // why the member list could not be read
}

// DescribeRoom reads a room's info and counts its members.
func DescribeRoom(ctx context.Context, s *Session, streamID string) (*RoomStatus, error) {
	room, err := s.Pod.RoomInfo(ctx, streamID)
	if err != nil {
		return nil, fmt.Errorf("room %s: %w", streamID, err)
	}
	rs := &RoomStatus{Room: *room}
	rs.count(ctx, s)
	return rs, nil
}

// DescribeRooms describes rooms known in advance (the demo's), in order.
func DescribeRooms(ctx context.Context, s *Session, ids []string) ([]RoomStatus, error) {
	out := make([]RoomStatus, 0, len(ids))
	for _, id := range ids {
		rs, err := DescribeRoom(ctx, s, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *rs)
	}
	return out, nil
}

// SearchRooms finds rooms by name, and counts the members of the first
// counted of them (each count is one more call).
func SearchRooms(ctx context.Context, s *Session, query string, limit, counted int) (rooms []RoomStatus, total int, err error) {
	page, err := s.Pod.SearchRooms(ctx, query, 0, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("search rooms for %q: %w", query, err)
	}
	rooms = make([]RoomStatus, len(page.Rooms))
	for i, r := range page.Rooms {
		rooms[i] = RoomStatus{Room: r, Members: -1}
		if i < counted {
			rooms[i].count(ctx, s)
		}
	}
	return rooms, page.Count, nil
}

// count fills the member and owner counts; a failure (a room the bot may
// not see) is recorded, not fatal: the preview's checks explain it.
func (rs *RoomStatus) count(ctx context.Context, s *Session) {
	members, err := s.Pod.Members(ctx, rs.Room.ID)
	if err != nil {
		rs.Members = -1
		rs.MembersErr = err.Error()
		return
	}
	rs.Members = len(members)
	for _, m := range members {
		if m.Owner {
			rs.Owners++
		}
		if s.Caller != nil && m.UserID == s.Caller.UserID {
			rs.CallerMember = true
			rs.CallerOwner = m.Owner
		}
	}
}
