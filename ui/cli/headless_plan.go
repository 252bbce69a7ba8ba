package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"roster/csvsource"
	"roster/symphony/bulk"
)

// planProblemsShown is how many problem rows the plan lists; `roster check`
// and the report have them all.
const planProblemsShown = 10

// setAsideOrder is the order in which set-aside counts are printed.
var setAsideOrder = []bulk.Outcome{
	bulk.OutcomeAlreadyMember, bulk.OutcomeNotMember, bulk.OutcomeInactive, bulk.OutcomeUnknown,
	bulk.OutcomeExternal, bulk.OutcomeDuplicate, bulk.OutcomeBadRow, bulk.OutcomeFailed, bulk.OutcomePending,
}

// printPlan prints what the run will do, as the wizard's preview shows it.
// With resume set, the changes are the journal's run: what it finished
// counts as done, not as set aside.
func printPlan(w io.Writer, p *bulk.Plan, list *csvsource.List, f runFlags, win *bulk.Window, resume *bulk.ResumeInfo) {
	fmt.Fprintf(w, "Room      %q (%s): %s\n", p.Room.Name, p.StreamID, roomTraits(p))
	caller := p.Caller.Username
	if caller == "" {
		caller = fmt.Sprintf("user %d", p.Caller.UserID)
	}
	fmt.Fprintf(w, "Caller    %s: %s\n", caller, permissionText(p.Permission))
	fmt.Fprintf(w, "Mode      %s\n", p.Mode)
	if list != nil {
		s := list.Summary
		fmt.Fprintf(w, "List      %s: %s users (%s IDs, %s emails, %s usernames; %s flagged owner)",
			list.Path, bulk.Count(s.Entries), bulk.Count(s.IDs), bulk.Count(s.Emails), bulk.Count(s.Usernames), bulk.Count(s.Owners))
		fmt.Fprintf(w, "; duplicates %s, bad rows %s, rows recovered %s\n", bulk.Count(s.Duplicates), bulk.Count(s.Problems), bulk.Count(s.Warnings))
	}
	fmt.Fprintf(w, "Members   %s -> %s (owners %s -> %s)\n",
		bulk.Count(p.MembersBefore), bulk.Count(p.MembersAfter), bulk.Count(p.OwnersBefore), bulk.Count(p.OwnersAfter))
	owners := 0
	for _, it := range p.Actions {
		if it.Owner {
			owners++
		}
	}
	change := fmt.Sprintf("%s to %s", bulk.Count(len(p.Actions)), p.Mode)
	if p.Mode == bulk.ModeAdd && owners > 0 {
		change += fmt.Sprintf(" (%s of them then made %s)", bulk.Count(owners), plural(owners, "owner", "owners"))
	}
	aside := p.SetAside
	if resume != nil {
		change = fmt.Sprintf("%s (%s)", resume, p.Mode)
		aside = resume.SetAside
	}
	fmt.Fprintf(w, "Changes   %s; %s set aside\n", change, bulk.Count(len(aside)))
	if counts := setAsideCounts(aside); counts != "" {
		fmt.Fprintf(w, "Set aside %s\n", counts)
	}
	printProblems(w, p, list)
	fmt.Fprintf(w, "Pace      %s\n", paceText(p))
	if win != nil {
		fmt.Fprintf(w, "Window    changes only %s\n", windowText(win))
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintln(w, "Warnings")
		for _, wn := range p.Warnings {
			fmt.Fprintf(w, "  %-5s  %s\n", levelText(wn.Level), wn.Message)
		}
	}
}

func roomTraits(p *bulk.Plan) string {
	state := "active"
	if !p.Room.Active {
		state = "DEACTIVATED"
	}
	return strings.Join(append([]string{state}, bulk.RoomSettings(p.Room)...), ", ")
}

func permissionText(perm bulk.Permission) string {
	var roles []string
	if perm.Owner {
		roles = append(roles, "owner of the room")
	} else if perm.Member {
		roles = append(roles, "member of the room")
	}
	if perm.UserProvisioning {
		roles = append(roles, "has the User Provisioning role")
	}
	text := "may make the change"
	if !perm.Allowed {
		text = "may NOT make the change"
	}
	switch {
	case perm.Reason != "": // says the roles too, and why they matter
		text += ": " + perm.Reason
	case len(roles) > 0:
		text += " (" + strings.Join(roles, ", ") + ")"
	}
	return text
}

func setAsideCounts(items []bulk.Item) string {
	n := map[bulk.Outcome]int{}
	for _, it := range items {
		n[it.Outcome]++
	}
	var parts []string
	for _, o := range setAsideOrder {
		if n[o] > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", o, bulk.Count(n[o])))
			delete(n, o)
		}
	}
	var rest []string // outcomes this printer does not know yet
	for o := range n {
		rest = append(rest, fmt.Sprintf("%s %s", o, bulk.Count(n[o])))
	}
	sort.Strings(rest)
	return strings.Join(append(parts, rest...), ", ")
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
		seen[it.Line] = true
		text := string(it.Outcome)
		if it.Input != "" {
			text += ": " + shortValue(it.Input)
		}
		if it.Message != "" {
			text += ": " + it.Message
		}
		all = append(all, problem{it.Line, text})
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

func paceText(p *bulk.Plan) string {
	if p.MembersBefore <= bulk.PaceThreshold && p.MembersAfter <= bulk.PaceThreshold {
		return fmt.Sprintf("no wait needed (the room stays at or under %d members); estimated %s",
			bulk.PaceThreshold, bulk.FormatDuration(p.Estimate))
	}
	return fmt.Sprintf("one change every %s while the room has over %d members; estimated %s",
		bulk.FormatDuration(p.Interval), bulk.PaceThreshold, bulk.FormatDuration(p.Estimate))
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
