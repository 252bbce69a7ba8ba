package ui

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"roster/symphony"
	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// TestBusyCountsDownAPodsWaitAndEscCancelsIt: while the wizard reads a
// room, a pod answering 429 with Retry-After makes the client wait; the
// busy line shows that wait counted down, and esc cancels the work's
// context, so the wait ends at once instead of going on unseen.
func TestBusyCountsDownAPodsWaitAndEscCancelsIt(t *testing.T) {
	srv := podsimtest.Start(t, podsim.Options{}, podsimtest.Empty(), podsimtest.Bot("roster-bot"))
	room := srv.AddRoom(podsim.Room{Name: "Slow", Active: true, Members: []podsim.Member{{UserID: srv.BotID, Owner: true}}})
	s, err := Connect(context.Background(), writeLegacyConfig(t, srv, "config.json", "roster-bot"), "")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(podsim.Faults{Rate429: 1, RetryAfter: 10 * time.Minute})

	b := newBusy()
	batch := b.startWith(context.Background(), "Reading the room…", func(ctx context.Context) tea.Cmd {
		return loadRoomCmd(ctx, s, room)
	})
	cmds := batch().(tea.BatchMsg)
	if len(cmds) != 3 {
		t.Fatalf("%d commands, want the spinner, the wait listener and the work", len(cmds))
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmds[2]() }()
	waitMsg := make(chan tea.Msg, 1)
	go func() { waitMsg <- cmds[1]() }()

	var msg tea.Msg
	select {
	case msg = <-waitMsg:
	case <-time.After(20 * time.Second):
		t.Fatal("no wait was announced")
	}
	if _, handled, next := b.update(msg, DefaultKeyMap()); !handled || next == nil {
		t.Fatalf("the wait message was not taken (handled %v)", handled)
	}
	mustContain(t, b.view(), "Reading the room…", "  waiting ", ", until ", "to retry (attempt 2)", "room/{id}/info", "HTTP 429")

	if answer, _, _ := b.update(keyMsg("esc"), DefaultKeyMap()); answer == nil {
		t.Fatal("esc did not cancel")
	}
	select {
	case m := <-done:
		if _, dropped, _ := b.update(m, DefaultKeyMap()); !dropped {
			t.Error("the cancelled work's answer was not dropped")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("esc did not end the client's ten-minute wait")
	}
	mustNotContain(t, b.view(), "waiting")
}

// TestWizardExitCodeAfterAPodThatWouldNotWait: quitting at a config step
// whose sign-in the pod refused to serve within the wait limit exits 3, as
// the headless planning does (bulk.PlanExitCode); a bad config stays 2.
func TestWizardExitCodeAfterAPodThatWouldNotWait(t *testing.T) {
	m := newSized(t, Options{Connect: fakeConnector(new([]string), nil)}, 80, 24)
	m.config.err = &symphony.WaitTooLongError{Asked: 87600 * time.Hour, Limit: 15 * time.Minute, Err: errors.New("429")}
	if got := m.ExitCode(); got != bulk.ExitAborted {
		t.Errorf("exit %d after a ten-year Retry-After, want 3", got)
	}
	m.config.err = errors.New("config c.json: key \"podHost\": missing")
	if got := m.ExitCode(); got != bulk.ExitInput {
		t.Errorf("exit %d after a bad config, want 2", got)
	}
}
