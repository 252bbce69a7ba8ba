package symphony

import (
	"path/filepath"
	"testing"

	"roster/symphony/podsim"
)

// The configs that `roster sim` writes load without warnings and work.
func TestSimDirConfigs(t *testing.T) {
	s, err := podsim.New(podsim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	demo, err := s.SeedDemo()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := s.WriteDir(dir, demo); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config.json", "config.yaml"} {
		t.Run(name, func(t *testing.T) {
			cfg, err := LoadConfig(filepath.Join(dir, name))
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
