package ui

import (
	"context"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/bulk"
)

// Commands: every piece of work runs here, off the update loop, and reports
// back with a message.

const searchLimit = 20
const countedResults = 10 // member counts are read for this many search results

func loadConfigCmd(ctx context.Context, connect Connector, path string, auth symphony.AuthMethod) tea.Cmd {
	return func() tea.Msg {
		s, err := connect(ctx, path, auth)
		if err != nil {
			return configFailedMsg{path: path, err: err}
		}
		return configLoadedMsg{path: path, session: s}
	}
}

func readCSVCmd(path, column string) tea.Cmd {
	return func() tea.Msg {
		l, err := csvsource.ReadFile(path, csvsource.Options{Column: column})
		if err != nil {
			return csvFailedMsg{path: path, err: err}
		}
		return csvLoadedMsg{path: path, list: l}
	}
}

func searchRoomsCmd(ctx context.Context, s *Session, query string) tea.Cmd {
	return func() tea.Msg {
		page, err := s.Pod.SearchRooms(ctx, query, 0, searchLimit)
		if err != nil {
			return roomsFoundMsg{query: query, err: fmt.Errorf("search rooms for %q: %w", query, err)}
		}
		out := make([]RoomChoice, len(page.Rooms))
		for i, r := range page.Rooms {
			out[i] = RoomChoice{Room: r, Members: -1}
			if i < countedResults {
				countMembers(ctx, s.Pod, s.Caller, &out[i])
			}
		}
		return roomsFoundMsg{query: query, rooms: out, total: page.Count}
	}
}

// listRoomsCmd describes rooms known in advance (the demo's), in order.
func listRoomsCmd(ctx context.Context, s *Session, ids []string) tea.Cmd {
	return func() tea.Msg {
		var out []RoomChoice
		for _, id := range ids {
			rc, err := describeRoom(ctx, s.Pod, s.Caller, id)
			if err != nil {
				return roomsFoundMsg{err: err}
			}
			out = append(out, *rc)
		}
		return roomsFoundMsg{rooms: out, total: len(out)}
	}
}

func loadRoomCmd(ctx context.Context, s *Session, streamID string) tea.Cmd {
	return func() tea.Msg {
		rc, err := describeRoom(ctx, s.Pod, s.Caller, streamID)
		return roomLoadedMsg{room: rc, err: err}
	}
}

// PlanInput is what buildPlanCmd needs beyond the session.
type planInput struct {
	streamID string
	mode     bulk.Mode
	list     *csvsource.List
	interval time.Duration
	outDir   string
	resume   string // "", "auto" or a journal path
	now      func() time.Time
	gen      int
}

func buildPlanCmd(ctx context.Context, s *Session, in planInput) tea.Cmd {
	return func() tea.Msg {
		req := bulk.PlanRequest{StreamID: in.streamID, Mode: in.mode, List: in.list, Interval: in.interval}
		if in.now != nil {
			req.Now = in.now()
		}
		plan, err := bulk.BuildPlan(ctx, s.Pod, req)
		if err != nil {
			return planBuiltMsg{gen: in.gen, err: fmt.Errorf("build the plan: %w", err)}
		}
		msg := planBuiltMsg{gen: in.gen, plan: plan}
		switch in.resume {
		case "":
		case "auto":
			dir := in.outDir
			if dir == "" {
				dir = "."
			}
			msg.resumePath, _, msg.resumeProblem = bulk.FindResumable(dir, plan)
		default:
			msg.resumePath = in.resume // --resume FILE
		}
		if msg.resumePath != "" {
			// The journal's run is what a resume executes: its counts,
			// not the rebuilt plan's, are what the preview shows.
			info, err := bulk.InspectResume(msg.resumePath, plan)
			if err != nil {
				msg.resumePath, msg.resumeProblem = "", fmt.Errorf("cannot resume: %w", err)
			}
			msg.resume = info
		}
		return msg
	}
}

func startRunCmd(s *Session, plan *bulk.Plan, opts bulk.RunOptions) tea.Cmd {
	return func() tea.Msg {
		if opts.Control == nil {
			opts.Control = bulk.NewControl()
		}
		if opts.OutDir != "" {
			if err := os.MkdirAll(opts.OutDir, 0o700); err != nil {
				return runFailedMsg{err: fmt.Errorf("create the folder for the journal and report: %w", err)}
			}
		}
		r, err := bulk.NewRunner(s.Pod, plan, opts)
		if err != nil {
			return runFailedMsg{err: fmt.Errorf("prepare the run: %w", err)}
		}
		return runStartedMsg{runner: r, control: opts.Control, events: r.Events()}
	}
}

// runCmd runs the whole plan; it returns when the run is done, aborted or stopped.
func runCmd(ctx context.Context, r runnable) tea.Cmd {
	return func() tea.Msg {
		sum, err := r.Run(ctx)
		return runReturnedMsg{summary: sum, err: err}
	}
}

// waitEventCmd takes ONE event from the runner; the run screen re-issues it
// after each, so the program reads the channel at its own pace.
func waitEventCmd(ch <-chan bulk.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return runClosedMsg{}
		}
		return runEventMsg{ev: ev}
	}
}

func countdownTick(gen int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return countdownTickMsg{gen: gen} })
}

// errText is an error's message for the screen; the client's errors give
// their HTTP status themselves.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
