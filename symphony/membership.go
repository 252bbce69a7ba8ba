package symphony

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ChangeOutcome is what a membership call did.
type ChangeOutcome int

const (
	Changed       ChangeOutcome = iota // the change was made: the pod said so in its SuccessResponse
	AlreadyMember                      // add answered 200 "Member already part of the room"

	// Unconfirmed is a 2xx whose body is not Symphony's SuccessResponse
	// (HTML, empty, null, an error object, wrong types, too long, cut, or
	// past the deadline): the pod may or may not have made the change, and
	// only its member list can tell. Change.Why says what was wrong.
	Unconfirmed

	// AlreadyMemberOrXpod is the reply real pods give to an add, word for
	// word "Member already part of the room or Xpod request will be
	// processed asynchronously": the user was a member already, or is a
	// user of another pod whom the pod adds later. Only the member list
	// tells which (and when).
	AlreadyMemberOrXpod
)

func (o ChangeOutcome) String() string {
	switch o {
	case AlreadyMember:
		return "already-member"
	case Unconfirmed:
		return "unconfirmed"
	case AlreadyMemberOrXpod:
		return "already-member-or-xpod"
	}
	return "changed"
}

// Change is the result of a membership call that the pod answered with a 2xx.
type Change struct {
	Outcome ChangeOutcome
	Status  int    // HTTP status
	Message string // Symphony's message (SuccessResponse.message); "" when Unconfirmed
	Why     string // when Unconfirmed: why the reply does not confirm the change
}

// alreadyMemberText is how a pod says that an add changed nothing;
// xpodText how it says, in the same reply, that it may instead add a user
// of another pod later.
const (
	alreadyMemberText = "already part of the room"
	xpodText          = "xpod request will be processed asynchronously"
)

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
		op: op, body: userIDBody{ID: userID}, change: true})
	if err != nil {
		return Change{}, err
	}
	ch := Change{Status: rep.status}
	msg, why := successMessage(rep)
	switch {
	case why != "":
		ch.Outcome, ch.Why = Unconfirmed, why
	case action == "add" && strings.Contains(strings.ToLower(msg), xpodText):
		ch.Outcome, ch.Message = AlreadyMemberOrXpod, msg
	case action == "add" && strings.Contains(strings.ToLower(msg), alreadyMemberText):
		ch.Outcome, ch.Message = AlreadyMember, msg
	default:
		ch.Outcome, ch.Message = Changed, msg
	}
	return ch, nil
}

// successMessage reads a change's reply as the spec's SuccessResponse, a
// JSON object whose "format" and "message" are strings. It returns the
// message, or why the reply is not one ("" when it is).
func successMessage(rep *reply) (msg, why string) {
	if rep.bodyErr != nil {
		var tooLong *tooLongError
		if errors.As(rep.bodyErr, &tooLong) {
			return "", fmt.Sprintf("HTTP %d, but %v", rep.status, rep.bodyErr)
		}
		return "", fmt.Sprintf("HTTP %d, but its body could not be read whole (%v)", rep.status, rep.bodyErr)
	}
	body := bytes.TrimSpace(rep.body)
	if len(body) == 0 {
		return "", fmt.Sprintf("HTTP %d with an empty body, not Symphony's success reply", rep.status)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return "", fmt.Sprintf("HTTP %d, but the body is not a JSON object (%s)", rep.status, bodyKind(body))
	}
	message, okMessage := jsonString(fields["message"])
	if _, okFormat := jsonString(fields["format"]); !okFormat || !okMessage {
		return "", fmt.Sprintf("HTTP %d, but the body is not Symphony's success reply: it lacks a text \"format\" and \"message\"%s",
			rep.status, errorHint(fields))
	}
	return strings.TrimSpace(message), ""
}

// jsonString reads a JSON string; null, a number or anything else is not one.
func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// bodyKind names what a body that is not a JSON object looks like,
// without echoing it.
func bodyKind(body []byte) string {
	switch {
	case bytes.Equal(body, []byte("null")):
		return "null"
	case body[0] == '<':
		return "it looks like HTML or XML"
	case body[0] == '[':
		return "a JSON array"
	case json.Valid(body):
		return "a JSON " + jsonKind(body[0])
	}
	return fmt.Sprintf("%d bytes of text", len(body))
}

func jsonKind(c byte) string {
	switch {
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	}
	return "number"
}

// errorHint adds the error code an error object inside a 2xx carries.
func errorHint(fields map[string]json.RawMessage) string {
	if code, ok := fields["code"]; ok {
		if n := parseCode(code); n != 0 {
			return fmt.Sprintf(" (it carries the error code %d)", n)
		}
	}
	return ""
}
