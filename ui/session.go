package ui

import (
	"context"
	"fmt"
	"strings"

	"roster/symphony"
	"roster/symphony/bulk"
)

// Pod is what the wizard needs of a pod: the bulk run's calls plus
// authentication and room search. *symphony.Client satisfies it.
type Pod interface {
	bulk.Pod
	Authenticate(ctx context.Context) error
	SearchRooms(ctx context.Context, query string, skip, limit int) (*symphony.RoomSearchPage, error)
}

// Session is a loaded config with an authenticated pod client.
type Session struct {
	Config *symphony.Config
	Pod    Pod
	Caller *symphony.SessionInfo
}

// Connector loads a config and opens a session; the wizard calls it off the
// update loop, behind a spinner.
type Connector func(ctx context.Context, configPath string, auth symphony.AuthMethod) (*Session, error)

// Connect is the real Connector: LoadConfig, NewClient, Authenticate, SessionInfo.
func Connect(ctx context.Context, configPath string, auth symphony.AuthMethod) (*Session, error) {
	cfg, err := symphony.LoadConfig(configPath)
	if err != nil {
		return nil, err
	}
	client, err := symphony.NewClient(cfg, symphony.Options{Auth: auth, UserAgent: "roster"})
	if err != nil {
		return nil, err
	}
	if err := client.Authenticate(ctx); err != nil {
		return nil, fmt.Errorf("authenticate as %q: %w", cfg.BotUsername, err)
	}
	me, err := client.SessionInfo(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the bot's session info: %w", err)
	}
	return &Session{Config: cfg, Pod: client, Caller: me}, nil
}

// RoomChoice is a room as the room step lists it.
type RoomChoice struct {
	Room         symphony.Room
	Members      int // -1 when the member list could not be read
	Owners       int
	CallerOwner  bool
	CallerMember bool
	MembersErr   string // why the member list could not be read
}

// State is "active" or "deactivated".
func (r RoomChoice) State() string {
	if r.Room.Active {
		return "active"
	}
	return "deactivated"
}

// describeRoom reads a room's info and members.
func describeRoom(ctx context.Context, pod Pod, caller *symphony.SessionInfo, streamID string) (*RoomChoice, error) {
	room, err := pod.RoomInfo(ctx, streamID)
	if err != nil {
		return nil, fmt.Errorf("room %s: %w", streamID, err)
	}
	rc := &RoomChoice{Room: *room}
	countMembers(ctx, pod, caller, rc)
	return rc, nil
}

// countMembers fills the member and owner counts; a failure (a room the bot
// may not see) is recorded, not fatal: the preview's checks explain it.
func countMembers(ctx context.Context, pod Pod, caller *symphony.SessionInfo, rc *RoomChoice) {
	members, err := pod.Members(ctx, rc.Room.ID)
	if err != nil {
		rc.Members = -1
		rc.MembersErr = err.Error()
		return
	}
	rc.Members = len(members)
	for _, m := range members {
		if m.Owner {
			rc.Owners++
		}
		if caller != nil && m.UserID == caller.UserID {
			rc.CallerMember = true
			rc.CallerOwner = m.Owner
		}
	}
}

// looksLikeStreamID tells a pasted stream ID from a room name: IDs are one
// word of base64, at least 16 characters long.
func looksLikeStreamID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 16 || strings.ContainsAny(s, " \t") {
		return "", false
	}
	id, err := symphony.ParseStreamID(s)
	if err != nil {
		return "", false
	}
	return id, true
}
