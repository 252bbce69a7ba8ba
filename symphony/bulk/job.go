package bulk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"roster/csvsource"
	"roster/symphony"
)

// The job is the one pipeline under both faces: from a Request it connects,
// reads the list, plans, finds and inspects the journal, decides whether the
// run may start (and with which exit code it refuses), creates the out
// folder, starts the run and decides the final exit code. The headless
// command calls Prepare, which does every step; the wizard calls the same
// steps one screen at a time (Connect, ReadList, Request.Plan; its room
// step reads the stream ID itself, as it also searches by name). Neither face
// decides anything itself, so a dry run, a real run and the preview cannot
// disagree.

// Exit codes of the CLI contract. The job decides them; both faces return them.
const (
	ExitOK      = 0 // everything done, or nothing to do
	ExitFailed  = 1 // the run finished, some users failed
	ExitInput   = 2 // bad input or config, or a run that cannot start; nothing was changed
	ExitAborted = 3 // aborted, stopped by itself, or the journal or report could not be written
)

// Input names the part of a request that an InputError is about, so that
// each face can name it its own way (a flag, a wizard step).
type Input int

const (
	InputConfig Input = iota // the config file, its keys, the credentials it names
	InputList                // the user list
	InputRoom                // the room: a stream ID or a room's name
	InputOut                 // the folder for the journal and report
)

// InputError is a request the job cannot act on, with the input to fix.
type InputError struct {
	Input Input
	Err   error
}

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ResumeChoice is what the operator asked of an unfinished journal: nothing
// (the zero value: an unfinished journal of the same run refuses the run),
// Auto (find it in the out folder) or a named journal File.
type ResumeChoice struct {
	Auto bool
	File string
}

// Request is a run as the operator asks for it, from either face.
type Request struct {
	ConfigPath string
	Auth       symphony.AuthMethod // "" = the config says
	CSVPath    string
	Column     string // the user column, when the header is ambiguous
	Stream     string // as given: a stream ID in either base64 form, or a room's exact name (ResolveRoom)
	Mode       Mode
	Interval   time.Duration // the pace above PaceThreshold members; 0 = DefaultInterval
	Window     *Window       // nil = always open
	OutDir     string        // the journal and report folder; "" = the current folder
	Resume     ResumeChoice
	DryRun     bool             // decide, then stop before the first change
	Now        func() time.Time // the clock of the working-hours warning; nil = time.Now
	Limits     Limits           // --max-wait, --max-outage; zero fields keep the config's

	// AllowRemovingLastOwner lets a removal take away every owner of the
	// room but the bot; without it such a plan is Blocked.
	AllowRemovingLastOwner bool
}

// Limits are the operator's bounds on waiting for the pod (--max-wait,
// --max-outage). A zero field keeps the config's value (retry.maxWaitMillis,
// retry.maxOutageMillis), or the default (symphony.DefaultMaxWait,
// DefaultMaxOutage). They go into the config's retry policy, which both the
// client and the runner follow.
type Limits struct {
	MaxWait   time.Duration // the longest single wait, a pod's Retry-After included
	MaxOutage time.Duration // how long the pod may give no answer at all before the run stops
}

// PlanExitCode is the exit code of a run that could not be planned: 3
// (ExitAborted: stopped by itself, try again later) when the pod asked to
// wait longer than MaxWait or gave no answer for MaxOutage, 2 (ExitInput)
// for anything else. Nothing was changed either way.
func PlanExitCode(err error) int {
	if symphony.IsWaitTooLong(err) || errors.Is(err, symphony.ErrPodGone) {
		return ExitAborted
	}
	return ExitInput
}

// apply sets the limits into a config's retry policy.
func (l Limits) apply(cfg *symphony.Config) {
	if l.MaxWait > 0 {
		cfg.Retry.MaxWait = l.MaxWait
	}
	if l.MaxOutage > 0 {
		cfg.Retry.MaxOutage = l.MaxOutage
	}
}

// Client is what a session needs of a pod: the run's calls, authentication
// and room search. *symphony.Client satisfies it.
type Client interface {
	Pod
	Authenticate(ctx context.Context) error
	SearchRooms(ctx context.Context, query string, skip, limit int) (*symphony.RoomSearchPage, error)
}

// Session is a loaded config with an authenticated client and who the bot is.
type Session struct {
	Config *symphony.Config
	Pod    Client
	Caller *symphony.SessionInfo
	Method symphony.AuthMethod // how the bot authenticated
}

// Close releases the client's connections.
func (s *Session) Close() {
	if s == nil || s.Pod == nil {
		return
	}
	if c, ok := s.Pod.(interface{ Close() }); ok {
		c.Close()
	}
}

// Connect opens a session and logs in: Open, then Login.
func Connect(ctx context.Context, configPath string, auth symphony.AuthMethod) (*Session, error) {
	return ConnectWith(ctx, configPath, auth, Limits{})
}

// ConnectWith is Connect with the operator's limits on waiting.
func ConnectWith(ctx context.Context, configPath string, auth symphony.AuthMethod, limits Limits) (*Session, error) {
	s, err := OpenWith(configPath, auth, limits)
	if err != nil {
		return nil, err
	}
	if err := s.Login(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Open loads a config and makes its client, without calling the pod. Its
// error is an InputError about the config.
func Open(configPath string, auth symphony.AuthMethod) (*Session, error) {
	return OpenWith(configPath, auth, Limits{})
}

// OpenWith is Open with the operator's limits on waiting.
func OpenWith(configPath string, auth symphony.AuthMethod, limits Limits) (*Session, error) {
	cfg, err := symphony.LoadConfig(configPath)
	if err != nil {
		return nil, &InputError{Input: InputConfig, Err: err}
	}
	limits.apply(cfg)
	client, err := symphony.NewClient(cfg, symphony.Options{Auth: auth, UserAgent: "roster"})
	if err != nil {
		return nil, &InputError{Input: InputConfig, Err: err}
	}
	return &Session{Config: cfg, Pod: client, Method: client.Method()}, nil
}

// Login authenticates and reads who the bot is. Its error is an InputError
// about the config: the credentials, the addresses or the trust it names.
func (s *Session) Login(ctx context.Context) error {
	if err := s.Pod.Authenticate(ctx); err != nil {
		return &InputError{Input: InputConfig, Err: fmt.Errorf("authenticate as %q: %w", s.Config.BotUsername, err)}
	}
	me, err := s.Pod.SessionInfo(ctx)
	if err != nil {
		return &InputError{Input: InputConfig, Err: fmt.Errorf("read the bot's session info: %w", err)}
	}
	s.Caller = me
	return nil
}

// ReadList reads the user list; its error is an InputError about the list.
func ReadList(path, column string) (*csvsource.List, error) {
	return readListWith(path, csvsource.Options{Column: column})
}

// ReadListRooms is ReadList with the room column named (--room-column); ""
// finds it by its header, as ReadList does.
func ReadListRooms(path, column, roomColumn string) (*csvsource.List, error) {
	return readListWith(path, csvsource.Options{Column: column, RoomColumn: roomColumn})
}

// readListWith reads the user list with the options given.
func readListWith(path string, opts csvsource.Options) (*csvsource.List, error) {
	l, err := csvsource.ReadFile(path, opts)
	if err != nil {
		return nil, &InputError{Input: InputList, Err: err}
	}
	return l, nil
}

// Job is a planned run and the decision on it.
type Job struct {
	Request
	Session  *Session
	List     *csvsource.List
	Plan     *Plan // its StreamID is the room's, parsed
	Decision Decision

	planned time.Time // when the plan began to read the room; zero: unknown

	// throttle is the backoff shared with the other rooms of an estate
	// run; nil for a run of one room.
	throttle *Throttle
}

// Prepare does every step of a run of one room before its first change: it
// reads the list, opens the config, logs in, resolves the room as given
// (ResolveRoom: a stream ID or a room's exact name), plans and decides.
// opened, when set, is told of the session and the list before the first
// call to the pod (the headless face prints which pod it talks to, as whom,
// and the config's warnings).
func Prepare(ctx context.Context, req Request, opened func(*Session, *csvsource.List)) (*Job, error) {
	list, err := ReadList(req.CSVPath, req.Column)
	if err != nil {
		return nil, err
	}
	return prepareOne(ctx, req, list, opened)
}

// prepareOne is Prepare once the list is read.
func prepareOne(ctx context.Context, req Request, list *csvsource.List, opened func(*Session, *csvsource.List)) (*Job, error) {
	if strings.TrimSpace(req.Stream) == "" {
		return nil, &InputError{Input: InputRoom, Err: errors.New("no room: give --stream")}
	}
	s, err := connectFor(ctx, req, list, opened)
	if err != nil {
		return nil, err
	}
	streamID, err := ResolveRoom(ctx, s.Pod, req.Stream)
	if err != nil {
		s.Close()
		return nil, err
	}
	req.Stream = streamID
	job, err := req.Plan(ctx, s, list, streamID)
	if err != nil {
		s.Close()
		return nil, err
	}
	return job, nil
}

// connectFor opens the request's config, tells opened, and logs in.
func connectFor(ctx context.Context, req Request, list *csvsource.List, opened func(*Session, *csvsource.List)) (*Session, error) {
	s, err := OpenWith(req.ConfigPath, req.Auth, req.Limits)
	if err != nil {
		return nil, err
	}
	if opened != nil {
		opened(s, list)
	}
	if err := s.Login(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// PrepareAny prepares whichever run the request is: a run of one room (a
// Job) or, when the list has a room column or several rooms are given, an
// estate run (an Estate). Exactly one of the two is set when the error is
// nil. Either way each room as given is resolved by ResolveRoom.
func PrepareAny(ctx context.Context, req EstateRequest, opened func(*Session, *csvsource.List)) (*Job, *Estate, error) {
	if req.Stream != "" && len(req.Rooms) == 0 {
		req.Rooms = []string{req.Stream}
	}
	list, err := readListWith(req.CSVPath, csvsource.Options{Column: req.Column, RoomColumn: req.RoomColumn})
	if err != nil {
		return nil, nil, err
	}
	if !ManyRooms(req.Rooms, list) {
		req.Stream = ""
		if len(req.Rooms) == 1 {
			req.Stream = req.Rooms[0]
		}
		job, err := prepareOne(ctx, req.Request, list, opened)
		return job, nil, err
	}
	if err := req.check(list); err != nil {
		return nil, nil, err
	}
	s, err := connectFor(ctx, req.Request, list, opened)
	if err != nil {
		return nil, nil, err
	}
	e, err := req.Plan(ctx, s, list)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return nil, e, nil
}

// Plan builds the plan of the request on a session and a list, and decides.
// The wizard calls it from its preview; Prepare calls it after connecting.
func (req Request) Plan(ctx context.Context, s *Session, list *csvsource.List, streamID string) (*Job, error) {
	if s == nil || s.Pod == nil {
		return nil, errors.New("plan: no session")
	}
	if err := checkOutDir(req.OutDir); err != nil {
		return nil, err
	}
	if req.OutDir == "" {
		req.OutDir = "."
	}
	planned := time.Now()
	pr := PlanRequest{StreamID: streamID, Mode: req.Mode, List: list, Interval: req.Interval, Window: req.Window}
	if req.Now != nil {
		pr.Now = req.Now()
	}
	plan, err := BuildPlan(ctx, s.Pod, pr)
	if err != nil {
		return nil, err
	}
	j := &Job{Request: req, Session: s, List: list, Plan: plan, planned: planned}
	j.Decide(req.Resume)
	return j, nil
}

// checkOutDir refuses an out folder that is a file. A folder that does not
// exist yet is made when the run starts.
func checkOutDir(dir string) error {
	if dir == "" {
		return nil
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return &InputError{Input: InputOut, Err: fmt.Errorf("%s is a file; give a folder for the journal and report", dir)}
	}
	return nil
}

// Verdict is what the job decided about starting the run.
type Verdict int

const (
	Ready        Verdict = iota // the run can start (a dry run stops here)
	NothingToDo                 // every user is set aside, or the journal shows every user done
	Blocked                     // the plan has LevelBlock warnings (deactivated room, no permission)
	Unfinished                  // an unfinished journal of this same run is in the out folder, and no resume was asked
	CannotResume                // the resume asked for cannot be done
	Busy                        // another roster process on this machine is running on this room (Err: a *BusyError)
)

// Note is a fact a Ready decision reports on the way.
type Note int

const (
	NoNote        Note = iota
	NoFolderYet        // Auto resume: the out folder does not exist yet, so a new run starts
	NoJournalSeen      // Auto resume: no unfinished journal of this run in the out folder: a new run starts
)

// Decision is whether the run may start, and why not. The preview, the dry
// run and the real run all read it, so they refuse alike.
type Decision struct {
	Verdict Verdict
	Note    Note
	Journal string      // Unfinished: the journal found; CannotResume: the journal named or found
	Done    int         // Unfinished: users that journal shows done
	Err     error       // CannotResume: why; Busy: the *BusyError
	Resume  *ResumeInfo // the journal the run continues; nil for a fresh run
	Blocks  []Warning   // Blocked: the warnings that block
	OutDir  string      // where the journal was looked for
	Found   bool        // CannotResume: the journal at fault was found in the out folder, not named

	// Blocked only because the removal takes the last owner but the bot:
	// Request.AllowRemovingLastOwner (asked for) lets it start.
	LastOwner bool
}

// Startable reports whether the run may start.
func (d Decision) Startable() bool { return d.Verdict == Ready }

// ExitCode is the code of a process that stops at this decision: 0 when the
// run could start (a dry run) or has nothing to do, 2 when it is refused.
func (d Decision) ExitCode() int {
	if d.Verdict == Ready || d.Verdict == NothingToDo {
		return ExitOK
	}
	return ExitInput
}

// Decide settles, for the job's plan, which journal the run continues and
// whether it may start. The wizard calls it again when the operator asks to
// resume (the r key), as a second headless command would with --resume.
// A run in progress on the room (its lock held) refuses any plan that is
// not blocked anyway, before any journal is read: that run is writing one.
func (j *Job) Decide(choice ResumeChoice) {
	j.Resume = choice
	if !j.Plan.Blocked() {
		if busy := j.roomBusy(); busy != nil {
			j.Decision = Decision{Verdict: Busy, Err: busy, OutDir: j.OutDir}
			return
		}
	}
	j.Decision = decideAllowing(j.Plan, j.OutDir, choice, j.AllowRemovingLastOwner)
}

// decide is the decision on a plan whose removal of the last owner, if
// any, is not allowed.
func decide(p *Plan, outDir string, choice ResumeChoice) Decision {
	return decideAllowing(p, outDir, choice, false)
}

func decideAllowing(p *Plan, outDir string, choice ResumeChoice, allowLastOwner bool) Decision {
	d := Decision{OutDir: outDir}
	lastOwner := p.RemovesLastOwner && !allowLastOwner
	if p.Blocked() || lastOwner {
		d.Verdict = Blocked
		for _, w := range p.Warnings {
			if w.Level == LevelBlock {
				d.Blocks = append(d.Blocks, w)
			}
		}
		if lastOwner {
			d.Blocks = append(d.Blocks, lastOwnerBlock(p))
			d.LastOwner = !p.Blocked()
		}
		return d
	}
	if choice.File != "" {
		d.Journal = choice.File
		info, err := inspectFile(choice.File, p)
		if err != nil {
			d.Verdict, d.Err = CannotResume, err
			return d
		}
		return resuming(d, info)
	}
	if _, err := os.Stat(outDir); errors.Is(err, os.ErrNotExist) {
		if choice.Auto {
			d.Note = NoFolderYet
		}
		return withActions(d, p) // a folder not made yet holds no journal
	}
	st, err := findResumable(outDir, p)
	switch {
	case err != nil:
		d.Verdict, d.Err, d.Found = CannotResume, err, true
		if je, ok := errors.AsType[*JournalError](err); ok {
			d.Journal = je.Path
		}
		return d
	case st == nil:
		if choice.Auto {
			d.Note = NoJournalSeen
		}
		return withActions(d, p)
	case !choice.Auto:
		d.Verdict, d.Journal, d.Done = Unfinished, st.path, st.done()
		return d
	}
	// the journal found is read once: the same state is counted
	d.Journal = st.path
	return resuming(d, inspect(st, p))
}

// resuming is the decision to continue a journal: ready, or nothing to do.
func resuming(d Decision, info *ResumeInfo) Decision {
	d.Resume = info
	if info.ToGo() == 0 && info.Unsettled == 0 {
		d.Verdict = NothingToDo
	}
	return d
}

// inspectFile inspects a journal the operator named, which must be a file.
func inspectFile(path string, p *Plan) (*ResumeInfo, error) {
	if err := regularFile(path); err != nil {
		return nil, err
	}
	return InspectResume(path, p)
}

// withActions is a fresh run's decision: ready, or nothing to do.
func withActions(d Decision, p *Plan) Decision {
	if len(p.Actions) == 0 {
		d.Verdict = NothingToDo
	}
	return d
}

// regularFile says why a journal cannot be read as one (a *JournalError),
// looking before opening it: a FIFO would block the open, and a device
// (/dev/zero) would never end.
func regularFile(path string) error {
	st, err := os.Stat(path)
	why := ""
	switch {
	case errors.Is(err, os.ErrNotExist):
		why = "no such file"
	case errors.Is(err, os.ErrPermission):
		why = "permission denied"
	case err != nil:
		why = fmt.Sprintf("cannot be read: %v", pathCause(err))
	case st.IsDir():
		why = "is a folder; give the journal file, or ask to find it in the out folder"
	case symphony.NotAFile(st) != "":
		why = symphony.NotAFile(st) + "; a journal is a file roster wrote"
	}
	if why != "" {
		return &JournalError{Path: path, Why: why}
	}
	return nil
}

// Start starts the run the job decided: the runner makes the out folder
// and opens (or continues) the journal. It refuses a job whose decision is not Ready,
// and a dry run.
//
// It takes the room's lock and the journal's (lock.go) first, and refuses
// with a *BusyError when another roster process holds either, or ran on
// the room after this plan was made. The runner lets them go when Run
// returns.
func (j *Job) Start(control *Control) (*Runner, error) {
	r, err := j.start(control)
	if err != nil {
		return nil, &StartError{Err: err}
	}
	return r, nil
}

// StartError is why Job.Start did not start the run (a dry run, a refused
// decision, another process on the room, an out folder or journal that
// cannot be made): nothing was changed, so it exits 2 on every face.
type StartError struct{ Err error }

func (e *StartError) Error() string { return e.Err.Error() }
func (e *StartError) Unwrap() error { return e.Err }

func (j *Job) start(control *Control) (*Runner, error) {
	switch {
	case j.DryRun:
		return nil, errors.New("a dry run changes nothing")
	case !j.Decision.Startable():
		return nil, errors.New("the run cannot start: the job refused it")
	}
	lock, err := j.lockRoom()
	if err != nil {
		return nil, err
	}
	// The runner makes the out folder as it creates the journal: one place.
	opts := RunOptions{OutDir: j.OutDir, Window: j.Window, Control: control, Throttle: j.throttle}
	if j.Decision.Resume != nil {
		opts.ResumeFrom = j.Decision.Resume.Path
		if err := lock.lockJournal(opts.ResumeFrom); err != nil {
			lock.release()
			return nil, err
		}
	}
	r, err := NewRunner(j.Session.Pod, j.Plan, opts.WithConfig(j.Session.Config))
	if err != nil {
		lock.release()
		return nil, err
	}
	if opts.ResumeFrom == "" {
		if err := lock.lockJournal(r.JournalPath()); err != nil {
			r.journal.Close()
			lock.release()
			return nil, err
		}
	}
	r.release = lock.release
	return r, nil
}

// discard lets go of a runner that never ran (an estate run that could not
// start all its rooms): its locks, and its journal, removed when new.
func (r *Runner) discard() {
	path := r.journal.Path()
	r.journal.Close()
	if r.prior == nil {
		os.Remove(path)
	}
	if r.release != nil {
		r.release()
	}
	r.events.close()
}

// SetAside is what the run sets aside: on resume, not the users the
// journal's run finished (the rebuilt plan sees them as members).
func (j *Job) SetAside() []Item {
	if r := j.Decision.Resume; r != nil {
		return r.SetAside
	}
	return j.Plan.SetAside
}

// ToGo is how many changes the run will make, resumed or not.
func (j *Job) ToGo() int {
	if r := j.Decision.Resume; r != nil {
		return r.ToGo()
	}
	return len(j.Plan.Actions)
}

// RunExitCode is the exit code of a run that returned sum and err: the
// summary's, and 3 when the run could not keep its journal or write its
// report (or never began), whatever its counts. A run refused or failed at
// its start (a *StartError, among them another process holding the room)
// changed nothing: 2, as the same refusal before the start.
func RunExitCode(sum *Summary, err error) int {
	if sum == nil {
		if _, start := errors.AsType[*StartError](err); start {
			return ExitInput
		}
		return ExitAborted
	}
	code := sum.ExitCode()
	if err != nil && code == ExitOK {
		return ExitAborted
	}
	return code
}
