package csvsource

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"
)

// write1M writes the seed script's shape: 1,000,000 distinct user IDs, one a line.
func write1M(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "1m.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range int64(1_000_000) {
		w.WriteString(strconv.FormatInt(71811853189212+i*7, 10))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// heapPeak samples the bytes held by heap objects every millisecond until
// stopped, and returns the highest value seen.
func heapPeak() (stop func() uint64) {
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

// BenchmarkRead1M streams 1,000,000 IDs through Reader.Next, as a run does,
// and reports the peak heap during the read.
func BenchmarkRead1M(b *testing.B) {
	path := write1M(b)
	var peak uint64
	for b.Loop() {
		runtime.GC()
		stop := heapPeak()
		r, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err = r.Next(); err != nil {
				break
			}
			n++
		}
		r.Close()
		peak = max(peak, stop())
		if err != io.EOF || n != 1_000_000 {
			b.Fatalf("read %d entries, then %v", n, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkReadFile1M keeps every entry in a List, as the plan does.
func BenchmarkReadFile1M(b *testing.B) {
	path := write1M(b)
	var peak uint64
	for b.Loop() {
		runtime.GC()
		stop := heapPeak()
		list, err := ReadFile(path, Options{})
		peak = max(peak, stop())
		if err != nil || len(list.Entries) != 1_000_000 {
			b.Fatalf("ReadFile: %v", err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// write1MEmails writes 1,000,000 distinct email addresses under a header,
// with capitals as directory exports have them.
func write1MEmails(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "1m-emails.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("email\n")
	for i := range 1_000_000 {
		w.WriteString("User.Name")
		w.WriteString(strconv.Itoa(i))
		w.WriteString("@Example.COM\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkRead1MEmails streams 1,000,000 emails through Reader.Next, as
// roster check does, and reports the peak heap during the read.
func BenchmarkRead1MEmails(b *testing.B) {
	path := write1MEmails(b)
	var peak uint64
	for b.Loop() {
		runtime.GC()
		stop := heapPeak()
		r, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err = r.Next(); err != nil {
				break
			}
			n++
		}
		r.Close()
		peak = max(peak, stop())
		if err != io.EOF || n != 1_000_000 {
			b.Fatalf("read %d entries, then %v", n, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
