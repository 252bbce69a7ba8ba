package csvsource

// idSet is the duplicate set for user IDs: an open-addressing hash table with
// linear probing, each slot holding an ID and what was recorded for it. A
// lookup that misses inserts in the same probe, so reading a row costs one
// trip to memory where a Go map costs two (lookup, then insert): for a file of
// 1,000,000 IDs, whose table outgrows the CPU caches, that is most of the time.
type idSet struct {
	slots []idSlot
	used  int
	shift uint // 64 - log2(len(slots))
}

type idSlot struct {
	id   int64 // 0: empty (user IDs are positive)
	mark uint64
}

// getOrPut returns the mark recorded for id and true, or records mark and
// returns false.
func (s *idSet) getOrPut(id int64, mark uint64) (uint64, bool) {
	if s.used*4 >= len(s.slots)*3 { // at most 3/4 full
		s.grow()
	}
	mask := len(s.slots) - 1
	for i := s.home(id); ; i = (i + 1) & mask {
		slot := &s.slots[i]
		switch slot.id {
		case id:
			return slot.mark, true
		case 0:
			slot.id, slot.mark = id, mark
			s.used++
			return 0, false
		}
	}
}

// home spreads IDs that differ only in their low digits (Fibonacci hashing).
func (s *idSet) home(id int64) int {
	return int((uint64(id) * 0x9E3779B97F4A7C15) >> s.shift)
}

func (s *idSet) grow() {
	old := s.slots
	size := max(2*len(old), 1024)
	s.slots = make([]idSlot, size)
	s.shift = 64
	for n := size; n > 1; n >>= 1 {
		s.shift--
	}
	mask := size - 1
	for _, slot := range old {
		if slot.id == 0 {
			continue
		}
		i := s.home(slot.id)
		for s.slots[i].id != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = slot
	}
}
