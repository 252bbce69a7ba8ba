package symphony

import (
	"context"
	"time"
)

// WaitNotice is a wait the client is about to make before trying a read
// call again: the faces count it down, so that no wait is silent.
type WaitNotice struct {
	Op      string    // the call, e.g. "GET /pod/v2/room/{id}/membership/list"
	Until   time.Time // when the next attempt starts
	Attempt int       // the next attempt's number
	Err     error     // why: the last attempt's error
}

type waitNoticeKey struct{}

// WithWaitNotice returns a context whose calls tell notice of every wait
// before a retry, as it starts. The wait itself ends when ctx is done.
func WithWaitNotice(ctx context.Context, notice func(WaitNotice)) context.Context {
	return context.WithValue(ctx, waitNoticeKey{}, notice)
}

// noticeWait tells the context's notice, if any, of a wait.
func noticeWait(ctx context.Context, n WaitNotice) {
	if f, ok := ctx.Value(waitNoticeKey{}).(func(WaitNotice)); ok && f != nil {
		f(n)
	}
}
