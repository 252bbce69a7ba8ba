package bulk

import "fmt"

// Action is one membership call a run makes for a user. Its String is the
// word the journal's "action" field holds, so that journals written before
// the type existed read the same. The zero value is no action: it is never
// called, journaled or read back, so a value that is not one of the three
// below is an error wherever it shows up, never taken for another action.
type Action int

const (
	actionNone    Action = iota // the zero value: not an action
	ActionAdd                   // "add": make the user a member
	ActionRemove                // "remove": take the user out of the room
	ActionPromote               // "promote": make a member an owner
)

// actionWords are the journal's words for the actions.
var actionWords = map[Action]string{ActionAdd: "add", ActionRemove: "remove", ActionPromote: "promote"}

// String is the journal's word for the action ("add", "remove", "promote"),
// or "action(N)" for a value that is none of them.
func (a Action) String() string {
	if w, ok := actionWords[a]; ok {
		return w
	}
	return fmt.Sprintf("action(%d)", int(a))
}

// valid reports whether a is one of the actions a run makes.
func (a Action) valid() bool {
	_, ok := actionWords[a]
	return ok
}

// unknownActionError is a word that names no action.
type unknownActionError struct{ word string }

func (e *unknownActionError) Error() string {
	return fmt.Sprintf("%q is not an action (add, remove or promote)", e.word)
}

// parseAction reads the journal's word for an action.
func parseAction(s string) (Action, error) {
	for a, w := range actionWords {
		if w == s {
			return a, nil
		}
	}
	return actionNone, &unknownActionError{s}
}

// MarshalText writes the journal's word; a value that is not an action
// cannot be written.
func (a Action) MarshalText() ([]byte, error) {
	if !a.valid() {
		return nil, fmt.Errorf("%v is not an action", a)
	}
	return []byte(a.String()), nil
}

// UnmarshalText reads the journal's word; any other word is an error.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := parseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// change is the membership call of a mode: an add or a removal. A mode that
// is neither has no action, and a call for it stops the run.
func (m Mode) change() Action {
	switch m {
	case ModeAdd:
		return ActionAdd
	case ModeRemove:
		return ActionRemove
	}
	return actionNone
}

// action is the call a task makes first, and the action its result is
// journaled under: a promotion for a promote-only task, else the mode's
// change.
func (t task) action(m Mode) Action {
	if t.promoteOnly {
		return ActionPromote
	}
	return m.change()
}
