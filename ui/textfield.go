package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// textField is a one-line text input: typing, pasting, backspace, ctrl+u
// (clear) and ctrl+w (delete a word). Small on purpose: the room step needs
// no more, and bubbles' textinput pulls a clipboard module roster lacks.
type textField struct {
	prompt, placeholder string
	value               []rune
	limit               int
	width               int
}

func (f *textField) Value() string     { return string(f.value) }
func (f *textField) SetValue(s string) { f.value = []rune(s) }

func (f *textField) update(km tea.KeyMsg) {
	switch km.Type {
	case tea.KeyRunes, tea.KeySpace:
		r := km.Runes
		if km.Type == tea.KeySpace {
			r = []rune{' '}
		}
		for _, c := range r {
			if c == '\n' || c == '\r' || c == '\t' {
				continue // a paste with a line break stays one line
			}
			if f.limit > 0 && len(f.value) >= f.limit {
				break
			}
			f.value = append(f.value, c)
		}
	case tea.KeyBackspace:
		if len(f.value) > 0 {
			f.value = f.value[:len(f.value)-1]
		}
	case tea.KeyCtrlU:
		f.value = f.value[:0]
	case tea.KeyCtrlW:
		s := strings.TrimRight(string(f.value), " ")
		if i := strings.LastIndex(s, " "); i >= 0 {
			f.value = []rune(s[:i+1])
		} else {
			f.value = f.value[:0]
		}
	}
}

func (f *textField) view(st Styles) string {
	text := string(f.value)
	if text == "" {
		return f.prompt + st.Cursor.Render("▏") + st.Muted.Render(f.placeholder)
	}
	if w := f.width - len([]rune(f.prompt)) - 1; w > 0 && len(f.value) > w {
		text = "…" + string(f.value[len(f.value)-w+1:])
	}
	return f.prompt + text + st.Cursor.Render("▏")
}
