package csvsource

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestIDSetKeepsEveryMark fills the set far past its first size, with marks
// that do not fit in 32 bits among them, and reads every one back.
func TestIDSetKeepsEveryMark(t *testing.T) {
	var s idSet
	s.reserve(10)
	mark := func(i int) uint64 {
		if i%97 == 0 {
			return uint64(i)<<33 | 1 // a line past 2^31
		}
		return uint64(i) << 1
	}
	const n = 50_000
	for i := 1; i <= n; i++ {
		id := int64(i) * 4_294_967_311 // both halves of the ID vary
		if _, seen := s.getOrPut(id, mark(i)); seen {
			t.Fatalf("ID %d seen before it was put", id)
		}
	}
	for i := 1; i <= n; i++ {
		id := int64(i) * 4_294_967_311
		got, seen := s.getOrPut(id, 0)
		if !seen || got != mark(i) {
			t.Fatalf("ID %d: mark %d, seen %v; want %d", id, got, seen, mark(i))
		}
	}
	if s.used != n {
		t.Errorf("%d IDs in the set; want %d", s.used, n)
	}
}

// TestStrSetKeepsItsOwnCopies puts values from a buffer that is then
// overwritten, as the scanner's is: the strings the set returned, and its
// marks, must stay as they were. A value over 255 bytes goes to the map.
func TestStrSetKeepsItsOwnCopies(t *testing.T) {
	var s strSet
	s.reserve(4)
	buf := make([]byte, 0, 512)
	value := func(i int) string {
		if i%1000 == 0 {
			return strings.Repeat("x", 300) + strconv.Itoa(i)
		}
		return fmt.Sprintf("user.%d@bank.com", i)
	}
	const n = 20_000
	kept := make([]string, n)
	for i := 0; i < n; i++ {
		buf = append(buf[:0], value(i)...)
		transient := string(buf) // a copy here; the set must not keep buf
		v, _, seen := s.getOrPut(transient, uint64(i)<<1|1<<40)
		if seen {
			t.Fatalf("%q seen before it was put", value(i))
		}
		kept[i] = v
		for j := range buf {
			buf[j] = '#'
		}
	}
	for i := 0; i < n; i++ {
		if kept[i] != value(i) {
			t.Fatalf("value %d reads %q; want %q", i, kept[i], value(i))
		}
		v, mark, seen := s.getOrPut(value(i), 0)
		if !seen || v != value(i) || mark != uint64(i)<<1|1<<40 {
			t.Fatalf("%q: %q, mark %d, seen %v", value(i), v, mark, seen)
		}
	}
}

// TestEntriesOutliveTheRows reads a file of several columns and checks every
// entry's value once the whole file is read: the values must not share the
// scanner's buffer, which each row overwrites.
func TestEntriesOutliveTheRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,email,userId,owner\n")
	const n = 3000
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "User %d,User.%d@Bank.com,,no\n", i, i)
		case 1:
			fmt.Fprintf(&b, "User %d,,%d,yes\n", i, 71811853189212+i)
		default:
			fmt.Fprintf(&b, "User %d,user.%d@bank.com,,\n", i-2, i-2) // a duplicate of row i-2
		}
	}
	r, err := NewReader(strings.NewReader(b.String()), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var entries []Entry
	for {
		e, err := r.Next()
		if err != nil {
			break
		}
		entries = append(entries, e)
	}
	if len(entries) != 2*n/3 {
		t.Fatalf("%d entries; want %d", len(entries), 2*n/3)
	}
	for k, e := range entries {
		i := k/2*3 + k%2
		want := fmt.Sprintf("user.%d@bank.com", i)
		if i%3 == 1 {
			want = strconv.Itoa(71811853189212 + i)
		}
		if e.Value != want || e.Line != i+2 {
			t.Fatalf("entry %d: %q on line %d; want %q on line %d", k, e.Value, e.Line, want, i+2)
		}
	}
	dups := r.Duplicates()
	if len(dups) != n/3 {
		t.Fatalf("%d duplicates; want %d", len(dups), n/3)
	}
	for _, d := range dups {
		if want := fmt.Sprintf("user.%d@bank.com", d.FirstLine-2); d.Value != want {
			t.Fatalf("duplicate on line %d: %q; want %q", d.Line, d.Value, want)
		}
	}
}

// TestIDSetScattersWhenIDsPileUp: IDs that are all multiples of the table's
// size have one home modulo the size; a file of them must not make every
// insert probe past all the others (1M such rows would never finish). The
// set scatters once the probes run long, and keeps every mark.
func TestIDSetScattersWhenIDsPileUp(t *testing.T) {
	var s idSet
	s.reserve(30_000)
	size := int64(len(s.slots))
	const n = 20_000
	for i := int64(1); i <= n; i++ {
		if _, seen := s.getOrPut(i*size, uint64(i)); seen {
			t.Fatalf("ID %d seen before it was put", i*size)
		}
	}
	if !s.scattered {
		t.Error("the set did not scatter IDs that all have one home")
	}
	if s.probes > 64*n {
		t.Errorf("%d probes for %d inserts; piled-up homes cost a probe per ID already in", s.probes, n)
	}
	for i := int64(1); i <= n; i++ {
		if got, seen := s.getOrPut(i*size, 0); !seen || got != uint64(i) {
			t.Fatalf("ID %d: mark %d, seen %v; want %d", i*size, got, seen, i)
		}
	}
}

// TestIDSetKeepsAPodsIDsInOrder: a pod's user IDs, one after another with a
// stride, have homes of their own modulo the size: the set does not scatter
// them, and an insert looks at few slots.
func TestIDSetKeepsAPodsIDsInOrder(t *testing.T) {
	var s idSet
	const n = 100_000
	s.reserve(n)
	for i := int64(0); i < n; i++ {
		s.getOrPut(71811853189212+7*i, uint64(i))
	}
	if s.scattered {
		t.Error("the set scattered a pod's IDs in order")
	}
	if mean := float64(s.probes) / n; mean > 2 {
		t.Errorf("%.1f probes an insert for IDs in order", mean)
	}
}
