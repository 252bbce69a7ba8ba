package ui

import (
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// fakeClock is a clock a test moves by hand, read by the program's goroutine.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// TestGoldenRunScreenAtTheRealPace is the run screen at Symphony's 3 s pace
// between two results: the call in flight as a row, its time counting up,
// the countdown to the next change and the ETA counting down, and the
// member count in view at 80x24 although an owner was promoted. The clock
// is the test's, so the screen is the same on every run.
func TestGoldenRunScreenAtTheRealPace(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			const pace = 3 * time.Second
			plan := syntheticPlan(36)
			plan.MembersBefore, plan.MembersAfter = 610, 646
			clock := &fakeClock{t: fixedNow}
			m := newSized(t, Options{Now: clock.now}, sz.w, sz.h)
			atStep(t, m, stepRun, plan)
			ch := make(chan bulk.Event)
			m.run.starting = true
			m.run.control = bulk.NewControl()
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h))
			tm.Send(runStartedMsg{runner: make(heldRunner, 1), control: m.run.control, events: ch})
			tot := bulk.Totals{Actions: 36, Members: 610}
			ch <- bulk.Event{Kind: bulk.EventStarted, Time: fixedNow, Totals: tot, Interval: pace}
			at := fixedNow
			for i := 0; i < 12; i++ {
				it := plan.Actions[i]
				clock.set(at)
				ch <- bulk.Event{Kind: bulk.EventCalling, Time: at, Call: &bulk.Call{Item: it, Action: bulk.ActionAdd}, Attempt: 1, Totals: tot, Interval: pace}
				res := &bulk.Result{Time: at.Add(300 * time.Millisecond), Index: i, Item: it, Outcome: bulk.OutcomeAdded, Status: 200, Message: "Member added", Attempts: 1}
				tot.Done++
				tot.Added++
				tot.Members++
				if i == 4 { // an owner: added, then promoted, one attempt each
					res.Promoted = true
					tot.Promoted++
					it.Owner = true
					ch <- bulk.Event{Kind: bulk.EventCalling, Time: at.Add(pace), Call: &bulk.Call{Item: it, Action: bulk.ActionPromote}, Attempt: 1, Totals: tot, Interval: pace}
					at = at.Add(pace)
					res.Time = at.Add(300 * time.Millisecond)
				}
				clock.set(res.Time)
				ch <- bulk.Event{Kind: bulk.EventResult, Time: res.Time, Result: res, Totals: tot, Interval: pace}
				at = at.Add(pace)
			}
			// the 13th user's add has been in flight for 0.4 s
			clock.set(at.Add(400 * time.Millisecond))
			ch <- bulk.Event{Kind: bulk.EventCalling, Time: at, Call: &bulk.Call{Item: plan.Actions[12], Action: bulk.ActionAdd}, Attempt: 1, Totals: tot, Interval: pace}
			waitScreen(t, tm, "0.4 s in flight", "12/36")
			fm := finalGolden(t, tm)
			v := fm.render()
			mustContain(t, v, "adding…", "next change in 3s", "ETA 1m16s", "members 622", "owners 1")
			checkFits(t, v, sz.w, sz.h)
		})
	}
}

// TestFlowAbortQuestionHoldsTheRunAgainstPodsim: while "Abort the run?" is
// on screen no change reaches the pod, for many paced intervals; n goes on
// where the run stopped and it finishes, every user added once.
func TestFlowAbortQuestionHoldsTheRunAgainstPodsim(t *testing.T) {
	const interval = 20 * time.Millisecond
	const holdFor = 100 * interval
	w := startPod(t, podsim.Options{PaceGap: interval, Latency: 30 * time.Millisecond}, 40)
	opts := w.options()
	opts.Interval = interval
	opts.SuggestRooms = []string{w.Demo.Medium, w.Demo.Small} // 480 members: the adds past 500 are paced
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
	walkToPreview(t, tm)
	start(tm)
	waitScreen(t, tm, "Adding 40 users", "added 3")
	tm.Send(keyMsg("x"))
	waitScreen(t, tm, "Abort the run?", "HELD")
	adds := func() int {
		st, n := w.State(), 0
		for _, u := range w.Demo.Candidates[:40] {
			n += podsimtest.Calls(st, u.ID).Add
		}
		return n
	}
	before := adds()
	time.Sleep(holdFor)
	if after := adds(); after != before {
		t.Fatalf("%d changes reached the pod in %v while the abort question was up (one every %v)", after-before, holdFor, interval)
	}
	if before >= 40 {
		t.Fatalf("the run finished (%d adds) before the question held it", before)
	}
	tm.Send(keyMsg("n"))
	waitScreen(t, tm, "The run finished")
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*Model)
	if s := fm.summary.sum; s == nil || s.Aborted || s.Totals.Added != 40 || fm.ExitCode() != 0 {
		t.Fatalf("after n: %+v, exit %d", s, fm.ExitCode())
	}
	st := w.State()
	for _, u := range w.Demo.Candidates[:40] {
		if c := podsimtest.Calls(st, u.ID); c.Add != 1 {
			t.Fatalf("user %d: %+v add calls, want exactly 1", u.ID, c)
		}
	}
	t.Logf("held after %d of 40 adds for %v; none reached the pod while held", before, holdFor)
}

// countingModel counts the messages the wizard is woken with.
type countingModel struct {
	*Model
	mu      sync.Mutex
	updates int
	ticks   int
}

func (c *countingModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c.mu.Lock()
	c.updates++
	if _, ok := msg.(countdownTickMsg); ok {
		c.ticks++
	}
	c.mu.Unlock()
	_, cmd := c.Model.Update(msg)
	return c, cmd
}

func (c *countingModel) counts() (updates, ticks int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.updates, c.ticks
}

// TestPausedWizardIsNotWoken counts what wakes a paused run's wizard over a
// second: no message at all (no tick, no event), so between the renderer's
// frames (renderFPS a second) the program sleeps. Before, while running at
// a 3 s pace, the ticks it takes are those of the times on screen.
func TestPausedWizardIsNotWoken(t *testing.T) {
	const interval = 20 * time.Millisecond
	w := startPod(t, podsim.Options{PaceGap: interval, Latency: 40 * time.Millisecond}, 40)
	opts := w.options()
	opts.SuggestRooms = []string{w.Demo.Medium, w.Demo.Small}
	cm := &countingModel{Model: New(opts)}
	tm := teatest.NewTestModel(t, cm, teatest.WithInitialTermSize(80, 24))
	walkToPreview(t, tm)
	start(tm)
	waitScreen(t, tm, "Adding 40 users", "added 2")
	tm.Type("p")
	waitScreen(t, tm, "PAUSED")
	time.Sleep(200 * time.Millisecond) // a tick already scheduled comes and ends its chain
	u0, k0 := cm.counts()
	const over = time.Second
	time.Sleep(over)
	u1, k1 := cm.counts()
	t.Logf("paused wizard over %v: %d updates, %d ticks (the renderer draws at most %d frames a second)", over, u1-u0, k1-k0, renderFPS)
	if u1 != u0 {
		t.Errorf("a paused wizard was woken %d times in %v (%d ticks)", u1-u0, over, k1-k0)
	}
	tm.Type("r")
	waitScreen(t, tm, "The run finished")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(20*time.Second))
}
