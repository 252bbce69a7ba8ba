package bulk

import (
	"context"
	"fmt"
	"testing"
	"time"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// testBot is the service user the runs act as.
const testBot = "roster-bulk-bot"

// simPod is a simulated pod, empty but for the bot (podsimtest), with a real
// client logged in as the bot.
type simPod struct {
	*podsimtest.Pod
	client *symphony.Client
	cfg    *symphony.Config
}

// startSim serves a simulated pod and builds a real client for it over
// HTTPS (RSA login, the pod's CA as truststore). roles are the bot's.
func startSim(t testing.TB, opts podsim.Options, roles ...string) *simPod {
	t.Helper()
	p := &simPod{Pod: podsimtest.Start(t, opts, podsimtest.Empty(), podsimtest.Bot(testBot, roles...))}
	ep := symphony.Endpoint{Scheme: "https", Host: p.Host(), Port: p.Port()}
	cfg := &symphony.Config{Pod: ep, Agent: ep, KeyManager: ep, SessionAuth: ep, KeyAuth: ep,
		BotUsername: testBot, PrivateKeyPath: p.KeyPath(), TrustStorePath: p.CAPath(),
		Retry: fastRetry}
	var err error
	p.cfg = cfg
	p.client, err = symphony.NewClient(cfg, symphony.Options{Auth: symphony.AuthRSA})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(p.client.Close)
	return p
}

// fastRetry keeps retries in milliseconds; enough attempts that a hostile
// pod is outlasted.
var fastRetry = symphony.RetryPolicy{MaxAttempts: 40, Initial: time.Millisecond, Max: 8 * time.Millisecond}

// addUsers adds n active local users named prefix-i and returns their IDs.
func (p *simPod) addUsers(prefix string, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = p.AddUser(podsim.User{Username: fmt.Sprintf("%s-%d", prefix, i), Email: fmt.Sprintf("%s-%d@example.com", prefix, i),
			DisplayName: fmt.Sprintf("%s %d", prefix, i), Active: true})
	}
	return ids
}

// room adds an active room with the bot as owner, another owner, and the
// given members.
func (p *simPod) room(name string, members []int64, mutate ...func(*podsim.Room)) string {
	second := p.AddUser(podsim.User{Username: name + "-owner2", Email: name + "-owner2@example.com", Active: true})
	ms := []podsim.Member{{UserID: p.BotID, Owner: true}, {UserID: second, Owner: true}}
	for _, id := range members {
		ms = append(ms, podsim.Member{UserID: id})
	}
	r := podsim.Room{Name: name, Active: true, Members: ms}
	for _, m := range mutate {
		m(&r)
	}
	return p.AddRoom(r)
}

// idList is a user list of IDs, one per line from line 2 (after a header).
func idList(ids []int64, owners ...int64) *csvsource.List {
	owner := map[int64]bool{}
	for _, id := range owners {
		owner[id] = true
	}
	l := &csvsource.List{Path: "users.csv"}
	for i, id := range ids {
		l.Entries = append(l.Entries, csvsource.Entry{Line: i + 2, Kind: csvsource.KindUserID,
			Value: fmt.Sprint(id), UserID: id, Owner: owner[id]})
	}
	return l
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// plan builds a plan or fails the test.
func (p *simPod) plan(t testing.TB, room string, mode Mode, list *csvsource.List, interval time.Duration) *Plan {
	t.Helper()
	return planOn(t, p.client, room, mode, list, interval)
}

// saturdayNight is the tests' planning time: no working-hours warning.
var saturdayNight = time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)

// planOn builds a plan through pod (the simulated pod's client, or one
// through a hostile server in front of it) at saturdayNight.
func planOn(t testing.TB, pod Pod, room string, mode Mode, list *csvsource.List, interval time.Duration) *Plan {
	t.Helper()
	plan, err := BuildPlan(testCtx(t), pod, PlanRequest{StreamID: room, Mode: mode, List: list, Interval: interval, Now: saturdayNight})
	if err != nil {
		t.Fatalf("BuildPlan: %v", err)
	}
	return plan
}

// runOutcome is a finished run with every event it sent.
type runOutcome struct {
	summary *Summary
	err     error
	events  []Event
}

// run starts a runner and collects its events until the channel closes.
func run(t testing.TB, pod Pod, plan *Plan, opts RunOptions) runOutcome {
	t.Helper()
	r, err := NewRunner(pod, plan, opts)
	if err != nil {
		t.Fatalf("NewRunner: %v", err)
	}
	return drive(t, r)
}

func drive(t testing.TB, r *Runner) runOutcome { return driveWatching(t, r, nil) }

// driveWatching runs r, handing every event as it comes to watch (if set).
func driveWatching(t testing.TB, r *Runner, watch func(Event, []Event)) runOutcome {
	t.Helper()
	done := collect(r.Events(), watch)
	sum, err := r.Run(testCtx(t))
	select {
	case evs := <-done:
		return runOutcome{summary: sum, err: err, events: evs}
	case <-time.After(10 * time.Second):
		t.Fatal("the event channel was not closed after Run returned")
	}
	return runOutcome{}
}

// collect gathers the events of ch until it closes, handing each as it
// comes to watch (if set) with those seen so far; the channel it returns
// then gives them all.
func collect(ch <-chan Event, watch func(Event, []Event)) <-chan []Event {
	done := make(chan []Event, 1)
	go func() {
		var evs []Event
		for ev := range ch {
			evs = append(evs, ev)
			if watch != nil {
				watch(ev, evs)
			}
		}
		done <- evs
	}()
	return done
}

// results are the EventResult results, by user ID.
func (o runOutcome) results() map[int64]Result {
	m := map[int64]Result{}
	for _, ev := range o.events {
		if ev.Kind == EventResult {
			m[ev.Result.Item.UserID] = *ev.Result
		}
	}
	return m
}

func (o runOutcome) count(kind EventKind) int { return countKind(o.events, kind) }

func countKind(evs []Event, k EventKind) int {
	n := 0
	for _, ev := range evs {
		if ev.Kind == k {
			n++
		}
	}
	return n
}
