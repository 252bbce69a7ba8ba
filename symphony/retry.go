package symphony

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy bounds retries of retryable errors.
type RetryPolicy struct {
	MaxAttempts int           // total attempts including the first; 0 means the default (10)
	Initial     time.Duration // first backoff; default 500ms
	Max         time.Duration // cap of the backoff; default 300s
	Multiplier  float64       // default 2

	// MaxWait is the longest single wait accepted, a pod's Retry-After
	// included (retry.maxWaitMillis, --max-wait); default 15 minutes. A
	// pod that asks for longer is not waited for: Backoff returns a
	// *WaitTooLongError, and the work stops (a run stays resumable).
	MaxWait time.Duration
	// MaxOutage is how long the pod may give no answer at all (no HTTP
	// reply to any call: refused, reset, timed out) before it is declared
	// gone (retry.maxOutageMillis, --max-outage); default 5 minutes.
	// Waits are cut so that the last attempt comes at that time, and its
	// failure is ErrPodGone.
	MaxOutage time.Duration
}

// Defaults of RetryPolicy. The backoff follows Symphony's BDK (10
// attempts, 500 ms doubling to a 300 s cap); MaxWait and MaxOutage are
// roster's own bounds on waiting, which the BDK does not have (see
// docs/DESIGN.md, "Who retries what").
const (
	DefaultMaxAttempts = 10
	DefaultInitial     = 500 * time.Millisecond
	DefaultMaxBackoff  = 300 * time.Second
	DefaultMultiplier  = 2.0
	DefaultMaxWait     = 15 * time.Minute
	DefaultMaxOutage   = 5 * time.Minute
)

// ErrPodGone is in the chain of the error of a call that failed without an
// answer after the pod had answered nothing for RetryPolicy.MaxOutage.
var ErrPodGone = errors.New("the pod is not answering")

// WaitTooLongError is a wait the pod asked for (Retry-After) or a backoff
// longer than RetryPolicy.MaxWait: roster stops rather than wait it.
type WaitTooLongError struct {
	Asked time.Duration // what the pod asked for
	Limit time.Duration // RetryPolicy.MaxWait
	Err   error         // the reply that asked
}

func (e *WaitTooLongError) Error() string {
	return fmt.Sprintf("the pod asked to wait %s before trying again, longer than roster waits at once (%s; "+
		"retry.maxWaitMillis in the config or --max-wait raises it): %v", formatWait(e.Asked), formatWait(e.Limit), e.Err)
}

func (e *WaitTooLongError) Unwrap() error { return e.Err }

// IsWaitTooLong reports whether err is (or wraps) a *WaitTooLongError.
func IsWaitTooLong(err error) bool {
	var w *WaitTooLongError
	return errors.As(err, &w)
}

// formatWait writes a wait in whole units: "87600h0m0s" reads as what it is.
func formatWait(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int64(d/(24*time.Hour)))
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int64(d/time.Hour), int64(d%time.Hour/time.Minute))
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", int64(d/time.Minute), int64(d%time.Minute/time.Second))
	}
	return d.Round(time.Millisecond).String()
}

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
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultMaxWait
	}
	if p.MaxOutage <= 0 {
		p.MaxOutage = DefaultMaxOutage
	}
	return p
}

// Backoff gives the wait before attempt n+1 after attempt n (n from 1) failed
// with err, and whether another attempt is allowed. Retry-After wins. It is
// Next without the reason for stopping.
func (p RetryPolicy) Backoff(attempt int, err error) (time.Duration, bool) {
	wait, stop := p.Next(attempt, err)
	return wait, stop == nil
}

// Next gives the wait before attempt n+1 after attempt n (n from 1) failed
// with err, or the error to give up with: err itself when it is not to be
// retried or the attempts are spent, a *WaitTooLongError when the wait
// would pass MaxWait. Retry-After wins over the backoff. After a failure
// with no answer, the wait is cut to what is left of MaxOutage, so that the
// pod is declared gone on time.
//
// Only errors of ClassRetry are retried here; a 401 is handled by the
// session itself (one re-authentication), and a permanent error will not
// change by waiting. Without Retry-After the wait grows from Initial by
// Multiplier up to Max, spread by ±25% so that parallel clients do not
// retry in step.
func (p RetryPolicy) Next(attempt int, err error) (time.Duration, error) {
	p = p.WithDefaults()
	if err == nil {
		return 0, errors.New("retry: no error to retry")
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Class != ClassRetry {
		return 0, err
	}
	if attempt < 1 {
		attempt = 1
	}
	if attempt >= p.MaxAttempts {
		return 0, err
	}
	if ae.RetryAfter > p.MaxWait {
		return 0, &WaitTooLongError{Asked: ae.RetryAfter, Limit: p.MaxWait, Err: err}
	}
	if ae.RetryAfter > 0 {
		return ae.RetryAfter, nil
	}
	wait := p.backoff(attempt)
	if ae.Status == 0 && ae.DownFor > 0 {
		wait = min(wait, max(p.MaxOutage-ae.DownFor, 0))
	}
	return wait, nil
}

// backoff is the wait after attempt n without Retry-After.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	wait := float64(p.Initial) * math.Pow(p.Multiplier, float64(attempt-1))
	if wait > float64(p.Max) || math.IsInf(wait, 0) {
		wait = float64(p.Max)
	}
	wait *= 0.75 + 0.5*rand.Float64()
	if wait > float64(p.Max) {
		wait = float64(p.Max)
	}
	return min(time.Duration(wait), p.MaxWait)
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
