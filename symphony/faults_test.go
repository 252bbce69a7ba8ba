package symphony

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// generousRetries make the seeded fault tests independent of bad luck.
var generousRetries = RetryPolicy{MaxAttempts: 30, Initial: time.Millisecond, Max: 5 * time.Millisecond}.WithDefaults()

func TestRetryAfter429(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	c.retry = generousRetries
	ctx := testCtx(t)
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	user := p.AddUser(podsim.User{Username: "ann", Active: true})
	room := p.room("Limited")

	p.SetFaults(podsim.Faults{Rate429: 1, RetryAfter: 40 * time.Millisecond})
	before := c.requests.Load()
	_, err := c.AddMember(ctx, room, user)
	if n := c.requests.Load() - before; n != 1 {
		t.Errorf("AddMember made %d requests under 429; want 1 (the runner paces retries)", n)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 429 || ae.Class != ClassRetry {
		t.Fatalf("AddMember under 429 = %v; want a retryable 429", err)
	}
	if ae.RetryAfter != 40*time.Millisecond {
		t.Errorf("RetryAfter = %v, want 40ms (from X-Retry-After-Ms)", ae.RetryAfter)
	}
	if d, more := (RetryPolicy{}).Backoff(1, err); !more || d != 40*time.Millisecond {
		t.Errorf("Backoff = %v, %v; want the pod's 40ms", d, more)
	}
	if got := p.State().Calls[user]; got != nil && got.Add > 0 {
		t.Errorf("a 429 reached the room logic: %+v", got)
	}

	// Half the calls limited: read calls get through by waiting.
	p.SetFaults(podsim.Faults{Rate429: 0.5, RetryAfter: 5 * time.Millisecond, Seed: 7})
	for i := 0; i < 10; i++ {
		if _, err := c.RoomInfo(ctx, room); err != nil {
			t.Fatalf("RoomInfo %d under 50%% 429s: %v", i, err)
		}
	}
}

func TestServerErrorsThenSuccess(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	c.retry = generousRetries
	ctx := testCtx(t)
	room := p.room("Flaky")
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	p.SetFaults(podsim.Faults{Rate5xx: 1, Burst5xx: 1})
	before := c.requests.Load()
	_, err := c.AddMember(ctx, room, p.AddUser(podsim.User{Username: "ann", Active: true}))
	if n := c.requests.Load() - before; n != 1 {
		t.Errorf("AddMember made %d requests under 5xx; want 1", n)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status < 500 || ae.Class != ClassRetry {
		t.Fatalf("AddMember under 5xx = %v; want a retryable 5xx", err)
	}
	p.SetFaults(podsim.Faults{Rate5xx: 0.4, Burst5xx: 2, Seed: 3})
	before = c.requests.Load()
	for i := 0; i < 10; i++ {
		if _, err := c.RoomInfo(ctx, room); err != nil {
			t.Fatalf("RoomInfo %d under 5xx bursts: %v", i, err)
		}
	}
	if c.requests.Load()-before <= 10 {
		t.Errorf("no call was retried; the fault injection did not bite")
	}
}

func TestDroppedConnection(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	c.retry = generousRetries
	ctx := testCtx(t)
	room := p.room("Dropping")
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	p.SetFaults(podsim.Faults{DropRate: 1})
	_, err := c.AddMember(ctx, room, p.AddUser(podsim.User{Username: "ann", Active: true}))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 0 || ae.Class != ClassRetry {
		t.Fatalf("AddMember on a dropped connection = %#v; want a retryable network error", err)
	}
	if !strings.Contains(ae.Message, "membership/add") {
		t.Errorf("message %q does not say which call failed", ae.Message)
	}
	p.SetFaults(podsim.Faults{DropRate: 0.4, Seed: 5})
	for i := 0; i < 10; i++ {
		if _, err := c.RoomInfo(ctx, room); err != nil {
			t.Fatalf("RoomInfo %d with dropped connections: %v", i, err)
		}
	}
}

func TestReadTimeout(t *testing.T) {
	slow := startPod(t, podsim.Options{Latency: 3 * time.Second})
	c := slow.client(t, slow.legacyConfig(t, nil), Options{ReadTimeout: 200 * time.Millisecond})
	err := c.Authenticate(testCtx(t))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 0 || ae.Class != ClassRetry || !strings.Contains(ae.Message, "in time") {
		t.Errorf("login against a slow pod = %v; want a retryable timeout", err)
	}
}

func TestCancellationStopsRetries(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	ctx, cancel := context.WithCancel(testCtx(t))
	room := p.room("Waiting")
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	replied := make(chan struct{}, 1)
	c.http.Transport = closeSignal{c.http.Transport, replied}
	c.retry = RetryPolicy{MaxAttempts: 5, Initial: time.Hour, MaxWait: 2 * time.Hour}.WithDefaults()
	p.SetFaults(podsim.Faults{Rate429: 1, RetryAfter: time.Hour})
	done := make(chan error, 1)
	go func() {
		_, err := c.RoomInfo(ctx, room)
		done <- err
	}()
	// Cancel once the first attempt's 429 (Retry-After: 1 hour) has been
	// read: from then on only the retry wait can notice the cancellation,
	// however slow the machine.
	select {
	case <-replied:
	case <-time.After(10 * time.Second):
		t.Fatal("the first attempt got no reply")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || ClassOf(err) != ClassPermanent {
			t.Errorf("RoomInfo after cancel = %v; want context.Canceled, permanent", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancellation did not stop the retry wait")
	}
}

// A pod that refuses every session: a call re-authenticates once, tries
// again, and then reports the 401 as ClassReauth rather than looping.
func TestUnauthorizedAfterReauth(t *testing.T) {
	p := startPod(t, podsim.Options{})
	c := p.rsaClient(t)
	ctx := testCtx(t)
	room := p.room("Refusing")
	if err := c.Authenticate(ctx); err != nil {
		t.Fatal(err)
	}
	p.SetFaults(podsim.Faults{KillSessionsEvery: time.Nanosecond})
	logins, requests := c.Logins(), c.requests.Load()
	_, err := c.AddMember(ctx, room, p.AddUser(podsim.User{Username: "ann", Active: true}))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Class != ClassReauth {
		t.Fatalf("AddMember = %v; want a 401 of ClassReauth", err)
	}
	if c.Logins()-logins != 1 || c.requests.Load()-requests != 3 {
		t.Errorf("%d logins and %d requests; want 1 login and 3 requests (call, login, call)",
			c.Logins()-logins, c.requests.Load()-requests)
	}
	if _, more := c.retry.Backoff(1, err); more {
		t.Errorf("Backoff retries a 401 that survived re-authentication")
	}
}

// closeSignal is a transport that signals on ch when the body of a reply is
// closed, which the client does once it has read the reply.
type closeSignal struct {
	http.RoundTripper
	ch chan<- struct{}
}

func (cs closeSignal) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := cs.RoundTripper.RoundTrip(req)
	if err == nil {
		resp.Body = signalBody{resp.Body, cs.ch}
	}
	return resp, err
}

type signalBody struct {
	io.ReadCloser
	ch chan<- struct{}
}

func (b signalBody) Close() error {
	err := b.ReadCloser.Close()
	select {
	case b.ch <- struct{}{}:
	default:
	}
	return err
}
