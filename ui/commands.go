package ui

import (
	"context"
	"fmt"

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

func readCSVCmd(path, column, roomColumn string) tea.Cmd {
	return func() tea.Msg {
		l, err := bulk.ReadListRooms(path, column, roomColumn)
		if err != nil {
			return csvFailedMsg{path: path, err: err}
		}
		return csvLoadedMsg{path: path, list: l}
	}
}

func searchRoomsCmd(ctx context.Context, s *Session, query string) tea.Cmd {
	return func() tea.Msg {
		rooms, total, err := bulk.SearchRooms(ctx, s, query, searchLimit, countedResults)
		return roomsFoundMsg{query: query, rooms: rooms, total: total, err: err}
	}
}

// listRoomsCmd describes rooms known in advance (the demo's), in order.
func listRoomsCmd(ctx context.Context, s *Session, ids []string) tea.Cmd {
	return func() tea.Msg {
		rooms, err := bulk.DescribeRooms(ctx, s, ids)
		return roomsFoundMsg{rooms: rooms, total: len(rooms), err: err}
	}
}

func loadRoomCmd(ctx context.Context, s *Session, streamID string) tea.Cmd {
	return func() tea.Msg {
		rc, err := bulk.DescribeRoom(ctx, s, streamID)
		return roomLoadedMsg{room: rc, err: err}
	}
}

// resolveRoomCmd reads the room the operator gave (a stream ID, or an exact
// name when the pod knows no room by that ID) and counts its members.
func resolveRoomCmd(ctx context.Context, s *Session, given string) tea.Cmd {
	return func() tea.Msg {
		id, err := bulk.ResolveRoom(ctx, s.Pod, given)
		if err != nil {
			return roomLoadedMsg{err: err}
		}
		return loadRoomCmd(ctx, s, id)()
	}
}

// planCmd plans the request on the session, list and room, and decides,
// as the headless run does (the job's Request.Plan).
func planCmd(ctx context.Context, s *Session, list *csvsource.List, streamID string, req bulk.Request) tea.Cmd {
	return func() tea.Msg {
		job, err := req.Plan(ctx, s, list, streamID)
		return planBuiltMsg{job: job, err: err}
	}
}

// startRunCmd starts the job's run: the job makes the out folder and opens
// the journal.
func startRunCmd(job *bulk.Job, control *bulk.Control) tea.Cmd {
	return func() tea.Msg {
		r, err := job.Start(control)
		if err != nil {
			return runFailedMsg{err: fmt.Errorf("prepare the run: %w", err)}
		}
		return runStartedMsg{runner: r, control: control, events: r.Events()}
	}
}

// planEstateCmd resolves and plans every room of an estate run, and
// decides, as the headless run does (EstateRequest.Plan).
func planEstateCmd(ctx context.Context, s *Session, list *csvsource.List, req bulk.EstateRequest) tea.Cmd {
	return func() tea.Msg {
		e, err := req.Plan(ctx, s, list)
		return estatePlannedMsg{estate: e, err: err}
	}
}

// startEstateCmd starts an estate run: every running room's lock is taken
// and its journal opened now (Estate.Start).
func startEstateCmd(e *bulk.Estate, control *bulk.EstateControl) tea.Cmd {
	return func() tea.Msg {
		r, err := e.Start(control)
		if err != nil {
			return runFailedMsg{err: fmt.Errorf("prepare the run: %w", err)}
		}
		return runStartedMsg{runner: estateRunnable{r}, control: control, events: r.Events()}
	}
}

// estateRunnable runs an estate as the program runs a runner: its summary
// is the whole run's (each room's comes with the room's last event).
type estateRunnable struct{ r *bulk.EstateRunner }

func (e estateRunnable) Run(ctx context.Context) (*bulk.Summary, error) {
	sum, err := e.r.Run(ctx)
	if sum == nil {
		return nil, err
	}
	return &sum.Summary, err
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

// errText is an error's message for the screen; the client's errors give
// their HTTP status themselves.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
