package ui

import (
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony"
)

// configStep picks the bot's config, loads it and authenticates.
type configStep struct {
	sh      *shared
	chooser *fileChooser
	spin    spinner.Model
	loading string // the path being loaded
	errPath string
	err     error
	warned  bool // the loaded config has warnings on screen; enter goes on
	w, h    int
}

func newConfigStep(sh *shared) *configStep {
	offered := append([]string{}, sh.opts.OfferConfigs...)
	if sh.opts.ConfigPath != "" {
		offered = append([]string{sh.opts.ConfigPath}, offered...)
	}
	return &configStep{sh: sh, chooser: newFileChooser(sh, []string{".json", ".yaml", ".yml"}, offered),
		spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// enter loads the config named by --config at once.
func (s *configStep) enter() tea.Cmd {
	if s.sh.opts.ConfigPath != "" {
		return s.load(s.chooser.candidates[0])
	}
	return nil
}

func (s *configStep) load(path string) tea.Cmd {
	s.loading, s.err = path, nil
	return tea.Batch(s.spin.Tick, loadConfigCmd(s.sh.ctx, s.sh.connect, path, symphony.AuthMethod(s.sh.opts.Auth)))
}

func (s *configStep) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case configLoadedMsg:
		if msg.path != s.loading {
			return nil
		}
		s.loading = ""
		s.sh.session = msg.session
		if len(msg.session.Config.Warnings) > 0 {
			s.warned = true // unknown keys and the like: shown before going on
			return nil
		}
		return s.sh.announce(configDoneMsg{})
	case configFailedMsg:
		if msg.path != s.loading {
			return nil
		}
		s.loading, s.errPath, s.err = "", msg.path, msg.err
		return nil
	case spinner.TickMsg:
		if s.loading == "" {
			return nil // the spinner stops with the work
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	}
	if s.loading != "" {
		if km, ok := msg.(tea.KeyMsg); ok && key.Matches(km, s.sh.keys.Back) {
			s.loading = "" // cancelled: a late answer no longer matches
		}
		return nil
	}
	if km, ok := msg.(tea.KeyMsg); ok && s.warned {
		if key.Matches(km, s.sh.keys.Select) {
			s.warned = false
			return s.sh.announce(configDoneMsg{})
		}
		if key.Matches(km, s.sh.keys.Back) {
			s.warned = false // choose another config
		}
		return nil
	}
	path, _, cmd := s.chooser.update(msg)
	if path != "" {
		return tea.Batch(cmd, s.load(path))
	}
	return cmd
}

func (s *configStep) view() string {
	st := s.sh.styles
	var b strings.Builder
	b.WriteString(st.Subtitle.Render("Step 1 · The bot's config") + "\n")
	b.WriteString(st.Muted.Render(wrap("A legacy config.json or a BDK 2.0 config.yaml, with the bot's key or certificate.", s.w)) + "\n\n")
	if s.loading != "" {
		b.WriteString(s.spin.View() + " Loading " + filepath.Base(s.loading) + " and signing in to the pod…\n")
		return b.String()
	}
	if s.warned {
		cfg := s.sh.session.Config
		b.WriteString(st.Good.Render("Signed in as "+cfg.BotUsername+" with "+filepath.Base(cfg.Path)) + "\n\n")
		b.WriteString(st.Warn.Render("The config loaded with warnings:") + "\n")
		for _, w := range cfg.Warnings {
			b.WriteString("  " + wrap("! "+w, s.w-2) + "\n")
		}
		b.WriteString("\n" + st.Muted.Render("enter: go on with it · esc: choose another config") + "\n")
		return b.String()
	}
	b.WriteString(s.chooser.view(s.w) + "\n")
	if s.err != nil {
		b.WriteString("\n" + errorBox(st, "Could not use "+s.errPath, s.err, s.w) + "\n")
		b.WriteString(st.Muted.Render("Fix the file and choose it again, or choose another.") + "\n")
	}
	if s.sh.session != nil && s.err == nil {
		b.WriteString("\n" + st.Good.Render("Signed in as "+s.sh.session.Config.BotUsername+" (enter on a file switches config)") + "\n")
	}
	return b.String()
}

func (s *configStep) setSize(w, h int) {
	s.w, s.h = w, h
	s.chooser.setSize(w, h-6)
}

func (s *configStep) help() bindings {
	if s.loading != "" {
		return s.sh.keys.cancelHelp()
	}
	if s.warned {
		cont, other := s.sh.keys.Select, s.sh.keys.Back
		cont.SetHelp("enter", "go on")
		other.SetHelp("esc", "another config")
		short := []key.Binding{cont, other}
		return oneLine(short...)
	}
	short := s.chooser.help()
	return oneLine(short...)
}

func (s *configStep) typing() bool { return false }
