package words

import (
	"errors"
	"fmt"
	"strings"

	"roster/symphony/bulk"
)

// Face is what differs in how the two faces tell the operator to act: the
// headless command names a flag, the wizard a key.
type Face struct {
	Resume         string // how to ask for a resume: "add --resume", "press r"
	ResumeFile     string // how to resume a journal by name
	AllowLastOwner string // how to remove the last owner but the bot anyway
	SkipBlocked    string // how to run the other rooms without those that cannot run
}

var (
	Headless = Face{Resume: "add --resume", ResumeFile: "name it with --resume FILE",
		AllowLastOwner: "run again with --allow-removing-last-owner", SkipBlocked: "run again with --skip-blocked"}
	Wizard = Face{Resume: "press r", ResumeFile: "start roster with --resume FILE",
		AllowLastOwner: "press s: roster asks about it after the start question",
		SkipBlocked:    "press s: roster asks about it after the start question"}
)

// Refusal is why a decision refuses the run, and how to go on: the same
// sentence for the dry run, the real run and the preview. "" when the run
// may start or has nothing to do.
func Refusal(d bulk.Decision, f Face) string {
	switch d.Verdict {
	case bulk.Blocked:
		why := make([]string, len(d.Blocks))
		for i, w := range d.Blocks {
			why[i] = w.Message
		}
		text := "The run cannot start: " + strings.Join(why, "; ") + "\nNothing was changed."
		if d.LastOwner {
			text += " To remove anyway, " + f.AllowLastOwner + "."
		}
		return text
	case bulk.Unfinished:
		return fmt.Sprintf("An unfinished run of this same list into this room is in the journal %s (%s done).\n"+
			"Nothing was changed. To continue it, %s (finished users are skipped); to start over, move that journal away.",
			d.Journal, Count(d.Done), f.Resume)
	case bulk.CannotResume:
		if je, ok := errors.AsType[*bulk.JournalError](d.Err); ok && d.Found {
			return Damaged(je, d.OutDir, f)
		}
		return fmt.Sprintf("Cannot resume: %v\nNothing was changed.", d.Err)
	case bulk.Busy:
		return Busy(d.Err)
	}
	return ""
}

// Busy is a run refused because another roster process holds the room
// (a *bulk.BusyError), whether the preview saw it or the start met it.
func Busy(err error) string {
	return fmt.Sprintf("The run cannot start: %v.\nNothing was changed.", err)
}

// Damaged is a journal file in the out folder that cannot be read: it may
// be this run's, so the run does not start beside it, fresh or resumed.
func Damaged(je *bulk.JournalError, outDir string, f Face) string {
	why := je.Why
	if je.Line > 0 {
		why = fmt.Sprintf("line %d: %s", je.Line, je.Why)
	}
	return fmt.Sprintf("The journal %s cannot be used: %s.\n"+
		"Nothing was changed: it may hold what an earlier run did, so it is not passed over. "+
		"If it is not this run's journal, keep it aside (move it out of %s) and run again; to resume a journal by name, %s.",
		je.Path, why, outDir, f.ResumeFile)
}

// LastOwnerQuestion is the wizard's second question before a removal that
// takes every owner of the room but the bot: the block's own words.
func LastOwnerQuestion(d bulk.Decision) string {
	for _, w := range d.Blocks {
		if w.Code == "last-owner" {
			return "Also: " + w.Message + ". Remove anyway?"
		}
	}
	return ""
}

// Notice is what a decision that lets the run start says on the way; "" for nothing.
func Notice(d bulk.Decision) string {
	switch {
	case d.Note == bulk.NoFolderYet:
		return fmt.Sprintf("No journal to resume: %s does not exist yet. Starting a new run.", d.OutDir)
	case d.Note == bulk.NoJournalSeen:
		return fmt.Sprintf("No unfinished journal of this run in %s: starting a new run.", d.OutDir)
	case d.Resume != nil && d.Verdict == bulk.Ready:
		text := fmt.Sprintf("Resuming the journal %s: %s; what is done is not done again.", d.Resume.Path, Resume(d.Resume))
		if f := InFlight(d.Resume.InFlight); f != "" {
			text += " " + f
		}
		return text
	}
	return ""
}

// NothingToDo says why a run that may start has nothing to do.
func NothingToDo(d bulk.Decision, m bulk.Mode) string {
	if d.Resume != nil {
		return "Nothing to resume: the journal shows every user done. Nothing was changed."
	}
	return fmt.Sprintf("Nothing to %s: every user in the list is set aside. Nothing was changed.", m)
}

// DryRun is the end of a dry run that could start.
const DryRun = "Dry run: nothing was changed; without --dry-run the run would start."

// GoOn says how to continue a run that stopped before its end.
const GoOn = "To go on, run roster again with the same config, list and room and --resume: finished users are skipped."

// StoppedAtOnce says that a second signal ended roster before the abort
// the first began was done: "interrupt again: stopping at once. …", or
// "interrupt after terminated, signalled again: stopping at once. …".
func StoppedAtOnce(first, second fmt.Stringer, running bool) string {
	what := fmt.Sprintf("%v again", second)
	if first != nil && first.String() != second.String() {
		what = fmt.Sprintf("%v after %v, signalled again", second, first)
	}
	if !running {
		return what + ": stopping at once"
	}
	return what + ": stopping at once. The journal holds every finished user. " + GoOn
}

// Ending is how a run ended, for the summary's first line; when is ""
// or when it ended (" at 07:41:00 after 5s").
func Ending(s *bulk.Summary, runErr error, when string) string {
	t := s.Totals
	switch {
	case s.StopReason != "":
		return fmt.Sprintf("The run stopped by itself%s: %s", when, s.StopReason)
	case s.Aborted:
		return fmt.Sprintf("The run was aborted%s; %s left undone (pending in the report)", when, Counted(t.Actions-t.Done, "user", "users"))
	case runErr != nil:
		return fmt.Sprintf("The run ended with an error%s", when)
	case t.Failed > 0 && s.LeftOut > 0:
		return fmt.Sprintf("The run finished%s; %s failed and %s left out", when, Counted(t.Failed, "user", "users"), Counted(s.LeftOut, "room was", "rooms were"))
	case t.Failed > 0:
		return fmt.Sprintf("The run finished%s; %s failed", when, Counted(t.Failed, "user", "users"))
	case s.LeftOut > 0:
		return fmt.Sprintf("The run finished%s; %s left out (their users were not done)", when, Counted(s.LeftOut, "room was", "rooms were"))
	}
	return fmt.Sprintf("The run finished%s: every action succeeded", when)
}

// Totals are a finished run's counts: "36 added (1 made owner), 5 already,
// 4 failed, 2 settled from the member list, 15 not done, 3 set aside by the
// plan". The member list's count is said only when it settled or has yet
// to settle an outcome (a reply that did not confirm its change).
func Totals(m bulk.Mode, t bulk.Totals, setAside int) []string {
	parts := []string{Changed(m, t), Count(t.Already) + " already", Count(t.Failed) + " failed"}
	if t.Settled > 0 {
		parts = append(parts, Count(t.Settled)+" settled from the member list")
	}
	if t.Unconfirmed > 0 {
		parts = append(parts, Count(t.Unconfirmed)+" unconfirmed (resume to settle from the member list)")
	}
	if t.CrossPodPending > 0 {
		parts = append(parts, Count(t.CrossPodPending)+" pending (cross-pod: the pod adds them later; resume to confirm from the member list)")
	}
	if left := t.Actions - t.Done; left > 0 {
		parts = append(parts, Count(left)+" not done")
	}
	return append(parts, Count(setAside)+" set aside by the plan")
}

// Resumed notes that a summary's totals include an earlier run's; "" when
// the run did not resume.
func Resumed(done int) string {
	if done <= 0 {
		return ""
	}
	return fmt.Sprintf("a resumed run: the totals include the %s finished before, and so does the report", Counted(done, "user", "users"))
}

// ExitCode is the exit code line both faces end a summary with.
func ExitCode(code int) string { return fmt.Sprintf("Exit code %d.", code) }
