package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"roster/symphony/bulk"
)

// resultRow is one finished action as the table shows it. Rows are kept as
// values and rendered only while visible.
type resultRow struct {
	line     int
	user     string // as in the list
	name     string // display name, when known and different
	outcome  bulk.Outcome
	status   int
	message  string
	attempts int
	live     string // a call in flight: what it does ("adding…"), shown in place of the outcome
}

func rowOf(r *bulk.Result) resultRow {
	name := r.Name
	if name == r.Item.Input {
		name = ""
	}
	msg := r.Message
	if r.Promoted {
		msg = strings.TrimSpace("made owner. " + msg)
	}
	return resultRow{line: int(r.Item.Line), user: r.Item.Input, name: name, outcome: r.Outcome, status: r.Status, message: msg, attempts: r.Attempts}
}

// runTable is the live table: it follows the newest row until the operator
// scrolls, and renders only the rows that fit.
type runTable struct {
	rows   []resultRow
	top    int  // first visible row while not following
	follow bool // show the newest rows
	height int  // visible rows
	width  int
}

func newRunTable() runTable { return runTable{follow: true} }

func (t *runTable) add(r resultRow) { t.rows = append(t.rows, r) }

// first is the index of the first visible row.
func (t *runTable) first() int {
	if t.follow {
		return max(len(t.rows)-t.height, 0)
	}
	return min(t.top, max(len(t.rows)-t.height, 0))
}

func (t *runTable) scroll(delta int) {
	top := t.first() + delta
	top = max(0, min(top, max(len(t.rows)-t.height, 0)))
	t.top = top
	// scrolling down to the bottom does not re-follow; only end does
	t.follow = false
}

func (t *runTable) home() { t.top, t.follow = 0, false }
func (t *runTable) end()  { t.follow = true }

// columns gives the user and message widths for the table's width.
func (t *runTable) columns() (userW, msgW int) {
	const fixed = 6 + 1 + 1 + 20 + 1 + 4 + 1 + 3 + 1 // line, spaces, outcome, http, attempts
	rest := max(t.width-fixed, 20)
	userW = min(max(rest*2/5, 12), 40)
	return userW, rest - userW
}

// view renders the header and the visible window of rows: the cost is the
// same for 100 rows as for 100,000. The call in flight, when there is one,
// is the last row while the table follows the newest.
func (t *runTable) view(st Styles, live *resultRow) string {
	userW, msgW := t.columns()
	var b strings.Builder
	b.Grow((t.height + 1) * (t.width + 16))
	b.WriteString(st.TableHeader.Render(padRight("LINE", 6) + " " + padRight("USER", userW) + " " +
		padRight("OUTCOME", 20) + " " + padRight("HTTP", 4) + " " + padRight("TRY", 3) + " " + padRight("MESSAGE", msgW)))
	rows := t.height
	if live != nil && t.follow {
		rows = max(t.height-1, 0)
	} else {
		live = nil
	}
	first := max(len(t.rows)-rows, 0)
	if !t.follow {
		first = t.first()
	}
	shown := make([]*resultRow, 0, t.height)
	for i := first; i < first+rows && i < len(t.rows); i++ {
		shown = append(shown, &t.rows[i])
	}
	if live != nil {
		shown = append(shown, live)
	}
	for _, r := range shown {
		status := ""
		if r.status != 0 {
			status = fmt.Sprint(r.status)
		}
		b.WriteByte('\n')
		b.WriteString(padRight(fmt.Sprint(r.line), 6))
		b.WriteByte(' ')
		b.WriteString(padRight(r.label(userW), userW))
		b.WriteByte(' ')
		if r.live != "" {
			b.WriteString(st.Info.Render(padRight(r.live, 20)))
		} else {
			b.WriteString(st.Outcome(r.outcome).Render(padRight(r.outcome.String(), 20)))
		}
		b.WriteByte(' ')
		b.WriteString(padRight(status, 4))
		b.WriteByte(' ')
		b.WriteString(padRight(fmt.Sprint(r.attempts), 3))
		b.WriteByte(' ')
		b.WriteString(padRight(r.message, msgW))
	}
	return b.String()
}

// position is "rows 120-140 of 5,000" while scrolled, "" while following.
func (t *runTable) position() string {
	if t.follow || len(t.rows) == 0 {
		return ""
	}
	first := t.first()
	last := min(first+t.height, len(t.rows))
	return fmt.Sprintf("rows %s-%s of %s · end: follow newest", bulk.Count(first+1), bulk.Count(last), bulk.Count(len(t.rows)))
}

// label is the user as listed, with the display name when both fit.
func (r *resultRow) label(w int) string {
	if r.name != "" && ansi.StringWidth(r.user)+ansi.StringWidth(r.name)+3 <= w {
		return r.user + " (" + r.name + ")"
	}
	return r.user
}
