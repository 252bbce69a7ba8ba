package symphony

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// TestLanesShareOneClient: several rooms' runs side by side share one
// client, as the lanes of a run over many rooms do. Each goroutine adds its
// own users to its own room and reads the room's members between adds,
// while the session is refreshed every 30 ms under them (the config's
// authTokenRefreshPeriod). Run with -race: the session, its refresh and
// the pod's outage tracking are shared state. Every add is confirmed, every
// member list shows the adds so far, and the refreshes were made.
func TestLanesShareOneClient(t *testing.T) {
	const lanes, adds = 4, 25
	p := startPod(t, podsim.Options{})
	cfg, err := LoadConfig(p.legacyConfig(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RefreshPeriod = 30 * time.Millisecond
	cfg.Retry = RetryPolicy{MaxAttempts: 8, Initial: time.Millisecond, Max: 20 * time.Millisecond}
	c, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	ctx := testCtx(t)
	rooms := make([]string, lanes)
	users := make([][]int64, lanes)
	for l := range rooms {
		rooms[l] = p.room(fmt.Sprintf("Lane %d", l))
		for i := 0; i < adds; i++ {
			users[l] = append(users[l], p.AddUser(podsim.User{Username: fmt.Sprintf("lane%d-%d", l, i), Active: true}))
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	for l := range rooms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, id := range users[l] {
				ch, err := c.AddMember(ctx, rooms[l], id)
				if err != nil || ch.Outcome != Changed {
					t.Errorf("lane %d: add %d: %+v, %v", l, i, ch, err)
					return
				}
				ms, err := c.Members(ctx, rooms[l])
				if err != nil || len(ms) != i+2 {
					t.Errorf("lane %d: members after %d adds: %d listed, %v", l, i+1, len(ms), err)
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	for l, room := range rooms {
		rs := p.Room(t, room)
		for _, id := range users[l] {
			if !contains(rs.Members, id) {
				t.Errorf("lane %d: user %d is not in the room", l, id)
			}
		}
	}
	// At least one refresh a refresh period, as the time taken allows: the
	// lanes' logins were shared, not one per lane per period (at most a
	// few more than the periods, for logins the lanes raced to).
	periods := int(time.Since(start) / cfg.RefreshPeriod)
	if n := c.Logins(); n < 2 || n > 2*(periods+1)+lanes {
		t.Errorf("%d logins in %d refresh periods", n, periods)
	}
}
