package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// scroller is a screen's body that may be taller than the terminal: the
// content scrolls in a bubbles viewport, and the pinned part below it (the
// question being asked, the preview's start line) never scrolls away. The
// pinned part sits right above the help bar, so the help never offers a key
// for a question that is not on screen.
type scroller struct {
	vp       viewport.Model
	overflow bool // the content is taller than its room: a position line shows, scroll keys work
}

func newScroller() scroller {
	vp := viewport.New(0, 0)
	vp.KeyMap = viewport.KeyMap{} // the keys are ours (scroll), so none clashes with a screen's
	return scroller{vp: vp}
}

// render lays out content above pinned in w x h cells. The pinned part gets
// its lines first (it is what the operator must read); the content scrolls
// in what is left, with one line saying where the view is when it does not
// fit.
func (s *scroller) render(st Styles, content, pinned string, w, h int) string {
	content = strings.TrimRight(content, "\n")
	pinH := 0
	if pinned != "" {
		pinH = lipgloss.Height(pinned)
	}
	room := max(h-pinH, 1)
	lines := lipgloss.Height(content)
	s.overflow = lines > room
	if s.overflow {
		room = max(room-1, 1) // the position line
	}
	s.vp.Width, s.vp.Height = max(w, 1), room
	s.vp.SetContent(content)
	if s.vp.PastBottom() {
		s.vp.GotoBottom() // the content shrank (a question replaced a longer line)
	}
	out := trimRight(s.vp.View())
	if s.overflow {
		out += "\n" + st.Muted.Render(truncate(s.position(lines), w))
	}
	if pinned != "" {
		out += "\n" + pinned
	}
	return out
}

// position says which lines are on screen and how to see the others.
func (s *scroller) position(total int) string {
	first := s.vp.YOffset + 1
	last := min(s.vp.YOffset+s.vp.Height, total)
	more := "↑/↓ pgup/pgdn scroll"
	switch {
	case s.vp.AtTop():
		more = "↓ more below"
	case s.vp.AtBottom():
		more = "↑ more above"
	}
	return fmt.Sprintf("── lines %d-%d of %d · %s ──", first, last, total, more)
}

// scroll moves the view for a scroll key and reports whether it was one.
func (s *scroller) scroll(msg tea.Msg, k KeyMap) bool {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !s.overflow {
		return false
	}
	switch {
	case key.Matches(km, k.Up):
		s.vp.ScrollUp(1)
	case key.Matches(km, k.Down):
		s.vp.ScrollDown(1)
	case key.Matches(km, k.PageUp):
		s.vp.PageUp()
	case key.Matches(km, k.PageDown):
		s.vp.PageDown()
	case key.Matches(km, k.Home):
		s.vp.GotoTop()
	case key.Matches(km, k.End):
		s.vp.GotoBottom()
	default:
		return false
	}
	return true
}

// top shows the content from its first line again (new content).
func (s *scroller) top() { s.vp.GotoTop() }

// help is the scroll keys as one entry of the help bar, shown when the
// content overflows.
func (s *scroller) help(k KeyMap) key.Binding {
	b := key.NewBinding(key.WithKeys(append(k.Up.Keys(), k.Down.Keys()...)...), key.WithHelp("↑/↓", "scroll"))
	return enabled(b, s.overflow)
}

// fullHelp is every scroll key, for the ? panel.
func (s *scroller) fullHelp(k KeyMap) []key.Binding {
	up, down, home, end := k.Up, k.Down, k.Home, k.End
	up.SetHelp("↑/k", "scroll up")
	down.SetHelp("↓/j", "scroll down")
	home.SetHelp("home", "top")
	end.SetHelp("end", "bottom")
	return []key.Binding{enabled(up, s.overflow), enabled(down, s.overflow), enabled(k.PageUp, s.overflow),
		enabled(k.PageDown, s.overflow), enabled(home, s.overflow), enabled(end, s.overflow)}
}

// trimRight drops the spaces the viewport pads each line with.
func trimRight(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
