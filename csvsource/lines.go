package csvsource

import "io"

// maxLineBytes bounds one physical line. A longer line is reported as a problem
// and skipped, so that a file with no line breaks at all cannot fill memory.
const maxLineBytes = 1 << 20

// physLine is one physical line of a file.
type physLine struct {
	num     int    // 1-based line number
	text    []byte // without its terminator; nil when tooLong
	tooLong bool
}

// lineScanner splits a stream into physical lines on LF, CRLF or a lone CR
// (old Mac exports), counting them so that every record names the line it
// starts on.
type lineScanner struct {
	src        io.Reader
	buf        []byte
	start, end int
	scanned    int // bytes after start known to hold no terminator
	err        error
	num        int
}

func newLineScanner(src io.Reader) *lineScanner {
	return &lineScanner{src: src, buf: make([]byte, bufferSize)}
}

// next returns the next line; its text is valid until the next call. At the
// end it returns io.EOF, or the read error that stopped it.
func (s *lineScanner) next() (physLine, error) {
	tooLong := false
	for {
		if pos, n, ok := s.terminator(); ok {
			s.num++
			line := physLine{num: s.num, text: s.buf[s.start:pos]}
			if tooLong {
				line = physLine{num: s.num, tooLong: true}
			}
			s.start, s.scanned = pos+n, 0
			return line, nil
		}
		if s.err != nil {
			if s.start == s.end && !tooLong {
				return physLine{}, s.err
			}
			s.num++
			line := physLine{num: s.num, text: s.buf[s.start:s.end]}
			if tooLong {
				line = physLine{num: s.num, tooLong: true}
			}
			s.start, s.end, s.scanned = 0, 0, 0
			return line, nil
		}
		if s.end-s.start >= maxLineBytes {
			// Drop what we have of the line but keep a final CR, which may
			// be the first half of a CRLF.
			tooLong = true
			keep := s.end
			if s.buf[s.end-1] == '\r' {
				keep--
			}
			s.start, s.scanned = keep, 0
		}
		s.fill()
	}
}

// terminator finds the end of the current line: its position and length (1
// for LF or CR, 2 for CRLF). A CR at the very end of the buffer waits for the
// next byte, unless the input is over.
func (s *lineScanner) terminator() (pos, n int, ok bool) {
	from := s.start + s.scanned
	for i, c := range s.buf[from:s.end] {
		if c != '\n' && c != '\r' {
			continue
		}
		pos = from + i
		if c == '\n' {
			return pos, 1, true
		}
		if pos+1 < s.end {
			if s.buf[pos+1] == '\n' {
				return pos, 2, true
			}
			return pos, 1, true
		}
		if s.err != nil {
			return pos, 1, true
		}
		s.scanned = pos - s.start
		return 0, 0, false
	}
	s.scanned = s.end - s.start
	return 0, 0, false
}

// fill reads more input, first moving the current line to the front of the
// buffer and growing the buffer when the line fills it.
func (s *lineScanner) fill() {
	if s.start > 0 {
		copy(s.buf, s.buf[s.start:s.end])
		s.end -= s.start
		s.start = 0
	}
	if s.end == len(s.buf) {
		grown := make([]byte, 2*len(s.buf))
		copy(grown, s.buf[:s.end])
		s.buf = grown
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	s.err = io.ErrNoProgress
}
