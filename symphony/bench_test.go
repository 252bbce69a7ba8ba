package symphony

import (
	"context"
	"testing"

	"roster/symphony/podsim"
)

// BenchmarkAddRoundTrip measures one add against the simulated pod over
// HTTPS on loopback (a remove follows, untimed, so the room stays small).
func BenchmarkAddRoundTrip(b *testing.B) {
	p := startPod(b, podsim.Options{})
	c := p.rsaClient(b)
	ctx := context.Background()
	user := p.AddUser(podsim.User{Username: "bench", Active: true})
	room := p.room("Bench")
	if err := c.Authenticate(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.AddMember(ctx, room, user); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := c.RemoveMember(ctx, room, user); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
