package podsim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxJWTAhead is how far in the future a login JWT's exp may be: Symphony
// refuses tokens that live longer than 5 minutes. One extra second absorbs
// the rounding of exp to whole epoch seconds.
const maxJWTAhead = 5*time.Minute + time.Second

// Token header names of the two services.
const (
	sessionTokenName    = "sessionToken"
	keyManagerTokenName = "keyManagerToken"
)

// session is one issued token. Key manager tokens are kept apart: they do
// not open /pod.
type session struct {
	userID  int64
	kind    string // sessionTokenName or keyManagerTokenName
	expires time.Time
}

// tokenReply is the spec's Token object.
type tokenReply struct {
	Name  string `json:"name"`
	Token string `json:"token"`
}

// handleRSALogin serves POST /login/pubkey/authenticate (kind sessionToken)
// and /relay/pubkey/authenticate (kind keyManagerToken): a JWT signed RS512
// by the user's private key, sub = username, exp at most 5 minutes ahead.
// Every failure is 401, as the spec says.
func (s *Server) handleRSALogin(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Token string `json:"token"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil || body.Token == "" {
			writeError(w, http.StatusUnauthorized, "Invalid authentication request: expected a JSON body {\"token\": \"<jwt>\"}")
			return
		}
		u, err := s.verifyLoginJWT(body.Token)
		if err != nil {
			writeError(w, http.StatusUnauthorized, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, tokenReply{Name: kind, Token: s.newSession(u.ID, kind)})
	}
}

// verifyLoginJWT checks a login JWT and returns its active user. Error
// messages never repeat the token.
func (s *Server) verifyLoginJWT(token string) (*user, error) {
	var found *user
	keyFor := func(t *jwt.Token) (any, error) {
		sub, err := t.Claims.GetSubject()
		if err != nil || sub == "" {
			return nil, errNoSubject
		}
		s.mu.Lock()
		u := s.users.byUsernameKey(strings.ToLower(sub))
		s.mu.Unlock()
		if u == nil || u.pub == nil {
			return nil, errUnknownUser
		}
		found = u
		return u.pub, nil
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS512.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now),
	)
	claims := &jwt.RegisteredClaims{}
	// The algorithm is checked first so that a token signed otherwise is
	// refused as such, not as a bad signature.
	if t, _, err := parser.ParseUnverified(token, &jwt.RegisteredClaims{}); err == nil && t.Method.Alg() != jwt.SigningMethodRS512.Alg() {
		return nil, fmt.Errorf("Invalid token: algorithm %q refused, RS512 expected", t.Method.Alg())
	}
	if _, err := parser.ParseWithClaims(token, claims, keyFor); err != nil {
		switch {
		case errors.Is(err, jwt.ErrTokenExpired):
			return nil, errors.New("Invalid token: expired")
		case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
			return nil, errors.New("Invalid token: exp claim missing")
		case errors.Is(err, jwt.ErrTokenSignatureInvalid):
			return nil, errors.New("Invalid token: signature does not match the user's public key")
		case errors.Is(err, errUnknownUser):
			return nil, errors.New("Invalid token: unknown user or no public key imported")
		case errors.Is(err, errNoSubject):
			return nil, errors.New("Invalid token: sub claim missing")
		default:
			return nil, errors.New("Invalid token: malformed or not signed RS512")
		}
	}
	if claims.ExpiresAt.Time.After(s.now().Add(maxJWTAhead)) {
		return nil, errors.New("Invalid token: exp is more than 5 minutes ahead")
	}
	s.mu.Lock()
	active := found.Active
	s.mu.Unlock()
	if !active {
		return nil, errors.New("Invalid user: account is deactivated")
	}
	return found, nil
}

// Reasons the key of a login JWT cannot be found.
var (
	errNoSubject   = errors.New("no sub claim")
	errUnknownUser = errors.New("unknown user or no public key")
)

// handleCertLogin serves POST /sessionauth/v1/authenticate and
// /keyauth/v1/authenticate: the user is the CN of the client certificate,
// which the TLS layer has already verified against our CA.
//
// Replies chosen from the spec's list (it has no 401 here): no certificate
// is 400; a CN that is no active user is 403 "Certificate authentication is
// not allowed for the requested user".
func (s *Server) handleCertLogin(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			writeError(w, http.StatusBadRequest, "No client certificate was presented")
			return
		}
		cn := r.TLS.PeerCertificates[0].Subject.CommonName
		s.mu.Lock()
		u := s.users.byUsernameKey(strings.ToLower(cn))
		ok := u != nil && u.Active && !u.External
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusForbidden, "Certificate authentication is not allowed for the requested user")
			return
		}
		writeJSON(w, http.StatusOK, tokenReply{Name: kind, Token: s.newSession(u.ID, kind)})
	}
}

func (s *Server) newSession(userID int64, kind string) string {
	var b [24]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	s.mu.Lock()
	s.sessions[token] = &session{userID: userID, kind: kind, expires: s.now().Add(s.opts.SessionLifetime)}
	s.mu.Unlock()
	return token
}

// sessionUserLocked returns the active user behind the request's
// sessionToken header, or nil. Callers hold s.mu.
func (s *Server) sessionUserLocked(r *http.Request) *user {
	now := s.now()
	s.killSessionsIfDueLocked(now)
	token := r.Header.Get(sessionTokenName)
	if token == "" {
		return nil
	}
	sess := s.sessions[token]
	if sess == nil || sess.kind != sessionTokenName {
		return nil
	}
	if !now.Before(sess.expires) {
		delete(s.sessions, token)
		return nil
	}
	u := s.users.get(sess.userID)
	if u == nil || !u.Active {
		return nil
	}
	return u
}

// KillSessions invalidates every session now.
func (s *Server) KillSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}
