package ui

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/bulk"
)

// step is where the wizard is.
type step int

const (
	stepConfig step = iota
	stepCSV
	stepRoom
	stepPreview
	stepRun
	stepSummary
)

var stepNames = []string{"Config", "Users", "Room", "Preview", "Run", "Summary"}

// shared is what every screen reads: options, size, styles and keys, and
// the job the preview started (for the run screen and the summary). What
// the steps before produce reaches a step through its enter (made).
type shared struct {
	opts          Options
	ctx           context.Context
	connect       Connector
	now           func() time.Time
	styles        Styles
	keys          KeyMap
	width, height int

	job    *bulk.Job    // the run started: its plan and the job's decision on it
	plan   *bulk.Plan   // job.Plan, for the screens that show it
	estate *bulk.Estate // the estate run started, instead of job

	announced []tea.Msg // completion messages from screens, handled at once by the root
	outLabel  string    // the journal and report folder, absolute, for the screens
}

// made is what the steps produced so far: the root keeps it from their done
// messages and hands it to each step's enter.
type made struct {
	session *Session
	list    *csvsource.List
	room    *RoomChoice
	many    bool // the list names each row's room (bulk.ManyRooms): no room step, an estate run
}

// setAside is what the run sets aside: on resume, not the users the
// journal's run finished (the rebuilt plan sees them as members).
func (sh *shared) setAside() []bulk.Item {
	if sh.job == nil {
		return nil
	}
	return sh.job.SetAside()
}

// screen is the shape of every step: what it does when the wizard moves
// forward to it, its own update, view, size and help.
type screen interface {
	enter(mk made) tea.Cmd
	update(msg tea.Msg) tea.Cmd
	view() string
	setSize(w, h int)
	help() bindings
	typing() bool // text input has focus: letters are text, not commands
}

// Model is the wizard: a root that owns the step and a screen per step.
type Model struct {
	sh       *shared
	made     made
	step     step
	screens  [6]screen
	config   *configStep
	csv      *csvStep
	preview  *previewStep
	run      *runScreen
	lanes    *lanesScreen // the run screen of an estate run
	summary  *summaryScreen
	help     help.Model
	fullHelp bool
	quitting bool

	quitAfterRun bool // a signal aborted the run: quit once the summary is in
}

// New builds the wizard.
func New(opts Options) *Model {
	sh := &shared{opts: opts, styles: NewStyles(DefaultTheme), keys: DefaultKeyMap(), ctx: opts.Context,
		connect: opts.Connect, now: opts.Now, width: 80, height: 24}
	if sh.ctx == nil {
		sh.ctx = context.Background()
	}
	if sh.connect == nil {
		sh.connect = Connect
		if opts.Limits != (bulk.Limits{}) {
			sh.connect = func(ctx context.Context, path string, auth symphony.AuthMethod) (*Session, error) {
				return bulk.ConnectWith(ctx, path, auth, opts.Limits)
			}
		}
	}
	if sh.now == nil {
		sh.now = time.Now
	}
	if sh.opts.OutDir != "" {
		// the summary names the journal and report by full path
		if abs, err := filepath.Abs(sh.opts.OutDir); err == nil {
			sh.opts.OutDir = abs
		}
	}
	sh.outLabel = outDirLabel(sh.opts.OutDir)
	m := &Model{sh: sh, help: help.New()}
	m.config, m.csv, m.preview = newConfigStep(sh), newCSVStep(sh), newPreviewStep(sh)
	m.screens[stepConfig] = m.config
	m.screens[stepCSV] = m.csv
	m.screens[stepRoom] = newRoomStep(sh)
	m.screens[stepPreview] = m.preview
	m.run = newRunScreen(sh)
	m.screens[stepRun] = m.run
	m.lanes = newLanesScreen(sh)
	m.summary = newSummaryScreen(sh)
	m.screens[stepSummary] = m.summary
	m.layout()
	return m
}

// Init starts the first step's work (a config named by a flag loads at once).
func (m *Model) Init() tea.Cmd {
	return m.config.enter(m.made)
}

func (m *Model) active() screen { return m.screens[m.step] }

// liveRun is the run screen of either kind of run, as the root and the
// signals see it.
type liveRun interface {
	running() bool
	askAbort() tea.Cmd
	abortOnSignal(note string)
	setNote(note string)
}

// live is the run screen of the run started: the lanes of an estate run,
// or the single run screen.
func (m *Model) live() liveRun {
	if m.sh.estate != nil {
		return m.lanes
	}
	return m.run
}

// running is true while a run is on screen and has not ended.
func (m *Model) running() bool { return m.step == stepRun && m.live().running() }

// Update handles what is global (size, quit, help, step changes) and passes
// the rest to the active screen; what a screen announces is handled before
// the next message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	for len(m.sh.announced) > 0 {
		next := m.sh.announced[0]
		m.sh.announced = m.sh.announced[1:]
		cmd = tea.Batch(cmd, m.update(next))
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.sh.width, m.sh.height = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.KeyMsg:
		k := m.sh.keys
		switch {
		case key.Matches(msg, k.ForceQuit):
			if m.running() {
				return m.live().askAbort()
			}
			return m.quit()
		case key.Matches(msg, k.Help):
			// ? is help everywhere, in the room's search field too
			m.fullHelp = !m.fullHelp
			m.layout()
			return nil
		case m.active().typing():
		case key.Matches(msg, k.Quit):
			if m.running() {
				m.live().setNote("A run is in progress: x aborts it first.")
				return nil
			}
			return m.quit()
		}
	case configDoneMsg:
		m.made.session = msg.session
		return m.goTo(stepCSV)
	case csvDoneMsg:
		m.made.list = msg.list
		// a list naming each row's room, or several --stream, is an
		// estate run: the rooms are planned together on the preview
		m.made.many = bulk.ManyRooms(m.sh.opts.Rooms, msg.list)
		if m.made.many {
			m.made.room = nil
			return m.goTo(stepPreview)
		}
		return m.goTo(stepRoom)
	case roomDoneMsg:
		m.made.room = msg.room
		return m.goTo(stepPreview)
	case startRunMsg:
		if msg.estate != nil {
			m.sh.estate = msg.estate
			m.screens[stepRun] = m.lanes
			return m.goTo(stepRun)
		}
		m.sh.job, m.sh.plan = msg.job, msg.job.Plan
		return m.goTo(stepRun)
	case runDoneMsg:
		if m.sh.estate != nil {
			m.summary.setEstate(msg.summary, m.lanes)
		} else {
			m.summary.set(msg.summary, m.run)
		}
		m.step = stepSummary
		m.layout()
		if m.quitAfterRun {
			return m.quit()
		}
		return nil
	case signalAbortMsg:
		return m.abortOnSignal()
	case backMsg:
		if m.step > stepConfig && m.step < stepRun {
			m.step-- // the step shows what it showed when it was left
			if m.step == stepRoom && m.made.many {
				m.step = stepCSV // an estate run has no room step
			}
			m.layout()
		}
		return nil
	}
	return m.active().update(msg)
}

// goTo moves forward to a step and lets it start its work.
func (m *Model) goTo(s step) tea.Cmd {
	m.step = s
	m.layout()
	return m.active().enter(m.made)
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	return tea.Quit
}

// layout gives every screen the room left by the header and the help.
func (m *Model) layout() {
	m.help.Width = m.sh.width
	m.help.ShowAll = m.fullHelp
	h := m.sh.height - lipgloss.Height(m.header()) - lipgloss.Height(m.footer())
	for _, s := range m.screens {
		s.setSize(m.sh.width, max(h, 3))
	}
}

// View is the header, the active screen cut to fit, and the help.
func (m *Model) View() string {
	if m.quitting {
		return "" // the summary is printed on the normal screen instead
	}
	return m.render()
}

func (m *Model) render() string {
	header, footer := m.header(), m.footer()
	body := m.body(header, footer)
	// the help follows what the body shows (the scroll keys once it
	// overflows): drawn again if the body changed it
	if again := m.footer(); again != footer {
		if lipgloss.Height(again) != lipgloss.Height(footer) {
			m.layout()
			body = m.body(header, again)
			again = m.footer()
		}
		footer = again
	}
	return header + "\n" + body + "\n" + footer
}

// body is the active screen cut to the room between header and footer.
func (m *Model) body(header, footer string) string {
	h := m.sh.height - lipgloss.Height(header) - lipgloss.Height(footer)
	return fitLines(m.active().view(), m.sh.width, max(h, 1))
}

func (m *Model) header() string {
	st := m.sh.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("roster"))
	for i, n := range stepNames {
		if step(i) == stepRoom && m.made.many {
			n = "Rooms" // read from the list
		}
		sep := " › "
		if i == 0 {
			sep = "  "
		}
		b.WriteString(st.Muted.Render(sep))
		if step(i) == m.step {
			if lipgloss.ColorProfile() == termenv.Ascii {
				n = "[" + n + "]" // NO_COLOR drops bold and reverse: a character marks the step
			}
			b.WriteString(st.Selected.Render(n))
		} else {
			b.WriteString(st.Muted.Render(n))
		}
	}
	if m.sh.opts.Banner != "" {
		b.WriteString("\n" + st.DemoBanner.Render(m.sh.opts.Banner))
	}
	return truncateLines(b.String(), m.sh.width)
}

func (m *Model) footer() string {
	km := m.active().help()
	k := m.sh.keys
	running := m.running()
	var globals []key.Binding
	quit := k.Quit
	if m.active().typing() {
		quit.SetHelp("esc q", "quit") // q is a letter in the field: esc leaves it first
	}
	help := k.Help
	if m.fullHelp {
		help.SetHelp("?", "close this panel")
	}
	for _, g := range []key.Binding{help, enabled(quit, !running)} {
		if !offers(km, g) {
			globals = append(globals, g) // a screen that says more of a key lists it once
		}
	}
	km.full = append(km.full, globals)
	m.help.ShowAll = m.fullHelp
	if !m.fullHelp {
		// ? and q always stay: the screen's last keys give way when the
		// line is too long for the terminal
		short := km.short
		whole := m.help
		whole.Width = 0 // measure the line uncut
		for {
			km.short = append(append([]key.Binding{}, short...), globals...)
			if len(short) == 0 || lipgloss.Width(whole.ShortHelpView(km.short)) <= m.sh.width {
				break
			}
			short = short[:len(short)-1]
		}
	}
	return m.help.View(km)
}

// ExitCode is the CLI contract's code for how the wizard ended: the job's
// code for a run (the one its summary states), the job's decision for a
// preview that cannot start (refused, nothing to do, a dry run), 2 after
// bad input, 3 when the operator quit before a run.
func (m *Model) ExitCode() int {
	switch {
	case m.summary.sum != nil || m.summary.err != nil:
		return m.summary.exitCode()
	case m.preview.estate != nil && m.step == stepPreview && (!m.preview.estate.Decision.Startable() || m.sh.opts.DryRun):
		return m.preview.estate.Decision.ExitCode()
	case m.preview.job != nil && m.step == stepPreview && (!m.preview.job.Decision.Startable() || m.sh.opts.DryRun):
		// the preview is where a dry run ends, and where a refused run or
		// one with nothing to do stops: the job's code, as headless says it
		return m.preview.job.Decision.ExitCode()
	case m.config.err != nil:
		// a config that could not be used is on screen; a pod that asked to
		// wait too long or did not answer is 3, as headless says it
		return bulk.PlanExitCode(m.config.err)
	case m.csv.err != nil:
		return bulk.ExitInput
	}
	return bulk.ExitAborted // quit before a run: nothing was done
}

// FinalReport is the summary as it stays printed on the normal screen after
// the program ends ("" when no run happened).
func (m *Model) FinalReport() string {
	if m.step != stepSummary {
		return ""
	}
	return m.summary.report()
}

// fitLines cuts s to at most h lines of at most w cells and pads it to h lines,
// so the help stays at the bottom.
func fitLines(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return truncateLines(strings.Join(lines, "\n"), w)
}

func truncateLines(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}

// offers is true when the screen's help already has a binding for g's keys.
func offers(km bindings, g key.Binding) bool {
	for _, row := range append(km.full, km.short) {
		for _, b := range row {
			for _, a := range b.Keys() {
				for _, c := range g.Keys() {
					if a == c && b.Enabled() {
						return true
					}
				}
			}
		}
	}
	return false
}
