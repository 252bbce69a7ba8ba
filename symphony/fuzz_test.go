package symphony

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzLoadConfig(f *testing.F) {
	for _, name := range []string{"seed-config.json", "legacy-full.json", "bdk-full.yaml", "bdk-minimal.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"", "{", "[]", "bdk:\n  bdk: 1", "host: &a [*a]", "a: ${X}", "podHost: ${", "{\"podPort\": 1e999}", "\xef\xbb\xbf"} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "config")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(p)
		if err != nil {
			if !strings.Contains(err.Error(), p) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if cfg.BotUsername == "" || cfg.Pod.Host == "" || (cfg.Format != "legacy" && cfg.Format != "bdk") {
			t.Fatalf("accepted an incomplete config: %v", cfg)
		}
		_, _ = cfg.Method()
		_ = cfg.String()
	})
}
