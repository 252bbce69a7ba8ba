package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key roster answers to. Screens pick (and enable or disable)
// the bindings they use; help shows only enabled ones.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Select, Back, Quit, ForceQuit, Help   key.Binding
	Browse, Retry                         key.Binding
	ToggleMode, ToggleResume, Start       key.Binding
	Confirm, Cancel                       key.Binding
	Pause, Resume, Abort                  key.Binding
	PauseRoom, ResumeRoom, AbortRoom      key.Binding // an estate run: the selected room only
	Open                                  key.Binding
	Search                                key.Binding
}

// DefaultKeyMap is roster's keymap.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Home:         key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home", "first row")),
		End:          key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "follow newest")),
		Select:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:         key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Browse:       key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "browse files")),
		Retry:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "try again")),
		ToggleMode:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "add/remove")),
		ToggleResume: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "resume it")),
		Start:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "start")),
		Confirm:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		Cancel:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		Pause:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause")),
		Resume:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "resume")),
		Abort:        key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "abort")),
		PauseRoom:    key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "pause room")),
		ResumeRoom:   key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "resume room")),
		AbortRoom:    key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "abort room")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "users")),
		Search:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "look up")),
	}
}

// enabled returns a copy of b enabled or disabled; help hides disabled bindings.
func enabled(b key.Binding, on bool) key.Binding {
	b.SetEnabled(on)
	return b
}

// bindings adapts a screen's short and full help to help.KeyMap.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

// oneLine is help whose full form is its short line.
func oneLine(bs ...key.Binding) bindings { return bindings{short: bs, full: [][]key.Binding{bs}} }

// cancelHelp is the help of a step busy loading: esc cancels it.
func (k KeyMap) cancelHelp() bindings {
	cancel := k.Back
	cancel.SetHelp("esc", "cancel")
	return oneLine(cancel)
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }
