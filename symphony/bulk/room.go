package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"

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

// minStreamIDChars is the shortest value taken as a stream ID: 16 bytes in
// base64. A pod's IDs are longer (about 34 characters); a short word such
// as "FX" or "Rates" is base64 too, but is a room's name.
const minStreamIDChars = 22

// GivenStreamID is the one decision, for every face and path, of whether a
// room as the operator gave it (--stream, a room column, the wizard's room
// field) is a stream ID or a room's name: a stream ID in either base64
// form at least minStreamIDChars long, returned in its URL-safe form.
// Anything else is a name, and the error says why it is not a stream ID.
// A value of this shape may still be a room's name ("TradingDeskEurope
// Rates1" without the space): ResolveRoom tries it as one when the pod
// knows no room by that ID.
func GivenStreamID(given string) (string, error) {
	id, err := symphony.ParseStreamID(given)
	if err != nil {
		return "", err
	}
	if len(id) < minStreamIDChars {
		return "", fmt.Errorf("%q is %d characters long; a stream ID has at least %d", strings.TrimSpace(given), len(id), minStreamIDChars)
	}
	return id, nil
}

// roomSearchPages bounds the pages read to resolve one room name.
const roomSearchPages = 20

// ResolveRoom turns a room as given into its stream ID. A value that
// GivenStreamID takes for a stream ID is read from the pod and taken when
// the pod knows it; when the pod knows no room by it, and for any other
// value, it is a room's exact name, searched among the rooms the bot can
// see. No room of that name, or more than one, is refused (an InputError
// about the room) saying what was tried. An error that is not about the
// value (the pod, the session) is returned as it is.
func ResolveRoom(ctx context.Context, pod Client, given string) (string, error) {
	given = strings.TrimSpace(given)
	if given == "" {
		return "", &InputError{Input: InputRoom, Err: errors.New("no room given")}
	}
	id, notID := GivenStreamID(given)
	if notID == nil {
		_, err := pod.RoomInfo(ctx, id)
		switch {
		case err == nil:
			return id, nil
		case !symphony.IsUnknownRoom(err):
			return "", fmt.Errorf("room %s: %w", id, err)
		}
	}
	found, err := roomsNamed(ctx, pod, given)
	if err != nil {
		return "", err
	}
	switch len(found) {
	case 0:
		if notID == nil {
			return "", &InputError{Input: InputRoom, Err: fmt.Errorf("no room has %q as its stream ID or its name: "+
				"the pod knows no room by that stream ID, and no room the bot can see has that exact name; "+
				"copy the stream ID from the room's details in Symphony, or give the room's exact name", given)}
		}
		if meantAsID(given, notID) {
			return "", &InputError{Input: InputRoom, Err: fmt.Errorf("no room the bot can see is named %q, and it is %w", given, notID)}
		}
		return "", &InputError{Input: InputRoom, Err: fmt.Errorf("no room the bot can see is named %q; give the room's exact name or its stream ID", given)}
	case 1:
		return found[0].ID, nil
	}
	ids := make([]string, len(found))
	for i, r := range found {
		ids[i] = r.ID
	}
	return "", &InputError{Input: InputRoom, Err: fmt.Errorf("%d rooms are named %q (%s); give the stream ID of the one you mean", len(found), given, strings.Join(ids, ", "))}
}

// meantAsID reports whether a value that is not a stream ID (notID says
// why) was likely meant as one: one word as long as a stream ID, so a
// refusal says what is wrong with it as an ID, not only that no room has
// it as its name.
func meantAsID(given string, notID error) bool {
	return errors.Is(notID, symphony.ErrNotStreamID) && len(given) >= minStreamIDChars && !strings.ContainsAny(given, " \t")
}

// roomsNamed are the rooms the bot can see whose name is exactly name.
func roomsNamed(ctx context.Context, pod Client, name string) ([]symphony.Room, error) {
	var found []symphony.Room
	const limit = 100
	for page, skip := 0, 0; page < roomSearchPages; page, skip = page+1, skip+limit {
		res, err := pod.SearchRooms(ctx, name, skip, limit)
		if err != nil {
			return nil, fmt.Errorf("search for the room %q: %w", name, err)
		}
		for _, r := range res.Rooms {
			if r.Name == name {
				found = append(found, r)
			}
		}
		if len(res.Rooms) < limit || skip+len(res.Rooms) >= res.Count {
			break
		}
	}
	return found, nil
}
