package bulk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// journalState is what a journal says about a run.
type journalState struct {
	path     string
	header   record
	results  map[int64]record // the final outcome of each user, by user ID
	order    []int64          // users in the order their results were written
	inFlight map[int64]record // users whose call started and has no result
	finished bool             // the end record is there
	validEnd int64            // bytes up to the end of the last complete line
}

// done is the number of users the journal shows finished.
func (s *journalState) done() int { return len(s.results) }

// unsettled is the number of users whose last result waits for the member
// list (Result.Unsettled).
func (s *journalState) unsettled() int {
	n := 0
	for _, rec := range s.results {
		if rec.Unsettled.valid() {
			n++
		}
	}
	return n
}

// matches reports whether the journal is of the plan's run.
func (s *journalState) matches(p *Plan) bool { return headerMatches(s.header, p) }

// headerMatches reports whether a journal header is of the plan's run:
// same room, mode and input hash.
func headerMatches(h record, p *Plan) bool {
	return h.Room == p.StreamID && h.Mode == p.Mode.String() && h.Hash == p.InputHash
}

// mismatch says how a journal differs from the plan, for the error message.
func (s *journalState) mismatch(p *Plan) string {
	h := s.header
	switch {
	case h.Room != p.StreamID:
		return fmt.Sprintf("it is of room %s, not %s", h.Room, p.StreamID)
	case h.Mode != p.Mode.String():
		return fmt.Sprintf("it is a run to %s, not to %s", h.Mode, p.Mode)
	default:
		return "its list of users differs from this one (the CSV, or who it names, changed)"
	}
}

// maxJournalLine bounds one record; real ones are a few hundred bytes.
const maxJournalLine = 1 << 20

// JournalError is a journal that cannot be read: its file, the line (0:
// the file as a whole) and why. Every reader of journals says it so.
type JournalError struct {
	Path string
	Line int
	Why  string
}

func (e *JournalError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("journal %s line %d: %s", e.Path, e.Line, e.Why)
	}
	return fmt.Sprintf("journal %s: %s", e.Path, e.Why)
}

// errLineTooLong: a line longer than maxJournalLine.
var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most max bytes, with its newline. At the
// end of the file it returns what is left and io.EOF; a line that runs
// past max (a file of zeros, say) is errLineTooLong, read no further.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > max+1 {
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

// openJournal opens a journal to read: a regular file, refused before it
// is opened when it is not one (a FIFO would block the open, a device
// would never end).
func openJournal(path string) (*os.File, error) {
	if err := regularFile(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &JournalError{Path: path, Why: fmt.Sprintf("cannot be opened: %v", pathCause(err))}
	}
	return f, nil
}

// pathCause drops the operation and path that os errors repeat.
func pathCause(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}

// readJournal reads a whole journal. A last line without its newline is a
// record torn by a crash mid-write: it is ignored (its user, if any, is in
// flight and gets checked). Any other unreadable line is a *JournalError
// naming it.
func readJournal(path string) (*journalState, error) {
	f, err := openJournal(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &journalState{path: path, results: map[int64]record{}, inFlight: map[int64]record{}}
	r := bufio.NewReaderSize(f, 64<<10)
	var offset int64
	for n := 1; ; n++ {
		line, err := readLine(r, maxJournalLine)
		if errors.Is(err, io.EOF) {
			break // whatever is left has no newline: torn, or nothing
		}
		if errors.Is(err, errLineTooLong) {
			return nil, &JournalError{path, n, fmt.Sprintf("a line of over %s bytes is not a journal record", Count(maxJournalLine))}
		}
		if err != nil {
			return nil, &JournalError{path, n, err.Error()}
		}
		offset += int64(len(line))
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			s.validEnd = offset
			continue
		}
		var rec record
		err = json.Unmarshal(line, &rec)
		if unknown := (*unknownActionError)(nil); errors.As(err, &unknown) {
			return nil, &JournalError{path, n, fmt.Sprintf("%v; was the journal written by another version of roster?", unknown)}
		}
		if unknown := (*unknownOutcomeError)(nil); errors.As(err, &unknown) {
			return nil, &JournalError{path, n, fmt.Sprintf("%v; was the journal written by another version of roster?", unknown)}
		}
		if err != nil || rec.Type == "" {
			return nil, &JournalError{path, n, "not a journal record; is this a roster journal?"}
		}
		if n == 1 && rec.Type != recHeader {
			return nil, &JournalError{path, 1, "not a roster journal header"}
		}
		if rec.Type == recResult && !rec.Outcome.valid() {
			return nil, &JournalError{path, n, "a result record without an outcome; was the journal written by another version of roster?"}
		}
		s.apply(rec)
		s.validEnd = offset
	}
	if s.header.Type != recHeader {
		return nil, &JournalError{Path: path, Why: "empty or torn before its header was written; it holds no progress"}
	}
	return s, nil
}

func (s *journalState) apply(rec record) {
	switch rec.Type {
	case recHeader:
		s.header = rec
	case recStart:
		if rec.UserID != 0 {
			s.inFlight[rec.UserID] = rec
		}
	case recWithdrawn:
		if f, ok := s.inFlight[rec.UserID]; ok && f.Action == rec.Action {
			delete(s.inFlight, rec.UserID)
		}
	case recResult:
		if _, seen := s.results[rec.UserID]; !seen {
			s.order = append(s.order, rec.UserID)
		}
		s.results[rec.UserID] = rec
		delete(s.inFlight, rec.UserID)
	case recEnd:
		s.finished = true
	case recResume:
		s.finished = false
	}
}

// readHeader reads only a journal's first line.
func readHeader(path string) (record, error) {
	f, err := openJournal(path)
	if err != nil {
		return record{}, err
	}
	defer f.Close()
	line, err := readLine(bufio.NewReader(f), maxJournalLine)
	switch {
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(line)) == 0:
		return record{}, &JournalError{Path: path, Why: "empty: no header, no record"}
	case errors.Is(err, io.EOF):
		return record{}, &JournalError{path, 1, "torn before its header was complete"}
	case errors.Is(err, errLineTooLong):
		return record{}, &JournalError{path, 1, fmt.Sprintf("a line of over %s bytes is not a journal header", Count(maxJournalLine))}
	case err != nil:
		return record{}, &JournalError{path, 1, err.Error()}
	}
	var rec record
	if err := json.Unmarshal(line, &rec); err != nil || rec.Type != recHeader {
		return record{}, &JournalError{path, 1, "not a roster journal header"}
	}
	return rec, nil
}

// FindResumable looks in dir for an unfinished journal that matches the plan
// (same room, mode and input hash) and says how many actions it shows done.
// Journals of another run are passed over. A journal file (roster-*.jsonl)
// whose header cannot be read (empty, torn, not a journal, not a regular
// file, unreadable) may be this run's, and the newest journal of this run
// may not be read to its end: either is a *JournalError, not passed over.
// A folder that does not exist holds no journal.
func FindResumable(dir string, plan *Plan) (path string, done int, err error) {
	st, err := findResumable(dir, plan)
	if err != nil || st == nil {
		return "", 0, err
	}
	return st.path, st.done(), nil
}

// findResumable is FindResumable with the journal it read: nil when there
// is none to resume.
func findResumable(dir string, plan *Plan) (*journalState, error) {
	if plan == nil {
		return nil, errors.New("find a journal: no plan")
	}
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find a journal in %s: %w", dir, err)
	}
	type candidate struct {
		path    string
		started time.Time
	}
	var found []candidate
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, "roster-") || !strings.HasSuffix(name, ".jsonl") {
			continue
		}
		p := filepath.Join(dir, name)
		h, err := readHeader(p)
		if err != nil {
			// Whose run it holds cannot be told: passing it over could
			// start afresh beside this run's journal.
			return nil, err
		}
		if headerMatches(h, plan) {
			found = append(found, candidate{p, h.Time})
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	// Only the newest counts: an older unfinished journal was overtaken by
	// a later run of the same list, and resuming it would go back in time.
	newest := slices.MaxFunc(found, func(a, b candidate) int {
		if c := a.started.Compare(b.started); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	st, err := readJournal(newest.path)
	if err != nil {
		// A journal of this very run that cannot be read is reported, not
		// passed over: skipping it would start the run afresh (or resume
		// an older journal) and lose track of what it did.
		return nil, err
	}
	if st.finished {
		return nil, nil
	}
	return st, nil
}

// loadResumable reads a journal to resume with the plan. It fails when the
// journal cannot be read, is of another run, or is of a run that finished.
// NewRunner and InspectResume both read a journal through it.
func loadResumable(path string, plan *Plan) (*journalState, error) {
	st, err := readJournal(path)
	if err != nil {
		return nil, err
	}
	if !st.matches(plan) {
		return nil, fmt.Errorf("the journal %s is of another run: %s", path, st.mismatch(plan))
	}
	if st.finished {
		return nil, fmt.Errorf("the journal %s is of a run that finished; there is nothing to resume", path)
	}
	return st, nil
}

// unanswered are the records of the calls the journal shows started with
// no result for their user: the calls in flight when the earlier process
// stopped, by input line. A finished user in flight again (their promotion)
// is not among them: the promotions owed settle them.
func (s *journalState) unanswered() []record {
	var recs []record
	for id, rec := range s.inFlight {
		if _, done := s.results[id]; !done {
			recs = append(recs, rec)
		}
	}
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].Line != recs[j].Line {
			return recs[i].Line < recs[j].Line
		}
		return recs[i].UserID < recs[j].UserID
	})
	return recs
}

// resumeUser is a user a resumed run has left: to settle from the member
// list, or to call.
type resumeUser struct {
	index  int  // in Plan.Actions; -1 for a user the plan no longer lists
	item   Item //
	flying bool // the journal shows their call started, with no result
}

// resumeLeft lists what a resumed run has left, in the order it goes: every
// action of the plan that the journal does not show finished, then every
// user in flight whom the plan no longer lists (it sets them aside, as
// already a member say) and whose call took effect (took(id): the member
// list says so), so that the report says what the earlier run did. Each is
// one action of the run. The runner and InspectResume both count from it;
// they differ only in took: the member list read on resume, or the plan's
// view of the room.
func resumeLeft(st *journalState, plan *Plan, took func(id int64) bool) []resumeUser {
	var left []resumeUser
	inPlan := make(map[int64]bool, len(plan.Actions))
	for i, it := range plan.Actions {
		inPlan[it.UserID] = true
		if _, done := st.results[it.UserID]; done {
			continue
		}
		_, flying := st.inFlight[it.UserID]
		left = append(left, resumeUser{index: i, item: it, flying: flying})
	}
	for _, rec := range st.unanswered() {
		if !inPlan[rec.UserID] && took(rec.UserID) {
			left = append(left, resumeUser{index: -1, item: resultOf(rec).Item, flying: true})
		}
	}
	return left
}

// resumeActions counts the actions of a resumed run: what the journal shows
// finished, and what resumeLeft says is left.
func resumeActions(st *journalState, plan *Plan, took func(id int64) bool) int {
	return st.done() + len(resumeLeft(st, plan, took))
}

// prepareResume takes the run up where the journal left it. It reads the
// member list once: a user whose call was in flight when the earlier run
// was interrupted is checked against it rather than called again, and so is
// every user still to do (someone may have changed the room meanwhile).
// It returns the outcomes the member list settles, to be journaled; what
// is still to call goes to r.work.
func (r *Runner) prepareResume(ctx context.Context) ([]settled, error) {
	// What the journal shows done counts first, so that a run that cannot
	// go on still reports it.
	r.countJournaled()
	r.names = map[int64]string{}
	for _, recs := range []map[int64]record{r.prior.results, r.prior.inFlight} {
		for id, rec := range recs {
			if rec.Name != r.plan.names.get(id) {
				r.names[id] = rec.Name
			}
		}
	}
	if err := r.journal.mark(recResume, r.now(), "", r.totals); err != nil {
		return nil, err
	}
	roster, err := r.readMembers(ctx)
	if err != nil {
		return nil, err
	}
	confirmed := r.owedPromotions(roster)
	// Results the earlier run could not confirm are settled now.
	for _, id := range r.prior.order {
		if res := r.results[id]; res.Unsettled.valid() {
			switch s, promote, ok := r.settleFromMembers(res, roster); {
			case promote != nil:
				r.work = append(r.work, *promote)
			case ok:
				confirmed = append(confirmed, s)
			}
		}
	}
	add := r.plan.Mode == ModeAdd
	took := func(id int64) bool { return roster.has(id) == add }
	for _, u := range resumeLeft(r.prior, r.plan, took) {
		if s, ok := r.settle(u, roster); ok {
			confirmed = append(confirmed, s)
		}
	}
	return confirmed, nil
}

// countJournaled takes the journal's finished users into the run's results
// and totals.
func (r *Runner) countJournaled() {
	for _, id := range r.prior.order {
		res := resultOf(r.prior.results[id])
		r.results[id] = res
		r.totals.Done++
		r.tally(res, 1)
	}
}

// readMembers reads the room's member list once, for the resume to check
// against, and starts the live member count from it.
func (r *Runner) readMembers(ctx context.Context) (roomMembers, error) {
	members, err := r.pod.Members(ctx, r.plan.StreamID)
	if err != nil {
		return roomMembers{}, err
	}
	r.totals.Members = len(members)
	return memberIndex(members), nil
}

// owedPromotions counts the journal's promotions and settles those it
// owes: the member list confirms a promotion whose reply was lost, and a
// promotion never made is queued (a task "again": the user is counted in
// Done already).
func (r *Runner) owedPromotions(roster roomMembers) []settled {
	var confirmed []settled
	add := r.plan.Mode == ModeAdd
	for _, id := range r.prior.order {
		res := r.results[id]
		switch {
		case res.Promoted:
			r.totals.Promoted++
		case res.Unsettled.valid():
			// settleFromMembers settles it.
		case !add || !res.Item.Owner || (res.Outcome != OutcomeAdded && res.Outcome != OutcomeAlreadyMember):
		case roster.owner[id]:
			// The promotion reached the pod though its reply did not
			// reach the earlier run.
			res.Promoted, res.Time = true, r.now()
			res.Message = joinText(res.Message, "the member list shows the user as an owner on resume")
			confirmed = append(confirmed, settled{task{index: -1, item: res.Item, again: true}, res})
		case roster.has(id):
			// The earlier run added the user but did not promote them.
			r.work = append(r.work, task{index: -1, item: res.Item, promoteOnly: true, outcome: res.Outcome, again: true})
		default:
			r.totals.PromoteFailed++
		}
	}
	return confirmed
}

// settle decides a user the resumed run has left from the member list: an
// outcome it settles without a call (ok), or a task queued on r.work (an
// add or removal, or the promotion an owner still needs).
func (r *Runner) settle(u resumeUser, roster roomMembers) (settled, bool) {
	it, add := u.item, r.plan.Mode == ModeAdd
	member := roster.has(it.UserID)
	var res Result
	switch {
	case add && member && u.flying:
		res.Outcome, res.Message = OutcomeAdded, "added: the earlier run stopped with this user's call in flight or about to start (its start is journaled, with no outcome), and the member list shows the user in the room"
	case add && member:
		res.Outcome, res.Message = OutcomeAlreadyMember, "already a member when the run was resumed"
	case !add && !member && u.flying:
		res.Outcome, res.Message = OutcomeRemoved, "removed: the earlier run stopped with this user's call in flight or about to start (its start is journaled, with no outcome), and the member list no longer shows the user"
	case !add && !member:
		res.Outcome, res.Message = OutcomeNotMember, "not a member when the run was resumed"
	default:
		it.PromoteOnly = false
		r.work = append(r.work, task{index: u.index, item: it})
		return settled{}, false
	}
	if add && it.Owner && !roster.owner[it.UserID] {
		r.work = append(r.work, task{index: u.index, item: it, promoteOnly: true, outcome: res.Outcome})
		return settled{}, false
	}
	res.Index, res.Item, res.Name, res.Time = u.index, it, r.nameOf(it), r.now()
	res.Settled = u.flying
	return settled{task{index: u.index, item: it}, res}, true
}

// settled is an outcome that the member list settles on resume, without a call.
type settled struct {
	task task
	res  Result
}

// resultOf rebuilds a result from its journal record.
func resultOf(rec record) Result {
	return Result{Time: rec.Time, Index: -1, Outcome: rec.Outcome, Promoted: rec.Promoted,
		Status: rec.Status, Message: rec.Message, Attempts: rec.Attempts, Unsettled: rec.Unsettled, Settled: rec.Settled,
		Name: rec.Name,
		Item: Item{Line: int32(rec.Line), Input: rec.Input, Kind: parseKind(rec.Kind), UserID: rec.UserID,
			Owner: rec.Owner, Outcome: OutcomePending}}
}
