package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"roster/csvsource"
)

// Text output lists at most this many problems and duplicates; --json lists all.
const (
	checkListProblems   = 50
	checkListDuplicates = 20
	checkListRooms      = 20
)

const checkUsage = `Usage: roster check FILE [--column NAME] [--room-column NAME] [--json]

Prints what roster would read from a user list (counts, then each problem with
its line) without touching any pod. Exit 0 when the file is usable, 2 when not.
A file with a room column (room, room name, room id, stream, stream id) puts
each row in its room: the rooms are listed with their users.

Flags (before or after FILE):
  --column NAME        the user column's header, when it is not found by itself
  --room-column NAME   the room column's header, when it is not found by itself
  --json               print one JSON object instead of text
  -h, --help           print this help
`

// checkArgs are the parsed arguments of roster check.
type checkArgs struct {
	file, column, roomColumn string
	json                     bool
}

// checkResult is what reading the file gave, for either output form.
type checkResult struct {
	file       string
	format     *csvsource.Format // nil when the file could not be opened
	summary    csvsource.Summary
	problems   []csvsource.Problem
	duplicates []csvsource.Duplicate
	rooms      []string            // nil when the file has no room column
	roomSums   []csvsource.Summary // roomSums[i] counts rooms[i]
	err        error               // set when the file is not usable
}

// cmdCheck prints what would be read from a user list (roster check).
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	a, err := parseCheckArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, checkUsage)
		return exitOK
	}
	if err != nil {
		return usageFailed(stderr, "roster check", err)
	}
	res := readForCheck(a.file, csvsource.Options{Column: a.column, RoomColumn: a.roomColumn})
	if a.json {
		writeCheckJSON(stdout, res)
	} else {
		writeCheckText(stdout, res)
	}
	if res.err != nil {
		fmt.Fprintf(stderr, "roster check: %v\n", res.err)
		return exitInput
	}
	return exitOK
}

// parseCheckArgs reads FILE and the flags (before or after it) as every
// command reads its flags; see flagSet.
func parseCheckArgs(args []string) (checkArgs, error) {
	var a checkArgs
	files, err := checkFlagSet(&a).parse(args)
	if err != nil {
		return a, err
	}
	switch {
	case len(files) == 0:
		return a, errors.New("give the user list to check: roster check FILE")
	case len(files) > 1:
		return a, fmt.Errorf("give one file to check, not %d (%s)", len(files), strings.Join(files, ", "))
	}
	a.file = files[0]
	return a, nil
}

// checkFlagSet is roster check's flags, set into a.
func checkFlagSet(a *checkArgs) *flagSet {
	fs := newFlagSet()
	fs.str("column", " (the user column's header)", &a.column)
	fs.str("room-column", " (the room column's header)", &a.roomColumn)
	fs.boolean("json", &a.json)
	return fs
}

// readForCheck reads the whole file as a run would, keeping only the counts,
// problems, duplicates and rooms.
func readForCheck(path string, opts csvsource.Options) checkResult {
	res := checkResult{file: path}
	r, err := csvsource.Open(path, opts)
	if err != nil {
		res.err = err
		return res
	}
	defer r.Close()
	for {
		if _, err = r.Next(); err != nil {
			break
		}
	}
	if err != io.EOF {
		res.err = err
	}
	f := r.Format()
	res.format = &f
	res.summary = r.Summary()
	res.problems = r.Problems()
	res.duplicates = r.Duplicates()
	res.rooms = r.Rooms()
	res.roomSums = r.RoomSummaries()
	return res
}

func writeCheckText(w io.Writer, res checkResult) {
	s := res.summary
	hasRooms := res.rooms != nil
	switch {
	case res.err != nil:
		fmt.Fprintf(w, "%s: NOT USABLE\n", res.file)
	case hasRooms:
		fmt.Fprintf(w, "%s: usable, %d %s to read in %d %s\n", res.file, s.Entries, plural(s.Entries, "user", "users"),
			len(res.rooms), plural(len(res.rooms), "room", "rooms"))
	default:
		fmt.Fprintf(w, "%s: usable, %d %s to read\n", res.file, s.Entries, plural(s.Entries, "user", "users"))
	}
	if res.format == nil {
		return
	}
	fmt.Fprintf(w, "  format:     %s\n", res.format)
	fmt.Fprintf(w, "  entries:    %d (%d %s, %d %s, %d %s), %d %s\n", s.Entries,
		s.IDs, plural(s.IDs, "user ID", "user IDs"), s.Emails, plural(s.Emails, "email", "emails"),
		s.Usernames, plural(s.Usernames, "username", "usernames"), s.Owners, plural(s.Owners, "owner", "owners"))
	if hasRooms {
		fmt.Fprintf(w, "  duplicates: %d (left out: each user is read once in each room)\n", s.Duplicates)
	} else {
		fmt.Fprintf(w, "  duplicates: %d (left out: each user is read once)\n", s.Duplicates)
	}
	fmt.Fprintf(w, "  problems:   %d (rows left out)\n", s.Problems)
	fmt.Fprintf(w, "  warnings:   %d (rows recovered: check them)\n", s.Warnings)
	if hasRooms {
		writeCheckRooms(w, res)
	}
	if len(res.problems) > 0 {
		fmt.Fprintln(w, "\nProblems:")
		for i, p := range res.problems {
			if i == checkListProblems {
				break
			}
			kind := "left out"
			if p.Warning {
				kind = "warning"
			}
			fmt.Fprintf(w, "  line %d: %s: %s\n", p.Line, kind, p.Message)
		}
		shown := min(len(res.problems), checkListProblems)
		switch more := s.Problems + s.Warnings - shown; {
		case s.Unlisted > 0:
			fmt.Fprintf(w, "  ... and %d more (roster check --json lists %d of them; the other %d are counted only)\n",
				more, len(res.problems)-shown, s.Unlisted)
		case more > 0:
			fmt.Fprintf(w, "  ... and %d more (roster check --json lists them)\n", more)
		}
	}
	if len(res.duplicates) > 0 {
		fmt.Fprintln(w, "\nDuplicates:")
		for i, d := range res.duplicates {
			if i == checkListDuplicates {
				fmt.Fprintf(w, "  ... and %d more\n", len(res.duplicates)-checkListDuplicates)
				break
			}
			if d.Room > 0 && int(d.Room) <= len(res.rooms) {
				fmt.Fprintf(w, "  line %d: %s, first on line %d, in room %q\n", d.Line, d.Value, d.FirstLine, res.rooms[d.Room-1])
			} else {
				fmt.Fprintf(w, "  line %d: %s, first on line %d\n", d.Line, d.Value, d.FirstLine)
			}
		}
	}
}

// writeCheckRooms says which column was read as the room and lists the
// rooms, in the file's order, with their users and the rows of each left out.
func writeCheckRooms(w io.Writer, res checkResult) {
	f := res.format
	fmt.Fprintf(w, "  rooms:      %d, in column %d (%q): stream IDs or rooms' exact names, found on the pod when a run is planned\n",
		len(res.rooms), f.RoomColumnNumber, f.RoomColumn)
	if len(res.rooms) == 0 {
		return
	}
	fmt.Fprintln(w, "\nRooms (users to read in each):")
	for i, room := range res.rooms {
		if i == checkListRooms {
			fmt.Fprintf(w, "  ... and %d more (roster check --json lists them)\n", len(res.rooms)-checkListRooms)
			break
		}
		rs := res.roomSums[i]
		line := fmt.Sprintf("  %q: %d %s", room, rs.Entries, plural(rs.Entries, "user", "users"))
		var also []string
		if rs.Duplicates > 0 {
			also = append(also, fmt.Sprintf("%d %s", rs.Duplicates, plural(rs.Duplicates, "duplicate", "duplicates")))
		}
		if rs.Problems > 0 {
			also = append(also, fmt.Sprintf("%d %s left out", rs.Problems, plural(rs.Problems, "row", "rows")))
		}
		if rs.Warnings > 0 {
			also = append(also, fmt.Sprintf("%d %s", rs.Warnings, plural(rs.Warnings, "warning", "warnings")))
		}
		if len(also) > 0 {
			line += " (" + strings.Join(also, ", ") + ")"
		}
		fmt.Fprintln(w, line)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkJSON is the one object `roster check --json` prints.
type checkJSON struct {
	File   string `json:"file"`
	Format string `json:"format,omitempty"`
	checkJSONCounts
	Problems   []checkJSONProblem `json:"problems"`
	Warnings   []checkJSONProblem `json:"warnings"`
	Unlisted   int                `json:"unlisted,omitempty"`
	RoomColumn string             `json:"roomColumn,omitempty"` // only for a file with a room column
	Rooms      []checkJSONRoom    `json:"rooms,omitempty"`
	Error      string             `json:"error,omitempty"`
}

type checkJSONLine struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// checkJSONProblem is a problem or warning: its line and message, and in a
// file with a room column the row's room when its room cell was usable.
type checkJSONProblem struct {
	checkJSONLine
	Room string `json:"room,omitempty"`
}

// checkJSONCounts are the counts of the file, or of one of its rooms.
type checkJSONCounts struct {
	Entries    int `json:"entries"`
	IDs        int `json:"ids"`
	Emails     int `json:"emails"`
	Usernames  int `json:"usernames"`
	Owners     int `json:"owners"`
	Duplicates int `json:"duplicates"`
}

func jsonCounts(s csvsource.Summary) checkJSONCounts {
	return checkJSONCounts{Entries: s.Entries, IDs: s.IDs, Emails: s.Emails, Usernames: s.Usernames, Owners: s.Owners, Duplicates: s.Duplicates}
}

// checkJSONRoom is one room of the file, with its counts.
type checkJSONRoom struct {
	Room string `json:"room"`
	checkJSONCounts
	Problems int `json:"problems"`
	Warnings int `json:"warnings"`
}

func writeCheckJSON(w io.Writer, res checkResult) {
	s := res.summary
	out := checkJSON{
		File: res.file, checkJSONCounts: jsonCounts(s), Unlisted: s.Unlisted,
		Problems: []checkJSONProblem{}, Warnings: []checkJSONProblem{},
	}
	if res.format != nil {
		out.Format = res.format.String()
		out.RoomColumn = res.format.RoomColumn
	}
	for i, room := range res.rooms {
		rs := res.roomSums[i]
		out.Rooms = append(out.Rooms, checkJSONRoom{Room: room, checkJSONCounts: jsonCounts(rs), Problems: rs.Problems, Warnings: rs.Warnings})
	}
	if res.err != nil {
		out.Error = res.err.Error()
	}
	for _, p := range res.problems {
		line := checkJSONProblem{checkJSONLine: checkJSONLine{Line: p.Line, Message: p.Message}}
		if p.Room > 0 && int(p.Room) <= len(res.rooms) {
			line.Room = res.rooms[p.Room-1]
		}
		if p.Warning {
			out.Warnings = append(out.Warnings, line)
		} else {
			out.Problems = append(out.Problems, line)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}
