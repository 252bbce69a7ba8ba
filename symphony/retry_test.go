package symphony

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	retryable := &APIError{Status: 503, Class: ClassRetry}
	p := RetryPolicy{MaxAttempts: 6, Initial: 100 * time.Millisecond, Max: 1 * time.Second, Multiplier: 2}
	cases := []struct {
		name     string
		attempt  int
		err      error
		lo, hi   time.Duration
		wantMore bool
	}{
		{"first wait around Initial", 1, retryable, 75 * time.Millisecond, 125 * time.Millisecond, true},
		{"doubles", 2, retryable, 150 * time.Millisecond, 250 * time.Millisecond, true},
		{"doubles again", 3, retryable, 300 * time.Millisecond, 500 * time.Millisecond, true},
		{"capped at Max", 5, retryable, 750 * time.Millisecond, time.Second, true},
		{"no attempt after MaxAttempts", 6, retryable, 0, 0, false},
		{"Retry-After wins over the cap", 2, &APIError{Status: 429, Class: ClassRetry, RetryAfter: 7 * time.Second}, 7 * time.Second, 7 * time.Second, true},
		{"Retry-After does not extend MaxAttempts", 6, &APIError{Status: 429, Class: ClassRetry, RetryAfter: time.Second}, 0, 0, false},
		{"permanent is not retried", 1, &APIError{Status: 400, Class: ClassPermanent}, 0, 0, false},
		{"reauth is the session's job", 1, &APIError{Status: 401, Class: ClassReauth}, 0, 0, false},
		{"a plain error is not retried", 1, errors.New("x"), 0, 0, false},
		{"nil is not retried", 1, nil, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i := 0; i < 50; i++ { // jitter: every draw must be in bounds
				d, more := p.Backoff(c.attempt, c.err)
				if more != c.wantMore || d < c.lo || d > c.hi {
					t.Fatalf("Backoff(%d) = %v, %v; want %v..%v, %v", c.attempt, d, more, c.lo, c.hi, c.wantMore)
				}
			}
		})
	}
}

// TestRetryAfterPastTheCap: a wait longer than MaxWait is not waited, and
// the error says what the pod asked for and the limit; a failure with no
// answer has its wait cut to what is left of MaxOutage.
func TestRetryAfterPastTheCap(t *testing.T) {
	p := RetryPolicy{MaxWait: time.Minute, MaxOutage: 10 * time.Second}
	tenYears := &APIError{Status: 429, Class: ClassRetry, RetryAfter: 87600 * time.Hour, Message: "Too Many Requests"}
	_, err := p.Next(1, tenYears)
	var long *WaitTooLongError
	if !errors.As(err, &long) || long.Asked != tenYears.RetryAfter || long.Limit != time.Minute || !IsWaitTooLong(err) {
		t.Fatalf("Next(10 years) = %v; want a *WaitTooLongError", err)
	}
	for _, want := range []string{"3650 days", "1m00s", "retry.maxWaitMillis", "--max-wait", "Too Many Requests"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if d, err := p.Next(1, &APIError{Status: 429, Class: ClassRetry, RetryAfter: time.Minute}); err != nil || d != time.Minute {
		t.Errorf("a wait at the cap: %v, %v; want it waited", d, err)
	}
	down := &APIError{Class: ClassRetry, DownFor: 9 * time.Second}
	if d, err := (RetryPolicy{Initial: time.Hour, Max: time.Hour, MaxWait: 2 * time.Hour, MaxOutage: 10 * time.Second}).Next(1, down); err != nil || d > time.Second {
		t.Errorf("an outage 1 s from its limit: wait %v, %v; want at most 1s", d, err)
	}
}

func TestBackoffJitters(t *testing.T) {
	p := RetryPolicy{}
	seen := map[time.Duration]bool{}
	for i := 0; i < 20; i++ {
		d, _ := p.Backoff(1, &APIError{Class: ClassRetry})
		seen[d] = true
	}
	if len(seen) < 2 {
		t.Errorf("20 backoffs gave %d distinct waits; want jitter", len(seen))
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	got := RetryPolicy{Multiplier: 0.5}.WithDefaults()
	// The BDK's backoff (10 attempts, 500 ms doubling to 300 s), and
	// roster's bounds on waiting.
	want := RetryPolicy{MaxAttempts: 10, Initial: 500 * time.Millisecond, Max: 300 * time.Second, Multiplier: 2,
		MaxWait: 15 * time.Minute, MaxOutage: 5 * time.Minute}
	if got != want {
		t.Errorf("WithDefaults() = %+v, want %+v", got, want)
	}
	// The zero policy allows 10 attempts: 9 waits.
	n := 0
	for attempt := 1; ; attempt++ {
		if _, more := (RetryPolicy{}).Backoff(attempt, &APIError{Class: ClassRetry}); !more {
			break
		}
		n++
	}
	if n != 9 {
		t.Errorf("zero policy allowed %d retries, want 9", n)
	}
}

func TestSleepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep on a cancelled context = %v, want context.Canceled", err)
	}
}
