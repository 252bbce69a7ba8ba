package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony/bulk"
	"roster/ui/words"
)

// roomStep finds the room: a pasted stream ID, or a search by name.
type roomStep struct {
	sh       *shared
	input    textField
	spin     spinner.Model
	busy     string // what is being done, "" when idle
	results  []RoomChoice
	total    int
	searched string // the query the results answer
	cursor   int
	details  *RoomChoice // chosen, shown, waiting for enter
	err      error
	auto     bool // --stream: go on without asking
	gen      int  // of the lookup in flight; esc drops its answer
	w, h     int
}

func newRoomStep(sh *shared) *roomStep {
	in := textField{prompt: "Room: ", placeholder: "paste a stream ID, or type part of a room's name", limit: 200}
	return &roomStep{sh: sh, input: in, spin: spinner.New(spinner.WithSpinner(spinner.Dot)), auto: sh.opts.Stream != ""}
}

// enter focuses the input and starts what the options ask for.
func (s *roomStep) enter() tea.Cmd {
	var cmds []tea.Cmd
	switch {
	case s.auto:
		s.input.SetValue(s.sh.opts.Stream)
		cmds = append(cmds, s.lookup())
	case len(s.sh.opts.SuggestRooms) > 0 && s.results == nil:
		cmds = append(cmds, s.ask("Listing rooms…", listRoomsCmd(s.sh.ctx, s.sh.session, s.sh.opts.SuggestRooms)))
	}
	return tea.Batch(cmds...)
}

// back returns here from the preview: the chosen room stays on screen.
func (s *roomStep) back() tea.Cmd { return nil }

// lookup reads a pasted stream ID directly, or searches rooms by name.
func (s *roomStep) lookup() tea.Cmd {
	q := strings.TrimSpace(s.input.Value())
	s.err = nil
	if id, ok := looksLikeStreamID(q); ok {
		return s.ask("Reading the room…", loadRoomCmd(s.sh.ctx, s.sh.session, id))
	}
	return s.ask(fmt.Sprintf("Searching rooms for %q…", q), searchRoomsCmd(s.sh.ctx, s.sh.session, q))
}

// ask runs a look-up behind the spinner; its answer is tagged so that one
// cancelled with esc is dropped when it comes.
func (s *roomStep) ask(busy string, cmd tea.Cmd) tea.Cmd {
	s.busy = busy
	s.gen++
	gen := s.gen
	return tea.Batch(s.spin.Tick, func() tea.Msg { return roomAnswerMsg{gen: gen, msg: cmd()} })
}

// roomAnswerMsg is a look-up's answer with the generation that asked.
type roomAnswerMsg struct {
	gen int
	msg tea.Msg
}

func (s *roomStep) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case roomAnswerMsg:
		if msg.gen != s.gen {
			return nil
		}
		return s.update(msg.msg)
	case roomsFoundMsg:
		s.busy = ""
		if msg.err != nil {
			s.err = msg.err
			return nil
		}
		s.results, s.total, s.searched, s.cursor = msg.rooms, msg.total, strings.TrimSpace(s.input.Value()), 0
		return nil
	case roomLoadedMsg:
		s.busy = ""
		if msg.err != nil {
			s.err, s.auto = msg.err, false
			return nil
		}
		s.details = msg.room
		s.sh.room = msg.room
		if s.auto {
			s.auto = false
			return s.sh.announce(roomDoneMsg{})
		}
		return nil
	case spinner.TickMsg:
		if s.busy == "" {
			return nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		if s.busy != "" {
			if key.Matches(msg, k.Back) {
				s.busy, s.auto = "", false // cancelled: its answer will be dropped
				s.gen++
			}
			return nil
		}
		if s.details != nil {
			switch {
			case key.Matches(msg, k.Select):
				return s.sh.announce(roomDoneMsg{})
			case key.Matches(msg, k.Back):
				s.details = nil
				return nil
			}
			return nil
		}
		switch {
		case key.Matches(msg, k.Back):
			return s.sh.announce(backMsg{})
		case msg.Type == tea.KeyUp:
			if s.cursor > 0 {
				s.cursor--
			}
			return nil
		case msg.Type == tea.KeyDown:
			if s.cursor < len(s.results)-1 {
				s.cursor++
			}
			return nil
		case key.Matches(msg, k.Select):
			q := strings.TrimSpace(s.input.Value())
			if len(s.results) > 0 && q == s.searched {
				r := s.results[s.cursor]
				return s.ask("Reading the room…", loadRoomCmd(s.sh.ctx, s.sh.session, r.Room.ID))
			}
			return s.lookup()
		}
		s.input.update(msg)
	}
	return nil
}

func (s *roomStep) view() string {
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(st.Subtitle.Render("Step 3 · The room") + "\n")
	if s.details != nil {
		b.WriteString(roomDetailsView(st, s.details, s.sh) + "\n")
		return b.String()
	}
	b.WriteString(st.Muted.Render(wrap("Paste its stream ID (either base64 form), or search by name; enter looks it up.", s.w)) + "\n\n")
	b.WriteString(s.input.view(st) + "\n\n")
	if s.busy != "" {
		b.WriteString(s.spin.View() + " " + s.busy + "\n")
	}
	if s.err != nil {
		b.WriteString(errorBox(st, "Could not find the room", s.err, s.w) + "\n")
	}
	if s.results != nil && s.busy == "" {
		b.WriteString(s.resultsView())
	}
	return b.String()
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
	nameW := max(s.w-36, 16)
	b.WriteString(st.TableHeader.Render("  "+padRight("NAME", nameW)+" "+padRight("MEMBERS", 9)+" "+padRight("STATE", 12)+" ACCESS") + "\n")
	rows := max(s.h-8, 1)
	start := 0
	if s.cursor >= rows {
		start = s.cursor - rows + 1
	}
	for i := start; i < len(s.results) && i < start+rows; i++ {
		r := s.results[i]
		members := "?"
		if r.Members >= 0 {
			members = bulk.Count(r.Members)
		}
		access := "private"
		if r.Room.Public {
			access = "public"
		}
		state := padRight(words.RoomState(r.Room), 12)
		if !r.Room.Active {
			state = st.Bad.Render(state)
		}
		line := padRight(r.Room.Name, nameW) + " " + padRight(members, 9) + " " + state + " " + access
		if i == s.cursor {
			b.WriteString(st.Cursor.Render("> ") + st.Selected.Render(line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}

// roomDetailsView describes the chosen room.
func roomDetailsView(st Styles, r *RoomChoice, sh *shared) string {
	var b strings.Builder
	b.WriteString("\n" + st.Bold.Render(r.Room.Name) + "\n")
	if r.Room.Description != "" {
		b.WriteString(st.Muted.Render(truncate(r.Room.Description, max(sh.width-2, 20))) + "\n")
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
	if sh.session != nil && sh.session.Caller != nil {
		row("the bot", sh.session.Caller.Username+" is "+role)
	}
	b.WriteString("\n" + st.Muted.Render("enter: preview the change · esc: another room"))
	return b.String()
}

func (s *roomStep) setSize(w, h int) {
	s.w, s.h = w, h
	s.input.width = w
}

func (s *roomStep) help() bindings {
	k := s.sh.keys
	if s.busy != "" {
		return k.cancelHelp()
	}
	if s.details != nil {
		cont := k.Select
		cont.SetHelp("enter", "preview")
		back := k.Back
		back.SetHelp("esc", "another room")
		short := []key.Binding{cont, back}
		return oneLine(short...)
	}
	up, down := k.Up, k.Down
	up.SetHelp("↑", "up")
	down.SetHelp("↓", "down")
	search := k.Search
	if len(s.results) > 0 && strings.TrimSpace(s.input.Value()) == s.searched {
		search.SetHelp("enter", "choose")
	}
	short := []key.Binding{search, enabled(up, len(s.results) > 1), enabled(down, len(s.results) > 1), k.Back}
	return oneLine(short...)
}

// typing: the search field takes letters while no room is chosen.
func (s *roomStep) typing() bool { return s.details == nil && s.busy == "" }
