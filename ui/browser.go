package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// browser walks folders to pick a file. It is ours rather than bubbles'
// filepicker because that one matches extensions case-sensitively (Windows
// tools write ".CSV"), needs an absolute start folder, and hides read errors;
// here every folder that cannot be read says so.
type browser struct {
	sh      *shared
	exts    []string
	dir     string
	entries []browserEntry
	cursor  int
	top     int
	height  int
	err     string
	reading bool // a listing is on its way; keys wait for it
}

type browserEntry struct {
	name    string
	dir     bool
	allowed bool // a file with one of exts, in any case
}

var (
	browserOpen   = key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter/→", "open"))
	browserParent = key.NewBinding(key.WithKeys("left", "backspace", "h"), key.WithHelp("←", "parent folder"))
)

func browserHelp(k KeyMap) []key.Binding {
	closeB := k.Back
	closeB.SetHelp("esc", "close browser")
	return []key.Binding{k.Up, k.Down, browserOpen, browserParent, closeB}
}

// dirReadMsg is a folder's listing, read off the update loop (a network
// share can be slow).
type dirReadMsg struct {
	dir     string
	entries []browserEntry
	err     error
	focus   string // the entry to put the cursor on (the folder we came up from)
}

// read lists dir in a command; on error the browser stays where it was.
func (b *browser) read(dir, focus string) tea.Cmd {
	exts := b.exts
	b.reading = true
	return func() tea.Msg {
		entries, abs, err := listDir(dir, exts)
		return dirReadMsg{dir: abs, entries: entries, err: err, focus: focus}
	}
}

func listDir(dir string, exts []string) ([]browserEntry, string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, dir, fmt.Errorf("folder %s: %w", dir, err)
	}
	list, err := os.ReadDir(abs)
	if err != nil {
		return nil, abs, fmt.Errorf("cannot read the folder %s: %w", abs, err)
	}
	entries := make([]browserEntry, 0, len(list))
	for _, e := range list {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(abs, e.Name())); err == nil {
				isDir = fi.IsDir()
			}
		}
		entries = append(entries, browserEntry{name: e.Name(), dir: isDir, allowed: !isDir && hasExt(e.Name(), exts)})
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].dir != entries[j].dir {
			return entries[i].dir
		}
		return strings.ToLower(entries[i].name) < strings.ToLower(entries[j].name)
	})
	return entries, abs, nil
}

// update moves, opens folders, and returns a chosen file's path.
func (b *browser) update(msg tea.Msg) (string, tea.Cmd) {
	if m, ok := msg.(dirReadMsg); ok {
		b.reading = false
		if m.err != nil {
			b.err = m.err.Error()
			if b.dir == "" {
				b.dir = m.dir // the first folder: ← still leads up from it
			}
			return "", nil
		}
		b.dir, b.entries, b.cursor, b.top, b.err = m.dir, m.entries, 0, 0, ""
		for i, e := range b.entries {
			if e.name == m.focus {
				b.cursor = i
			}
		}
		b.keepCursorVisible()
		return "", nil
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok || b.reading {
		return "", nil
	}
	k := b.sh.keys
	var cmd tea.Cmd
	switch {
	case key.Matches(km, k.Up):
		b.cursor = max(b.cursor-1, 0)
	case key.Matches(km, k.Down):
		b.cursor = min(b.cursor+1, max(len(b.entries)-1, 0))
	case key.Matches(km, k.PageUp):
		b.cursor = max(b.cursor-b.rows(), 0)
	case key.Matches(km, k.PageDown):
		b.cursor = min(b.cursor+b.rows(), max(len(b.entries)-1, 0))
	case key.Matches(km, browserParent):
		cmd = b.read(filepath.Dir(b.dir), filepath.Base(b.dir))
	case key.Matches(km, browserOpen):
		if len(b.entries) == 0 {
			return "", nil
		}
		e := b.entries[b.cursor]
		path := filepath.Join(b.dir, e.name)
		switch {
		case e.dir:
			cmd = b.read(path, "")
		case e.allowed:
			return path, nil
		default:
			b.err = fmt.Sprintf("%s is not a %s file", e.name, strings.Join(b.exts, ", "))
		}
	}
	b.keepCursorVisible()
	return "", cmd
}

func (b *browser) rows() int { return max(b.height-3, 1) }

func (b *browser) keepCursorVisible() {
	if b.cursor < b.top {
		b.top = b.cursor
	}
	if b.cursor >= b.top+b.rows() {
		b.top = b.cursor - b.rows() + 1
	}
}

func (b *browser) view(width int) string {
	st := b.sh.styles
	var s strings.Builder
	s.WriteString(st.Muted.Render(truncate("Folder "+b.dir, width)) + "\n")
	if len(b.entries) == 0 {
		s.WriteString(st.Muted.Render("  (nothing here; ← goes to the parent folder)") + "\n")
	}
	b.keepCursorVisible()
	for i := b.top; i < len(b.entries) && i < b.top+b.rows(); i++ {
		e := b.entries[i]
		name := e.name
		style := st.Muted
		switch {
		case e.dir:
			name += "/"
			style = st.Info
		case e.allowed:
			style = st.Bold
		}
		if i == b.cursor {
			s.WriteString(st.Cursor.Render("> ") + style.Render(name) + "\n")
		} else {
			s.WriteString("  " + style.Render(name) + "\n")
		}
	}
	if b.err != "" {
		s.WriteString(st.Bad.Render(truncate(b.err, width)) + "\n")
	}
	return s.String()
}
