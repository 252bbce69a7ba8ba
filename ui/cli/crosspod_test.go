package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// The headless face adds a user of another pod, named by email, to a
// cross-pod room: the pod answers "... or Xpod request will be processed
// asynchronously" and adds the user later; the run prints the user pending
// (cross-pod), waits for the member list to show the user, and ends with
// the add confirmed by the member list in the report, exit 0.
func TestHeadlessCrossPodAddIsConfirmedFromTheMemberList(t *testing.T) {
	pod := startPod(t, podsim.Options{XpodDelay: 200 * time.Millisecond})
	ext := pod.Demo.External[0]
	local := pod.Demo.Candidates[0]
	room := pod.AddRoom(podsim.Room{Name: "Deal Room", Active: true, CrossPod: true,
		Members: []podsim.Member{{UserID: pod.Demo.BotID, Owner: true}}})
	dir := t.TempDir()
	path := writeFile(t, dir, "users.csv", fmt.Sprintf("user\n%s\n%s\n", strings.ToUpper(ext.Email), local.Email))

	r := runCmd(t, "--config", pod.ConfigPath(), "--csv", path, "--stream", room,
		"--yes", "--no-tui", "--interval", "5ms", "--out", filepath.Join(dir, "runs"))
	if r.code != exitOK {
		t.Fatalf("want exit 0\n%s", r)
	}
	if !strings.Contains(r.stdout, "pending-cross-pod") || !strings.Contains(r.stdout, "not in the room yet") {
		t.Errorf("the run does not show the add pending (cross-pod) and the wait for it\n%s", r)
	}
	if !strings.Contains(r.stdout, "2 added") || !strings.Contains(r.stdout, "1 settled from the member list") {
		t.Errorf("the summary does not count 2 added, 1 settled from the member list\n%s", r)
	}
	if !pod.MemberSet(t, room)[ext.ID] || podsimtest.Calls(pod.State(), ext.ID).Add != 1 {
		t.Errorf("the external user: member %v, calls %+v", pod.MemberSet(t, room)[ext.ID], podsimtest.Calls(pod.State(), ext.ID))
	}
	data, err := os.ReadFile(reportPath(r.stdout))
	if err != nil {
		t.Fatalf("report: %v\n%s", err, r)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, fmt.Sprint(ext.ID)) && (!strings.Contains(line, ",added,") || !strings.HasSuffix(strings.TrimSpace(line), "member list")) {
			t.Errorf("report row of the external user: %s", line)
		}
	}
}
