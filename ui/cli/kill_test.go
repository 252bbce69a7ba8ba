package cli

import (
	"flag"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// killSeed replays the kill points of a logged seed:
// go test ./ui/cli -run Killed -killseed N.
var killSeed = flag.Uint64("killseed", 0, "the seed of the SIGKILL tests' kill points (0: a new one, logged)")

// killPoint is when a run is killed: delay after its outcomes'th outcome
// line, or, with none, delay after it starts (planning, the locks, the
// journals).
type killPoint struct {
	outcomes int
	delay    time.Duration
}

// drawKillPoints draws n kill points from a seeded random source, the seed
// logged (-killseed replays them): each after 0 to maxOutcomes-1 outcome
// lines, 0 being an instant of the start under within, and otherwise an
// instant under pace after the line, so that a kill may find a call on its
// way to the pod or its answer on its way to the journal, not only the
// wait between two calls.
func drawKillPoints(t *testing.T, n, maxOutcomes int, within, pace time.Duration) []killPoint {
	seed := *killSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("kill points: random seed %d (-killseed %d replays them)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	points := make([]killPoint, n)
	for i := range points {
		points[i].outcomes = rng.IntN(maxOutcomes)
		if points[i].outcomes == 0 {
			points[i].delay = time.Duration(rng.Int64N(int64(within)))
		} else {
			points[i].delay = time.Duration(rng.Int64N(int64(pace)))
		}
	}
	return points
}

// killedRun is a run of the real binary that killUntilDone kills.
type killedRun struct {
	args  []string        // the run's flags, without --resume
	rooms []string        // the rooms it adds to (stream IDs)
	users [][]podsim.User // users[i] are added to rooms[i]; a user is in one room only
	kills []killPoint     // where the first runs are killed, one each
}

// killUntilDone runs the binary with r.args, kills it with SIGKILL at each
// of r.kills in turn, each restart adding --resume, then restarts it with
// --resume until a run ends by itself (exit 0), and returns that run. It
// checks what every such run must keep, whatever the kill points:
//   - a run that follows a kill after an outcome was printed, while users
//     remain to add, resumes a journal if it starts (it does not start afresh);
//   - every user ends a member of its room, with no removal;
//   - no add is sent again once its success was printed (the pod's count of
//     a user's adds when its outcome line was read is its count at the end),
//     and at least half the users were seen so, or the check saw too little;
//   - no add is sent again once the pod has the user as a member when a run
//     begins (a call in flight at a kill that took effect is settled from
//     the member list the resumed run reads, not repeated);
//   - the only repeated adds are those a kill left in flight: at most one
//     per room at each kill.
func killUntilDone(t *testing.T, pod *podsimtest.Pod, r killedRun) *rosterProc {
	t.Helper()
	bin := rosterBinary(t)
	confirmedAt := map[int64]int{} // user -> its adds when its success was printed
	memberAt := map[int64]int{}    // user -> its adds when first seen a member between runs
	memberRun := map[int64]int{}   // user -> the first run that began with it a member
	killed, mustResume := 0, false
	var last *rosterProc
	for run := 0; ; run++ {
		args := r.args
		if run > 0 {
			args = append(append([]string{}, r.args...), "--resume")
		}
		p := startRoster(t, bin, args...)
		last = p
		if run < len(r.kills) {
			k := r.kills[run]
			t.Logf("run %d: SIGKILL %v after %d outcome lines", run, k.delay, k.outcomes)
			if p.awaitOutcomes(t, k.outcomes) {
				time.Sleep(k.delay)
				p.cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		code := p.wait(t)
		// Users this run printed as added are confirmed successes: from
		// now on the pod must see no further add for them. A call the kill
		// cut may still reach the pod: take the counts once settled.
		settled := settledState(t, pod)
		for _, id := range confirmedAdds(p.stdoutText()) {
			if _, seen := confirmedAt[id]; !seen {
				confirmedAt[id] = podsimtest.Calls(settled, id).Add
			}
		}
		// A user the pod has as a member now is one the next run finds in
		// the member list it reads on resume, whatever its journal says (a
		// call in flight at the kill that took effect): the next run must
		// not add it again.
		for i, room := range r.rooms {
			members := settledMembers(t, settled, room)
			for _, u := range r.users[i] {
				if _, seen := memberAt[u.ID]; !seen && members[u.ID] {
					memberAt[u.ID], memberRun[u.ID] = podsimtest.Calls(settled, u.ID).Add, run+1
				}
			}
		}
		if mustResume && startLine.MatchString(p.stdoutText()) && !strings.Contains(p.stdoutText(), "Resuming: ") {
			t.Errorf("run %d followed a kill mid-run but started without resuming a journal:\n%s", run, p.output())
		}
		if code == exitOK {
			break
		}
		if code != -1 || run >= len(r.kills) {
			t.Fatalf("run %d: exit %d, want 0 or killed by the test:\n%s", run, code, p.output())
		}
		killed++
		// The journal now holds at least one outcome when an outcome line
		// was printed by this run or an earlier one; a restart must then
		// resume it, unless nothing is left to do.
		mustResume = (mustResume || outcomeLines(p.stdoutText()) > 0) && !r.allMembers(t, pod)
	}

	total := 0
	for _, us := range r.users {
		total += len(us)
	}
	t.Logf("%d kills before a run ended by itself; %d of %d users seen confirmed; its output:\n%s", killed, len(confirmedAt), total, last.output())
	if len(confirmedAt) < total/2 {
		t.Errorf("only %d of %d users were printed as added: the check of repeated adds saw too little", len(confirmedAt), total)
	}
	st := pod.State()
	repeated := 0
	for i, room := range r.rooms {
		if !allMembers(t, pod, room, r.users[i]) {
			t.Errorf("room %s: not every user is a member at the end", room)
		}
		for _, u := range r.users[i] {
			c := podsimtest.Calls(st, u.ID)
			if c.Remove != 0 {
				t.Errorf("user %d got %d removals in an add run", u.ID, c.Remove)
			}
			if n, ok := confirmedAt[u.ID]; ok && c.Add != n {
				t.Errorf("user %d (room %s): %d add calls at the end, %d when its success was printed: an add was repeated after a confirmed success",
					u.ID, room, c.Add, n)
			}
			if n, ok := memberAt[u.ID]; ok && c.Add != n {
				t.Errorf("user %d (room %s): %d add calls at the end, %d when run %d began with the user a member: a resumed run added it again instead of reading the member list",
					u.ID, room, c.Add, n, memberRun[u.ID])
			}
			if c.Add > 1 {
				repeated += c.Add - 1
			}
		}
	}
	if repeated > killed*len(r.rooms) {
		t.Errorf("%d repeated adds with %d kills of %d rooms: adds were repeated beyond the one call in flight per room at each kill",
			repeated, killed, len(r.rooms))
	}
	return last
}

// settledMembers is the member set of a room in a state of the pod.
func settledMembers(t *testing.T, st podsim.State, room string) map[int64]bool {
	t.Helper()
	for _, rs := range st.Rooms {
		if rs.ID == room {
			return podsimtest.MemberSet(rs)
		}
	}
	t.Fatalf("the pod has no room %s", room)
	return nil
}

// allMembers reports whether every user is a member of its room.
func (r killedRun) allMembers(t *testing.T, pod *podsimtest.Pod) bool {
	for i, room := range r.rooms {
		if !allMembers(t, pod, room, r.users[i]) {
			return false
		}
	}
	return true
}

// startLine is the line of either face saying a room's run started, afresh
// ("started: 50 to add") or resumed ("started to add. Resuming: ..."); in a
// run of many rooms it begins with the room.
var startLine = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  (?:.+: )?started[: ]`)

// addedLine is an outcome line of a user given by ID and added, in a run of
// one room or (the room first) of many.
var addedLine = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  line \d+ +(?:.*\S +)?(\d+) +added`)

// confirmedAdds are the users a run's output shows added.
func confirmedAdds(out string) []int64 {
	var ids []int64
	for _, m := range addedLine.FindAllStringSubmatch(out, -1) {
		id, err := strconv.ParseInt(m[1], 10, 64)
		if err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// allMembers reports whether every user is a member of the room.
func allMembers(t *testing.T, pod *podsimtest.Pod, room string, users []podsim.User) bool {
	members := pod.MemberSet(t, room)
	for _, u := range users {
		if !members[u.ID] {
			return false
		}
	}
	return true
}
