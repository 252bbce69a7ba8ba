package symphony

import (
	"context"
	"encoding/json"
	"strings"
)

// ChangeOutcome is what a membership call did.
type ChangeOutcome int

const (
	Changed       ChangeOutcome = iota // the change was made
	AlreadyMember                      // add answered 200 "Member already part of the room"
)

func (o ChangeOutcome) String() string {
	if o == AlreadyMember {
		return "already-member"
	}
	return "changed"
}

// Change is the result of a successful membership call.
type Change struct {
	Outcome ChangeOutcome
	Status  int    // HTTP status
	Message string // Symphony's message
}

// alreadyMemberText is how a pod says that an add changed nothing.
const alreadyMemberText = "already part of the room"

// Membership calls make ONE attempt (plus one transparent re-authentication
// and retry on 401). The caller (the bulk runner) paces and retries them,
// using Backoff, so that every attempt is paced.
func (c *Client) AddMember(ctx context.Context, streamID string, userID int64) (Change, error) {
	return c.membership(ctx, "add", streamID, userID)
}

// RemoveMember removes a member (POST /pod/v1/room/{id}/membership/remove).
func (c *Client) RemoveMember(ctx context.Context, streamID string, userID int64) (Change, error) {
	return c.membership(ctx, "remove", streamID, userID)
}

// PromoteOwner makes a member an owner (POST /pod/v1/room/{id}/membership/promoteOwner).
func (c *Client) PromoteOwner(ctx context.Context, streamID string, userID int64) (Change, error) {
	return c.membership(ctx, "promoteOwner", streamID, userID)
}

// DemoteOwner makes an owner a plain member (POST /pod/v1/room/{id}/membership/demoteOwner).
func (c *Client) DemoteOwner(ctx context.Context, streamID string, userID int64) (Change, error) {
	return c.membership(ctx, "demoteOwner", streamID, userID)
}

// userIDBody is the spec's UserId, the body of every membership call.
type userIDBody struct {
	ID int64 `json:"id"`
}

func (c *Client) membership(ctx context.Context, action, streamID string, userID int64) (Change, error) {
	op := "POST /pod/v1/room/{id}/membership/" + action
	id, err := streamPath(op, streamID)
	if err != nil {
		return Change{}, err
	}
	rep, err := c.do(ctx, request{method: "POST", endpoint: c.cfg.Pod, path: "/pod/v1/room/" + id + "/membership/" + action,
		op: op, body: userIDBody{ID: userID}})
	if err != nil {
		return Change{}, err
	}
	var w struct {
		Message string `json:"message"`
	}
	// The change is made whatever the body says; an unreadable body only loses the message.
	_ = json.Unmarshal(rep.body, &w)
	ch := Change{Outcome: Changed, Status: rep.status, Message: w.Message}
	if action == "add" && strings.Contains(strings.ToLower(w.Message), alreadyMemberText) {
		ch.Outcome = AlreadyMember
	}
	return ch, nil
}
