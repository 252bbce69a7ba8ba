package symphony

import (
	"path/filepath"
	"testing"

	"roster/symphony/podsim"
	"roster/symphony/podsim/podsimtest"
)

// The configs that `roster sim` writes load without warnings and work.
func TestSimDirConfigs(t *testing.T) {
	p := podsimtest.Start(t, podsim.Options{})
	demo := p.Demo
	for _, path := range []string{p.ConfigPath(), p.YAMLConfigPath()} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			cfg, err := LoadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Warnings) > 0 {
				t.Errorf("warnings: %v", cfg.Warnings)
			}
			c, err := NewClient(cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx := testCtx(t)
			info, err := c.SessionInfo(ctx)
			if err != nil || info.Username != demo.BotUsername {
				t.Fatalf("SessionInfo = %+v, %v", info, err)
			}
			room, err := c.RoomInfo(ctx, demo.Small)
			if err != nil || room.ID != demo.Small {
				t.Fatalf("RoomInfo(small) = %+v, %v", room, err)
			}
			members, err := c.Members(ctx, demo.Jumbo)
			if err != nil || len(members) != 1200 {
				t.Errorf("Members(jumbo) = %d members, %v; want 1200", len(members), err)
			}
		})
	}
}
