package csvsource

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"unsafe"
)

// strSet is the duplicate set for emails and usernames. The values are kept
// once, in chunks of bytes that are only ever appended to, each with what
// was recorded for it, so that the string an Entry holds points into its
// chunk instead of being a copy of its own. The table is open addressing
// with linear probing; a slot is 8 bytes with no pointer for the collector
// to follow: the value's place in the chunks and part of its hash. Values
// are at most 255 bytes (an email has at most 254, a username 128), and the
// chunks hold at most 4 GiB: a longer value, or one past that, goes to a
// plain map.
type strSet struct {
	seed    maphash.Seed
	slots   []strSlot
	used    int
	chunks  [][]byte
	lastRef uint32            // where keep put the last value
	long    map[string]uint64 // values over 255 bytes or past 4 GiB
	big     map[string]uint64 // marks that do not fit in 32 bits, by value
}

type strSlot struct {
	ref  uint32 // chunk index * strChunk + offset + 1; 0: empty
	hash uint32 // the low bits of the value's hash
}

// A kept value is its length (1 byte), its mark (4 bytes) and its bytes.
const (
	strChunk  = 64 << 10
	strHeader = 5
	maxChunks = (1<<32 - 1) / strChunk
)

// getOrPut looks v up. When it is there, it returns the value as first kept
// (a string that stays valid), the mark recorded for it, and true; else it
// keeps a copy of v with mark and returns that copy and false. v itself may
// be a string that is overwritten later.
func (s *strSet) getOrPut(v string, mark uint64) (string, uint64, bool) {
	if len(v) > 255 || len(s.chunks) >= maxChunks {
		return s.getOrPutLong(v, mark)
	}
	if s.used*4 >= len(s.slots)*3 {
		s.resize(max(2*len(s.slots), 1024))
	}
	h := maphash.String(s.seed, v)
	n := len(s.slots)
	hi, _ := bits.Mul64(h, uint64(n))
	for i := int(hi); ; {
		slot := &s.slots[i]
		if slot.ref == 0 {
			kept := s.keep(v, mark)
			slot.ref, slot.hash = s.lastRef, uint32(h)
			s.used++
			return kept, 0, false
		}
		if slot.hash == uint32(h) {
			if kept, m := s.value(slot.ref); kept == v {
				if m == bigMark {
					return kept, s.big[kept], true
				}
				return kept, uint64(m), true
			}
		}
		if i++; i == n {
			i = 0
		}
	}
}

func (s *strSet) getOrPutLong(v string, mark uint64) (string, uint64, bool) {
	if len(v) <= 255 && len(s.slots) > 0 {
		// Kept in the chunks before they were full?
		h := maphash.String(s.seed, v)
		n := len(s.slots)
		hi, _ := bits.Mul64(h, uint64(n))
		for i := int(hi); s.slots[i].ref != 0; {
			if kept, m := s.value(s.slots[i].ref); s.slots[i].hash == uint32(h) && kept == v {
				if m == bigMark {
					return kept, s.big[kept], true
				}
				return kept, uint64(m), true
			}
			if i++; i == n {
				i = 0
			}
		}
	}
	if s.long == nil {
		s.long = map[string]uint64{}
	}
	if first, ok := s.long[v]; ok {
		// v may be overwritten later (see getOrPut); the map cannot give
		// back its own copy, so this rare case makes one.
		return string([]byte(v)), first, true
	}
	v = string([]byte(v))
	s.long[v] = mark
	return v, 0, false
}

// value is the kept value at ref and its mark.
func (s *strSet) value(ref uint32) (string, uint32) {
	pos := int(ref) - 1
	c := s.chunks[pos/strChunk]
	off := pos % strChunk
	n := int(c[off])
	return unsafe.String(&c[off+strHeader], n), binary.LittleEndian.Uint32(c[off+1:])
}

// keep copies v (1 to 255 bytes) and its mark into the chunks, sets lastRef
// to its place, and returns the copy. A chunk is never written again where
// a value was kept, so the copy stays as it is.
func (s *strSet) keep(v string, mark uint64) string {
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])+strHeader+len(v) > strChunk {
		s.chunks = append(s.chunks, make([]byte, 0, strChunk))
		last++
	}
	m := uint32(mark)
	if mark >= uint64(bigMark) {
		m = bigMark
	}
	c := s.chunks[last]
	off := len(c)
	c = append(c, byte(len(v)))
	c = binary.LittleEndian.AppendUint32(c, m)
	c = append(c, v...)
	s.chunks[last] = c
	s.lastRef = uint32(last*strChunk + off + 1)
	kept := unsafe.String(&c[off+strHeader], len(v))
	if m == bigMark {
		if s.big == nil {
			s.big = map[string]uint64{}
		}
		s.big[kept] = mark
	}
	return kept
}

// reserve sizes an empty set for n values.
func (s *strSet) reserve(n int) {
	if s.used == 0 && n > 0 {
		s.resize(n*4/3 + 1)
	}
}

func (s *strSet) resize(size int) {
	if s.seed == (maphash.Seed{}) {
		s.seed = maphash.MakeSeed()
	}
	old := s.slots
	s.slots = make([]strSlot, size)
	for _, slot := range old {
		if slot.ref == 0 {
			continue
		}
		v, _ := s.value(slot.ref)
		hi, _ := bits.Mul64(maphash.String(s.seed, v), uint64(size))
		i := int(hi)
		for s.slots[i].ref != 0 {
			if i++; i == size {
				i = 0
			}
		}
		s.slots[i] = slot
	}
}
