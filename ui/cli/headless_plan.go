package cli

import (
	"fmt"
	"io"
	"sort"

	"roster/csvsource"
	"roster/symphony/bulk"
	"roster/ui/words"
)

// planProblemsShown is how many problem rows the plan lists; `roster check`
// and the report have them all.
const planProblemsShown = 10

// printPlan prints what the run will do, as the wizard's preview shows it.
// When the run resumes a journal, the changes are the journal's run: what
// it finished counts as done, not as set aside.
func printPlan(w io.Writer, job *bulk.Job) {
	p, list, resume := job.Plan, job.List, job.Decision.Resume
	fmt.Fprintf(w, "Room      %q (%s): %s\n", p.Room.Name, p.StreamID, words.RoomTraits(p.Room))
	fmt.Fprintf(w, "Caller    %s: %s\n", callerName(p.Caller), words.Permission(p.Permission))
	fmt.Fprintf(w, "Mode      %s\n", p.Mode)
	printList(w, list)
	fmt.Fprintf(w, "Members   %s -> %s (owners %s -> %s)\n",
		words.Count(p.MembersBefore), words.Count(p.MembersAfter), words.Count(p.OwnersBefore), words.Count(p.OwnersAfter))
	aside := job.SetAside()
	fmt.Fprintf(w, "Changes   %s; %s set aside\n", words.Changes(p, resume), words.Count(len(aside)))
	if counts := words.SetAside(aside); counts != "" {
		fmt.Fprintf(w, "Set aside %s\n", counts)
	}
	printProblems(w, p, list)
	fmt.Fprintf(w, "Pace      %s\n", words.PaceAndEstimate(p))
	if win := job.Window; win != nil {
		fmt.Fprintf(w, "Window    changes only %s\n", windowText(win))
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintln(w, "Warnings")
		for _, wn := range p.Warnings {
			fmt.Fprintf(w, "  %-5s  %s\n", levelText(wn.Level), wn.Message)
		}
	}
}

// printList prints what was read of the list; nothing when there is none.
func printList(w io.Writer, list *csvsource.List) {
	if list == nil {
		return
	}
	s := list.Summary
	fmt.Fprintf(w, "List      %s: %s users (%s IDs, %s emails, %s usernames; %s flagged owner)",
		list.Path, words.Count(s.Entries), words.Count(s.IDs), words.Count(s.Emails), words.Count(s.Usernames), words.Count(s.Owners))
	fmt.Fprintf(w, "; duplicates %s, bad rows %s, rows recovered %s\n", words.Count(s.Duplicates), words.Count(s.Problems), words.Count(s.Warnings))
}

// printProblems lists the first rows that will not be changed for a reason
// other than already being in the wanted state, with their lines, and the
// rows the reader recovered.
func printProblems(w io.Writer, p *bulk.Plan, list *csvsource.List) {
	type problem struct {
		line int
		text string
	}
	var all []problem
	seen := map[int]bool{}
	for _, it := range p.SetAside {
		if it.Outcome == bulk.OutcomeAlreadyMember || it.Outcome == bulk.OutcomeNotMember {
			continue
		}
		seen[int(it.Line)] = true
		text := it.Outcome.String()
		if it.Input != "" {
			text += ": " + shortValue(it.Input)
		}
		if why := p.Why(it); why != "" {
			text += ": " + why
		}
		all = append(all, problem{int(it.Line), text})
	}
	if list != nil {
		for _, pr := range list.Problems {
			if seen[pr.Line] {
				continue
			}
			tag := "bad row"
			if pr.Warning {
				tag = "recovered"
			}
			all = append(all, problem{pr.Line, tag + ": " + pr.Message})
		}
	}
	// the rows the reader counted but did not keep count too
	total := len(all)
	if list != nil {
		total += list.Summary.Unlisted
	}
	if total == 0 {
		return
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].line < all[j].line })
	shown := min(len(all), planProblemsShown)
	if shown == total {
		fmt.Fprintf(w, "Problems  %s, by line\n", bulk.Count(total))
	} else {
		fmt.Fprintf(w, "Problems  %s (the first %d by line)\n", bulk.Count(total), shown)
	}
	for _, pr := range all[:shown] {
		fmt.Fprintf(w, "  line %-6d %s\n", pr.line, pr.text)
	}
	if total > shown {
		fmt.Fprintf(w, "  ... and %s more; `roster check FILE` lists every row problem, the report every user\n", bulk.Count(total-shown))
	}
}

func windowText(win *bulk.Window) string {
	text := fmt.Sprintf("between %s and %s local time", clock(win.Start), clock(win.End))
	if win.Weekends {
		text += ", and all day on weekends"
	}
	return text
}

func levelText(l bulk.Level) string {
	switch l {
	case bulk.LevelBlock:
		return "BLOCK"
	case bulk.LevelWarn:
		return "WARN"
	}
	return "info"
}
