// Package podsim is an in-process Symphony pod simulator, written from
// Symphony's public OpenAPI specs (not from roster's client), for tests,
// `roster demo` and `roster sim`. It imports nothing of roster's, so that a
// misreading of the spec cannot be shared with the client and pass unseen;
// tests start it through podsimtest.
//
// One HTTPS listener (TLS 1.2+, a CA made in memory, client certificates
// requested but optional) serves the pod API under /pod, RSA login under
// /login (session) and /relay (key manager), and certificate login under
// /sessionauth and /keyauth. GET /_sim/state, a path no pod uses, shows the
// world as JSON with no session needed.
//
// Behaviour worth knowing when testing against it:
//
//   - Errors are Symphony's {"code","message"}. Replies observed on real pods
//     are reproduced word for word (see reply.go); where none is on record
//     the choice is documented next to its constant (membership.go).
//   - Faults (Latency aside) hit /pod calls only, never logins, and are drawn
//     before the session is checked, as a gateway in front of a pod would.
//     They are reproducible: SetFaults restarts the generator from Seed.
//     An injected 429 without a RetryAfter says 1 s.
//   - Every 429 carries Retry-After in whole seconds (rounded up) and
//     X-Retry-After-Ms with the exact wait, so that millisecond-scale tests
//     can honour it. No real pod sends X-Retry-After-Ms.
//   - Pacing looks at changes that really change membership: in a room of
//     more than PaceThreshold members, a change closer than PaceGap minus
//     PaceTolerance to the room's previous change is a violation. Violations
//     are counted with and without PaceReject; with it they are also refused.
//   - State's Calls count add and remove calls per target user once the call
//     passed faults and the session check and had a valid body, whatever
//     the room logic answered.
package podsim
