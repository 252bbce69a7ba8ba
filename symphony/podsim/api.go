package podsim

// CONTRACT FILE: the exported names below are what the tests of symphony,
// symphony/bulk, ui and main, and `roster sim` / `roster demo`, rely on. The
// implementation may add to them but must not change their meaning. Stub
// bodies are replaced by the implementation.

import (
	"io"
	"time"
)

// Options configure a simulated pod. The zero value is a well-behaved pod
// with Symphony's real pace (3 s) and one-hour sessions.
type Options struct {
	Latency         time.Duration // added to every API reply
	SessionLifetime time.Duration // 0 = 1 hour
	PaceGap         time.Duration // minimum gap between accepted membership changes in a room over PaceThreshold members; 0 = 3s
	PaceTolerance   time.Duration // slack before a gap counts as a violation; 0 = 5% of PaceGap
	PaceReject      bool          // answer a violating change with 429 (Retry-After = remaining gap) instead of only counting it

	// CallerGap throttles each caller (the session's user), across all
	// rooms, as Symphony limits a caller's rate: a membership call (add,
	// remove, promote, demote) that comes less than CallerGap after the
	// caller's last one let through is answered 429 (Retry-After = the
	// rest of the gap) and not made; State.Throttled counts them. Read
	// calls are not throttled (doc.go says why). 0 = no limit.
	CallerGap time.Duration

	// XpodDelay is how long an external user added to a cross-pod room
	// takes to appear in its member list (the add answers at once with the
	// "... or Xpod request will be processed asynchronously" text); 0 = 3s.
	XpodDelay time.Duration

	// RequestLog, when set, gets one line per request: time, method, path,
	// status (or "dropped") and duration. Never headers or bodies, so never
	// a token or key.
	RequestLog io.Writer
}

// DefaultXpodDelay is the XpodDelay of Options that leave it zero: a few
// seconds, so that a run sees the user join after its add.
const DefaultXpodDelay = 3 * time.Second

// PaceThreshold is the member count above which membership changes are paced.
const PaceThreshold = 500

// Faults make the pod hostile. They can be changed while it serves.
type Faults struct {
	Rate429           float64       // probability that an API call answers 429
	RetryAfter        time.Duration // Retry-After sent with injected 429s (rounded up to whole seconds on the wire, see RetryAfterMillis)
	Rate5xx           float64       // probability that a call starts a burst of 503s
	Burst5xx          int           // consecutive 503s in a burst (default 1)
	DropRate          float64       // probability that a call's connection is closed with no reply
	KillSessionsEvery time.Duration // invalidate every session periodically (0 = never)
	Seed              int64         // random seed for reproducible faults (0 = time-based)
}

// User is a pod user.
type User struct {
	ID          int64
	Username    string
	Email       string
	DisplayName string
	Company     string
	Active      bool
	External    bool     // belongs to another pod
	Roles       []string // e.g. "INDIVIDUAL", "USER_PROVISIONING", "COMPLIANCE_OFFICER"
}

// Member is a room member.
type Member struct {
	UserID int64
	Owner  bool
}

// Room is a chat room.
type Room struct {
	ID               string // URL-safe base64 without padding; generated when empty
	Name             string
	Description      string
	Active           bool
	Public           bool
	Discoverable     bool // a private room that non-members find by search (a public room always is)
	MembersCanInvite bool
	CrossPod         bool
	Members          []Member
}

// State is the pod's state for tests, also served as JSON at GET /_sim/state.
type State struct {
	Rooms            []RoomState          `json:"rooms"`
	Calls            map[int64]*CallCount `json:"calls"`            // per user ID
	PacingViolations int                  `json:"pacingViolations"` // in all rooms; RoomState has each room's
	// Throttled counts the membership calls that Options.CallerGap
	// answered 429 (not made, not in Calls).
	Throttled int `json:"throttled"`
}

// RoomState is one room in State.
type RoomState struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Active  bool    `json:"active"`
	Members []int64 `json:"members"`
	Owners  []int64 `json:"owners"`
	// Joining are external users whose add was accepted and who are not
	// in the room yet (see Options.XpodDelay), in the order of their adds.
	Joining []int64 `json:"joining"`
	// PacingViolations counts this room's changes that came closer than
	// Options.PaceGap (minus PaceTolerance) to its previous one while it
	// had more than PaceThreshold members.
	PacingViolations int `json:"pacingViolations"`
}

// CallCount counts membership calls that reached the room logic for one user.
type CallCount struct {
	Add    int `json:"add"`
	Remove int `json:"remove"`
}

// Demo is the seeded world of `roster sim` and `roster demo`.
type Demo struct {
	BotUsername string
	BotID       int64
	BotKeyPEM   []byte // PKCS#8 PEM
	Small       string // stream ID of a small room (a dozen members; the bot owns it)
	Medium      string // about 480 members (the bot owns it)
	Jumbo       string // 1,200 members (the bot owns it; two owners)
	Deactivated string // a deactivated room
	Forbidden   string // a room where the bot is neither owner nor member and lacks User Provisioning
	Candidates  []User // active users in none of those rooms, to put in a CSV (at least 3,000)
	Inactive    []User // a few inactive users
	External    []User // a few external users
}
