package symphony

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"roster/symphony/podsim"
)

// standardForm turns a URL-safe unpadded ID into the standard, padded form
// that Symphony's client shows.
func standardForm(id string) string {
	s := strings.NewReplacer("-", "+", "_", "/").Replace(id)
	for len(s)%4 != 0 {
		s += "="
	}
	return s
}

func TestEveryStreamIDForm(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	ctx := testCtx(t)
	// Find a room whose ID has characters that differ between the two alphabets.
	var room string
	for i := 0; i < 200 && !strings.ContainsAny(room, "-_"); i++ {
		room = p.room(fmt.Sprintf("Form %d", i))
	}
	if !strings.ContainsAny(room, "-_") {
		t.Fatalf("no room ID with - or _ in 200 tries")
	}
	std := standardForm(room)
	forms := map[string]string{
		"URL-safe unpadded": room,
		"URL-safe padded":   room + strings.Repeat("=", len(std)-len(room)),
		"standard padded":   std,
		"standard unpadded": strings.TrimRight(std, "="),
	}
	for name, id := range forms {
		t.Run(name, func(t *testing.T) {
			r, err := c.RoomInfo(ctx, id)
			if err != nil || r.ID != room || !strings.HasPrefix(r.Name, "Form") {
				t.Fatalf("RoomInfo(%s) = %+v, %v; want room %s", id, r, err, room)
			}
			if _, err := c.Members(ctx, id); err != nil {
				t.Errorf("Members(%s): %v", id, err)
			}
			if s, err := c.StreamInfo(ctx, id); err != nil || s.ID != room || s.Type != "ROOM" || s.Origin != "INTERNAL" ||
				!s.Active || !strings.HasPrefix(s.RoomName, "Form") {
				t.Errorf("StreamInfo(%s) = %+v, %v", id, s, err)
			}
		})
	}
	t.Run("invalid ID is refused before any call", func(t *testing.T) {
		before := c.requests.Load()
		_, err := c.AddMember(ctx, "not a stream id!", 1)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Class != ClassPermanent || !strings.Contains(err.Error(), "stream ID") {
			t.Errorf("AddMember(bad id) = %v; want a permanent error about the stream ID", err)
		}
		if c.requests.Load() != before {
			t.Errorf("a bad stream ID was sent to the pod")
		}
	})
}

func TestRoomCalls(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	ctx := testCtx(t)
	ann := p.AddUser(podsim.User{Username: "ann", Active: true})
	bob := p.AddUser(podsim.User{Username: "bob", Active: true})
	room := p.AddRoom(podsim.Room{Name: "Trading desk", Description: "Rates", Active: true, MembersCanInvite: true, CrossPod: true,
		Members: []podsim.Member{{UserID: p.BotID, Owner: true}, {UserID: ann}}})
	for i := 0; i < 5; i++ {
		p.AddRoom(podsim.Room{Name: fmt.Sprintf("Trading floor %d", i), Active: true,
			Members: []podsim.Member{{UserID: p.BotID, Owner: true}}})
	}

	r, err := c.RoomInfo(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "Trading desk" || r.Description != "Rates" || !r.Active || !r.MembersCanInvite || !r.CrossPod || r.ID != room {
		t.Errorf("RoomInfo = %+v", r)
	}
	members, err := c.Members(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	owners := map[int64]bool{}
	for _, m := range members {
		owners[m.UserID] = m.Owner
	}
	if len(members) != 2 || !owners[p.BotID] || owners[ann] {
		t.Errorf("Members = %+v; want the bot as owner and ann as member", members)
	}

	page, err := c.SearchRooms(ctx, "Trading", 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	if page.Count != 6 || len(page.Rooms) != 4 {
		t.Errorf("search page 1: count %d, %d rooms; want 6 and 4", page.Count, len(page.Rooms))
	}
	page2, err := c.SearchRooms(ctx, "Trading", 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(page2.Rooms) != 2 || page2.Skip != 4 {
		t.Errorf("search page 2: skip %d, %d rooms; want 4 and 2", page2.Skip, len(page2.Rooms))
	}

	steps := []struct {
		name  string
		call  func(context.Context, string, int64) (Change, error)
		user  int64
		check func(podsim.RoomState) bool
	}{
		{"add", c.AddMember, bob, func(s podsim.RoomState) bool { return contains(s.Members, bob) }},
		{"promote", c.PromoteOwner, bob, func(s podsim.RoomState) bool { return contains(s.Owners, bob) }},
		{"demote", c.DemoteOwner, bob, func(s podsim.RoomState) bool { return !contains(s.Owners, bob) && contains(s.Members, bob) }},
		{"remove", c.RemoveMember, bob, func(s podsim.RoomState) bool { return !contains(s.Members, bob) }},
	}
	for _, s := range steps {
		ch, err := s.call(ctx, room, s.user)
		if err != nil || ch.Outcome != Changed || ch.Status != 200 {
			t.Errorf("%s = %+v, %v", s.name, ch, err)
		}
		if !s.check(p.Room(t, room)) {
			t.Errorf("after %s the pod's state is %+v", s.name, p.Room(t, room))
		}
	}
}

// The replies real pods give to the edge cases, as typed results.
func TestEdgeReplies(t *testing.T) {
	p := startPodAs(t, podsim.Options{}) // without User Provisioning: rooms it is not in are closed to it
	c := p.rsaClient(t)
	ctx := testCtx(t)
	ann := p.AddUser(podsim.User{Username: "ann", Active: true})
	bob := p.AddUser(podsim.User{Username: "bob", Active: true})
	room := p.room("Edges", ann)
	dead := p.room("Deactivated")
	p.SetRoomActive(dead, false)
	stranger := p.AddUser(podsim.User{Username: "owner", Active: true})
	forbidden := p.AddRoom(podsim.Room{Name: "Not ours", Active: true, Members: []podsim.Member{{UserID: stranger, Owner: true}}})

	// The observed reply says "already a member, or a cross-pod add made
	// later": the client does not pretend to know which.
	t.Run("already a member", func(t *testing.T) {
		ch, err := c.AddMember(ctx, room, ann)
		if err != nil || ch.Outcome != AlreadyMemberOrXpod ||
			ch.Message != "Member already part of the room or Xpod request will be processed asynchronously" {
			t.Errorf("AddMember(member) = %+v, %v; want AlreadyMemberOrXpod", ch, err)
		}
	})
	cases := []struct {
		name   string
		room   string
		status int
		msg    string
	}{
		{"deactivated room", dead, 400, "deactivated"},
		{"stream not found", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 400, "Stream not found"},
		{"no permission", forbidden, 403, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := c.requests.Load()
			_, err := c.AddMember(ctx, tc.room, bob)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("AddMember = %v; want an *APIError", err)
			}
			if ae.Status != tc.status || ae.Class != ClassPermanent || !strings.Contains(ae.Message, tc.msg) {
				t.Errorf("got status %d class %v message %q; want %d permanent %q", ae.Status, ae.Class, ae.Message, tc.status, tc.msg)
			}
			if n := c.requests.Load() - before; n != 1 {
				t.Errorf("%d requests for a permanent error; want 1", n)
			}
			if _, more := c.retry.Backoff(1, err); more {
				t.Errorf("Backoff allows a retry of a permanent error")
			}
		})
	}
	t.Run("room info of an unknown stream is not retried", func(t *testing.T) {
		before := c.requests.Load()
		_, err := c.RoomInfo(ctx, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
		if ClassOf(err) != ClassPermanent || c.requests.Load()-before != 1 {
			t.Errorf("RoomInfo(unknown) = %v after %d requests; want one permanent failure", err, c.requests.Load()-before)
		}
	})
}
