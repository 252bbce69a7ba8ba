package bulk

import (
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// One writer per room. Two roster processes changing one room at once
// change users twice (two --resume on one journal each removed every user
// left; two fresh runs from two out folders each added every user). A run
// takes two kernel locks for as long as it runs, both on this machine:
//
//   - the room's lock: a file in the user's cache folder
//     (os.UserCacheDir()/roster/locks, else the temporary folder), named by
//     the pod's host and the stream ID, whatever the out folder; the holder
//     writes its PID, journal and start time into it, for the next process
//     to name;
//   - the journal's lock, on the journal file itself, which another user
//     (another cache folder) resuming the same journal meets.
//
// They are flock(2) locks on Unix and LockFileEx on Windows: the kernel
// drops them when the process ends, however it ends, so a killed run never
// blocks the next. The preview and the dry run look at the room's lock
// without keeping it (Decision verdict Busy); Job.Start takes both, and the
// runner lets them go when Run returns.

// errLocked is what tryLock says of a lock another open file holds.
var errLocked = errors.New("locked by another process")

// lockTries and lockPause: a lock found held is tried again for about half
// a second, so that a look by a preview (which holds the lock for a moment)
// does not refuse a run that is starting.
const (
	lockTries = 10
	lockPause = 50 * time.Millisecond
)

// Holder is what a run writes in its room's lock file: who holds the room.
type Holder struct {
	PID     int       `json:"pid"`
	Journal string    `json:"journal,omitempty"` // absolute; "" until the journal is made
	Started time.Time `json:"started"`
	Ended   time.Time `json:"ended,omitzero"` // written as the run lets the lock go
}

// BusyError is a run refused because another roster process on this
// machine holds the room or its journal, or changed the room since this
// run was planned.
type BusyError struct {
	Holder  Holder // the other run, as its lock file says (PID 0: unknown)
	Lock    string // the lock file
	Journal string // the journal another process holds, when that is the conflict
	Changed bool   // the room was free, but another run changed it after this plan was made
}

func (e *BusyError) Error() string {
	who := "another roster process"
	if e.Holder.PID > 0 {
		who += fmt.Sprintf(" (PID %d)", e.Holder.PID)
	}
	var facts []string
	if j := cmp.Or(e.Journal, e.Holder.Journal); j != "" {
		facts = append(facts, "journal "+j)
	}
	if !e.Holder.Started.IsZero() {
		facts = append(facts, "started "+e.Holder.Started.Local().Format("2006-01-02 15:04:05"))
	}
	if len(facts) == 0 && e.Lock != "" {
		facts = append(facts, "lock file "+e.Lock)
	}
	detail := ""
	if len(facts) > 0 {
		detail = " (" + strings.Join(facts, ", ") + ")"
	}
	switch {
	case e.Changed:
		return fmt.Sprintf("%s ran on this room after this plan was made%s; plan again, so that no user is changed twice", who, detail)
	case e.Journal != "":
		return fmt.Sprintf("the journal %s is in use by %s; two runs at once would change users twice: wait for it to end, or stop it", e.Journal, who)
	}
	return fmt.Sprintf("%s is running on this room now%s; two runs at once would change users twice: wait for it to end, or stop it", who, detail)
}

// lockDir is the folder of the rooms' lock files: roster/locks in the
// user's cache folder, or in the temporary folder when there is none (or
// it cannot be made).
func lockDir() (string, error) {
	if cache, err := os.UserCacheDir(); err == nil && cache != "" {
		dir := filepath.Join(cache, "roster", "locks")
		if os.MkdirAll(dir, 0o700) == nil {
			return dir, nil
		}
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("roster-locks-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("make a folder for the room's lock: %w", err)
	}
	return dir, nil
}

// roomLockName names a room's lock file by the pod's host and the stream
// ID. The ID is written in hex: base64 tells upper from lower case, which
// the file systems of macOS and Windows do not.
func roomLockName(podURL, streamID string) string {
	host := "pod"
	if u, err := url.Parse(podURL); err == nil && u.Host != "" {
		host = strings.TrimSuffix(strings.ToLower(u.Host), ":443")
	}
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, host)
	return safe + "-" + hex.EncodeToString([]byte(streamID)) + ".lock"
}

// roomLockPath is the lock file of the job's room.
func (j *Job) roomLockPath() (string, error) {
	dir, err := lockDir()
	if err != nil {
		return "", err
	}
	pod := ""
	if j.Session != nil && j.Session.Config != nil {
		pod = j.Session.Config.Pod.BaseURL()
	}
	return filepath.Join(dir, roomLockName(pod, j.Plan.StreamID)), nil
}

// takeLock opens path (creating it when create is set) and locks it,
// trying again for about half a second when it is held. held is true when
// another open file holds it still: f is then open, unlocked, for reading.
func takeLock(path string, create bool) (f *os.File, held bool, err error) {
	flags := os.O_RDONLY
	if create {
		flags = os.O_RDWR | os.O_CREATE
	}
	f, err = os.OpenFile(path, flags, 0o600)
	if err != nil {
		return nil, false, err
	}
	for try := 1; ; try++ {
		err = tryLock(f)
		if err == nil {
			return f, false, nil
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, false, fmt.Errorf("lock %s: %w", path, err)
		}
		if try == lockTries {
			return f, true, nil
		}
		time.Sleep(lockPause)
	}
}

// readHolder reads a room's lock file; the zero Holder when it says nothing.
func readHolder(f *os.File) Holder {
	var h Holder
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 64<<10))
	if err == nil {
		_ = json.Unmarshal(b, &h)
	}
	return h
}

// writeHolder replaces what a held lock file says.
func writeHolder(f *os.File, h Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err = f.WriteAt(append(b, '\n'), 0)
	return err
}

// roomBusy looks at the room's lock without keeping it: the other run
// that holds it, or nil. A lock that cannot be looked at is no refusal:
// Start, which must take it, says why.
func (j *Job) roomBusy() *BusyError {
	path, err := j.roomLockPath()
	if err != nil {
		return nil
	}
	f, held, err := takeLock(path, false)
	if err != nil {
		return nil // no lock file: no run yet
	}
	defer f.Close()
	if !held {
		unlock(f)
		return nil
	}
	return &BusyError{Holder: readHolder(f), Lock: path}
}

// runLock is the locks a started run holds.
type runLock struct {
	room    *os.File
	journal *os.File
	holder  Holder
}

// lockRoom takes the room's lock for a run, or says who holds it. It also
// refuses a plan made before another run on this room began or ended: the
// plan's view of the room is then out of date.
func (j *Job) lockRoom() (*runLock, error) {
	path, err := j.roomLockPath()
	if err != nil {
		return nil, err
	}
	f, held, err := takeLock(path, true)
	if err != nil {
		return nil, fmt.Errorf("take the room's lock %s: %w", path, err)
	}
	last := readHolder(f)
	if held {
		f.Close()
		return nil, &BusyError{Holder: last, Lock: path}
	}
	if !j.planned.IsZero() && (last.Started.After(j.planned) || last.Ended.After(j.planned)) && last.PID != 0 {
		unlock(f)
		f.Close()
		return nil, &BusyError{Holder: last, Lock: path, Changed: true}
	}
	l := &runLock{room: f, holder: Holder{PID: os.Getpid(), Started: time.Now()}}
	if err := writeHolder(f, l.holder); err != nil {
		l.release()
		return nil, fmt.Errorf("write the room's lock %s: %w", path, err)
	}
	return l, nil
}

// lockJournal takes the journal's own lock and names it in the room's.
func (l *runLock) lockJournal(path string) error {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	f, held, err := takeLock(path, false)
	if err != nil {
		return fmt.Errorf("take the journal's lock: %w", err)
	}
	if held {
		f.Close()
		return &BusyError{Journal: path}
	}
	l.journal = f
	l.holder.Journal = path
	_ = writeHolder(l.room, l.holder) // the journal is named for the next process; the lock holds without it
	return nil
}

// release writes when the run ended and lets both locks go.
func (l *runLock) release() {
	if l == nil {
		return
	}
	if l.journal != nil {
		unlock(l.journal)
		l.journal.Close()
		l.journal = nil
	}
	if l.room != nil {
		l.holder.Ended = time.Now()
		_ = writeHolder(l.room, l.holder)
		unlock(l.room)
		l.room.Close()
		l.room = nil
	}
}
