// Package symphony is the pod API client: configuration, authentication,
// HTTP transport, rooms, users and typed errors. It knows nothing of
// terminals or of the bulk run.
package symphony

// CONTRACT FILE: the exported names below are what symphony/bulk and main
// rely on. The client implementation may add to them but must not change
// their meaning. The stub bodies are replaced by the real implementation.

import (
	"context"
	"errors"
	"time"
)

// AuthMethod is how the bot authenticates.
type AuthMethod string

const (
	AuthRSA  AuthMethod = "rsa"
	AuthCert AuthMethod = "cert"
)

// Endpoint is one service's base address.
type Endpoint struct {
	Scheme  string // "https" unless configured otherwise
	Host    string
	Port    int
	Context string // path prefix such as "/pod-api", "" for none
}

// Proxy is an HTTP(S) proxy with optional credentials.
type Proxy struct {
	URL      string
	Username string
	Password string // never printed
}

// RetryPolicy bounds retries of retryable errors.
type RetryPolicy struct {
	MaxAttempts int           // total attempts including the first; 0 means the default (5)
	Initial     time.Duration // first backoff; default 500ms
	Max         time.Duration // cap; default 30s
	Multiplier  float64       // default 2
}

// Config is one bot's settings, read from a legacy config.json or a BDK 2.0 config.yaml.
type Config struct {
	Path   string // the file it was read from
	Format string // "legacy" or "bdk"

	Pod         Endpoint
	Agent       Endpoint
	KeyManager  Endpoint
	SessionAuth Endpoint // certificate authentication host for the pod session
	KeyAuth     Endpoint // certificate authentication host for the key manager

	BotUsername string

	// RSA: a PEM private key, from a file or inline content.
	PrivateKeyPath     string
	PrivateKeyPEM      []byte
	PrivateKeyPassword string // for an encrypted PKCS#8 key; never printed

	// Certificate: a PKCS#12 file with password, or PEM cert + key.
	CertPath     string
	CertKeyPath  string // PEM key when CertPath is a PEM certificate without the key inside
	CertPassword string // never printed

	TrustStorePath string // PEM bundle that replaces the system roots
	Proxy          Proxy
	RefreshPeriod  time.Duration // authTokenRefreshPeriod; 0 = no early refresh
	Retry          RetryPolicy

	Warnings []string // unknown keys and similar, each naming the file and key
}

// LoadConfig reads a legacy config.json or a BDK 2.0 config.yaml.
func LoadConfig(path string) (*Config, error) { return nil, errNotImplemented }

// Method returns the authentication method the config sets up, or an error
// that says why it is ambiguous or missing.
func (c *Config) Method() (AuthMethod, error) { return "", errNotImplemented }

// Options tune a Client. The zero value is usable.
type Options struct {
	Auth      AuthMethod       // "" = infer from the config
	Now       func() time.Time // clock; default time.Now
	UserAgent string
	// Timeouts; zero means the defaults (10s connect, 30s read).
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
}

// Client talks to one pod. It is safe for concurrent use.
type Client struct{}

// NewClient builds a client from a config. It does not contact the pod.
func NewClient(cfg *Config, opts Options) (*Client, error) { return nil, errNotImplemented }

// Authenticate opens a session now (it is also done lazily by the first call).
func (c *Client) Authenticate(ctx context.Context) error { return errNotImplemented }

// SessionInfo is the caller (the bot) as GET /pod/v2/sessioninfo describes it.
type SessionInfo struct {
	UserID      int64
	Username    string
	DisplayName string
	Roles       []string // e.g. "INDIVIDUAL", "USER_PROVISIONING", "COMPLIANCE_OFFICER"
}

// HasRole reports whether the caller has the role (case-insensitive).
func (s *SessionInfo) HasRole(role string) bool { return false }

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
	OriginPod  int64
	LastPostAt time.Time
}

// Member is one entry of GET /pod/v2/room/{id}/membership/list.
type Member struct {
	UserID   int64
	Owner    bool
	JoinDate time.Time
}

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

// LookupError is one "errors" entry of GET /pod/v3/users.
type LookupError struct {
	Error    string // e.g. "invalid.format"
	Email    string
	Username string
	ID       int64
}

// UserLookup is the merged result of one or more GET /pod/v3/users calls.
type UserLookup struct {
	Users  []User
	Errors []LookupError
}

// ChangeOutcome is what a membership call did.
type ChangeOutcome int

const (
	Changed       ChangeOutcome = iota // the change was made
	AlreadyMember                      // add answered 200 "Member already part of the room"
)

// Change is the result of a successful membership call.
type Change struct {
	Outcome ChangeOutcome
	Status  int    // HTTP status
	Message string // Symphony's message
}

// ParseStreamID accepts a stream ID in standard or URL-safe base64, padded or
// not, and returns it URL-safe without padding.
func ParseStreamID(s string) (string, error) { return "", errNotImplemented }

// Read calls retry retryable errors per the config's RetryPolicy.
func (c *Client) SessionInfo(ctx context.Context) (*SessionInfo, error) {
	return nil, errNotImplemented
}
func (c *Client) RoomInfo(ctx context.Context, streamID string) (*Room, error) {
	return nil, errNotImplemented
}
func (c *Client) SearchRooms(ctx context.Context, query string, skip, limit int) (*RoomSearchPage, error) {
	return nil, errNotImplemented
}
func (c *Client) StreamInfo(ctx context.Context, streamID string) (*StreamInfo, error) {
	return nil, errNotImplemented
}
func (c *Client) Members(ctx context.Context, streamID string) ([]Member, error) {
	return nil, errNotImplemented
}

// Users look-ups split their input into calls of at most 100 and merge the results.
func (c *Client) UsersByID(ctx context.Context, ids []int64) (*UserLookup, error) {
	return nil, errNotImplemented
}
func (c *Client) UsersByEmail(ctx context.Context, emails []string) (*UserLookup, error) {
	return nil, errNotImplemented
}
func (c *Client) UsersByUsername(ctx context.Context, usernames []string) (*UserLookup, error) {
	return nil, errNotImplemented
}

// Membership calls make ONE attempt (plus one transparent re-authentication
// and retry on 401). The caller (the bulk runner) paces and retries them,
// using Backoff, so that every attempt is paced.
func (c *Client) AddMember(ctx context.Context, streamID string, userID int64) (Change, error) {
	return Change{}, errNotImplemented
}
func (c *Client) RemoveMember(ctx context.Context, streamID string, userID int64) (Change, error) {
	return Change{}, errNotImplemented
}
func (c *Client) PromoteOwner(ctx context.Context, streamID string, userID int64) (Change, error) {
	return Change{}, errNotImplemented
}
func (c *Client) DemoteOwner(ctx context.Context, streamID string, userID int64) (Change, error) {
	return Change{}, errNotImplemented
}

// ErrorClass says what to do about an error.
type ErrorClass int

const (
	ClassPermanent ErrorClass = iota // 400, 403, 404: record and move on
	ClassRetry                       // 429, 5xx, timeouts, connection errors
	ClassReauth                      // 401
)

// APIError is every error a pod call returns (network errors included, with Status 0).
type APIError struct {
	Op         string // e.g. "POST /pod/v1/room/{id}/membership/add"
	Status     int    // HTTP status, 0 for a network error
	Code       int    // Symphony's "code"
	Message    string // Symphony's "message" (or the network error's text)
	Class      ErrorClass
	RetryAfter time.Duration // from Retry-After, 0 if none
	Err        error         // underlying cause, if any
}

func (e *APIError) Error() string { return e.Message }
func (e *APIError) Unwrap() error { return e.Err }

// Backoff gives the wait before attempt n+1 after attempt n (n from 1) failed
// with err, and whether another attempt is allowed. Retry-After wins.
func (p RetryPolicy) Backoff(attempt int, err error) (time.Duration, bool) { return 0, false }

var errNotImplemented = errors.New("symphony: not implemented yet")
