package words

import (
	"fmt"
	"strings"

	"roster/symphony/bulk"
)

// Sentences of a run over many rooms (an estate) that the wizard says;
// those both faces say are in estate.go.

// EstateUsers is how many users the rooms that run change, and how many
// rooms those are.
func EstateUsers(e *bulk.Estate) (users, rooms int) {
	for _, l := range e.Lanes {
		if l.Runs() {
			users += l.Job.ToGo()
			rooms++
		}
	}
	return users, rooms
}

// EstateChange is what an estate run changes: "add 120 users to 3 rooms".
func EstateChange(e *bulk.Estate) string {
	verb, prep := Direction(e.Mode)
	users, rooms := EstateUsers(e)
	return fmt.Sprintf("%s %s %s %s", verb, Counted(users, "user", "users"), prep, Counted(rooms, "room", "rooms"))
}

// EstateStartQuestion is the question asked before an estate run starts:
// "Really add 120 users to 3 rooms now?".
func EstateStartQuestion(e *bulk.Estate) string {
	return fmt.Sprintf("Really %s now?", EstateChange(e))
}

// LeaveOutQuestion is the wizard's question before an estate run that
// some rooms cannot join: its y is --skip-blocked.
func LeaveOutQuestion(e *bulk.Estate) string {
	var names []string
	for _, l := range e.Lanes {
		if l.CannotRun() {
			names = append(names, fmt.Sprintf("%q", l.Name()))
		}
	}
	return fmt.Sprintf("Also: leave out the %s that cannot run (%s)? Their users are not done, and the report says so.",
		Counted(len(names), "room", "rooms"), strings.Join(names, ", "))
}

// EstateBlocked is the wizard's line under a preview whose rooms that
// cannot run are listed above it (marked ✗), with how to go on: the short
// form of CannotRun, which lists them.
func EstateBlocked(e *bulk.Estate, f Face) string {
	n := len(e.Decision.Blocked)
	text := fmt.Sprintf("The run cannot start: %s cannot run (marked ✗).\nNothing was changed.", Counted(n, "room", "rooms"))
	if f.SkipBlocked != "" {
		text += fmt.Sprintf(" To run the other rooms without %s, %s.", plural(n, "it", "them"), f.SkipBlocked)
	}
	return text
}
