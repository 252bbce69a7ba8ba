package bulk

import (
	"testing"
	"time"

	"roster/symphony"
)

func TestWithConfigTakesTheRetryPolicyAndKeepsTheRest(t *testing.T) {
	base := RunOptions{OutDir: "out", RetryFor: time.Minute}
	cfg := &symphony.Config{Retry: symphony.RetryPolicy{MaxAttempts: 3, Initial: time.Second}}
	got := base.WithConfig(cfg)
	if got.Retry != cfg.Retry {
		t.Errorf("Retry = %+v, want the config's %+v", got.Retry, cfg.Retry)
	}
	if got.OutDir != "out" || got.RetryFor != time.Minute {
		t.Errorf("other options changed: %+v", got)
	}
	if nilCfg := base.WithConfig(nil); nilCfg != base {
		t.Errorf("a nil config changed the options: %+v", nilCfg)
	}
}
