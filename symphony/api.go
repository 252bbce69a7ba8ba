// Package symphony is the pod API client: configuration, authentication,
// HTTP transport, rooms, users and typed errors. It knows nothing of
// terminals or of the bulk run.
//
// The contract that symphony/bulk and main rely on lives in topic files:
// config*.go (Config, LoadConfig, Method), session.go (Client, Options,
// NewClient, Authenticate), rooms.go, users.go and membership.go (the
// calls and their types), errors.go (APIError, ErrorClass), retry.go
// (RetryPolicy.Backoff) and streamid.go (ParseStreamID).
package symphony
