package podsim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// user is a pod user with the public key imported for RSA login, if any.
type user struct {
	User
	pub     *rsa.PublicKey
	service bool
}

func (u *user) hasRole(role string) bool { return slices.Contains(u.Roles, role) }

// Roles the room rules look at.
const (
	roleUserProvisioning       = "USER_PROVISIONING"
	roleComplianceOfficer      = "COMPLIANCE_OFFICER"
	roleSuperComplianceOfficer = "SUPER_COMPLIANCE_OFFICER" // spec: the roles of V2UserDetail's example
)

// AddUser adds a user; an ID of 0 is assigned. It returns the ID.
func (s *Server) AddUser(u User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUserLocked(&user{User: u}).ID
}

func (s *Server) addUserLocked(u *user) *user {
	if u.ID == 0 {
		u.ID = s.nextUser
	}
	if u.ID >= s.nextUser {
		s.nextUser = u.ID + 1
	}
	u.Roles = slices.Clone(u.Roles)
	s.users.put(u)
	return u
}

// AddServiceUser adds an active service user with a new RSA key and returns
// its ID and the private key as PKCS#8 PEM.
func (s *Server) AddServiceUser(username string, roles ...string) (id int64, keyPEM []byte, err error) {
	if username == "" {
		return 0, nil, fmt.Errorf("podsim: AddServiceUser: empty username")
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return 0, nil, fmt.Errorf("podsim: RSA key for %q: %w", username, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return 0, nil, fmt.Errorf("podsim: RSA key for %q: %w", username, err)
	}
	return s.addServiceUserWithKey(username, &key.PublicKey, roles...), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// addServiceUserWithKey adds an active service user whose public key is
// already known (tests share one key to save the key generation).
func (s *Server) addServiceUserWithKey(username string, pub *rsa.PublicKey, roles ...string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUserLocked(&user{
		User: User{
			Username:    username,
			Email:       username + "@bots.podsim.example",
			DisplayName: username,
			Company:     podCompany,
			Active:      true,
			Roles:       append([]string{"INDIVIDUAL"}, roles...),
		},
		pub:     pub,
		service: true,
	}).ID
}

// podCompany is the company of the pod's own users.
const podCompany = "Northwind Bank"

// userV2 is the spec's UserV2 object.
type userV2 struct {
	ID           int64    `json:"id"`
	EmailAddress string   `json:"emailAddress,omitempty"`
	FirstName    string   `json:"firstName,omitempty"`
	LastName     string   `json:"lastName,omitempty"`
	DisplayName  string   `json:"displayName,omitempty"`
	Company      string   `json:"company,omitempty"`
	Username     string   `json:"username,omitempty"`
	AccountType  string   `json:"accountType"`
	Roles        []string `json:"roles,omitempty"`
}

func (u *user) v2(withRoles bool) userV2 {
	first, last, _ := strings.Cut(u.DisplayName, " ")
	v := userV2{
		ID:          u.ID,
		DisplayName: u.DisplayName,
		Company:     u.Company,
		Username:    u.Username,
		AccountType: "NORMAL",
	}
	// v3/users gives emailAddress for the pod's own users only: a user of
	// another pod comes back without it, even when looked up by email.
	if !u.External {
		v.EmailAddress = u.Email
	}
	if !u.service {
		v.FirstName, v.LastName = first, last
	} else {
		v.AccountType = "SYSTEM"
	}
	if withRoles {
		v.Roles = slices.Clone(u.Roles)
	}
	return v
}

// handleSessionInfo serves GET /pod/v2/sessioninfo: the caller, with roles.
func (s *Server) handleSessionInfo(w http.ResponseWriter, r *http.Request, caller *user) {
	writeJSON(w, http.StatusOK, caller.v2(true))
}

// maxUsersPerLookup is the v3/users limit per list.
const maxUsersPerLookup = 100

// userError is the spec's UserError object.
type userError struct {
	Error string `json:"error"`
	Email string `json:"email,omitempty"`
	ID    string `json:"id,omitempty"`
}

// handleUsers serves GET /pod/v3/users: exactly one of uid, email or
// username (comma-separated, at most 100), optional local and active.
// 204 when nothing matches and nothing was malformed.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request, caller *user) {
	q := r.URL.Query()
	var field string
	for _, f := range []string{"uid", "email", "username"} {
		if q.Has(f) {
			if field != "" {
				writeError(w, http.StatusBadRequest, "Only one of the search lists uid, email or username may be given at a time")
				return
			}
			field = f
		}
	}
	if field == "" {
		writeError(w, http.StatusBadRequest, "One of the search lists uid, email or username is required")
		return
	}
	local, okL := parseOptionalBool(q, "local")
	active, okA := parseOptionalBool(q, "active")
	if !okL || !okA {
		writeError(w, http.StatusBadRequest, "local and active must be true or false")
		return
	}
	values := splitList(q.Get(field))
	if len(values) == 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("The %s list is empty", field))
		return
	}
	if len(values) > maxUsersPerLookup {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("The %s list has %d elements; at most %d are allowed", field, len(values), maxUsersPerLookup))
		return
	}
	var found []int32
	var errs []userError
	seen := make(map[int64]bool, len(values))
	s.mu.Lock()
	for _, v := range values {
		var i int32
		var ok bool
		switch field {
		case "uid":
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				errs = append(errs, userError{Error: "invalid.format", ID: v})
				continue
			}
			i, ok = s.users.index(id)
		case "email":
			if !looksLikeEmail(v) {
				errs = append(errs, userError{Error: "invalid.format", Email: v})
				continue
			}
			i, ok = s.users.byEmail.find(strings.ToLower(v), s.users.lowerField(textEmail))
		case "username":
			// Usernames are only known for the pod's own users.
			i, ok = s.users.byName.find(strings.ToLower(v), s.users.lowerField(textUsername))
			ok = ok && !s.users.recs[i].external
		}
		if !ok {
			continue
		}
		u := &s.users.recs[i]
		if seen[u.id] || (local.set && local.v && u.external) || (active.set && active.v != u.active) {
			continue
		}
		seen[u.id] = true
		found = append(found, i)
	}
	if len(found) == 0 && len(errs) == 0 {
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	// Encoded under the lock (the records' strings are the store's),
	// written after it.
	buf := replyBuffers.Get().(*[]byte)
	body := s.users.appendUsersReply((*buf)[:0], found, errs)
	s.mu.Unlock()
	writeBody(w, http.StatusOK, body)
	*buf = body
	replyBuffers.Put(buf)
}

// replyBuffers are the buffers of v3/users replies, reused: a plan of 10M
// users asks 100,000 of them.
var replyBuffers = sync.Pool{New: func() any { return new([]byte) }}

type optionalBool struct{ set, v bool }

func parseOptionalBool(q map[string][]string, name string) (optionalBool, bool) {
	vals, ok := q[name]
	if !ok || len(vals) == 0 || vals[0] == "" {
		return optionalBool{}, true
	}
	b, err := strconv.ParseBool(vals[0])
	if err != nil {
		return optionalBool{}, false
	}
	return optionalBool{set: true, v: b}, true
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t<>") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// SetUserActive deactivates or reactivates a user (for mid-run tests). A
// deactivated user's sessions stop working at once.
func (s *Server) SetUserActive(id int64, active bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users.get(id)
	if u == nil {
		return
	}
	u.Active = active
	s.addUserLocked(u)
}
