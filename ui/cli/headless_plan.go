package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

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
	printField(w, "Room", fmt.Sprintf("%q (%s): %s", p.Room.Name, p.StreamID, words.RoomTraits(p.Room)))
	printField(w, "Caller", fmt.Sprintf("%s: %s", callerName(p.Caller), words.Permission(p.Permission)))
	printField(w, "Mode", p.Mode.String())
	if list != nil {
		printField(w, "List", listText(list))
	}
	printField(w, "Members", fmt.Sprintf("%s -> %s (owners %s -> %s)",
		words.Count(p.MembersBefore), words.Count(p.MembersAfter), words.Count(p.OwnersBefore), words.Count(p.OwnersAfter)))
	aside := job.SetAside()
	printField(w, "Changes", fmt.Sprintf("%s; %s set aside", words.Changes(p, resume), words.Count(len(aside))))
	if counts := words.SetAside(aside); counts != "" {
		printField(w, "Set aside", counts)
	}
	printProblems(w, p, list)
	printField(w, "Pace", words.PaceAndEstimate(p))
	if win := job.Window; win != nil {
		printField(w, "Window", "changes only "+windowText(win))
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintln(w, "Warnings")
		for _, wn := range p.Warnings {
			printFolded(w, fmt.Sprintf("  %-5s  ", levelText(wn.Level)), wn.Message, outWidth(w))
		}
	}
}

// printField prints one field of a plan: its name in a column of ten, its
// text folded to the output's width under itself.
func printField(w io.Writer, head, text string) {
	printFolded(w, fmt.Sprintf("%-10s", head), text, outWidth(w))
}

// listText says what was read of the list.
func listText(list *csvsource.List) string {
	s := list.Summary
	return fmt.Sprintf("%s: %s users (%s IDs, %s emails, %s usernames; %s flagged owner); duplicates %s, bad rows %s, rows recovered %s",
		list.Path, words.Count(s.Entries), words.Count(s.IDs), words.Count(s.Emails), words.Count(s.Usernames), words.Count(s.Owners),
		words.Count(s.Duplicates), words.Count(s.Problems), words.Count(s.Warnings))
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
	file := p.Source
	if list != nil {
		file = list.Path
	}
	in := ""
	if file != "" {
		in = " in " + file
	}
	width := outWidth(w)
	shown := min(len(all), planProblemsShown)
	if shown == total {
		printFolded(w, "Problems  ", fmt.Sprintf("%s%s, by line", bulk.Count(total), in), width)
	} else {
		printFolded(w, "Problems  ", fmt.Sprintf("%s%s (the first %d by line)", bulk.Count(total), in, shown), width)
	}
	for _, pr := range all[:shown] {
		printFolded(w, fmt.Sprintf("  line %-6d ", pr.line), pr.text, width)
	}
	if total > shown {
		check := "`roster check FILE`"
		if file != "" {
			check = "`roster check " + file + "`"
		}
		printFolded(w, "  ", fmt.Sprintf("... and %s more; %s lists every row problem, the report every user", bulk.Count(total-shown), check), width)
	}
}

// printFolded prints text after prefix, folded at spaces to width columns;
// the lines after the first are indented under the text, so the prefix (a
// problem's line number) stands alone at the left.
func printFolded(w io.Writer, prefix, text string, width int) {
	indent := ansi.StringWidth(prefix)
	lines := strings.Split(ansi.Wrap(text, max(width-indent, 20), " "), "\n")
	for i, l := range lines {
		if i > 0 {
			prefix = strings.Repeat(" ", indent)
		}
		fmt.Fprintln(w, strings.TrimRight(prefix+l, " "))
	}
}

// outWidth is the width printed lines fold to: the terminal's when w is
// one, else 80 (a log file, a pipe).
func outWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols >= 40 {
			return cols
		}
	}
	return 80
}

func windowText(win *bulk.Window) string {
	text := fmt.Sprintf("between %s and %s local time", bulk.ClockText(win.Start), bulk.ClockText(win.End))
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
