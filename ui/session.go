package ui

import (
	"context"

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

// streamIDGiven is the job's one decision of whether the room field holds
// a stream ID (bulk.GivenStreamID) or a room's name.
func streamIDGiven(s string) (string, bool) {
	id, err := bulk.GivenStreamID(s)
	return id, err == nil
}
