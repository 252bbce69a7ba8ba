package words

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/bulk"
)

func TestRoomSettings(t *testing.T) {
	for _, tt := range []struct {
		room symphony.Room
		want string
	}{
		{symphony.Room{}, "private"},
		{symphony.Room{Public: true, ReadOnly: true}, "public|read-only"},
		{symphony.Room{CrossPod: true, MembersCanInvite: true}, "private|external users allowed|members can invite"},
	} {
		if got := strings.Join(RoomSettings(tt.room), "|"); got != tt.want {
			t.Errorf("RoomSettings(%+v) = %q, want %q", tt.room, got, tt.want)
		}
	}
	if got := RoomTraits(symphony.Room{Active: false, Public: true}); got != "deactivated, public" {
		t.Errorf("RoomTraits = %q", got)
	}
}

func TestProgress(t *testing.T) {
	for _, tt := range []struct {
		done, actions int
		want          string
	}{
		{2, 60, "2 of 60 done, 58 to go"},
		{0, 5, "0 of 5 done, 5 to go"},
		{1500, 12000, "1,500 of 12,000 done, 10,500 to go"},
		{7, 5, "7 of 5 done, 0 to go"},
	} {
		if got := Progress(tt.done, tt.actions); got != tt.want {
			t.Errorf("Progress(%d, %d) = %q, want %q", tt.done, tt.actions, got, tt.want)
		}
	}
}

// The set-aside counts come in one order whatever their frequency, so the
// preview and the headless plan list them alike.
func TestSetAsideIsInOneOrder(t *testing.T) {
	items := []bulk.Item{{Outcome: bulk.OutcomeBadRow}, {Outcome: bulk.OutcomeBadRow}, {Outcome: bulk.OutcomeUnknown},
		{Outcome: bulk.OutcomeAlreadyMember}, {Outcome: bulk.OutcomeCrossPodPending}, {Outcome: bulk.OutcomeUnconfirmed}}
	if got, want := SetAside(items), "1 already-member, 1 unknown-user, 2 bad-row, 1 pending-cross-pod, 1 unconfirmed"; got != want {
		t.Errorf("SetAside = %q, want %q", got, want)
	}
	if got := SetAside(nil); got != "" {
		t.Errorf("SetAside(nil) = %q", got)
	}
}

func TestPaceSaysWhenTheRunWaits(t *testing.T) {
	small := &bulk.Plan{MembersBefore: 480, MembersAfter: 485, Interval: 3e9}
	big := &bulk.Plan{MembersBefore: 480, MembersAfter: 520, Interval: 2500e6}
	if got := Pace(small); !strings.HasPrefix(got, "no wait needed") {
		t.Errorf("Pace(small) = %q", got)
	}
	if got := Pace(big); got != "one change every 2.5s above 500 members" {
		t.Errorf("Pace(big) = %q", got)
	}
}

// Each refusal names what blocks and says how to go on in the face's own
// terms; a decision that lets the run start refuses nothing.
func TestRefusal(t *testing.T) {
	blocked := bulk.Decision{Verdict: bulk.Blocked, Blocks: []bulk.Warning{{Message: "the room is deactivated"}, {Message: "no permission"}}}
	if got := Refusal(blocked, Headless); !strings.Contains(got, "The run cannot start: the room is deactivated; no permission") {
		t.Errorf("blocked: %q", got)
	}
	unfinished := bulk.Decision{Verdict: bulk.Unfinished, Journal: "/out/j.jsonl", Done: 1200}
	h, w := Refusal(unfinished, Headless), Refusal(unfinished, Wizard)
	for _, want := range []string{"/out/j.jsonl", "1,200 done", "Nothing was changed"} {
		if !strings.Contains(h, want) || !strings.Contains(w, want) {
			t.Errorf("unfinished: %q / %q lack %q", h, w, want)
		}
	}
	if !strings.Contains(h, "add --resume") || !strings.Contains(w, "press r") {
		t.Errorf("each face says how to resume in its own terms: %q / %q", h, w)
	}
	cannot := bulk.Decision{Verdict: bulk.CannotResume, Err: errors.New("the journal x is of another run")}
	if got := Refusal(cannot, Headless); !strings.HasPrefix(got, "Cannot resume: the journal x is of another run") {
		t.Errorf("cannot resume: %q", got)
	}
	for _, v := range []bulk.Verdict{bulk.Ready, bulk.NothingToDo} {
		if got := Refusal(bulk.Decision{Verdict: v}, Headless); got != "" {
			t.Errorf("verdict %v refuses: %q", v, got)
		}
	}
}

func TestEndingAndTotals(t *testing.T) {
	aborted := &bulk.Summary{Aborted: true, Totals: bulk.Totals{Actions: 10, Done: 3, Added: 3}}
	if got := Ending(aborted, nil, " at 07:00:00"); got != "The run was aborted at 07:00:00; 7 users left undone (pending in the report)" {
		t.Errorf("Ending(aborted) = %q", got)
	}
	if got := Ending(&bulk.Summary{Totals: bulk.Totals{Actions: 1, Done: 1, Added: 1}}, errors.New("disk full"), ""); got != "The run ended with an error" {
		t.Errorf("Ending(error) = %q", got)
	}
	got := strings.Join(Totals(bulk.ModeAdd, bulk.Totals{Actions: 5, Done: 4, Added: 3, Promoted: 1, Failed: 1}, 2), ", ")
	if want := "3 added (1 made owner), 0 already, 1 failed, 1 not done, 2 set aside by the plan"; got != want {
		t.Errorf("Totals = %q, want %q", got, want)
	}
}

// Both faces say a second signal the same way: which signal, and how to go
// on when a run was under way.
func TestStoppedAtOnce(t *testing.T) {
	if got := StoppedAtOnce(os.Interrupt, os.Interrupt, false); got != "interrupt again: stopping at once" {
		t.Errorf("before a run: %q", got)
	}
	got := StoppedAtOnce(syscall.SIGTERM, os.Interrupt, true)
	for _, want := range []string{"interrupt after terminated, signalled again: stopping at once", GoOn} {
		if !strings.Contains(got, want) {
			t.Errorf("during a run: %q lacks %q", got, want)
		}
	}
}

func TestEstimateSaysTheWaitForTheRunWindow(t *testing.T) {
	w, err := bulk.ParseWindow("18:00-08:00", false)
	if err != nil {
		t.Fatal(err)
	}
	p := &bulk.Plan{MembersBefore: 600, MembersAfter: 700, Interval: 3 * time.Second,
		Estimate: 8*time.Hour + 5*time.Minute, WindowWait: 8 * time.Hour, Window: w}
	if got, want := PaceAndEstimate(p), "one change every 3s above 500 members; estimated 8h05m (8h00m of it waiting for the run window, 18:00-08:00)"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	p.WindowWait, p.Window = 0, nil
	if got := PaceAndEstimate(p); strings.Contains(got, "window") {
		t.Errorf("no wait, yet %q", got)
	}
}

func TestStartQuestionSaysToAndFrom(t *testing.T) {
	p := &bulk.Plan{Mode: bulk.ModeAdd, Room: symphony.Room{Name: "Desk"}, Actions: make([]bulk.Item, 2)}
	if got, want := StartQuestion(p, nil), `Really add 2 users to "Desk" now?`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	p.Mode = bulk.ModeRemove
	if got, want := StartQuestion(p, nil), `Really remove 2 users from "Desk" now?`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := StartQuestion(p, &bulk.ResumeInfo{Actions: 5, Done: 2}), "Really resume now (2 of 5 done, 3 to go)?"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestRetryWaitIsNotARetryBeforeTheFirstAttempt: the shared backoff holds a
// room before its call's first attempt; that wait is no retry.
func TestRetryWaitIsNotARetryBeforeTheFirstAttempt(t *testing.T) {
	if got := RetryWait(2*time.Second, "04:50:12", 1, "the pod asked the bot to slow down"); strings.Contains(got, "retry") || !strings.Contains(got, "before the call") {
		t.Errorf("a hold before the first attempt: %q", got)
	}
	if got := RetryWait(2*time.Second, "04:50:12", 3, "HTTP 503"); !strings.Contains(got, "to retry (attempt 3)") {
		t.Errorf("a retry: %q", got)
	}
}
