package bulk

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"roster/csvsource"
)

// The journal is a JSON Lines file: a header, then records as the run goes,
// each written before the next call starts. One fsync per change: a "start"
// record is made durable before its call, because it is what a resume
// checks against the member list; a "result" record is only written (the
// next start's fsync makes it durable with it), because a result lost to a
// power cut leaves its start without a result, and that user is settled
// from the member list on resume like any call in flight. The sync of a
// start overlaps the call before it (Journal.startAhead). A SIGKILL loses
// nothing written: the file system keeps it. The header and the resume,
// stop and end records are fsync'ed too (once a run). It holds users'
// IDs, their input values and the pod's messages; never a token, key or
// password (the runner has none to give it).
//
// Record types:
//
//	header  the run: room, mode, input hash, start time, source, actions
//	start   a call for a user is about to be made (a crash after it leaves
//	        the user "in flight": checked against the member list on resume)
//	withdrawn
//	        a start whose call was not made after all (an abort, a stop or
//	        the run window came first): its user is not in flight
//	result  a user's outcome; a later result of the same user replaces it
//	        (an outcome the pod's reply did not confirm, "unsettled", is
//	        followed by the one the member list settles, "settled")
//	resume  a later process took the run up again
//	stop    the run was aborted or stopped by itself (it stays resumable)
//	end     every action is done: the journal is complete
const (
	recHeader = "header"
	recStart  = "start"
	recResult = "result"
	// recWithdrawn takes back a start record whose call was never made.
	recWithdrawn = "withdrawn"
	recResume    = "resume"
	recStop      = "stop"
	recEnd       = "end"
)

// journalVersion is the header's format version.
const journalVersion = 1

// record is one line of the journal; fields are set per type.
type record struct {
	Type string    `json:"type"`
	Time time.Time `json:"time"`

	// header
	Version  int    `json:"version,omitempty"`
	Room     string `json:"room,omitempty"`
	RoomName string `json:"roomName,omitempty"`
	Mode     string `json:"mode,omitempty"`
	Hash     string `json:"hash,omitempty"`
	Started  string `json:"started,omitempty"`
	Source   string `json:"source,omitempty"`
	Actions  int    `json:"actions,omitempty"`

	// start and result
	Line     int     `json:"line,omitempty"`
	Input    string  `json:"input,omitempty"`
	Kind     string  `json:"kind,omitempty"`
	UserID   int64   `json:"userId,omitempty"`
	Name     string  `json:"name,omitempty"`
	Action   Action  `json:"action,omitempty"` // add, remove, promote; none in other records
	Owner    bool    `json:"owner,omitempty"`
	Outcome  Outcome `json:"outcome,omitempty"`
	Promoted bool    `json:"promoted,omitempty"`
	Status   int     `json:"status,omitempty"`
	Message  string  `json:"message,omitempty"`
	Attempts int     `json:"attempts,omitempty"`

	// result: the call the member list must still settle (none when the
	// outcome is known), and whether the member list settled it
	Unsettled Action `json:"unsettled,omitempty"`
	Settled   bool   `json:"settled,omitempty"`

	// stop and end
	Reason string  `json:"reason,omitempty"`
	Totals *Totals `json:"totals,omitempty"`
}

// Journal appends records to a journal file.
type Journal struct {
	path string
	f    *os.File
	buf  []byte // the line being written, kept from one record to the next

	// ahead is the start record of the call after the one in flight,
	// written and made durable in the background during that call (see
	// startAhead); nil when there is none not yet taken by its call.
	ahead *aheadStart
}

// aheadStart is a start record written ahead of its call.
type aheadStart struct {
	rec     record
	written chan struct{} // closed once the record is written (not yet on disk), or failed
	done    chan struct{} // closed when the record is on disk, or failed
	err     error
}

// journalName names a journal after the room and the start time (UTC).
func journalName(p *Plan, started time.Time) string {
	return fmt.Sprintf("roster-%s-%s.jsonl", roomSlug(p), started.UTC().Format("20060102T150405Z"))
}

// roomSlug is the room's name made safe for a file name, or its ID.
func roomSlug(p *Plan) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(p.Room.Name) {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = strings.Trim(p.StreamID, "-_")
		if len(s) > 12 {
			s = s[:12]
		}
	}
	if s == "" {
		s = "room"
	}
	return s
}

// createJournal starts a new journal in dir with its header.
func createJournal(dir string, p *Plan, started time.Time) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: create the folder %s: %w", dir, err)
	}
	base := journalName(p, started)
	var f *os.File
	var path string
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name = strings.TrimSuffix(base, ".jsonl") + fmt.Sprintf("-%d.jsonl", n)
		}
		path = filepath.Join(dir, name)
		var err error
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) || n > 100 {
			return nil, fmt.Errorf("journal: create %s: %w", path, err)
		}
	}
	j := &Journal{path: path, f: f}
	err := j.write(true, record{Type: recHeader, Time: started.UTC(), Version: journalVersion,
		Room: p.StreamID, RoomName: p.Room.Name, Mode: p.Mode.String(), Hash: p.InputHash,
		Started: started.UTC().Format(time.RFC3339), Source: p.Source, Actions: len(p.Actions)})
	if err != nil {
		f.Close()
		return nil, err
	}
	// The new name must survive a crash too.
	syncDir(dir)
	return j, nil
}

// appendJournal opens an existing journal to go on writing. A torn last
// line (a crash mid-write) is cut off first so that the next record starts
// on a line of its own.
func appendJournal(path string, validEnd int64) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal %s: open to resume: %w", path, err)
	}
	if st, err := f.Stat(); err == nil && st.Size() > validEnd {
		if err := f.Truncate(validEnd); err != nil {
			f.Close()
			return nil, fmt.Errorf("journal %s: cut the torn last line: %w", path, err)
		}
	}
	return &Journal{path: path, f: f}, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// write appends one record, and when durable is set makes it (and every
// record written before it) durable before returning.
func (j *Journal) write(durable bool, r record) error {
	if a := j.ahead; a != nil {
		// Records keep the order they were asked in: a start written
		// ahead is before the result of the call in flight.
		<-a.written
	}
	line := j.buf[:0]
	if r.Type == recStart || r.Type == recResult || r.Type == recWithdrawn {
		line = appendCallRecord(line, &r)
	} else {
		enc, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("journal %s: encode a record: %w", j.path, err)
		}
		line = append(line, enc...)
	}
	line = append(line, '\n')
	j.buf = line
	if err := j.append(line); err != nil || !durable {
		return err
	}
	return j.flush()
}

// append writes one line at the end of the file.
func (j *Journal) append(line []byte) error {
	if _, err := j.f.Write(line); err != nil {
		return fmt.Errorf("journal %s: write: %w", j.path, err)
	}
	return nil
}

// flush makes every line written so far durable.
func (j *Journal) flush() error {
	if err := syncData(j.f); err != nil {
		return fmt.Errorf("journal %s: flush to disk: %w", j.path, err)
	}
	return nil
}

// start records that the call for an action is about to be made, durably:
// the call must not start before its record is on disk.
// A start already written ahead for the same user and action (startAhead)
// is taken instead, once it is on disk.
func (j *Journal) start(it Item, name string, action Action, at time.Time) error {
	if !action.valid() {
		return fmt.Errorf("journal %s: %v is not an action; nothing was written", j.path, action)
	}
	if a := j.ahead; a != nil {
		<-a.done
		if a.rec.UserID == it.UserID && a.rec.Action == action {
			j.ahead = nil
			return a.err
		}
		if a.err != nil {
			return a.err
		}
	}
	return j.write(true, startRecord(it, name, action, at))
}

func startRecord(it Item, name string, action Action, at time.Time) record {
	return record{Type: recStart, Time: at.UTC(), Line: int(it.Line), Input: it.Input, Kind: kindText(it.Kind),
		UserID: it.UserID, Name: name, Action: action, Owner: it.Owner}
}

// startAhead writes the start record of the next call while the current
// one is in flight, and makes it durable in the background: its fsync,
// most of what roster costs between two calls, then overlaps the pod's
// reply instead of following it. The next call takes it (start); if that
// call is not made after all, withdrawAhead takes it back. A crash before
// either leaves the user in flight, settled from the member list on
// resume like any start without a result. At most one is written ahead;
// it returns false (writing nothing) when one is still untaken.
func (j *Journal) startAhead(it Item, name string, action Action, at time.Time) bool {
	if j.ahead != nil || !action.valid() {
		return false
	}
	a := &aheadStart{rec: startRecord(it, name, action, at), written: make(chan struct{}), done: make(chan struct{})}
	j.ahead = a
	go func() {
		defer close(a.done)
		a.err = j.append(append(appendCallRecord(nil, &a.rec), '\n'))
		close(a.written)
		if a.err == nil {
			a.err = j.flush()
		}
	}()
	return true
}

// withdrawAhead takes back a start written ahead whose call was not made
// (the run stopped, or waits for its window), so that a resume does not
// take its user for one in flight. The record is made durable by the
// next durable one (the run's stop record, say).
func (j *Journal) withdrawAhead(at time.Time) error {
	a := j.ahead
	if a == nil {
		return nil
	}
	<-a.done
	j.ahead = nil
	if a.err != nil {
		return a.err
	}
	return j.withdraw(a.rec, at)
}

// withdraw takes back the start record rec: its call was not made.
func (j *Journal) withdraw(rec record, at time.Time) error {
	rec.Type, rec.Time = recWithdrawn, at.UTC()
	return j.write(false, rec)
}

// result records a user's final outcome. It is not fsync'ed: the next
// start record, or the run's last record, makes it durable (see above).
func (j *Journal) result(r Result, action Action) error {
	if !action.valid() {
		return fmt.Errorf("journal %s: %v is not an action; nothing was written", j.path, action)
	}
	if !r.Outcome.valid() {
		return fmt.Errorf("journal %s: %v is not an outcome; nothing was written", j.path, r.Outcome)
	}
	return j.write(false, record{Type: recResult, Time: r.Time.UTC(), Line: int(r.Item.Line), Input: r.Item.Input,
		Kind: kindText(r.Item.Kind), UserID: r.Item.UserID, Name: r.Name, Action: action, Owner: r.Item.Owner,
		Outcome: r.Outcome, Promoted: r.Promoted, Status: r.Status, Message: r.Message, Attempts: r.Attempts,
		Unsettled: r.Unsettled, Settled: r.Settled})
}

// mark writes a resume, stop or end record. A start still written ahead
// is withdrawn first: no call follows a mark.
func (j *Journal) mark(typ string, at time.Time, reason string, t Totals) error {
	if err := j.withdrawAhead(at); err != nil {
		return err
	}
	return j.write(true, record{Type: typ, Time: at.UTC(), Reason: reason, Totals: &t})
}

// Close closes the file, once a start written ahead is done with.
func (j *Journal) Close() error {
	if a := j.ahead; a != nil {
		<-a.done
	}
	return j.f.Close()
}

func kindText(k csvsource.Kind) string {
	if k == 0 {
		return ""
	}
	return k.String()
}

func parseKind(s string) csvsource.Kind {
	for _, k := range []csvsource.Kind{csvsource.KindUserID, csvsource.KindEmail, csvsource.KindUsername} {
		if k.String() == s {
			return k
		}
	}
	return 0
}

// syncDir makes a new directory entry durable; best effort, since some
// file systems cannot sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
