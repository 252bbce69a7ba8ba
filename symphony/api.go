// Package symphony is the pod API client: configuration, authentication,
// HTTP transport, rooms, users, membership calls and typed errors. It knows
// nothing of terminals or of the bulk run. It classifies its own errors:
// ClassOf says whether a call may be retried, advice.go what went wrong and
// what the operator should do, so that no face matches error text.
//
// The contract that symphony/bulk, ui and ui/cli rely on lives in topic
// files: config*.go (Config, LoadConfig, AuthMethod), session.go (Client,
// Options, NewClient, Authenticate), rooms.go, users.go and membership.go
// (the calls and their types), errors.go (APIError, ErrorClass, ClassOf),
// advice.go (IsAuthFailed, IsForbidden, IsUnknownRoom, IsRateLimited,
// IsUntrustedCertificate, IsUnreachable, and Advice: what the operator
// should do, naming the config keys; both faces show it), retry.go
// (RetryPolicy) and streamid.go (ParseStreamID).
package symphony
