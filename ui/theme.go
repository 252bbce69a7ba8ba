package ui

import (
	"github.com/charmbracelet/lipgloss"

	"roster/symphony/bulk"
)

// Theme is the palette: every colour adapts to light and dark terminals.
// Colour is never the only carrier of meaning: outcomes are also spelled out.
type Theme struct {
	Accent, Muted, Good, Warn, Bad, Info, Border lipgloss.AdaptiveColor
}

// DefaultTheme is roster's palette.
var DefaultTheme = Theme{
	Accent: lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B7A6FF"},
	Muted:  lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#9A9A9A"},
	Good:   lipgloss.AdaptiveColor{Light: "#1B7F3B", Dark: "#5FD787"},
	Warn:   lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#FFD75F"},
	Bad:    lipgloss.AdaptiveColor{Light: "#B42318", Dark: "#FF6B6B"},
	Info:   lipgloss.AdaptiveColor{Light: "#0B61A4", Dark: "#6CB6FF"},
	Border: lipgloss.AdaptiveColor{Light: "#BDBDBD", Dark: "#4E4E4E"},
}

// Styles are derived from a Theme in one place so that screens never pick colours.
type Styles struct {
	Title, Subtitle, Muted, Bold, Good, Warn, Bad, Info lipgloss.Style
	Selected, Cursor, Key                               lipgloss.Style
	ErrorBox, JumboBox, WarnBox, DemoBanner, Box        lipgloss.Style
	TableHeader                                         lipgloss.Style
}

// NewStyles derives the styles of a theme.
func NewStyles(t Theme) Styles {
	s := Styles{}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(t.Accent)
	s.Subtitle = lipgloss.NewStyle().Bold(true)
	s.Muted = lipgloss.NewStyle().Foreground(t.Muted)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Good = lipgloss.NewStyle().Foreground(t.Good)
	s.Warn = lipgloss.NewStyle().Foreground(t.Warn)
	s.Bad = lipgloss.NewStyle().Foreground(t.Bad)
	s.Info = lipgloss.NewStyle().Foreground(t.Info)
	s.Selected = lipgloss.NewStyle().Bold(true).Foreground(t.Accent)
	s.Cursor = lipgloss.NewStyle().Foreground(t.Accent)
	s.Key = lipgloss.NewStyle().Bold(true)
	s.ErrorBox = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(t.Bad).Padding(0, 1)
	s.JumboBox = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(t.Bad).Foreground(t.Bad).Bold(true).Padding(0, 1)
	s.WarnBox = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(t.Warn).Padding(0, 1)
	s.DemoBanner = lipgloss.NewStyle().Bold(true).Reverse(true).Padding(0, 1)
	s.Box = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(t.Border).Padding(0, 1)
	s.TableHeader = lipgloss.NewStyle().Bold(true).Foreground(t.Muted)
	return s
}

// Outcome styles an outcome's label: good for a change made, warn for what
// was skipped for a reason, bad for a failure.
func (s Styles) Outcome(o bulk.Outcome) lipgloss.Style {
	switch o {
	case bulk.OutcomeAdded, bulk.OutcomeRemoved:
		return s.Good
	case bulk.OutcomeFailed:
		return s.Bad
	case bulk.OutcomePending:
		return s.Muted
	}
	return s.Warn
}
