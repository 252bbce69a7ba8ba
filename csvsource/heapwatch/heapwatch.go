// Package heapwatch measures the highest heap a piece of work reaches, for
// the benchmarks of csvsource and symphony/bulk. It imports nothing of ours.
package heapwatch

import (
	"runtime/metrics"
	"sync"
	"time"
)

// Peak samples the bytes held by heap objects every millisecond until
// stopped, and returns the highest value seen.
func Peak() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}
