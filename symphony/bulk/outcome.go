package bulk

import "fmt"

// outcomeWords are the outcomes' words: the journal's "outcome" field, the
// report's "outcome" column, what both faces print. They are the values
// the type had when it was a string, so journals and reports read the same.
var outcomeWords = [outcomeCount]string{
	OutcomePending:         "pending",
	OutcomeAdded:           "added",
	OutcomeRemoved:         "removed",
	OutcomeAlreadyMember:   "already-member",
	OutcomeNotMember:       "not-member",
	OutcomeInactive:        "inactive-user",
	OutcomeUnknown:         "unknown-user",
	OutcomeExternal:        "external-not-allowed",
	OutcomeDuplicate:       "duplicate",
	OutcomeBadRow:          "bad-row",
	OutcomeFailed:          "failed",
	OutcomeLookupFailed:    "lookup-failed",
	OutcomeUnconfirmed:     "unconfirmed",
	OutcomeCrossPodPending: "pending-cross-pod",
}

// String is the outcome's word ("added", "already-member", ...), or
// "outcome(N)" for a value that is none of them (the zero value among
// them), so that such a value shows as what it is wherever it is printed.
func (o Outcome) String() string {
	if o.valid() {
		return outcomeWords[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// valid reports whether o is one of the outcomes; the zero value is not.
func (o Outcome) valid() bool { return o > outcomeNone && o < outcomeCount }

// unknownOutcomeError is a word that names no outcome.
type unknownOutcomeError struct{ word string }

func (e *unknownOutcomeError) Error() string {
	return fmt.Sprintf("%q is not an outcome this version of roster knows", e.word)
}

// ParseOutcome reads an outcome's word, as String writes it; any other
// word (the empty one too) is an error, never another outcome.
func ParseOutcome(s string) (Outcome, error) {
	for o := OutcomePending; o < outcomeCount; o++ {
		if outcomeWords[o] == s {
			return o, nil
		}
	}
	return outcomeNone, &unknownOutcomeError{s}
}

// MarshalText writes the outcome's word; a value that is not an outcome
// cannot be written.
func (o Outcome) MarshalText() ([]byte, error) {
	if !o.valid() {
		return nil, fmt.Errorf("%v is not an outcome", o)
	}
	return []byte(outcomeWords[o]), nil
}

// UnmarshalText reads the outcome's word; any other word is an error.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}
