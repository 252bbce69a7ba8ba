package bulk

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/csvsource"
	"roster/symphony"
	"roster/symphony/podsim"
)

// mixedPod serves the users that testdata/mixed.csv names, and a room
// where 7000007 and 7000008 are members and 7000009 an owner.
func mixedPod(t *testing.T, roles ...string) (*simPod, string) {
	t.Helper()
	p := startSim(t, podsim.Options{PaceGap: time.Millisecond}, roles...)
	for id := int64(7000001); id <= 7000011; id++ {
		u := podsim.User{ID: id, Username: "user-" + numberName(id), Email: "new" + itoa(id-7000000) + "@example.com", Active: true}
		switch id {
		case 7000005:
			u.Active = false
		case 7000006:
			u.External = true
		}
		p.AddUser(u)
	}
	room := p.AddRoom(podsim.Room{Name: "Mixed", Active: true, Members: []podsim.Member{
		{UserID: p.BotID, Owner: true}, {UserID: 7000007}, {UserID: 7000008}, {UserID: 7000009, Owner: true}}})
	return p, room
}

func numberName(id int64) string {
	names := map[int64]string{7000004: "four"}
	if n, ok := names[id]; ok {
		return n
	}
	return itoa(id)
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func readList(t *testing.T, path string) *csvsource.List {
	t.Helper()
	l, err := csvsource.ReadFile(path, csvsource.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestPlanClassifiesEveryEntry: every line of the fixture lands in exactly
// one place with the right reason, and building the plan changes nothing.
func TestPlanClassifiesEveryEntry(t *testing.T) {
	p, room := mixedPod(t)
	list := readList(t, "testdata/mixed.csv")
	before := p.Room(t, room)
	plan := p.plan(t, room, ModeAdd, list, 0)

	type want struct {
		outcome     Outcome
		user        int64
		owner, only bool
	}
	wants := map[int]want{
		2:  {OutcomePending, 7000001, false, false},
		3:  {OutcomePending, 7000002, true, false},
		4:  {OutcomePending, 7000003, false, false},
		5:  {OutcomeDuplicate, 7000003, false, false},
		6:  {OutcomePending, 7000004, false, false},
		7:  {OutcomeInactive, 7000005, false, false},
		8:  {OutcomeExternal, 7000006, false, false},
		9:  {OutcomeUnknown, 0, false, false},
		10: {OutcomePending, 7000007, true, true},
		11: {OutcomeAlreadyMember, 7000008, false, false},
		12: {OutcomeAlreadyMember, 7000009, true, false},
		13: {OutcomeDuplicate, 7000001, false, false},
		14: {OutcomePending, 7000010, false, false},
		15: {OutcomeDuplicate, 7000010, false, false},
		16: {OutcomeBadRow, 0, false, false},
		17: {OutcomeUnknown, 9999999, false, false},
	}
	got := map[int]Item{}
	for _, group := range [][]Item{plan.Actions, plan.SetAside} {
		for _, it := range group {
			if _, dup := got[int(it.Line)]; dup {
				t.Errorf("line %d is in the plan twice", it.Line)
			}
			got[int(it.Line)] = it
		}
	}
	for line, w := range wants {
		it, ok := got[line]
		switch {
		case !ok:
			t.Errorf("line %d is missing from the plan", line)
		case it.Outcome != w.outcome || it.UserID != w.user || it.Owner != w.owner || it.PromoteOnly != w.only:
			t.Errorf("line %d: %+v; want %+v", line, it, w)
		case it.Outcome != OutcomePending && plan.Why(it) == "":
			t.Errorf("line %d is set aside without a reason", line)
		}
	}
	// An email and an ID that name one user: the second is set aside
	// with the line of the first.
	if why := plan.Why(got[15]); why != "the same user as line 14" {
		t.Errorf("line 15: %q; want the same user as line 14", why)
	}
	if len(got) != len(wants) || len(plan.Actions) != 6 {
		t.Errorf("%d lines in the plan, %d actions; want %d and 6", len(got), len(plan.Actions), len(wants))
	}
	if plan.MembersBefore != 4 || plan.MembersAfter != 9 || plan.OwnersBefore != 2 || plan.OwnersAfter != 4 || plan.Promotions != 2 {
		t.Errorf("members %d -> %d, owners %d -> %d, %d promotions", plan.MembersBefore, plan.MembersAfter,
			plan.OwnersBefore, plan.OwnersAfter, plan.Promotions)
	}
	if plan.Blocked() || !plan.Permission.Allowed || !plan.Permission.Owner {
		t.Errorf("permission %+v, warnings %+v", plan.Permission, plan.Warnings)
	}
	// The dry run: no membership call reached the pod, the room is unchanged.
	st := p.State()
	if len(st.Calls) != 0 {
		t.Errorf("building the plan made membership calls: %v", st.Calls)
	}
	after := p.Room(t, room)
	if len(after.Members) != len(before.Members) || len(after.Owners) != len(before.Owners) {
		t.Errorf("building the plan changed the room: %v -> %v", before, after)
	}
}

func TestPlanRemoveMode(t *testing.T) {
	p, room := mixedPod(t)
	plan := p.plan(t, room, ModeRemove, readList(t, "testdata/mixed.csv"), 0)
	var remove []int64
	for _, it := range plan.Actions {
		remove = append(remove, it.UserID)
		if it.Owner || it.PromoteOnly {
			t.Errorf("a removal carries an owner flag: %+v", it)
		}
	}
	if len(remove) != 3 || remove[0] != 7000007 || remove[1] != 7000008 || remove[2] != 7000009 {
		t.Fatalf("to remove: %v", remove)
	}
	if plan.MembersAfter != 1 || plan.OwnersAfter != 1 {
		t.Errorf("after: %d members, %d owners", plan.MembersAfter, plan.OwnersAfter)
	}
	for _, it := range plan.SetAside {
		if it.Line == 2 && it.Outcome != OutcomeNotMember {
			t.Errorf("a user not in the room: %+v", it)
		}
	}
	out := run(t, p.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if out.err != nil || out.summary.Totals.Removed != 3 || out.summary.ExitCode() != 0 {
		t.Fatalf("run: %v, %+v", out.err, out.summary.Totals)
	}
	rs := p.Room(t, room)
	if len(rs.Members) != 1 || rs.Members[0] != p.BotID {
		t.Errorf("members left: %v", rs.Members)
	}
	report := readReport(t, out.summary.ReportPath)
	if report[7000009][5] != OutcomeRemoved.String() || report[7000001][5] != OutcomeNotMember.String() {
		t.Errorf("report rows: %v / %v", report[7000009], report[7000001])
	}
}

// TestPlanPermission checks who may add or remove, room by room.
func TestPlanPermission(t *testing.T) {
	p := startSim(t, podsim.Options{})
	other := p.addUsers("other", 2)
	users := idList(p.addUsers("x", 1))
	tests := []struct {
		name        string
		members     []podsim.Member
		canInvite   bool
		mode        Mode
		allowed     bool
		owner, memb bool
	}{
		{"owner adds", []podsim.Member{{UserID: p.BotID, Owner: true}}, false, ModeAdd, true, true, true},
		{"owner removes", []podsim.Member{{UserID: p.BotID, Owner: true}}, false, ModeRemove, true, true, true},
		{"member adds where members invite", []podsim.Member{{UserID: other[0], Owner: true}, {UserID: p.BotID}}, true, ModeAdd, true, false, true},
		{"member removes where members invite", []podsim.Member{{UserID: other[0], Owner: true}, {UserID: p.BotID}}, true, ModeRemove, false, false, true},
		{"member adds where members may not invite", []podsim.Member{{UserID: other[0], Owner: true}, {UserID: p.BotID}}, false, ModeAdd, false, false, true},
		// A discoverable private room: the bot reads its info but not its members.
		{"stranger adds", []podsim.Member{{UserID: other[1], Owner: true}}, true, ModeAdd, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room := p.AddRoom(podsim.Room{Name: tt.name, Active: true, MembersCanInvite: tt.canInvite, Members: tt.members, Discoverable: true})
			plan := p.plan(t, room, tt.mode, users, 0)
			perm := plan.Permission
			if perm.Allowed != tt.allowed || perm.Owner != tt.owner || perm.Member != tt.memb || perm.Reason == "" {
				t.Errorf("permission %+v", perm)
			}
			if !tt.memb && !strings.Contains(perm.Reason, "does not even show the room's members") {
				t.Errorf("a stranger's permission says %q, not that the members are hidden", perm.Reason)
			}
			if plan.Blocked() == tt.allowed {
				t.Errorf("blocked %v with permission %v: %+v", plan.Blocked(), tt.allowed, plan.Warnings)
			}
			if _, err := NewRunner(p.client, plan, RunOptions{OutDir: t.TempDir()}); (err == nil) != tt.allowed {
				t.Errorf("NewRunner: %v", err)
			}
		})
	}
}

// A private room that is not discoverable is hidden from a bot that is not
// in it and holds no role that shows it: the plan stops at the room, with
// the pod's refusal, and Advice says what would let the bot see it.
func TestPlanPrivateRoomHidden(t *testing.T) {
	p := startSim(t, podsim.Options{})
	other := p.addUsers("other", 1)
	users := idList(p.addUsers("x", 1))
	room := p.AddRoom(podsim.Room{Name: "Hidden", Active: true, Members: []podsim.Member{{UserID: other[0], Owner: true}}})
	_, err := BuildPlan(testCtx(t), p.client, PlanRequest{StreamID: room, Mode: ModeAdd, List: users})
	if !symphony.IsForbidden(err) || !strings.Contains(symphony.Advice(err), "does not show this room to the bot") {
		t.Fatalf("BuildPlan of a hidden room: %v\nadvice: %s", err, symphony.Advice(err))
	}
}

func TestPlanUserProvisioningAndDeactivatedRoom(t *testing.T) {
	p := startSim(t, podsim.Options{}, "USER_PROVISIONING")
	stranger := p.addUsers("s", 1)
	users := idList(p.addUsers("x", 1))
	room := p.AddRoom(podsim.Room{Name: "Not mine", Active: true, Members: []podsim.Member{{UserID: stranger[0], Owner: true}}})
	for _, mode := range []Mode{ModeAdd, ModeRemove} {
		plan := p.plan(t, room, mode, users, 0)
		if !plan.Permission.Allowed || !plan.Permission.UserProvisioning || plan.Blocked() {
			t.Errorf("%v: %+v", mode, plan.Permission)
		}
	}
	p.SetRoomActive(room, false)
	plan := p.plan(t, room, ModeAdd, users, 0)
	if !plan.Blocked() || plan.Warnings[0].Code != "deactivated" {
		t.Errorf("a deactivated room: %+v", plan.Warnings)
	}
	if _, err := NewRunner(p.client, plan, RunOptions{OutDir: t.TempDir()}); err == nil {
		t.Error("NewRunner accepted a blocked plan")
	}
}

// The rules the preflight shares with the pod (Add Member and Remove Member
// pages): a super compliance officer who is not a member may add and
// remove; the bot may add itself to a public room and remove itself from
// any room it is in. Each plan the preflight allows is run, so the pod
// agrees or the test fails.
func TestPlanOfficerAndSelf(t *testing.T) {
	sco := startSim(t, podsim.Options{}, RoleSuperComplianceOfficer)
	owner := sco.addUsers("owner", 1)[0]
	people := sco.addUsers("p", 2)
	notMine := sco.AddRoom(podsim.Room{Name: "Not mine", Active: true,
		Members: []podsim.Member{{UserID: owner, Owner: true}, {UserID: people[1]}}})
	for _, step := range []struct {
		mode Mode
		user int64
		in   bool // the user is in the room after the run
	}{{ModeAdd, people[0], true}, {ModeRemove, people[1], false}} {
		plan := sco.plan(t, notMine, step.mode, idList([]int64{step.user}), 0)
		if !plan.Permission.Allowed || plan.Blocked() || !strings.Contains(plan.Permission.Reason, "compliance officer") {
			t.Fatalf("super compliance officer, %v: %+v %+v", step.mode, plan.Permission, plan.Warnings)
		}
		out := run(t, sco.client, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
		if out.err != nil || out.summary.ExitCode() != ExitOK || sco.MemberSet(t, notMine)[step.user] != step.in {
			t.Fatalf("super compliance officer, %v: %v %+v", step.mode, out.err, out.summary.Totals)
		}
	}

	plain := startSim(t, podsim.Options{})
	host := plain.addUsers("host", 1)[0]
	public := plain.AddRoom(podsim.Room{Name: "Town hall", Active: true, Public: true, Members: []podsim.Member{{UserID: host, Owner: true}}})
	others := plain.addUsers("o", 1)
	if plan := plain.plan(t, public, ModeAdd, idList(others), 0); plan.Permission.Allowed {
		t.Errorf("the bot may add others to a public room it is not in: %+v", plan.Permission)
	}
	join := plain.plan(t, public, ModeAdd, idList([]int64{plain.BotID}), 0)
	if !join.Permission.Allowed || join.Blocked() {
		t.Fatalf("self-join: %+v %+v", join.Permission, join.Warnings)
	}
	if out := run(t, plain.client, join, RunOptions{OutDir: t.TempDir(), Retry: fastRetry}); out.err != nil || !plain.MemberSet(t, public)[plain.BotID] {
		t.Fatalf("self-join run: %v %+v", out.err, out.summary.Totals)
	}
	// Now a plain member of the room: it may remove itself, and no one else.
	if plan := plain.plan(t, public, ModeRemove, idList([]int64{host, plain.BotID}), 0); plan.Permission.Allowed {
		t.Errorf("a plain member may remove others: %+v", plan.Permission)
	}
	leave := plain.plan(t, public, ModeRemove, idList([]int64{plain.BotID}), 0)
	if !leave.Permission.Allowed || leave.Blocked() {
		t.Fatalf("self-remove: %+v %+v", leave.Permission, leave.Warnings)
	}
	if out := run(t, plain.client, leave, RunOptions{OutDir: t.TempDir(), Retry: fastRetry}); out.err != nil || plain.MemberSet(t, public)[plain.BotID] {
		t.Fatalf("self-remove run: %v %+v", out.err, out.summary.Totals)
	}
}

// A list past line 2^31-1, which an item's line cannot hold, is refused
// with a message naming the file and the fix, before any user is looked up.
func TestPlanRefusesAListPastMaxLine(t *testing.T) {
	if strconv.IntSize == 32 {
		t.Skip("a line past MaxLine does not fit an int here")
	}
	p := startSim(t, podsim.Options{})
	ids := p.addUsers("far", 2)
	room := p.room("long", nil)
	list := idList(ids)
	list.Problems = []csvsource.Problem{{Line: int(int64(MaxLine) + 1), Message: "a bad row"}}
	_, err := BuildPlan(testCtx(t), p.client, PlanRequest{StreamID: room, List: list})
	if err == nil || !strings.Contains(err.Error(), "users.csv reaches line 2147483648") || !strings.Contains(err.Error(), "split it") {
		t.Fatalf("err %v; want the list refused", err)
	}
	list.Problems[0].Line = MaxLine
	plan, err := BuildPlan(testCtx(t), p.client, PlanRequest{StreamID: room, List: list})
	if err != nil || len(plan.SetAside) != 1 || plan.SetAside[0].Line != MaxLine || plan.Why(plan.SetAside[0]) != "a bad row" {
		t.Fatalf("plan %+v, err %v; want the row at MaxLine set aside", plan, err)
	}
}
