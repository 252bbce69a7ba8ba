package symphony

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy bounds retries of retryable errors.
type RetryPolicy struct {
	MaxAttempts int           // total attempts including the first; 0 means the default (5)
	Initial     time.Duration // first backoff; default 500ms
	Max         time.Duration // cap; default 30s
	Multiplier  float64       // default 2
}

// Defaults of RetryPolicy, as DESIGN.md sets them.
const (
	DefaultMaxAttempts = 5
	DefaultInitial     = 500 * time.Millisecond
	DefaultMaxBackoff  = 30 * time.Second
	DefaultMultiplier  = 2.0
)

// WithDefaults returns the policy with every zero field set to its default.
func (p RetryPolicy) WithDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.Initial <= 0 {
		p.Initial = DefaultInitial
	}
	if p.Max <= 0 {
		p.Max = DefaultMaxBackoff
	}
	if p.Max < p.Initial {
		p.Max = p.Initial
	}
	if p.Multiplier < 1 || math.IsNaN(p.Multiplier) || math.IsInf(p.Multiplier, 0) {
		p.Multiplier = DefaultMultiplier
	}
	return p
}

// Backoff gives the wait before attempt n+1 after attempt n (n from 1) failed
// with err, and whether another attempt is allowed. Retry-After wins.
//
// Only errors of ClassRetry are retried here; a 401 is handled by the
// session itself (one re-authentication), and a permanent error will not
// change by waiting. Without Retry-After the wait grows from Initial by
// Multiplier up to Max, spread by ±25% so that parallel clients do not
// retry in step.
func (p RetryPolicy) Backoff(attempt int, err error) (time.Duration, bool) {
	p = p.WithDefaults()
	var ae *APIError
	if !errors.As(err, &ae) || ae.Class != ClassRetry {
		return 0, false
	}
	if attempt < 1 {
		attempt = 1
	}
	if attempt >= p.MaxAttempts {
		return 0, false
	}
	if ae.RetryAfter > 0 {
		return ae.RetryAfter, true
	}
	wait := float64(p.Initial) * math.Pow(p.Multiplier, float64(attempt-1))
	if wait > float64(p.Max) || math.IsInf(wait, 0) {
		wait = float64(p.Max)
	}
	wait *= 0.75 + 0.5*rand.Float64()
	if wait > float64(p.Max) {
		wait = float64(p.Max)
	}
	return time.Duration(wait), true
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
