package csvsource

import "math/bits"

// idSet is the duplicate set for user IDs: an open-addressing hash table with
// linear probing, each slot an ID (two 4-byte halves, so that a slot is 12
// bytes, not 16) and what was recorded for it (4 bytes). A lookup that misses inserts in the same probe,
// so reading a row costs one trip to memory where a Go map costs two
// (lookup, then insert). The table need not be a power of two in size
// (the home slot is the hash scaled to the size), so that it can be made the
// size a file needs (reserve): for 1,000,000 IDs, 16 MB touched once rather
// than 64 MB over five doublings, and on a virtual machine every page first
// touched costs more than reading the row.
//
// An ID's home slot is the ID itself modulo the size: the users of a pod
// have IDs that follow one another, and a list of them in order then fills
// the table in order, one cache line after the next, where a scattering
// hash sends every row to a slot of its own far from the last (measured:
// a list of 1M such IDs reads in half the time). IDs that pile up on a
// few homes (a stride that is a multiple of the size: a file made so, or
// chance) would make every probe long; when the probes of the inserts so
// far pass maxMeanProbe each on average, the set scatters for good
// (Fibonacci hashing), rehashing what it holds once.
type idSet struct {
	slots     []idSlot
	big       map[int64]uint64
	used      int
	probes    int  // slots looked at past the home, over every insert
	scattered bool // homes are Fibonacci hashes, not the ID
}

// maxMeanProbe is the mean probe length past which the set scatters: with
// homes spread at random a table at most 3/4 full averages under 8.5.
const maxMeanProbe = 16

type idSlot struct {
	lo, hi uint32 // the ID; 0: empty (user IDs are positive)
	mark   uint32 // what was recorded, or bigMark: then in big
}

func (s idSlot) id() int64 { return int64(s.hi)<<32 | int64(s.lo) }

// bigMark stands for a mark that does not fit in 32 bits (a line past
// 2,147,483,647): the mark is in idSet.big.
const bigMark = ^uint32(0)

// getOrPut returns the mark recorded for id and true, or records mark and
// returns false.
func (s *idSet) getOrPut(id int64, mark uint64) (uint64, bool) {
	if s.used*4 >= len(s.slots)*3 { // at most 3/4 full
		s.resize(max(2*len(s.slots), 1024))
	}
	n := len(s.slots)
	for i, probe := s.home(id), 0; ; probe++ {
		slot := &s.slots[i]
		switch slot.id() {
		case id:
			if slot.mark != bigMark {
				return uint64(slot.mark), true
			}
			return s.big[id], true
		case 0:
			slot.lo, slot.hi = uint32(id), uint32(id>>32)
			if mark < uint64(bigMark) {
				slot.mark = uint32(mark)
			} else {
				slot.mark = bigMark
				if s.big == nil {
					s.big = map[int64]uint64{}
				}
				s.big[id] = mark
			}
			s.used++
			if s.probes += probe; !s.scattered && s.probes > maxMeanProbe*s.used+1024 {
				s.scattered = true
				s.resize(len(s.slots))
			}
			return 0, false
		}
		if i++; i == n {
			i = 0
		}
	}
}

// home is the ID's first slot: the ID modulo the size, or once the set
// scatters, a hash that spreads IDs differing only in their low digits
// (Fibonacci hashing) scaled to the size.
func (s *idSet) home(id int64) int {
	if !s.scattered {
		return int(uint64(id) % uint64(len(s.slots)))
	}
	hi, _ := bits.Mul64(uint64(id)*0x9E3779B97F4A7C15, uint64(len(s.slots)))
	return int(hi)
}

// reserve sizes an empty set for n IDs.
func (s *idSet) reserve(n int) {
	if s.used == 0 && n > 0 {
		s.resize(n*4/3 + 1)
	}
}

func (s *idSet) resize(size int) {
	old := s.slots
	s.slots = make([]idSlot, size)
	for _, slot := range old {
		if slot.id() == 0 {
			continue
		}
		i := s.home(slot.id())
		for s.slots[i].id() != 0 {
			if i++; i == size {
				i = 0
			}
		}
		s.slots[i] = slot
	}
}
