package symphony

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SessionInfo is the caller (the bot) as GET /pod/v2/sessioninfo describes it.
type SessionInfo struct {
	UserID      int64
	Username    string
	DisplayName string
	Roles       []string // e.g. "INDIVIDUAL", "USER_PROVISIONING", "COMPLIANCE_OFFICER"
}

// HasRole reports whether the caller has the role (case-insensitive).
func (s *SessionInfo) HasRole(role string) bool {
	for _, r := range s.Roles {
		if strings.EqualFold(r, role) {
			return true
		}
	}
	return false
}

// Room is a chat room as GET /pod/v3/room/{id}/info describes it.
type Room struct {
	ID               string // URL-safe base64 without padding
	Name             string
	Description      string
	Active           bool
	Public           bool
	MembersCanInvite bool
	CrossPod         bool
	ReadOnly         bool
	CreatorUserID    int64
	Created          time.Time
}

// RoomSearchPage is one page of POST /pod/v3/room/search.
type RoomSearchPage struct {
	Count int // total matches
	Skip  int
	Limit int
	Rooms []Room
}

// StreamInfo is GET /pod/v2/streams/{sid}/info, reduced to what roster uses.
type StreamInfo struct {
	ID         string
	Type       string // "ROOM", "IM", "MIM", "POST"
	Active     bool
	CrossPod   bool
	RoomName   string
	Origin     string // "INTERNAL" when the creator is of this pod, "EXTERNAL" otherwise
	LastPostAt time.Time
}

// Member is one entry of GET /pod/v2/room/{id}/membership/list.
type Member struct {
	UserID   int64
	Owner    bool
	JoinDate time.Time
}

// Wire shapes of the pod API (pod-api-public.yaml), kept private so that
// the exported types stay what roster needs.
type (
	wireUser struct {
		ID          int64    `json:"id"`
		Email       string   `json:"emailAddress"`
		Username    string   `json:"username"`
		DisplayName string   `json:"displayName"`
		Company     string   `json:"company"`
		AccountType string   `json:"accountType"`
		Roles       []string `json:"roles"`
	}
	wireRoomDetail struct {
		RoomAttributes struct {
			Name             string `json:"name"`
			Description      string `json:"description"`
			MembersCanInvite bool   `json:"membersCanInvite"`
			Public           bool   `json:"public"`
			ReadOnly         bool   `json:"readOnly"`
			CrossPod         bool   `json:"crossPod"`
		} `json:"roomAttributes"`
		RoomSystemInfo struct {
			ID              string `json:"id"`
			CreationDate    int64  `json:"creationDate"`
			CreatedByUserID int64  `json:"createdByUserId"`
			Active          bool   `json:"active"`
		} `json:"roomSystemInfo"`
	}
	wireSearchResults struct {
		Count int64            `json:"count"`
		Skip  int              `json:"skip"`
		Limit int              `json:"limit"`
		Rooms []wireRoomDetail `json:"rooms"`
	}
	wireStream struct {
		ID              string `json:"id"`
		CrossPod        bool   `json:"crossPod"`
		Active          bool   `json:"active"`
		LastMessageDate int64  `json:"lastMessageDate"`
		Origin          string `json:"origin"`
		StreamType      struct {
			Type string `json:"type"`
		} `json:"streamType"`
		RoomAttributes struct {
			Name string `json:"name"`
		} `json:"roomAttributes"`
	}
	wireMember struct {
		ID       int64 `json:"id"`
		Owner    bool  `json:"owner"`
		JoinDate int64 `json:"joinDate"`
	}
)

// millis turns Symphony's epoch milliseconds into a time; 0 stays the zero time.
func millis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// normaliseID puts an ID the pod returned into the URL-safe form, keeping it
// as sent if it is not base64 at all.
func normaliseID(id string) string {
	if n, err := ParseStreamID(id); err == nil {
		return n
	}
	return id
}

func (w wireRoomDetail) room() Room {
	return Room{
		ID:               normaliseID(w.RoomSystemInfo.ID),
		Name:             w.RoomAttributes.Name,
		Description:      w.RoomAttributes.Description,
		Active:           w.RoomSystemInfo.Active,
		Public:           w.RoomAttributes.Public,
		MembersCanInvite: w.RoomAttributes.MembersCanInvite,
		CrossPod:         w.RoomAttributes.CrossPod,
		ReadOnly:         w.RoomAttributes.ReadOnly,
		CreatorUserID:    w.RoomSystemInfo.CreatedByUserID,
		Created:          millis(w.RoomSystemInfo.CreationDate),
	}
}

// streamPath validates a stream ID and returns it ready for a URL path; a
// bad ID is a permanent error of the call, before anything is sent.
func streamPath(op, streamID string) (string, error) {
	id, err := ParseStreamID(streamID)
	if err != nil {
		return "", &APIError{Op: op, Class: ClassPermanent, Message: err.Error(), Err: err}
	}
	return url.PathEscape(id), nil
}

// getJSON reads a pod resource into v, retrying per the retry policy.
func (c *Client) getJSON(ctx context.Context, op, path string, v any) error {
	rep, err := c.read(ctx, request{method: "GET", endpoint: c.cfg.Pod, path: path, op: op})
	if err != nil {
		return err
	}
	return decode(op, rep, v)
}

// SessionInfo describes the caller (GET /pod/v2/sessioninfo). It and the
// other read calls retry retryable errors per the config's RetryPolicy.
func (c *Client) SessionInfo(ctx context.Context) (*SessionInfo, error) {
	const op = "GET /pod/v2/sessioninfo"
	var w wireUser
	if err := c.getJSON(ctx, op, "/pod/v2/sessioninfo", &w); err != nil {
		return nil, err
	}
	return &SessionInfo{UserID: w.ID, Username: w.Username, DisplayName: w.DisplayName, Roles: w.Roles}, nil
}

// RoomInfo describes a room (GET /pod/v3/room/{id}/info).
func (c *Client) RoomInfo(ctx context.Context, streamID string) (*Room, error) {
	const op = "GET /pod/v3/room/{id}/info"
	id, err := streamPath(op, streamID)
	if err != nil {
		return nil, err
	}
	var w wireRoomDetail
	if err := c.getJSON(ctx, op, "/pod/v3/room/"+id+"/info", &w); err != nil {
		return nil, err
	}
	r := w.room()
	if r.ID == "" {
		r.ID, _ = ParseStreamID(streamID)
	}
	return &r, nil
}

// SearchRooms returns one page of rooms matching query (POST /pod/v3/room/search).
// A limit outside 1..100 becomes the pod's default of 50. It asks for the
// rooms that are not discoverable too (includeNonDiscoverable, a pod's
// parameter since sbe-25.5.0): without it a pod leaves out the bot's own
// private rooms that are not visible in search.
func (c *Client) SearchRooms(ctx context.Context, query string, skip, limit int) (*RoomSearchPage, error) {
	const op = "POST /pod/v3/room/search"
	if limit < 1 || limit > 100 {
		limit = 50
	}
	if skip < 0 {
		skip = 0
	}
	q := url.Values{"skip": {strconv.Itoa(skip)}, "limit": {strconv.Itoa(limit)}, "includeNonDiscoverable": {"true"}}
	rep, err := c.read(ctx, request{method: "POST", endpoint: c.cfg.Pod, path: "/pod/v3/room/search", op: op,
		query: q, body: map[string]string{"query": query}})
	if err != nil {
		return nil, err
	}
	var w wireSearchResults
	if err := decode(op, rep, &w); err != nil {
		return nil, err
	}
	page := &RoomSearchPage{Count: int(w.Count), Skip: w.Skip, Limit: w.Limit, Rooms: make([]Room, 0, len(w.Rooms))}
	for _, r := range w.Rooms {
		page.Rooms = append(page.Rooms, r.room())
	}
	return page, nil
}

// StreamInfo describes any stream (GET /pod/v2/streams/{sid}/info).
func (c *Client) StreamInfo(ctx context.Context, streamID string) (*StreamInfo, error) {
	const op = "GET /pod/v2/streams/{sid}/info"
	id, err := streamPath(op, streamID)
	if err != nil {
		return nil, err
	}
	var w wireStream
	if err := c.getJSON(ctx, op, "/pod/v2/streams/"+id+"/info", &w); err != nil {
		return nil, err
	}
	return &StreamInfo{
		ID:         normaliseID(w.ID),
		Type:       w.StreamType.Type,
		Active:     w.Active,
		CrossPod:   w.CrossPod,
		RoomName:   w.RoomAttributes.Name,
		Origin:     w.Origin,
		LastPostAt: millis(w.LastMessageDate),
	}, nil
}

// Members lists a room's members (GET /pod/v2/room/{id}/membership/list).
func (c *Client) Members(ctx context.Context, streamID string) ([]Member, error) {
	const op = "GET /pod/v2/room/{id}/membership/list"
	id, err := streamPath(op, streamID)
	if err != nil {
		return nil, err
	}
	var w []wireMember
	if err := c.getJSON(ctx, op, "/pod/v2/room/"+id+"/membership/list", &w); err != nil {
		return nil, err
	}
	members := make([]Member, len(w))
	for i, m := range w {
		members[i] = Member{UserID: m.ID, Owner: m.Owner, JoinDate: millis(m.JoinDate)}
	}
	return members, nil
}
