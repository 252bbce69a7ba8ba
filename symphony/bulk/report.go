package bulk

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// reportHeader names the report's columns.
var reportHeader = []string{"user", "kind", "input line", "user ID", "name", "outcome", "owner",
	"HTTP status", "message", "attempts", "time", "confirmed by"}

// reportRow is one user's line in the report.
type reportRow struct {
	Item     Item
	Name     string // the user's display name
	Outcome  Outcome
	Promoted bool
	Status   int
	Message  string
	Attempts int
	Time     time.Time
	// ConfirmedBy is Result.ConfirmedBy for a user the run called or
	// settled; "" for a row set aside by the plan or left pending.
	ConfirmedBy string
}

// reportPath puts the report next to its journal.
func reportPath(journal string) string {
	return strings.TrimSuffix(journal, ".jsonl") + "-report.csv"
}

// reportRows gives every entry of the list its final outcome: the result of
// this run or of the journal when there is one, the plan's reason for a
// set-aside entry, and pending (with why) for what was not done.
func (r *Runner) reportRows(aborted bool, stop string) []reportRow {
	var rows []reportRow
	seen := map[int64]bool{}
	pendingWhy := "not done"
	switch {
	case aborted:
		pendingWhy = "not done: the run was aborted; resume it to go on"
	case stop != "":
		pendingWhy = "not done: the run stopped: " + stop
	}
	fromItem := func(it Item) {
		row := reportRow{Item: it, Name: r.plan.NameOf(it), Outcome: it.Outcome, Message: r.plan.Why(it), Time: r.plan.Created}
		changeable := it.UserID != 0 && it.Outcome != OutcomeDuplicate && it.Outcome != OutcomeBadRow
		if res, ok := r.results[it.UserID]; changeable && ok && !seen[it.UserID] {
			row = reportRow{Item: it, Name: row.Name, Outcome: res.Outcome, Promoted: res.Promoted, Status: res.Status,
				Message: res.Message, Attempts: res.Attempts, Time: res.Time, ConfirmedBy: res.ConfirmedBy()}
			seen[it.UserID] = true
		} else if it.Outcome == OutcomePending {
			row.Outcome, row.Message = OutcomePending, pendingWhy
			if r.inFlight != nil && r.inFlight.UserID == it.UserID {
				row.Message = "unknown: the call was in flight when the run was aborted; it is checked against the member list on resume"
			}
		}
		rows = append(rows, row)
	}
	for _, it := range r.plan.Actions {
		fromItem(it)
	}
	for _, it := range r.plan.SetAside {
		fromItem(it)
	}
	// Users of the journal that the plan no longer names.
	for id, res := range r.results {
		if !seen[id] {
			rows = append(rows, reportRow{Item: res.Item, Name: res.Name, Outcome: res.Outcome, Promoted: res.Promoted,
				Status: res.Status, Message: res.Message, Attempts: res.Attempts, Time: res.Time, ConfirmedBy: res.ConfirmedBy()})
		}
	}
	slices.SortStableFunc(rows, func(a, b reportRow) int {
		if a.Item.Line != b.Item.Line {
			return cmp.Compare(a.Item.Line, b.Item.Line)
		}
		return strings.Compare(a.Item.Input, b.Item.Input)
	})
	return rows
}

// writeReport writes the report CSV so that Excel opens it cleanly: UTF-8
// with a byte order mark, CRLF line ends, ISO 8601 times. Cells that Excel
// would read as a formula are prefixed with an apostrophe.
func writeReport(path string, rows []reportRow) error {
	return writeCSVFile(path, func(w *csv.Writer) error {
		w.Write(reportHeader)
		for _, row := range rows {
			w.Write(row.cells())
		}
		return nil
	})
}

// writeCSVFile writes a CSV for Excel (the report's form: a byte order
// mark, CRLF) to a temporary file and renames it into place whole, so a
// crash never leaves half a file.
func writeCSVFile(path string, write func(w *csv.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	bw := bufio.NewWriter(f)
	bw.WriteString("\ufeff")
	w := csv.NewWriter(bw)
	w.UseCRLF = true
	err = write(w)
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("report %s: %w", path, err)
	}
	return nil
}

func (row reportRow) cells() []string {
	it := row.Item
	id, line, status, attempts, when := "", "", "", "", ""
	if it.UserID != 0 {
		id = strconv.FormatInt(it.UserID, 10)
	}
	if it.Line > 0 {
		line = strconv.Itoa(int(it.Line))
	}
	if row.Status != 0 {
		status = strconv.Itoa(row.Status)
	}
	if row.Attempts > 0 {
		attempts = strconv.Itoa(row.Attempts)
	}
	if !row.Time.IsZero() {
		when = row.Time.UTC().Format(time.RFC3339)
	}
	owner := ""
	switch {
	case row.Promoted:
		owner = "promoted"
	case it.Owner:
		owner = "requested"
	}
	return []string{safeCell(it.Input), kindText(it.Kind), line, id, safeCell(row.Name), row.Outcome.String(), owner,
		status, safeCell(row.Message), attempts, when, row.ConfirmedBy}
}

// safeCell defuses text that a spreadsheet would run as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
