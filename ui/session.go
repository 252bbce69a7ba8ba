package ui

import (
	"context"
	"strings"

	"roster/symphony"
	"roster/symphony/bulk"
)

// Pod is what the wizard needs of a pod; the job's client.
type Pod = bulk.Client

// Session is the job's session: a loaded config, an authenticated client
// and who the bot is.
type Session = bulk.Session

// RoomChoice is a room as the room step lists it: the job's room status.
type RoomChoice = bulk.RoomStatus

// Connector loads a config and opens a session; the wizard calls it off the
// update loop, behind a spinner.
type Connector func(ctx context.Context, configPath string, auth symphony.AuthMethod) (*Session, error)

// Connect is the real Connector: the job's.
var Connect Connector = bulk.Connect

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
