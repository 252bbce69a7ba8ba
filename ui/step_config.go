package ui

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony"
)

// configStep picks the bot's config, loads it and authenticates.
type configStep struct {
	sh      *shared
	chooser *fileChooser
	work    busy
	session *Session // signed in with the config chosen last
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
	return &configStep{sh: sh, chooser: newFileChooser(sh, []string{".json", ".yaml", ".yml"}, offered), work: newBusy()}
}

// enter loads the config named by --config at once.
func (s *configStep) enter(made) tea.Cmd {
	if s.sh.opts.ConfigPath != "" && s.session == nil {
		return s.load(s.chooser.candidates[0])
	}
	return nil
}

func (s *configStep) load(path string) tea.Cmd {
	s.errPath, s.err = path, nil
	return s.work.startWith(s.sh.ctx, "Loading "+filepath.Base(path)+" and signing in to the pod…",
		func(ctx context.Context) tea.Cmd {
			return loadConfigCmd(ctx, s.sh.connect, path, symphony.AuthMethod(s.sh.opts.Auth))
		})
}

func (s *configStep) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	if answer, handled, cmd := s.work.update(msg, k); handled {
		if answer == nil {
			return cmd
		}
		msg = answer
	}
	switch msg := msg.(type) {
	case configLoadedMsg:
		s.session = msg.session
		if len(msg.session.Config.Warnings) > 0 {
			s.warned = true // unknown keys and the like: shown before going on
			return nil
		}
		return s.sh.announce(configDoneMsg{session: s.session})
	case configFailedMsg:
		s.err = msg.err
		return nil
	case busyCancelledMsg:
		return nil
	}
	if km, ok := msg.(tea.KeyMsg); ok && s.warned {
		if key.Matches(km, k.Select) {
			s.warned = false
			return s.sh.announce(configDoneMsg{session: s.session})
		}
		if key.Matches(km, k.Back) {
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
	if s.work.active() {
		b.WriteString(s.work.view() + "\n")
		return b.String()
	}
	if s.warned {
		cfg := s.session.Config
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
	if s.session != nil && s.err == nil {
		b.WriteString("\n" + st.Good.Render("Signed in as "+s.session.Config.BotUsername+" (enter on a file switches config)") + "\n")
	}
	return b.String()
}

func (s *configStep) setSize(w, h int) {
	s.w, s.h = w, h
	s.chooser.setSize(w, h-6)
}

func (s *configStep) help() bindings {
	if s.work.active() {
		return s.work.help(s.sh.keys)
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
