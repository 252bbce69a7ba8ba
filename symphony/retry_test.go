package symphony

import (
	"context"
	"errors"
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
	want := RetryPolicy{MaxAttempts: 5, Initial: 500 * time.Millisecond, Max: 30 * time.Second, Multiplier: 2}
	if got != want {
		t.Errorf("WithDefaults() = %+v, want %+v", got, want)
	}
	// The zero policy allows 5 attempts: 4 waits.
	n := 0
	for attempt := 1; ; attempt++ {
		if _, more := (RetryPolicy{}).Backoff(attempt, &APIError{Class: ClassRetry}); !more {
			break
		}
		n++
	}
	if n != 4 {
		t.Errorf("zero policy allowed %d retries, want 4", n)
	}
}

func TestSleepStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleep on a cancelled context = %v, want context.Canceled", err)
	}
}
