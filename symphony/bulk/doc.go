// Package bulk is the work itself: it plans a bulk change of a room's members
// from a user list, decides whether the run may start, runs it one paced call
// at a time with retries, journals every outcome so that a run can be
// resumed, and writes a report. It knows nothing of terminals and words
// nothing for the operator: the faces (ui, ui/cli) read its decisions and
// events, and ui/words says them.
//
// The job (job.go) is the one pipeline under both faces, so that a preview,
// a dry run and a real run cannot disagree:
//
//   - Request is a run as the operator asks for it: config, auth, list and
//     column, stream ID, mode, interval, window, out folder, ResumeChoice
//     (none, Auto for a bare --resume, or a File) and dry run.
//   - Prepare is ReadList + Open + Login + ResolveRoom + Request.Plan, for
//     the headless run. GivenStreamID is the one decision of whether a room
//     as given is a stream ID or a name; ResolveRoom tries a stream ID the
//     pod does not know as a name too. The wizard takes the same steps a screen at a time: Connect
//     (Open + Login) on its config step, then Request.Plan on its preview.
//     An error about one input is an *InputError naming it (InputConfig,
//     InputList, InputRoom, InputOut), for each face to name its flag or step.
//   - Request.Plan builds the Plan (BuildPlan) and calls Job.Decide, which
//     settles the Decision: Verdict Ready, NothingToDo, Blocked (LevelBlock
//     warnings), Unfinished (an unfinished journal of this same run is in the
//     out folder and no resume was asked for) or CannotResume (the resume
//     asked for cannot be done, or the newest journal of this run in the out
//     folder cannot be read) or Busy (another roster process on this
//     machine holds the room's lock, lock.go). Decision.ExitCode is 0 for Ready and NothingToDo,
//     2 for the refusals. The wizard's r key calls Decide again with
//     Auto set (and once more without it, to take it back), as a second
//     command with --resume would.
//   - Job.Start refuses a dry run and any verdict but Ready, takes the
//     room's and the journal's locks (a *BusyError when another process
//     holds one, or ran on the room after the plan was made), and returns
//     the Runner, which makes the out folder as it creates the journal (or
//     continues the decided one) and lets the locks go when Run returns.
//     RunExitCode is the exit code of a run that ended: its Summary's (0, 1,
//     or 3 when aborted or stopped), and 3 when the journal or report could not
//     be written.
//   - ExitOK, ExitFailed, ExitInput and ExitAborted (0 to 3) are the CLI
//     contract's exit codes. The job decides them; both faces return them.
//
// The rest, by file: room.go describes rooms for the wizard's room step
// (RoomStatus, DescribeRoom, DescribeRooms, SearchRooms); plan.go,
// preflight.go and calltime.go build the plan, its warnings and its
// estimate; pacer.go and window.go space the calls, and throttle.go holds
// the runners of several rooms together when the pod asks the bot to slow
// down; runner.go, call.go, control.go and events.go run them; action.go
// is the typed Action;
// journal.go, resume.go and resume_info.go keep and continue the journal;
// report.go writes the report; format.go writes counts and durations
// (Count, Counted, FormatDuration) as every face writes them.
//
// Decisions this package makes where the issue left a choice (the README
// and DESIGN.md describe the behaviour as users see it):
//
//   - Pacing. A change is paced when the room holds more than PaceThreshold
//     members before OR after it, so the change that crosses the threshold
//     waits too, whichever side a pod counts it on. The pacer measures from
//     the previous call's actual start (paced or not); after a pause, a retry
//     wait or a slow reply there is no catch-up: the next call may start at
//     once if an interval has passed, the one after waits a full interval.
//     A resumed run waits one interval before its first paced call, since the
//     earlier process may have just made one. Every attempt, retries
//     included, goes through the pacer. The interval is the plan's
//     (Request.Interval, DefaultInterval when 0), read once: the runner
//     has no interval of its own.
//   - Estimate. The plan times its read calls (session, room, members,
//     and each user look-up divided by its calls of 100) and takes the
//     median as one call's time (Plan.CallTime, bounded to MinCallTime ..
//     MaxCallTime; PlanRequest.CallTime overrides it): the median, because
//     the first call may include signing in and a jumbo room's member list
//     is long. A fixed guess (250 ms) announced a 31-user run against a
//     local pod paced at 20 ms as 8 s; it took 0.6 s. As the pacer spaces
//     starts, a paced call takes max(interval, call time) and an unpaced
//     one the call time. Reads stand in for writes: a pod slower to write
//     than to read makes the estimate short, which the run screen's ETA,
//     from the observed rate, corrects.
//   - Promotions to owner are paced like adds and removals: they are
//     membership changes of the same API, and one extra interval per owner
//     is cheap next to being throttled. They are made right after the
//     user's add is confirmed (already a member counts). A user flagged as
//     owner who is already a member but not an owner is an action with
//     PromoteOnly set: promoted, not added again.
//   - Removal mode ignores owner flags, removes inactive and external
//     members too (clearing them out is often the point), and removes the
//     bot itself last. Its plan names every owner it removes
//     (OwnersRemoved); one that removes every owner but the bot
//     (RemovesLastOwner) is Blocked, with Decision.LastOwner, unless
//     Request.AllowRemovingLastOwner.
//   - Two values naming one user (an email and an ID) make the second a
//     duplicate, like csvsource's duplicates of one value.
//   - Retry budget. 429/5xx/network errors of a membership call are
//     retried with the policy's backoff (0.5 s doubling to a 300 s cap, with
//     jitter; Retry-After wins, up to the policy's MaxWait, past which the
//     run stops). When the policy sets no attempt count
//     (RunOptions.Retry.MaxAttempts 0, as when the config has no
//     retry.maxAttempts), a call is bounded by time instead: retries keep
//     starting for RetryFor (DefaultRetryFor, 10 minutes) after its first
//     attempt, and a backoff wait is cut to end with that budget. A count
//     gives up within seconds, which fails users over a throttling spell
//     that an operator running overnight would rather wait out; 10 minutes
//     rides those out. A pod that gives no answer at all is declared gone
//     by the client after the policy's MaxOutage (5 minutes), which stops
//     the run whatever the budget. An explicit maxAttempts in the config is
//     honoured as a count, for operators who prefer to fail fast.
//   - Errors. When a user's retries run out the runner reads
//     the room once: if that fails too, the pod is not answering and the
//     run stops (the user stays pending); otherwise the user is failed and
//     the run goes on. A permanent error with no reply (a refused
//     certificate, an unknown host) stops the run. A 400, 403 or 404 makes
//     the runner read the room (and, for a 403, the session and members)
//     again: a deactivated room, a room that can no longer be read or a
//     lost permission stops the run, leaving the user pending; anything
//     else (an information barrier, a user who moved pods) fails that user
//     only.
//     A 401 that the client's own re-authentication did not cure, or a
//     refused login, stops the run. The user whose call was refused by a
//     stop is not journaled as finished, so a resume does it.
//   - Only a real success is a success (settle.go). A 2xx to a change whose
//     body is not the SuccessResponse is journaled as OutcomeUnconfirmed
//     (Result.Unsettled names the call; an unconfirmed promotion keeps the
//     add's outcome with Unsettled = ActionPromote). Before the run ends,
//     settleRun reads the member list once and settleFromMembers turns each
//     into what the list shows (added or failed, removed or failed,
//     promoted or not), marked Settled; the later journal record replaces
//     the earlier. A run that stops first leaves them unconfirmed, and the
//     resume settles them first. Settling right after each reply was not
//     chosen: one member list read per lie in a jumbo room is heavy, and a
//     pod that applies changes later would be read too soon.
//   - Pods answer an add with "Member already part of the room or Xpod
//     request will be processed asynchronously" both for a member and for
//     a user of another pod added to a cross-pod room, whom the pod adds
//     later (symphony.AlreadyMemberOrXpod). Every add is of a user the
//     plan's member list did not show, so that reply is journaled as
//     OutcomeCrossPodPending (Unsettled = ActionAdd) and settled like an
//     unconfirmed add, except that a list without the user leaves it
//     pending: settleRun reads the list again, at gaps from the plan
//     interval doubling up to 10 s, for up to RunOptions.CrossPodWait, and
//     stops the run resumable if some are
//     still missing; the resume confirms them.
//   - An add answered "already part of the room" on a retry counts as added
//     (an earlier attempt's reply was lost); a removal answered "not a
//     member" on a retry counts as removed.
//   - Actions. The calls a run makes are an Action: ActionAdd,
//     ActionRemove or ActionPromote, written in the journal's "action"
//     field as "add", "remove" and "promote", the words of the journal's
//     first version, so that journals already on disk read and resume the
//     same. Anything else is an error where it shows up, never taken for
//     another call: a call for it stops the run before reaching the pod, the
//     journal refuses to write it, and a journal line naming another word
//     is an unreadable line. (A value that is not an action once fell
//     through to a promotion to owner.)
//   - Journal. One fsync per change (about 0.2 ms, see
//     BenchmarkJournalRecord): a call's "start" record is made durable
//     before the call, its "result" record is only written, and the next
//     start's fsync makes both durable. A result lost to a power cut leaves
//     its start without a result, which a resume settles from the member
//     list; a SIGKILL loses nothing written. The "start" record of a call
//     is written before the wait for the pace, so its fsync never delays a
//     paced start. The input hash covers every resolved user of the list, not
//     only the actions, because a plan built again to resume sees the users
//     already added as members. Resume skips every user the journal shows
//     finished, failed ones included (a new run, after moving the journal
//     away, retries them); it reads the member list once and settles from
//     it the user in flight at the crash and any user someone else added
//     meanwhile. A torn last line is ignored and cut before appending; any
//     other unreadable line is an error naming the file and line
//     (*JournalError); a line is read no further than 1 MiB, and a journal
//     that is not a regular file is refused before it is opened. A journal
//     file in the out folder whose header cannot be read may be this run's
//     and is reported, not passed over. Only the
//     newest journal of a room, mode and hash is offered for resumption;
//     when it cannot be read, FindResumable says so (the job refuses with
//     CannotResume) rather than passing it over, which would start afresh
//     or resume an older journal and lose track of what it did.
//   - Resume counts. A resumed run executes the journal's run, not the
//     rebuilt plan: its totals count what the journal shows finished plus
//     what is left, though the rebuilt plan sets aside the users finished
//     before as already members. InspectResume gives a front end those
//     counts before the run (ResumeInfo; ui/words says them), and the set-aside
//     items that are not the journal's run. InspectResume and the runner
//     count from the same functions: loadResumable reads and checks the
//     journal, unanswered lists the calls in flight, and resumeLeft lists
//     what is left (the plan's actions the journal does not show finished,
//     then the users in flight whom the plan sets aside but whose call took
//     effect). They differ only in what says a call took effect: the member
//     list the runner reads on resume, or, before the run, the plan's view
//     of the room (its users set aside as already a member, or as not a
//     member for a removal).
//   - Report. Every entry of the list has a row, sorted by input line; the
//     owner column says "promoted" or "requested". Text cells that a
//     spreadsheet would run as a formula get a leading apostrophe. The
//     report is written to a temporary file and renamed into place.
//   - Events are queued without limit by the runner and forwarded to a
//     buffered channel: the runner never waits for a slow reader, and no
//     event is dropped.
package bulk
