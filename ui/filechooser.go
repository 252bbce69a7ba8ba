package ui

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// fileChooser offers likely files first (named by flags, or found in the
// start folder) and a file picker for anything else.
type fileChooser struct {
	sh         *shared
	exts       []string // lower-case, with the dot
	candidates []string // absolute paths
	list       pickList // the candidates, then "Browse for another file…"
	browsing   bool
	browser    *browser
	startDir   string
	err        string // shown in place, e.g. an unreadable folder
	height     int
}

func newFileChooser(sh *shared, exts []string, offered []string) *fileChooser {
	start := sh.opts.StartDir
	if start == "" {
		start = "."
	}
	if abs, err := filepath.Abs(start); err == nil {
		start = abs // the picker needs an absolute folder
	}
	c := &fileChooser{sh: sh, exts: exts, startDir: start, list: newPickList(&pickRow{name: "Browse for another file…"})}
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if !seen[p] {
			seen[p] = true
			c.candidates = append(c.candidates, p)
		}
	}
	for _, p := range offered {
		add(p)
	}
	for _, p := range findFiles(start, exts) {
		add(p)
	}
	c.setRows(80)
	return c
}

// setRows lists the candidates, their folders shortened to the width.
func (c *fileChooser) setRows(width int) {
	cursor := c.list.cursor
	rows := make([]pickRow, len(c.candidates))
	for i, p := range c.candidates {
		rows[i] = pickRow{name: filepath.Base(p), detail: c.sh.styles.Muted.Render(shortDir(p, width-30))}
	}
	c.list.setRows(rows)
	c.list.cursor = cursor
	c.list.sync()
}

// findFiles lists the files of dir whose extension is one of exts, in any case.
func findFiles(dir string, exts []string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && hasExt(e.Name(), exts) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

func hasExt(name string, exts []string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range exts {
		if ext == e {
			return true
		}
	}
	return false
}

func (c *fileChooser) setSize(w, h int) {
	c.height = max(3, h)
	c.setRows(w)
	c.list.setHeight(c.height)
	if c.browser != nil {
		c.browser.height = c.height
	}
}

// openPicker starts browsing in the start folder (read in a command).
func (c *fileChooser) openPicker() tea.Cmd {
	b := &browser{sh: c.sh, exts: c.exts, height: c.height}
	c.browser, c.browsing, c.err = b, true, ""
	return b.read(c.startDir, "")
}

// update returns the chosen path ("" while still choosing) and whether esc
// asked to leave the chooser.
func (c *fileChooser) update(msg tea.Msg) (chosen string, back bool, cmd tea.Cmd) {
	k := c.sh.keys
	if c.browsing {
		if km, ok := msg.(tea.KeyMsg); ok && key.Matches(km, k.Back) {
			c.browsing = false
			return "", false, nil
		}
		path, cmd := c.browser.update(msg)
		if path != "" {
			c.browsing = false
		}
		return path, false, cmd
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return "", false, nil
	}
	switch {
	case c.list.move(km, k):
	case key.Matches(km, k.Browse):
		return "", false, c.openPicker()
	case key.Matches(km, k.Select):
		if c.list.onLast() {
			return "", false, c.openPicker()
		}
		return c.candidates[c.list.cursor], false, nil
	case key.Matches(km, k.Back):
		return "", true, nil
	}
	return "", false, nil
}

func (c *fileChooser) view(width int) string {
	st := c.sh.styles
	var b strings.Builder
	if c.browsing {
		b.WriteString(c.browser.view(width))
	} else {
		b.WriteString(c.list.view(st, width))
	}
	if c.err != "" {
		b.WriteString("\n" + st.Bad.Render(c.err))
	}
	return b.String()
}

func (c *fileChooser) help() []key.Binding {
	k := c.sh.keys
	if c.browsing {
		return browserHelp(k)
	}
	return append(c.list.help(k), k.Select, k.Browse)
}

// shortDir is a path's folder, shortened from the left to fit width.
func shortDir(p string, width int) string {
	d := filepath.Dir(p)
	if width < 10 {
		width = 10
	}
	if r := []rune(d); len(r) > width {
		return "…" + string(r[len(r)-width+1:])
	}
	return d
}
