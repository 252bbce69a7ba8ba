package bulk

import "sync"

// eventQueue delivers events in order on a buffered channel without ever
// dropping one and without making the runner wait for the reader: events
// the channel cannot take yet wait in a queue that a forwarding goroutine
// drains. The channel is closed after the last event (EventFinished).
type eventQueue struct {
	ch     chan Event
	mu     sync.Mutex
	queue  []Event
	wake   chan struct{} // signalled when the queue grows or is closed
	closed bool
}

// eventBuffer is the channel's capacity: enough that a reader taking one
// event per frame never holds the forwarder back in practice.
const eventBuffer = 256

func newEventQueue() *eventQueue {
	q := &eventQueue{ch: make(chan Event, eventBuffer), wake: make(chan struct{}, 1)}
	go q.forward()
	return q
}

// send queues an event; it never blocks.
func (q *eventQueue) send(ev Event) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.queue = append(q.queue, ev)
	q.mu.Unlock()
	q.signal()
}

// close ends the stream once everything queued is delivered.
func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *eventQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *eventQueue) forward() {
	for {
		q.mu.Lock()
		batch, closed := q.queue, q.closed
		q.queue = nil
		q.mu.Unlock()
		for _, ev := range batch {
			q.ch <- ev
		}
		if closed && len(batch) == 0 {
			close(q.ch)
			return
		}
		if len(batch) == 0 {
			<-q.wake
		}
	}
}
