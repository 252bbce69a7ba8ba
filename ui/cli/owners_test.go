package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"roster/symphony/bulk"
	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
	"roster/ui"
	"roster/ui/words"
)

// ownerRemoval is a removal list for the demo's small room that names its
// one human owner among two plain members, and that owner.
func ownerRemoval(t *testing.T, pod *podsimtest.Pod) (list string, owner podsim.User) {
	t.Helper()
	st, _ := pod.State().Room(pod.Demo.Small)
	var ownerID int64
	for _, id := range st.Owners {
		if id != pod.Demo.BotID {
			ownerID = id
		}
	}
	var plain []int64
	for _, id := range st.Members {
		if id != pod.Demo.BotID && id != ownerID && len(plain) < 2 {
			plain = append(plain, id)
		}
	}
	if ownerID == 0 || len(plain) < 2 {
		t.Fatalf("the small room has no human owner and two members: %+v", st)
	}
	list = writeFile(t, t.TempDir(), "remove.csv", idCSV(plain[0], ownerID, plain[1]))
	owner = podsim.User{ID: ownerID}
	return list, owner
}

// owners is the room's owners now.
func owners(pod *podsimtest.Pod, room string) []int64 {
	st, _ := pod.State().Room(room)
	return st.Owners
}

// TestHeadlessRemovalOfTheLastOwner: the plan names the owner it removes;
// the dry run and the real run refuse (exit 2) saying how to allow it;
// with --allow-removing-last-owner the run removes the owner, leaving the
// bot.
func TestHeadlessRemovalOfTheLastOwner(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	list, owner := ownerRemoval(t, pod)
	args := []string{"--config", pod.ConfigPath(), "--csv", list, "--stream", pod.Demo.Small, "--remove",
		"--out", filepath.Join(t.TempDir(), "out")}
	ownerLine := "(line 3)"
	for _, more := range [][]string{{"--dry-run"}, {"--yes"}} {
		r := runCmd(t, append(args, more...)...)
		if r.code != exitInput {
			t.Fatalf("%v: exit %d, want 2\n%s", more, r.code, r)
		}
		for _, want := range []string{"the list removes 1 owner of the room: ", ownerLine} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: the plan does not name the owner removed (%q)\n%s", more, want, r)
			}
		}
		for _, want := range []string{"(line 3), the last owner of the room other than the bot", "--allow-removing-last-owner", "Nothing was changed"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: the refusal does not say %q\n%s", more, want, r)
			}
		}
		if o := owners(pod, pod.Demo.Small); len(o) != 2 {
			t.Fatalf("%v: owners %v after a refusal", more, o)
		}
	}
	r := runCmd(t, append(args, "--yes", "--allow-removing-last-owner")...)
	if r.code != exitOK {
		t.Fatalf("with --allow-removing-last-owner: exit %d\n%s", r.code, r)
	}
	if o := owners(pod, pod.Demo.Small); len(o) != 1 || o[0] != pod.Demo.BotID {
		t.Errorf("owners %v; want the bot alone (owner %d removed)", o, owner.ID)
	}
}

// TestWizardAsksBeforeRemovingTheLastOwner: the wizard's preview names the
// owner and says the run is refused as it stands; s asks the start
// question, then a second one about the owner; n there changes nothing,
// y to both runs the removal.
func TestWizardAsksBeforeRemovingTheLastOwner(t *testing.T) {
	pod := startPod(t, podsim.Options{})
	list, _ := ownerRemoval(t, pod)
	opts := ui.Options{ConfigPath: pod.ConfigPath(), CSVPath: list, Stream: pod.Demo.Small, Mode: bulk.ModeRemove,
		OutDir: filepath.Join(t.TempDir(), "out")}
	tm := teatest.NewTestModel(t, ui.New(opts), teatest.WithInitialTermSize(400, 60))
	waitFor(t, tm, "the list removes 1 owner of the room: ", "(line 3)", "To remove anyway, "+words.Wizard.AllowLastOwner)
	tm.Type("s")
	waitFor(t, tm, "Really remove")
	tm.Type("y")
	waitFor(t, tm, "Also: the list removes ", "(line 3), the last owner of the room other than the bot", "Remove anyway?")
	tm.Type("n")
	waitFor(t, tm, "To remove anyway, "+words.Wizard.AllowLastOwner) // back at the preview
	if o := owners(pod, pod.Demo.Small); len(o) != 2 {
		t.Fatalf("owners %v after n", o)
	}
	tm.Type("s")
	tm.Type("y")
	waitFor(t, tm, "Remove anyway?")
	tm.Type("y")
	waitFor(t, tm, words.ExitCode(bulk.ExitOK))
	tm.Type("q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*ui.Model)
	if code := fm.ExitCode(); code != exitOK {
		t.Errorf("exit %d", code)
	}
	if o := owners(pod, pod.Demo.Small); len(o) != 1 || o[0] != pod.Demo.BotID {
		t.Errorf("owners %v; want the bot alone", o)
	}
}
