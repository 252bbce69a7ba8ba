package bulk

import "roster/symphony"

// WithConfig returns the options with what the pod's config says about a
// run: its retry policy (RetryFor keeps its value; 0 = DefaultRetryFor, as
// the config has no key for it). Every front end builds its RunOptions
// through it, so the wizard and the headless run cannot retry differently.
func (o RunOptions) WithConfig(cfg *symphony.Config) RunOptions {
	if cfg != nil {
		o.Retry = cfg.Retry
	}
	return o
}
