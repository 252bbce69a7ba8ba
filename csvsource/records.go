package csvsource

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unsafe"
)

// A quoted field may hold line breaks, but a quote that is never closed would
// otherwise swallow the rest of the file. Past these bounds the quote is taken
// as a mistake: its line is reported and the lines after it are read again as
// rows of their own.
const (
	maxRecordLines = 100
	maxRecordBytes = 1 << 20
)

// record is one logical row: its cells (not yet trimmed) and the line it starts on.
type record struct {
	line     int // where the row starts
	lastLine int // where it ends: later than line when a quoted cell holds line breaks
	fields   []string
	problem  string // set when the row could not be split into cells
}

// recordScanner splits lines into records: cells separated by the delimiter,
// quoted cells holding delimiters, doubled quotes and line breaks (RFC 4180,
// read leniently: a quote inside an unquoted cell is kept as it is). Blank
// lines and lines starting with '#' are skipped.
type recordScanner struct {
	lines   *lineScanner
	pending []physLine // read again before the scanner's: the sample, or lines after an unclosed quote
	delim   int        // the delimiter byte, or -1 for a single column
	buf     []byte
	ends    []int
	fields  []string
}

func (rs *recordScanner) nextLine() (physLine, error) {
	if len(rs.pending) > 0 {
		l := rs.pending[0]
		rs.pending = rs.pending[1:]
		return l, nil
	}
	return rs.lines.next()
}

// next returns the next record, or io.EOF. The fields slice and the strings
// in it are valid until the next call.
func (rs *recordScanner) next() (record, error) {
	var first physLine
	for {
		l, err := rs.nextLine()
		if err != nil {
			return record{}, err
		}
		if l.tooLong {
			return record{line: l.num, problem: fmt.Sprintf("the line is longer than %d MiB, so it cannot be a row of a user list; remove it or add the missing line breaks", maxLineBytes>>20)}, nil
		}
		if !skippable(l.text) {
			first = l
			break
		}
	}
	rs.buf, rs.ends = rs.buf[:0], rs.ends[:0]
	if bytes.IndexByte(first.text, '"') < 0 {
		rs.splitPlain(first.text)
		return rs.finish(first.num), nil
	}
	st := splitState{lines: 1}
	if !rs.split(first.text, &st) {
		return rs.finish(first.num), nil
	}
	// A quoted cell goes on past the end of the line. Keep copies of the
	// following lines in case the quote turns out never to close.
	var kept []physLine
	size := len(first.text)
	for {
		l, err := rs.nextLine()
		if err != nil && err != io.EOF {
			return record{}, err
		}
		if err == io.EOF || l.tooLong || len(kept)+1 >= maxRecordLines || size+len(l.text) > maxRecordBytes {
			if err == nil {
				kept = append(kept, physLine{num: l.num, text: bytes.Clone(l.text), tooLong: l.tooLong})
			}
			rs.pending = append(kept, rs.pending...)
			return record{line: first.num, problem: "a quote opens on this line and is never closed, so the row cannot be split into cells; close the quote (or double it: \"\") and try again"}, nil
		}
		kept = append(kept, physLine{num: l.num, text: bytes.Clone(l.text)})
		size += len(l.text)
		rs.buf = append(rs.buf, '\n')
		st.lines++
		open := rs.split(l.text, &st)
		if st.broken {
			rs.pending = append(kept, rs.pending...)
			return record{line: first.num, problem: "a quote opens on this line and is not closed where a cell ends, so the row cannot be split into cells; close the quote (or double it: \"\") and try again"}, nil
		}
		if !open {
			rec := rs.finish(first.num)
			rec.lastLine = l.num
			return rec, nil
		}
	}
}

// skippable: a blank line or a comment. A comment is recognised on the line
// itself, before any splitting, so that a quote in a comment opens nothing.
// A line that starts with an Excel error value ("#N/A") is a row, not a
// comment: skipping it would lose a user without a word.
func skippable(line []byte) bool {
	t := bytes.TrimLeft(line, " \t\f\v")
	return len(t) == 0 || t[0] == '#' && excelError(string(t)) == ""
}

// excelErrors are the error values Excel writes into a cell whose formula failed.
var excelErrors = []string{"#N/A", "#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#NUM!", "#NULL!",
	"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "#GETTING_DATA"}

// excelError returns the Excel error value that s starts with, or "".
func excelError(s string) string {
	if s == "" || s[0] != '#' {
		return "" // every error value starts with #
	}
	for _, e := range excelErrors {
		if len(s) >= len(e) && strings.EqualFold(s[:len(e)], e) {
			if rest := s[len(e):]; rest == "" || strings.IndexByte(" \t,;|\"", rest[0]) >= 0 {
				return e
			}
		}
	}
	return ""
}

// splitPlain splits a line that holds no quote: the fast path of large files.
func (rs *recordScanner) splitPlain(line []byte) {
	if rs.delim >= 0 {
		d := byte(rs.delim)
		for i := bytes.IndexByte(line, d); i >= 0; i = bytes.IndexByte(line, d) {
			rs.buf = append(rs.buf, line[:i]...)
			rs.ends = append(rs.ends, len(rs.buf))
			line = line[i+1:]
		}
	}
	rs.buf = append(rs.buf, line...)
}

const (
	atFieldStart = iota
	inUnquoted
	inQuoted
	afterQuote // a quote inside a quoted cell: the end, or the first of ""
)

type splitState struct {
	mode   int
	lines  int  // lines of the record so far
	broken bool // a quoted cell spanning lines closed in the middle of a cell
}

// split reads one line into the record. It reports whether a quoted cell is
// still open at the end of the line.
func (rs *recordScanner) split(line []byte, st *splitState) bool {
	for _, c := range line {
		isDelim := int(c) == rs.delim
		switch st.mode {
		case atFieldStart:
			switch {
			case isDelim:
				rs.ends = append(rs.ends, len(rs.buf))
			case c == '"':
				st.mode = inQuoted
			default:
				rs.buf = append(rs.buf, c)
				if c != ' ' && c != '\t' {
					st.mode = inUnquoted
				}
			}
		case inUnquoted:
			if isDelim {
				rs.ends = append(rs.ends, len(rs.buf))
				st.mode = atFieldStart
			} else {
				rs.buf = append(rs.buf, c)
			}
		case inQuoted:
			if c == '"' {
				st.mode = afterQuote
			} else {
				rs.buf = append(rs.buf, c)
			}
		case afterQuote:
			switch {
			case c == '"':
				rs.buf = append(rs.buf, '"')
				st.mode = inQuoted
			case isDelim:
				rs.ends = append(rs.ends, len(rs.buf))
				st.mode = atFieldStart
			default:
				// Text after a closing quote: on one line, kept as Excel
				// does. After a line break, the quote most likely was a
				// stray one that has swallowed whole rows: say so.
				if st.lines > 1 {
					st.broken = true
				}
				rs.buf = append(rs.buf, c)
				st.mode = inUnquoted
			}
		}
	}
	return st.mode == inQuoted
}

// finish turns the buffer into cells. The cells point into the buffer, which
// the next record overwrites: whatever is kept of them must be copied (the
// Reader keeps each entry's value in its duplicate sets, and the first rows
// for the layout). One string per row made the collector's work most of a
// large file's reading.
func (rs *recordScanner) finish(num int) record {
	s := unsafe.String(unsafe.SliceData(rs.buf), len(rs.buf))
	rs.fields = rs.fields[:0]
	from := 0
	for _, e := range rs.ends {
		rs.fields = append(rs.fields, s[from:e])
		from = e
	}
	rs.fields = append(rs.fields, s[from:])
	return record{line: num, lastLine: num, fields: rs.fields}
}
