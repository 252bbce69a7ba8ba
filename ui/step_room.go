package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// searchDelay is how long the room step waits after the last key before it
// asks the pod: a name typed at speed makes one search, not one a letter.
const searchDelay = 300 * time.Millisecond

// roomStep finds the room: a pasted stream ID, or a search by name that
// runs as the operator types.
//
// The search field is a bubbles textinput (cursor, ←/→, paste). It has the
// focus at first: letters are text, except ?, which is help everywhere. tab
// or esc leaves the field for the list, where q quits and esc goes back;
// tab or / returns to it.
type roomStep struct {
	sh       *shared
	session  *Session
	input    textinput.Model
	work     busy // reading a room, an explicit look-up, the suggested rooms
	list     pickList
	results  []RoomChoice
	total    int
	searched string       // the query the results answer
	offered  []RoomChoice // the rooms listed before any search (the demo's), shown again for an empty field
	details  *RoomChoice  // chosen, shown, waiting for enter
	err      error
	auto     bool // --stream: go on without asking

	// the search as you type: every edit gets a number; a search starts
	// searchDelay after an edit if no newer edit came, and its answer is
	// taken only if it answers the newest edit
	edit      int
	searching bool
	stop      context.CancelFunc // cancels the search in flight

	w, h int
}

// searchDueMsg says searchDelay passed since an edit.
type searchDueMsg struct{ edit int }

// typedSearchMsg is the answer of a search as you type, for an edit.
type typedSearchMsg struct {
	edit  int
	found roomsFoundMsg
}

func newRoomStep(sh *shared) *roomStep {
	in := textinput.New()
	in.Prompt = "Room: "
	in.Placeholder = "paste a stream ID, or type part of a room's name"
	in.CharLimit = 200
	in.Cursor.SetMode(cursor.CursorStatic) // no blink: no ticks while idle
	in.KeyMap.AcceptSuggestion.SetEnabled(false)
	in.KeyMap.NextSuggestion.SetEnabled(false)
	in.KeyMap.PrevSuggestion.SetEnabled(false)
	// ctrl+v would run a clipboard program (xclip, pbpaste...): the
	// terminal's own paste arrives as typed text and is enough
	in.KeyMap.Paste.SetEnabled(false)
	in.Focus()
	return &roomStep{sh: sh, input: in, work: newBusy(), list: newPickList(nil), auto: sh.opts.Stream != ""}
}

// enter starts what the options ask for.
func (s *roomStep) enter(mk made) tea.Cmd {
	s.session = mk.session
	switch {
	case s.auto:
		s.input.SetValue(s.sh.opts.Stream)
		return s.lookup()
	case len(s.sh.opts.SuggestRooms) > 0 && s.results == nil:
		return s.work.startWith(s.sh.ctx, "Listing rooms…", func(ctx context.Context) tea.Cmd {
			return listRoomsCmd(ctx, s.session, s.sh.opts.SuggestRooms)
		})
	}
	return nil
}

// readRoom reads a room behind the spinner.
func (s *roomStep) readRoom(id string) tea.Cmd {
	return s.work.startWith(s.sh.ctx, "Reading the room…", func(ctx context.Context) tea.Cmd {
		return loadRoomCmd(ctx, s.session, id)
	})
}

func (s *roomStep) query() string { return strings.TrimSpace(s.input.Value()) }

// lookup reads a pasted stream ID directly, or searches rooms by name, behind
// the spinner (enter).
func (s *roomStep) lookup() tea.Cmd {
	q := s.query()
	s.err = nil
	s.stopSearch()
	if _, ok := streamIDGiven(q); ok {
		// read as a stream ID, or as a room's exact name when the pod
		// knows no room by that ID (bulk.ResolveRoom, as the headless run)
		return s.work.startWith(s.sh.ctx, "Reading the room…", func(ctx context.Context) tea.Cmd {
			return resolveRoomCmd(ctx, s.session, q)
		})
	}
	return s.work.startWith(s.sh.ctx, fmt.Sprintf("Searching rooms for %q…", q), func(ctx context.Context) tea.Cmd {
		return searchRoomsCmd(ctx, s.session, q)
	})
}

// edited is called after a key changed the field: the search is due after
// searchDelay, if no other key comes first.
func (s *roomStep) edited() tea.Cmd {
	s.edit++
	s.stopSearch()
	edit := s.edit
	return tea.Tick(searchDelay, func(time.Time) tea.Msg { return searchDueMsg{edit: edit} })
}

// search starts the search as you type for the field as it is.
func (s *roomStep) search() tea.Cmd {
	q := s.query()
	if q == "" {
		s.show(roomsFoundMsg{rooms: s.offered, total: len(s.offered)})
		return nil
	}
	if _, ok := streamIDGiven(q); ok {
		return nil // an ID is read with enter, not searched
	}
	ctx, stop := context.WithCancel(s.sh.ctx)
	s.stop, s.searching = stop, true
	edit, find := s.edit, searchRoomsCmd(ctx, s.session, q)
	return func() tea.Msg {
		defer stop()
		return typedSearchMsg{edit: edit, found: find().(roomsFoundMsg)}
	}
}

// stopSearch cancels the search as you type in flight, if any.
func (s *roomStep) stopSearch() {
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
	s.searching = false
}

// show puts search results on screen.
func (s *roomStep) show(msg roomsFoundMsg) {
	s.results, s.total, s.searched = msg.rooms, msg.total, msg.query
	rows := make([]pickRow, len(msg.rooms))
	for i, r := range msg.rooms {
		rows[i] = pickRow{name: s.row(r)}
	}
	s.list.setRows(rows)
}

func (s *roomStep) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	answer, handled, cmd := s.work.update(msg, k)
	if handled {
		if answer == nil {
			return cmd
		}
		msg = answer
	}
	switch msg := msg.(type) {
	case busyCancelledMsg:
		s.auto = false
		return nil
	case searchDueMsg:
		if msg.edit != s.edit || s.work.active() || s.details != nil {
			return nil // a newer key came, or the step moved on
		}
		return s.search()
	case typedSearchMsg:
		if msg.edit != s.edit || s.work.active() {
			return nil // it answers a query the field no longer holds
		}
		s.searching = false
		s.stop = nil
		if msg.found.err != nil {
			s.err = msg.found.err
			return nil
		}
		s.err = nil
		s.show(msg.found)
		return nil
	case roomsFoundMsg:
		if msg.err != nil {
			s.err = msg.err
			return nil
		}
		if msg.query == "" {
			s.offered = msg.rooms
		}
		s.show(msg)
		return nil
	case roomLoadedMsg:
		if msg.err != nil {
			s.err, s.auto = msg.err, false
			return nil
		}
		s.details = msg.room
		if s.auto {
			s.auto = false
			return s.sh.announce(roomDoneMsg{room: s.details})
		}
		return nil
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

func (s *roomStep) key(msg tea.KeyMsg) tea.Cmd {
	k := s.sh.keys
	if s.details != nil {
		switch {
		case key.Matches(msg, k.Select):
			return s.sh.announce(roomDoneMsg{room: s.details})
		case key.Matches(msg, k.Back):
			s.details = nil
		}
		return nil
	}
	focused := s.input.Focused()
	switch {
	case msg.Type == tea.KeyTab:
		if focused {
			s.input.Blur()
		} else {
			s.input.Focus()
		}
		return nil
	case key.Matches(msg, k.Back):
		if focused {
			s.input.Blur() // esc leaves the field; again, it goes back
			return nil
		}
		return s.sh.announce(backMsg{})
	case key.Matches(msg, k.Select):
		if s.chosen() {
			return s.readRoom(s.results[s.list.cursor].Room.ID)
		}
		if s.query() == "" {
			return nil
		}
		return s.lookup()
	case !focused && msg.String() == "/":
		s.input.Focus()
		return nil
	case (!focused || listKey(msg)) && s.list.move(msg, k):
		return nil
	case !focused:
		return nil
	}
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() != before {
		return tea.Batch(cmd, s.edited())
	}
	return cmd
}

// listKey is true for the keys that move the list while the field has the
// focus: ↑ ↓ pgup pgdn. Letters are text, and home and end move in the field.
func listKey(msg tea.KeyMsg) bool {
	switch msg.Type {
	case tea.KeyUp, tea.KeyDown, tea.KeyPgUp, tea.KeyPgDown:
		return true
	}
	return false
}

// chosen is true when enter picks the room under the cursor: the list
// answers what the field holds.
func (s *roomStep) chosen() bool { return len(s.results) > 0 && s.query() == s.searched }

func (s *roomStep) view() string {
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(st.Subtitle.Render("Step 3 · The room") + "\n")
	if s.details != nil {
		b.WriteString(roomDetailsView(st, s.details, s.session, s.w) + "\n")
		return b.String()
	}
	b.WriteString(st.Muted.Render(wrap("Paste its stream ID (either base64 form), or type part of its name: rooms are searched as you type; enter chooses.", s.w)) + "\n\n")
	b.WriteString(s.fieldView() + "\n\n")
	switch {
	case s.work.active():
		b.WriteString(s.work.view() + "\n")
	case s.searching:
		b.WriteString(st.Muted.Render(fmt.Sprintf("Searching rooms for %q…", s.query())) + "\n")
	}
	if s.err != nil {
		b.WriteString(errorBox(st, "Could not find the room", s.err, s.w) + "\n")
	}
	if _, ok := streamIDGiven(s.query()); ok && !s.work.active() {
		b.WriteString(st.Muted.Render("enter reads the room with this stream ID, or else of this exact name") + "\n")
	} else if s.results != nil && !s.work.active() {
		b.WriteString(s.resultsView())
	}
	return b.String()
}

// fieldView is the search field with its cursor drawn as a bar, which shows
// in every terminal, NO_COLOR included (a reversed cell does not).
func (s *roomStep) fieldView() string {
	st := s.sh.styles
	value := []rune(s.input.Value())
	if len(value) == 0 {
		bar := " "
		if s.input.Focused() {
			bar = st.Cursor.Render("▏")
		}
		return s.input.Prompt + bar + st.Muted.Render(s.input.Placeholder)
	}
	pos := min(s.input.Position(), len(value))
	room := max(s.w-len([]rune(s.input.Prompt))-2, 8)
	// the window of text around the cursor that fits
	start := 0
	if pos > room {
		start = pos - room
	}
	end := min(start+room, len(value))
	left, right := string(value[start:pos]), string(value[pos:end])
	if start > 0 {
		left = "…" + string([]rune(left)[1:])
	}
	if end < len(value) && len(right) > 0 {
		r := []rune(right)
		right = string(r[:len(r)-1]) + "…"
	}
	bar := ""
	if s.input.Focused() {
		bar = st.Cursor.Render("▏")
	}
	return s.input.Prompt + left + bar + right
}

func (s *roomStep) resultsView() string {
	st := s.sh.styles
	var b strings.Builder
	if len(s.results) == 0 {
		return st.Muted.Render(fmt.Sprintf("No room matches %q.", s.searched)) + "\n"
	}
	head := bulk.Counted(s.total, "room", "rooms")
	if s.searched != "" {
		head = fmt.Sprintf("%s %q", bulk.Counted(s.total, "room matches", "rooms match"), s.searched)
	}
	b.WriteString(st.Muted.Render(head+" (↑/↓, enter to choose)") + "\n")
	b.WriteString(st.TableHeader.Render("  "+padRight("NAME", s.nameWidth())+" "+padRight("MEMBERS", 9)+" "+padRight("STATE", 12)+" ACCESS") + "\n")
	b.WriteString(s.list.view(st, s.w) + "\n")
	return b.String()
}

func (s *roomStep) nameWidth() int { return max(s.w-36, 16) }

// row is a room's line in the list.
func (s *roomStep) row(r RoomChoice) string {
	members := "?"
	if r.Members >= 0 {
		members = bulk.Count(r.Members)
	}
	access := "private"
	if r.Room.Public {
		access = "public"
	}
	state := padRight(words.RoomState(r.Room), 12)
	return padRight(r.Room.Name, s.nameWidth()) + " " + padRight(members, 9) + " " + state + " " + access
}

// roomDetailsView describes the chosen room.
func roomDetailsView(st Styles, r *RoomChoice, session *Session, width int) string {
	var b strings.Builder
	b.WriteString("\n" + st.Bold.Render(r.Room.Name) + "\n")
	if r.Room.Description != "" {
		b.WriteString(st.Muted.Render(truncate(r.Room.Description, max(width-2, 20))) + "\n")
	}
	row := func(k, v string) { b.WriteString(fmt.Sprintf("  %-16s %s\n", k, v)) }
	row("stream ID", r.Room.ID)
	state := st.Good.Render("active")
	if !r.Room.Active {
		state = st.Bad.Render("deactivated: members cannot be changed")
	}
	row("state", state)
	if r.Members >= 0 {
		row("members", fmt.Sprintf("%s (%s)", bulk.Count(r.Members), bulk.Counted(r.Owners, "owner", "owners")))
	} else {
		row("members", st.Warn.Render("cannot be read: "+r.MembersErr))
	}
	row("settings", strings.Join(words.RoomSettings(r.Room), " · "))
	role := "not a member"
	switch {
	case r.CallerOwner:
		role = "an owner"
	case r.CallerMember:
		role = "a member"
	}
	if session != nil && session.Caller != nil {
		row("the bot", session.Caller.Username+" is "+role)
	}
	b.WriteString("\n" + st.Muted.Render("enter: preview the change · esc: another room"))
	return b.String()
}

func (s *roomStep) setSize(w, h int) {
	s.w, s.h = w, h
	s.list.setHeight(max(h-9, 1))
	if s.results != nil {
		cursor := s.list.cursor
		s.show(roomsFoundMsg{query: s.searched, rooms: s.results, total: s.total})
		s.list.cursor = cursor
		s.list.sync()
	}
}

func (s *roomStep) help() bindings {
	k := s.sh.keys
	if s.work.active() {
		return s.work.help(k)
	}
	if s.details != nil {
		cont := k.Select
		cont.SetHelp("enter", "preview")
		back := k.Back
		back.SetHelp("esc", "another room")
		short := []key.Binding{cont, back}
		return oneLine(short...)
	}
	choose := k.Search
	if s.chosen() {
		choose.SetHelp("enter", "choose")
	}
	choose = enabled(choose, s.query() != "")
	up, down := k.Up, k.Down
	more := len(s.results) > 1
	tab := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "to the list"))
	leave := k.Back
	leave.SetHelp("esc", "leave the field")
	if !s.input.Focused() {
		tab.SetHelp("tab", "to the field")
		leave = k.Back
	} else {
		up.SetHelp("↑", "up")
		down.SetHelp("↓", "down")
	}
	short := []key.Binding{choose, enabled(up, more), enabled(down, more), tab, leave}
	edit := key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "move in the field"))
	return bindings{short: short, full: [][]key.Binding{short, append(s.list.fullHelp(k), enabled(edit, s.input.Focused()))}}
}

// typing: the search field has the focus, so letters are text.
func (s *roomStep) typing() bool { return s.details == nil && !s.work.active() && s.input.Focused() }
