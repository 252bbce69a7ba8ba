package bulk

import (
	"cmp"
	"slices"
	"strings"
)

// nameTable holds the display names of a plan's users by user ID: the IDs
// sorted, and the names end to end in one string. It costs 16 B a user and
// the name's bytes, where a map of strings costs 40 to 70 B and the name.
type nameTable struct {
	ids  []int64 // sorted, each once
	ends []int   // the name of ids[i] is text[ends[i-1]:ends[i]]
	text string
}

// named is a user's name as a look-up answers it.
type named struct {
	id   int64
	name string
}

// packNames makes the table of names. A user answered twice (by an ID and
// an email, say) keeps the last answer, as a map would.
func packNames(list []named) nameTable {
	var l nameList
	for _, n := range list {
		l.add(n.id, n.name)
	}
	return l.pack()
}

// nameList is the names the look-ups answer, in the order they come: the
// bytes of each copied end to end, so that it holds no string of the
// look-ups' replies (whose strings are parts of the whole reply).
type nameList struct {
	ids  []int64
	ends []int // the name of ids[i] is text[ends[i-1]:ends[i]]
	text []byte
}

func (l *nameList) add(id int64, name string) {
	l.ids = append(l.ids, id)
	l.text = append(l.text, name...)
	l.ends = append(l.ends, len(l.text))
}

func (l *nameList) name(i int) []byte {
	start := 0
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.text[start:l.ends[i]]
}

// pack makes the table, sorted by user ID; of a user answered twice, the
// last answer.
func (l *nameList) pack() nameTable {
	order := make([]int32, len(l.ids))
	for i := range order {
		order[i] = int32(i)
	}
	// A list of IDs often comes sorted: then so do the answers.
	if !slices.IsSorted(l.ids) {
		slices.SortFunc(order, func(a, b int32) int {
			return cmp.Or(cmp.Compare(l.ids[a], l.ids[b]), cmp.Compare(a, b))
		})
	}
	last := func(k int) bool { return k+1 == len(order) || l.ids[order[k+1]] != l.ids[order[k]] }
	size, users := 0, 0
	for k, i := range order {
		if last(k) {
			size += len(l.name(int(i)))
			users++
		}
	}
	t := nameTable{ids: make([]int64, 0, users), ends: make([]int, 0, users)}
	var text strings.Builder
	text.Grow(size)
	for k, i := range order {
		if last(k) {
			text.Write(l.name(int(i)))
			t.ids = append(t.ids, l.ids[i])
			t.ends = append(t.ends, text.Len())
		}
	}
	t.text = text.String()
	return t
}

// get is the name of a user; "" when the table has none.
func (t *nameTable) get(id int64) string {
	i, ok := slices.BinarySearch(t.ids, id)
	if !ok {
		return ""
	}
	start := 0
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]]
}

// idTable maps user IDs to int32 as a map[int64]int32 would, in one array
// of slots without pointers (open addressing, linear probing): a plan of
// 10M IDs puts and finds every user once, and a slot found is one cache
// line read, where the runtime's map of that size reads two or three.
type idTable struct {
	slots   []idSlot // len a power of two; key 0 is an empty slot
	n       int      // keys held in slots
	shift   uint     // 64 - log2(len(slots))
	zero    int32    // the value of key 0, held apart
	hasZero bool
}

type idSlot struct {
	key int64
	val int32
}

// newIDTable makes a table with room for about hint keys before it grows.
func newIDTable(hint int) idTable {
	var t idTable
	t.alloc(max(16, hint+hint/2))
	return t
}

func (t *idTable) alloc(size int) {
	bits := uint(4)
	for 1<<bits < size {
		bits++
	}
	t.slots, t.shift, t.n = make([]idSlot, 1<<bits), 64-bits, 0
}

// home is the first slot key may be in (Fibonacci hashing: user IDs that
// follow each other spread over the table).
func (t *idTable) home(key int64) int {
	return int(uint64(key) * 0x9E3779B97F4A7C15 >> t.shift)
}

func (t *idTable) get(key int64) (int32, bool) {
	if key == 0 {
		return t.zero, t.hasZero
	}
	mask := len(t.slots) - 1
	for i := t.home(key); ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case key:
			return t.slots[i].val, true
		case 0:
			return 0, false
		}
	}
}

func (t *idTable) put(key int64, val int32) {
	if key == 0 {
		t.zero, t.hasZero = val, true
		return
	}
	if (t.n+1)*4 > len(t.slots)*3 { // over three quarters full: twice the room
		old := t.slots
		t.alloc(2 * len(old))
		for _, s := range old {
			if s.key != 0 {
				t.put(s.key, s.val)
			}
		}
	}
	mask := len(t.slots) - 1
	for i := t.home(key); ; i = (i + 1) & mask {
		switch t.slots[i].key {
		case key:
			t.slots[i].val = val
			return
		case 0:
			t.slots[i] = idSlot{key, val}
			t.n++
			return
		}
	}
}

// len is the number of keys.
func (t *idTable) len() int {
	if t.hasZero {
		return t.n + 1
	}
	return t.n
}
