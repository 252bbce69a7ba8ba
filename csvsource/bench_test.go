package csvsource

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"roster/csvsource/heapwatch"
)

// writeLines writes a file of n lines, line(i) each, after header (if any).
func writeLines(b *testing.B, name, header string, n int, line func(w *bufio.Writer, i int)) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if header != "" {
		w.WriteString(header + "\n")
	}
	for i := range n {
		line(w, i)
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

// write1M writes the seed script's shape: 1,000,000 distinct user IDs, one a line.
func write1M(b *testing.B) string {
	return writeLines(b, "1m.csv", "", 1_000_000, func(w *bufio.Writer, i int) {
		w.WriteString(strconv.FormatInt(71811853189212+int64(i)*7, 10))
	})
}

// write1MEmails writes 1,000,000 distinct email addresses under a header,
// with capitals as directory exports have them.
func write1MEmails(b *testing.B) string {
	return writeLines(b, "1m-emails.csv", "email", 1_000_000, func(w *bufio.Writer, i int) {
		w.WriteString("User.Name")
		w.WriteString(strconv.Itoa(i))
		w.WriteString("@Example.COM")
	})
}

// streamAll reads the file through Reader.Next, as a run and roster check
// do, and reports the peak heap during the read.
func streamAll(b *testing.B, path string) {
	var peak uint64
	for b.Loop() {
		runtime.GC()
		stop := heapwatch.Peak()
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

// BenchmarkRead1M streams 1,000,000 IDs through Reader.Next, as a run does,
// and reports the peak heap during the read.
func BenchmarkRead1M(b *testing.B) { streamAll(b, write1M(b)) }

// BenchmarkRead1MShuffled streams the same 1,000,000 IDs in a random
// order: no help from IDs that follow one another (idSet's homes).
func BenchmarkRead1MShuffled(b *testing.B) {
	order := rand.New(rand.NewPCG(7, 11)).Perm(1_000_000)
	streamAll(b, writeLines(b, "1m-shuffled.csv", "", 1_000_000, func(w *bufio.Writer, i int) {
		w.WriteString(strconv.FormatInt(71811853189212+int64(order[i])*7, 10))
	}))
}

// BenchmarkReadFile1M keeps every entry in a List, as the plan does.
func BenchmarkReadFile1M(b *testing.B) {
	path := write1M(b)
	var peak uint64
	for b.Loop() {
		runtime.GC()
		stop := heapwatch.Peak()
		list, err := ReadFile(path, Options{})
		peak = max(peak, stop())
		if err != nil || len(list.Entries) != 1_000_000 {
			b.Fatalf("ReadFile: %v", err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// write1MRooms writes 1,000,000 rows of a user ID and a room: 100 rooms of
// 10,000 users, the rows sorted by room as a spreadsheet often is.
func write1MRooms(b *testing.B) string {
	return writeLines(b, "1m-rooms.csv", "userId,room", 1_000_000, func(w *bufio.Writer, i int) {
		w.WriteString(strconv.FormatInt(71811853189212+int64(i%10_000)*7, 10))
		w.WriteString(",Trading desk ")
		w.WriteString(strconv.Itoa(i / 10_000))
	})
}

// BenchmarkRead1MRooms streams 1,000,000 (user, room) rows through
// Reader.Next, the duplicate sets keyed by room.
func BenchmarkRead1MRooms(b *testing.B) { streamAll(b, write1MRooms(b)) }

// BenchmarkRead1MEmails streams 1,000,000 emails through Reader.Next, as
// roster check does, and reports the peak heap during the read.
func BenchmarkRead1MEmails(b *testing.B) { streamAll(b, write1MEmails(b)) }
