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
//   - Errors are Symphony's {"code","message"}; success bodies of the
//     membership calls are the spec's SuccessResponse {"format","message"}.
//     The replies below say where each comes from.
//   - An external user added to a cross-pod room is answered at once with
//     the observed "... or Xpod request will be processed asynchronously"
//     and joins Options.XpodDelay later (3 s by default); State lists such
//     users as Joining until then.
//   - Rules are the Required Permissions of Symphony's REST API pages (Add
//     Member, Remove Member, Room Info, Room Members, Stream Info, Search
//     Rooms); the tests cite each. Where a page is silent, podsim chooses,
//     and says so next to the rule: a public room's members are listed to
//     anyone; a discoverable private room's info and stream info are shown
//     to anyone (search shows the same details); User Provisioning may add
//     as a member too; includeNonDiscoverable brings the caller's own
//     non-discoverable private rooms into a search.
//
// Replies from the spec (pod-api-public.yaml's examples), word for word:
// "Member added", "Member removed", "Member promoted to owner", "Owner
// demoted"; 401 "Invalid session"; 403 "The user lacks the required
// entitlement to perform this operation" (every refused permission).
//
// Replies observed on real pods, word for word: 200 "Member already part of
// the room or Xpod request will be processed asynchronously" (an add of a
// member, and of an external user to a cross-pod room); 400 "Stream not
// found." (an unknown stream ID); v3/users without emailAddress for users
// of other pods.
//
// Replies no source shows, invented here (membership.go, users.go), each
// with the status a pod gives for its class of problem and a message that
// names it, so that a client cannot depend on their words:
//
//   - Unknown user ID in a membership call: 400 "User not found.". A bad
//     target is the caller's error (400, as the spec's 400 "Client error"
//     for the calls), not a missing resource (the path's room exists).
//   - Inactive user added: 400 "Cannot add an inactive user to the room".
//     The account must be reactivated first; nothing the caller's rights
//     could change, so not 403.
//   - Removing (promoting, demoting) a user who is not a member: 400 "User
//     is not a member of the room". The target is wrong, not the caller.
//   - Removing or demoting the last owner: 400 "Cannot remove the last
//     owner of the room" / "Cannot demote the last owner of the room". The
//     Remove Member page says a room should keep an owner; podsim enforces
//     it so that a client meets the refusal in tests.
//   - External user added to a room that is not cross-pod: 403 "Cannot add
//     an external user to a room that is not cross-pod". The room's setting
//     forbids it whoever the caller is, as a permission does.
//   - Deactivated room: 400 "Cannot add member to a deactivated room" (and
//     the like for remove and owners): the Add and Remove Member pages say
//     it is not possible, not how it is refused.
//   - v3/users with more than 100 values: 400 naming the count. The spec
//     says "up to 100 elements", not how more is refused.
//   - A caller over its rate (Options.CallerGap): 429 "Too many requests
//     from this user: slow down and retry after the time given", with
//     Retry-After. Symphony's admin docs say any endpoint may answer 429
//     with Retry-After, but not in what words; these name that the limit
//     is the caller's, not the room's pace (PaceReject's 429 says that).
//   - A malformed body, query or parameter: 400 naming what is wrong.
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
//     Each room counts its own (RoomState.PacingViolations), and State
//     the total, so that lanes running side by side are held to their own
//     rooms' pace.
//   - The per-caller throttle (Options.CallerGap) keeps, for each user
//     with a session, the start of its last membership call let through
//     (add, remove, promote, demote, in any room, whatever the room logic
//     then answered), and answers a call of that user that comes sooner
//     with 429, Retry-After set to the rest of the gap; the call is not
//     made and not in Calls, only in State.Throttled. It is checked after
//     the session and the body, before the room. Read calls are not
//     throttled: the rate that lanes multiply is that of the membership
//     changes, which roster's runner retries itself (and shares its
//     backoff across lanes), while reads retry inside the client; a
//     throttle on reads would only slow the planning of every test.
//   - State's Calls count add and remove calls per target user once the call
//     passed faults, the session check, a valid body and the per-caller
//     throttle, whatever the room logic answered.
package podsim
