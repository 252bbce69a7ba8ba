package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/paginator"
	tea "github.com/charmbracelet/bubbletea"
)

// pickList is the one scrolling pick list of the wizard: the config and
// user-list file choosers and the room list. A bubbles paginator splits the
// rows into pages of the height there is, only the cursor's page is drawn,
// and a line says which page it is, so the cursor never leaves the screen.
// An optional last entry ("Browse for another file…") is drawn below every
// page: it is always in sight, and down from the last row reaches it.
type pickList struct {
	rows   []pickRow
	last   *pickRow // drawn below every page; the cursor reaches it after the rows
	cursor int      // len(rows) is last
	pages  paginator.Model
	height int // lines for the list, its page line and last entry included
}

// pickRow is one entry: its name, styled when it is the cursor's, and a
// detail after it.
type pickRow struct{ name, detail string }

func newPickList(last *pickRow) pickList {
	p := paginator.New(paginator.WithPerPage(1))
	p.KeyMap = paginator.KeyMap{} // the keys are ours: move reads them
	return pickList{last: last, pages: p, height: 3}
}

// setRows replaces the rows; the cursor goes to the first.
func (l *pickList) setRows(rows []pickRow) {
	l.rows, l.cursor = rows, 0
	l.sync()
}

func (l *pickList) setHeight(h int) {
	l.height = max(h, 1)
	l.sync()
}

// size is the number of entries, the last one included.
func (l *pickList) size() int {
	if l.last != nil {
		return len(l.rows) + 1
	}
	return len(l.rows)
}

// onLast is true when the cursor is on the last entry (browse).
func (l *pickList) onLast() bool { return l.last != nil && l.cursor == len(l.rows) }

// sync fits the pages to the height and puts the cursor's page on screen.
func (l *pickList) sync() {
	per := l.height
	if l.last != nil {
		per-- // the last entry's line
	}
	if len(l.rows) > per {
		per-- // the page line
	}
	l.pages.PerPage = max(per, 1)
	l.pages.TotalPages = 1
	l.pages.SetTotalPages(len(l.rows))
	l.cursor = min(max(l.cursor, 0), max(l.size()-1, 0))
	if l.cursor < len(l.rows) {
		l.pages.Page = l.cursor / l.pages.PerPage
	}
}

// move handles a cursor key and reports whether it was one.
func (l *pickList) move(msg tea.Msg, k KeyMap) bool {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return false
	}
	per := l.pages.PerPage
	switch {
	case key.Matches(km, k.Up):
		l.cursor--
	case key.Matches(km, k.Down):
		l.cursor++
	case key.Matches(km, k.PageUp):
		l.cursor -= per
	case key.Matches(km, k.PageDown):
		l.cursor += per
	case key.Matches(km, k.Home):
		l.cursor = 0
	case key.Matches(km, k.End):
		l.cursor = l.size() - 1
	default:
		return false
	}
	l.sync()
	return true
}

func (l *pickList) view(st Styles, width int) string {
	var b strings.Builder
	line := func(i int, r pickRow) {
		text := "  " + r.name
		if i == l.cursor {
			text = st.Cursor.Render("> ") + st.Selected.Render(r.name)
		}
		if r.detail != "" {
			text += "  " + r.detail
		}
		b.WriteString(truncate(text, width) + "\n")
	}
	start, end := l.pages.GetSliceBounds(len(l.rows))
	for i := start; i < end; i++ {
		line(i, l.rows[i])
	}
	if l.pages.TotalPages > 1 {
		b.WriteString(st.Muted.Render(truncate(fmt.Sprintf("  page %d of %d (%s) · pgup/pgdn",
			l.pages.Page+1, l.pages.TotalPages, fmt.Sprintf("%d-%d of %d", start+1, end, len(l.rows))), width)) + "\n")
	}
	if l.last != nil {
		line(len(l.rows), *l.last)
	}
	return strings.TrimRight(b.String(), "\n")
}

// help is the keys that move the cursor, when there is somewhere to go.
func (l *pickList) help(k KeyMap) []key.Binding {
	more := l.size() > 1
	return []key.Binding{enabled(k.Up, more), enabled(k.Down, more)}
}

// fullHelp adds the paging keys, for the ? panel.
func (l *pickList) fullHelp(k KeyMap) []key.Binding {
	paged := l.pages.TotalPages > 1
	home := k.Home
	home.SetHelp("home/end", "first/last")
	return append(l.help(k), enabled(k.PageUp, paged), enabled(k.PageDown, paged), enabled(home, l.size() > 1))
}
