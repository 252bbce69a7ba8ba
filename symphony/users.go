package symphony

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// User is one entry of GET /pod/v3/users.
type User struct {
	ID          int64
	Username    string
	Email       string
	DisplayName string
	Company     string
	AccountType string // NORMAL, SYSTEM, SDL
	Active      bool
	External    bool // from another pod
}

// LookupError is one "errors" entry of GET /pod/v3/users, or a value whose
// look-up call failed (Failed).
type LookupError struct {
	Error    string // e.g. "invalid.format"; the call's error when Failed
	Email    string
	Username string
	ID       int64

	// Failed says the call that asked for the value failed (after the
	// read retries) for a reason other than the session: the pod said
	// nothing about the value, which is neither found nor unknown. One
	// failed call does not fail the others of the look-up.
	Failed bool
}

// UserLookup is the merged result of one or more GET /pod/v3/users calls.
// Its users' strings may be parts of a whole reply of the pod: a caller
// that keeps one for long copies it (strings.Clone), or keeps the reply.
type UserLookup struct {
	Users  []User
	Errors []LookupError
}

// MaxUsersPerCall is the pod's limit of values in one GET /pod/v3/users.
const MaxUsersPerCall = 100

// lookupStage is one pass of a look-up. The users API returns neither a
// user's status nor whether the user is local, only filters on both, so
// the look-up asks the likely question first (local, active users: one call
// per 100 in the usual case) and asks the others only about what is still
// unanswered.
type lookupStage struct {
	local, active bool
}

// lookupStages are asked of IDs and emails. Usernames are asked of local
// users only (usernameStages): Symphony's BDKs always send local=true with
// usernames, and the v2/user page says a username look-up must be local.
var (
	lookupStages = []lookupStage{
		{local: true, active: true},
		{local: true, active: false},
		{local: false, active: true},
		{local: false, active: false},
	}
	usernameStages = lookupStages[:2]
)

// Users look-ups split their input into calls of at most 100 and merge the results.
func (c *Client) UsersByID(ctx context.Context, ids []int64) (*UserLookup, error) {
	values := make([]string, 0, len(ids))
	var bad []LookupError
	for _, id := range ids {
		if id <= 0 {
			bad = append(bad, LookupError{Error: "invalid.format", ID: id})
			continue
		}
		values = append(values, strconv.FormatInt(id, 10))
	}
	return c.lookupUsers(ctx, "uid", values, bad, lookupStages, func(u wireUser) string { return strconv.FormatInt(u.ID, 10) })
}

// UsersByEmail looks users up by email address (case-insensitive). A pod
// gives emailAddress for its own users only: a user of another pod comes
// back without it, and is matched to the address by asking for that
// address alone. Such a user's Email is the address it was found by.
func (c *Client) UsersByEmail(ctx context.Context, emails []string) (*UserLookup, error) {
	values, bad := cleanLookupValues(emails, func(s string) LookupError { return LookupError{Error: "invalid.format", Email: s} })
	return c.lookupUsers(ctx, "email", values, bad, lookupStages, func(u wireUser) string { return u.Email })
}

// UsersByUsername looks users up by username (case-insensitive), among the
// pod's own users.
func (c *Client) UsersByUsername(ctx context.Context, usernames []string) (*UserLookup, error) {
	values, bad := cleanLookupValues(usernames, func(s string) LookupError { return LookupError{Error: "invalid.format", Username: s} })
	return c.lookupUsers(ctx, "username", values, bad, usernameStages, func(u wireUser) string { return u.Username })
}

// cleanLookupValues drops blanks and refuses values that would break the
// comma-separated list of the query.
func cleanLookupValues(in []string, bad func(string) LookupError) ([]string, []LookupError) {
	out := make([]string, 0, len(in))
	var errs []LookupError
	for _, v := range in {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
		case strings.Contains(v, ","):
			errs = append(errs, bad(v))
		default:
			out = append(out, v)
		}
	}
	return out, errs
}

type wireUserList struct {
	Users  []wireUser        `json:"users"`
	Errors []wireLookupError `json:"errors"`
}

type wireLookupError struct {
	Error    string          `json:"error"`
	Email    string          `json:"email"`
	Username string          `json:"username"`
	ID       json.RawMessage `json:"id"`
}

// lookupUsers runs the stages over values (distinct, case-insensitively)
// and returns the users in the order of the input values they answer.
func (c *Client) lookupUsers(ctx context.Context, param string, values []string, errs []LookupError, stages []lookupStage, keyOf func(wireUser) string) (*UserLookup, error) {
	order := map[string]int{} // lower-cased value -> input position
	var pending []string
	for _, v := range values {
		k := strings.ToLower(v)
		if _, dup := order[k]; !dup {
			order[k] = len(order)
			pending = append(pending, v)
		}
	}
	// Room for every value's user: most values name one.
	result := &UserLookup{Users: make([]User, 0, len(pending)), Errors: errs}
	l := &userLookup{c: c, param: param, keyOf: keyOf, result: result,
		seenUser: map[int64]bool{}, seenErr: map[LookupError]bool{}}
	for _, stage := range stages {
		if len(pending) == 0 {
			break
		}
		l.answered = map[string]bool{}
		for start := 0; start < len(pending); start += MaxUsersPerCall {
			chunk := pending[start:min(start+MaxUsersPerCall, len(pending))]
			unmatched, err := l.ask(ctx, stage, chunk)
			everyOne := false // ask every unanswered value of the chunk alone
			if ae := apiError(err); ae != nil && ae.Status == http.StatusBadRequest && len(chunk) > 1 {
				// The pod refused the list, perhaps for one value of it:
				// each value is asked alone, so that one bad value does not
				// sink the others.
				everyOne, err = true, nil
			}
			if err != nil {
				if err := l.failed(ctx, err, chunk); err != nil {
					return nil, err
				}
				continue
			}
			// Users the batch answered without the value they answer (an
			// email the pod does not show): the values still unanswered
			// are asked one at a time until each such user is placed.
			for _, v := range chunk {
				if !everyOne && len(unmatched) == 0 {
					break
				}
				if l.answered[strings.ToLower(v)] {
					continue
				}
				found, err := l.askOne(ctx, stage, v)
				if err != nil {
					if err := l.failed(ctx, err, []string{v}); err != nil {
						return nil, err
					}
					continue
				}
				delete(unmatched, found)
			}
		}
		next := pending[:0:0]
		for _, v := range pending {
			if !l.answered[strings.ToLower(v)] {
				next = append(next, v)
			}
		}
		pending = next
	}
	sortByInput(l.result.Users, order, keyOf)
	return l.result, nil
}

// userLookup is the state of one look-up across its calls.
type userLookup struct {
	c        *Client
	param    string
	keyOf    func(wireUser) string
	result   *UserLookup
	seenUser map[int64]bool
	seenErr  map[LookupError]bool
	answered map[string]bool // lower-cased values answered in this stage
}

// call makes one GET /pod/v3/users of the stage for values; nil when the
// pod found nothing (204 or an empty body).
func (l *userLookup) call(ctx context.Context, stage lookupStage, values []string) (*wireUserList, error) {
	const op = "GET /pod/v3/users"
	q := url.Values{l.param: {strings.Join(values, ",")},
		"local": {strconv.FormatBool(stage.local)}, "active": {strconv.FormatBool(stage.active)}}
	rep, err := l.c.read(ctx, request{method: "GET", endpoint: l.c.cfg.Pod, path: "/pod/v3/users", op: op, query: q})
	if err != nil {
		return nil, err
	}
	if rep.status == http.StatusNoContent || len(bytes.TrimSpace(rep.body)) == 0 {
		return nil, nil
	}
	var w wireUserList
	if decodeUserList(rep.body, &w) {
		return &w, nil
	}
	w = wireUserList{}
	if err := decode(op, rep, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// ask looks values up in one call and records what it answers; it returns
// the users it could not match to a value (by ID).
func (l *userLookup) ask(ctx context.Context, stage lookupStage, values []string) (map[int64]bool, error) {
	w, err := l.call(ctx, stage, values)
	if w == nil || err != nil {
		return nil, err
	}
	asked := make(map[string]bool, len(values))
	for _, v := range values {
		asked[strings.ToLower(v)] = true
	}
	unmatched := map[int64]bool{}
	for _, u := range w.Users {
		k := strings.ToLower(l.keyOf(u))
		if !asked[k] {
			unmatched[u.ID] = true
			continue
		}
		l.answered[k] = true
		l.addUser(u, stage)
	}
	l.addErrors(w)
	return unmatched, nil
}

// askOne looks one value up alone: the user the pod answers is the value's,
// whatever the record shows. It returns that user's ID (0 when none).
func (l *userLookup) askOne(ctx context.Context, stage lookupStage, value string) (int64, error) {
	w, err := l.call(ctx, stage, []string{value})
	if w == nil || err != nil {
		return 0, err
	}
	l.addErrors(w)
	if len(w.Users) != 1 {
		return 0, nil
	}
	u := w.Users[0]
	if l.param == "email" && u.Email == "" {
		u.Email = value
	}
	l.answered[strings.ToLower(value)] = true
	l.addUser(u, stage)
	return u.ID, nil
}

// failed records the values of a call that failed as Failed errors, so that
// the rest of the look-up goes on; it returns the error itself when nothing
// can succeed (the session is refused, or the caller gave up).
func (l *userLookup) failed(ctx context.Context, err error, values []string) error {
	if ctx.Err() != nil || IsAuthFailed(err) {
		return err
	}
	for _, v := range values {
		if l.answered[strings.ToLower(v)] {
			continue
		}
		l.answered[strings.ToLower(v)] = true
		le := LookupError{Error: err.Error(), Failed: true}
		switch l.param {
		case "email":
			le.Email = v
		case "username":
			le.Username = v
		default:
			le.ID, _ = strconv.ParseInt(v, 10, 64)
		}
		l.result.Errors = append(l.result.Errors, le)
	}
	return nil
}

func (l *userLookup) addUser(u wireUser, stage lookupStage) {
	if l.seenUser[u.ID] {
		return
	}
	l.seenUser[u.ID] = true
	l.result.Users = append(l.result.Users, User{ID: u.ID, Username: u.Username, Email: u.Email,
		DisplayName: u.DisplayName, Company: u.Company, AccountType: u.AccountType,
		Active: stage.active, External: !stage.local})
}

func (l *userLookup) addErrors(w *wireUserList) {
	for _, e := range w.Errors {
		le := LookupError{Error: e.Error, Email: e.Email, Username: e.Username}
		if id, err := strconv.ParseInt(strings.Trim(string(e.ID), `" `), 10, 64); err == nil {
			le.ID = id
		}
		for _, k := range []string{le.Email, le.Username, strconv.FormatInt(le.ID, 10)} {
			l.answered[strings.ToLower(k)] = true
		}
		if !l.seenErr[le] {
			l.seenErr[le] = true
			l.result.Errors = append(l.result.Errors, le)
		}
	}
}

// sortByInput orders users as the input values they answer; users that
// answer none (an alias the pod resolved) keep their place after them.
func sortByInput(users []User, order map[string]int, keyOf func(wireUser) string) {
	type ranked struct {
		pos  int
		user User
	}
	pos := make([]int, len(users))
	sorted := true
	for i, u := range users {
		p, ok := order[strings.ToLower(keyOf(wireUser{ID: u.ID, Email: u.Email, Username: u.Username}))]
		if !ok {
			p = len(order)
		}
		pos[i] = p
		sorted = sorted && (i == 0 || pos[i-1] <= p)
	}
	if sorted { // as the pod answers, most often
		return
	}
	rs := make([]ranked, len(users))
	for i, u := range users {
		rs[i] = ranked{pos[i], u}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return a.pos - b.pos })
	for i := range rs {
		users[i] = rs[i].user
	}
}
