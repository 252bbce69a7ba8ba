package bulk

import "fmt"

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
	// Unsettled are users the journal shows waiting for the member list
	// (a reply that did not confirm the change, an add a pod makes later):
	// the resume settles them first, even with nothing else to do.
	Unsettled int

	// SetAside are the plan's set-aside items that are not the journal's
	// run: the users it finished or had in flight are counted in Actions.
	SetAside []Item
}

// ToGo is what the resumed run still has to do.
func (r *ResumeInfo) ToGo() int { return max(r.Actions-r.Done, 0) }

// InspectResume reads a journal and says what resuming it with the plan
// will do, without calling the pod: the plan's view of the room stands in
// for the member list the runner reads when it starts. It fails as
// NewRunner would: an unreadable journal, one of another run, or one of a
// run that finished. Its counts come from the functions the runner counts
// with (resumeLeft, unanswered).
func InspectResume(path string, plan *Plan) (*ResumeInfo, error) {
	if plan == nil {
		return nil, fmt.Errorf("inspect the journal %s: no plan", path)
	}
	st, err := loadResumable(path, plan)
	if err != nil {
		return nil, err
	}
	return inspect(st, plan), nil
}

// inspect counts what resuming a journal already read and checked will do.
func inspect(st *journalState, plan *Plan) *ResumeInfo {
	return &ResumeInfo{Path: st.path, Done: st.done(), InFlight: len(st.unanswered()), Unsettled: st.unsettled(),
		Actions: resumeActions(st, plan, settledAside(plan)), SetAside: resumeSetAside(st, plan)}
}

// settledOutcome is what the plan sets aside a user as when the room is
// already as the run would make it: already a member for an add, not a
// member for a removal.
func settledOutcome(m Mode) Outcome {
	if m == ModeRemove {
		return OutcomeNotMember
	}
	return OutcomeAlreadyMember
}

// settledAside stands in, before the run, for the member list's word on a
// call in flight: the plan sets aside as already done (a member, for an
// add) what the member list will show, so such a call took effect.
func settledAside(plan *Plan) func(id int64) bool {
	aside := map[int64]bool{}
	want := settledOutcome(plan.Mode)
	for _, it := range plan.SetAside {
		if it.Outcome == want && it.UserID != 0 {
			aside[it.UserID] = true
		}
	}
	return func(id int64) bool { return aside[id] }
}

// resumeSetAside are the plan's set-aside items that are not the journal's
// run. Only the rows set aside as already done are the journal's when it
// finished or had in flight their user; a duplicate row of a user it
// finished stays set aside.
func resumeSetAside(st *journalState, plan *Plan) []Item {
	var aside []Item
	want := settledOutcome(plan.Mode)
	for _, it := range plan.SetAside {
		_, done := st.results[it.UserID]
		_, flying := st.inFlight[it.UserID]
		if it.Outcome == want && it.UserID != 0 && (done || flying) {
			continue
		}
		aside = append(aside, it)
	}
	return aside
}
