package bulk

import (
	"fmt"
	"strconv"
)

// ResumeInfo is what resuming a journal will do, counted as the resumed run
// counts it. The journal's run is what a resume executes: the users it
// finished are skipped and still count, whatever the rebuilt plan says of
// them (a plan built after an abort sees the users added before it as
// already members and sets them aside). The preview, the run screen, the
// headless output and the summary all tell the same story from it.
type ResumeInfo struct {
	Path     string
	Actions  int // the whole run: what the earlier process(es) finished plus what is to go
	Done     int // finished before, failed users included (they are not tried again)
	InFlight int // calls left without an answer: settled from the member list, not repeated blindly

	// SetAside are the plan's set-aside items that are not the journal's
	// run: the users it finished or had in flight are counted in Actions.
	SetAside []Item
}

// ToGo is what the resumed run still has to do.
func (r *ResumeInfo) ToGo() int { return max(r.Actions-r.Done, 0) }

// String is "Resuming: 2 of 60 done, 58 to go".
func (r *ResumeInfo) String() string { return ResumeText(r.Done, r.Actions) }

// ResumeText is the one wording of a resume's progress, for every front
// end: "Resuming: 2 of 60 done, 58 to go".
func ResumeText(done, actions int) string {
	return fmt.Sprintf("Resuming: %s of %s done, %s to go", groupDigits(done), groupDigits(actions), groupDigits(max(actions-done, 0)))
}

// InspectResume reads a journal and says what resuming it with the plan
// will do, without calling the pod: the plan's view of the room stands in
// for the member list the runner reads when it starts. It fails as
// NewRunner would: an unreadable journal, one of another run, or one of a
// run that finished.
func InspectResume(path string, plan *Plan) (*ResumeInfo, error) {
	if plan == nil {
		return nil, fmt.Errorf("inspect the journal %s: no plan", path)
	}
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
	// What the plan sets aside as already done (a member, for an add) is
	// what the member list will show: a call in flight for such a user
	// took effect, and the runner counts it.
	settledAside := map[int64]bool{}
	want := OutcomeAlreadyMember
	if plan.Mode == ModeRemove {
		want = OutcomeNotMember
	}
	for _, it := range plan.SetAside {
		if it.Outcome == want && it.UserID != 0 {
			settledAside[it.UserID] = true
		}
	}
	info := &ResumeInfo{Path: path, Done: st.done()}
	for id := range st.inFlight {
		if _, done := st.results[id]; !done {
			info.InFlight++
		}
	}
	info.Actions = resumeActions(st, plan, func(id int64) bool { return settledAside[id] })
	for _, it := range plan.SetAside {
		// Only the rows set aside as already done are the journal's;
		// a duplicate row of a user it finished stays set aside.
		_, done := st.results[it.UserID]
		_, flying := st.inFlight[it.UserID]
		if it.Outcome == want && it.UserID != 0 && (done || flying) {
			continue
		}
		info.SetAside = append(info.SetAside, it)
	}
	return info, nil
}

// resumeActions counts the actions of a resumed run as the runner does:
// what the journal shows finished, every action of the plan it does not,
// and every user in flight whom the plan no longer lists but whose call
// took effect (took(id): the member list says so).
func resumeActions(st *journalState, plan *Plan, took func(id int64) bool) int {
	n := st.done()
	inPlan := map[int64]bool{}
	for _, it := range plan.Actions {
		inPlan[it.UserID] = true
		if _, done := st.results[it.UserID]; !done {
			n++
		}
	}
	for id := range st.inFlight {
		if _, done := st.results[id]; !done && !inPlan[id] && took(id) {
			n++
		}
	}
	return n
}

// groupDigits prints 12345 as 12,345.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	start := 0
	if n < 0 {
		start = 1
	}
	out := []byte(s[:start])
	for i := start; i < len(s); i++ {
		if i > start && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
