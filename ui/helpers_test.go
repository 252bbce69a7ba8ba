package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/bulk"
)

func init() {
	// Goldens and string checks see plain text, whatever the test's terminal.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

// fixedNow is the clock of synthetic tests.
var fixedNow = time.Date(2026, 11, 23, 21, 0, 0, 0, time.UTC)

// newSized builds the wizard at a terminal size with a fixed clock.
func newSized(t *testing.T, opts Options, w, h int) *Model {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.StartDir == "" {
		opts.StartDir = t.TempDir()
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// keyMsg turns "enter", "esc", "ctrl+c", "up", or plain text into a key press.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}} // as a terminal sends it
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// settle feeds msg to the model, then runs the commands it returns and feeds
// their messages back, like the program would, for commands that answer
// within a moment (timers and channel waits are left out). It returns every
// message seen.
func settle(t *testing.T, m tea.Model, msg tea.Msg) []tea.Msg {
	t.Helper()
	seen := []tea.Msg{msg}
	queue := []tea.Msg{msg}
	for n := 0; len(queue) > 0; n++ {
		if n > 200 {
			t.Fatal("settle: too many messages")
		}
		next := queue[0]
		queue = queue[1:]
		_, cmd := m.Update(next)
		for _, out := range execCmd(cmd) {
			seen = append(seen, out)
			queue = append(queue, out)
		}
	}
	return seen
}

// execCmd runs a command and its batches; commands still busy after a short
// while (ticks, channel waits) are dropped.
func execCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, execCmd(c)...)
			}
			return out
		}
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	case <-time.After(60 * time.Millisecond):
		return nil
	}
}

// settleCmd runs a command (an Init) and settles what it sends.
func settleCmd(t *testing.T, m tea.Model, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var all []tea.Msg
	for _, msg := range execCmd(cmd) {
		all = append(all, settle(t, m, msg)...)
	}
	return all
}

// press sends keys one by one through settle.
func press(t *testing.T, m tea.Model, keys ...string) []tea.Msg {
	t.Helper()
	var all []tea.Msg
	for _, k := range keys {
		all = append(all, settle(t, m, keyMsg(k))...)
	}
	return all
}

func mustContain(t *testing.T, view string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(view, w) {
			t.Fatalf("view lacks %q:\n%s", w, view)
		}
	}
}

func mustNotContain(t *testing.T, view string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(view, w) {
			t.Fatalf("view shows %q but should not:\n%s", w, view)
		}
	}
}

// checkFits fails when a view is taller or wider than the terminal.
func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Fatalf("view is %d lines, terminal %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			t.Fatalf("line %d is %d cells wide, terminal %d: %q", i+1, lipgloss.Width(l), w, l)
		}
	}
}

// fakeConnector answers per path: an error, or a session with no pod.
func fakeConnector(calls *[]string, failures map[string]error) Connector {
	return func(ctx context.Context, path string, auth symphony.AuthMethod) (*Session, error) {
		*calls = append(*calls, path)
		if err := failures[path]; err != nil {
			return nil, err
		}
		return &Session{Config: &symphony.Config{Path: path, BotUsername: "roster-bot"},
			Caller: &symphony.SessionInfo{UserID: 7, Username: "roster-bot"}}, nil
	}
}

var errAuth = errors.New("authenticate: the pod answered 401 Unauthorized")

// syntheticPlan is a plan as BuildPlan would make it, for screen tests.
func syntheticPlan(actions int, warnings ...bulk.Warning) *bulk.Plan {
	p := &bulk.Plan{
		Room:     symphony.Room{ID: "abcDEF123_-ghiJKL456mnoPQ", Name: "Trading Desk EMEA", Active: true},
		StreamID: "abcDEF123_-ghiJKL456mnoPQ", Mode: bulk.ModeAdd,
		Caller:        symphony.SessionInfo{UserID: 7, Username: "roster-bot"},
		MembersBefore: 480, OwnersBefore: 2, MembersAfter: 480 + actions, OwnersAfter: 2,
		Interval: 3 * time.Second, Estimate: time.Duration(actions) * time.Second, Warnings: warnings,
		InputHash: "h",
	}
	for i := 0; i < actions; i++ {
		p.Actions = append(p.Actions, bulk.Item{Line: int32(i + 2), Input: userInput(i), Kind: csvsource.KindUserID, UserID: int64(1000 + i), Outcome: bulk.OutcomePending})
	}
	p.SetAside = []bulk.Item{
		{Line: 90, Input: "71000000000001", Outcome: bulk.OutcomeAlreadyMember},
		{Line: 91, Input: "nobody@bank.example", Outcome: bulk.OutcomeUnknown},
		{Line: 92, Input: "71000000000001", Outcome: bulk.OutcomeDuplicate},
	}
	p.Reasons = map[int32]string{90: "already in the room", 91: "no such user", 92: "repeats line 90"}
	return p
}

func userInput(i int) string {
	return "7100000000" + string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}

// syntheticResult is one finished action.
func syntheticResult(i int, o bulk.Outcome, status int, msg string) *bulk.Result {
	return &bulk.Result{Time: fixedNow.Add(time.Duration(i) * 300 * time.Millisecond), Index: i,
		Item:    bulk.Item{Line: int32(i + 2), Input: userInput(i), UserID: int64(1000 + i)},
		Outcome: o, Status: status, Message: msg, Attempts: 1}
}

// atStep puts a wizard at a step with what earlier steps would have produced.
func atStep(t *testing.T, m *Model, s step, plan *bulk.Plan) {
	t.Helper()
	session := &Session{Config: &symphony.Config{BotUsername: "roster-bot"}, Caller: &symphony.SessionInfo{UserID: 7, Username: "roster-bot"}}
	m.made = made{session: session, list: &csvsource.List{Path: "users.csv"},
		room: &RoomChoice{Room: plan.Room, Members: plan.MembersBefore, Owners: plan.OwnersBefore}}
	job := jobFor(plan)
	job.Session = session
	if m.sh.opts.OutDir != "" {
		job.OutDir = m.sh.opts.OutDir
		job.Decide(bulk.ResumeChoice{})
	}
	// each screen holds what the steps before it made
	m.screens[stepRoom].(*roomStep).session = session
	m.preview.mk = m.made
	if s >= stepPreview {
		m.preview.job = job
	}
	if s >= stepRun {
		m.sh.job, m.sh.plan = job, plan
	}
	m.step = s
	m.layout()
}

func itoa(n int) string { return fmt.Sprint(n) }

func writeEmpty(path string) error { return os.WriteFile(path, nil, 0o600) }

// fakePod answers the room step's reads from a fixed set of rooms; it is for
// screen tests only (the flows run against podsim).
type fakePod struct {
	Pod     // other calls are not expected: nil panics
	rooms   map[string]symphony.Room
	members map[string][]symphony.Member
}

func (p *fakePod) RoomInfo(ctx context.Context, id string) (*symphony.Room, error) {
	r, ok := p.rooms[id]
	if !ok {
		return nil, &symphony.APIError{Status: 404, Op: "GET /pod/v3/room/{id}/info", Message: "Room not found"}
	}
	return &r, nil
}

func (p *fakePod) Members(ctx context.Context, id string) ([]symphony.Member, error) {
	return p.members[id], nil
}

func (p *fakePod) SearchRooms(ctx context.Context, q string, skip, limit int) (*symphony.RoomSearchPage, error) {
	page := &symphony.RoomSearchPage{Limit: limit}
	for _, r := range p.rooms {
		if strings.Contains(strings.ToLower(r.Name), strings.ToLower(q)) {
			page.Rooms = append(page.Rooms, r)
		}
	}
	page.Count = len(page.Rooms)
	return page, nil
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// heldRunner is a runner whose Run returns what it is given, when it is given.
type heldRunner chan *bulk.Summary

func (h heldRunner) Run(ctx context.Context) (*bulk.Summary, error) {
	select {
	case s := <-h:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// jobFor is a job of a synthetic plan with the job's own decision on it, for
// an out folder that does not exist (so no journal is found).
func jobFor(plan *bulk.Plan) *bulk.Job {
	j := &bulk.Job{Plan: plan, Request: bulk.Request{OutDir: "/nonexistent/roster-out", Mode: plan.Mode}}
	j.Decide(bulk.ResumeChoice{})
	return j
}

// resumeJob is a job whose decision is to continue a journal.
func resumeJob(plan *bulk.Plan, resume *bulk.ResumeInfo) *bulk.Job {
	j := jobFor(plan)
	j.Resume = bulk.ResumeChoice{Auto: true}
	j.Decision = bulk.Decision{Verdict: bulk.Ready, Resume: resume, Journal: resume.Path}
	return j
}

// room is the room step.
func (m *Model) room() *roomStep { return m.screens[stepRoom].(*roomStep) }
