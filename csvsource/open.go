package csvsource

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// Open opens a file for streaming. Errors name the file and say how to fix it.
func Open(path string, opts Options) (*Reader, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fileError(path, ErrNotFound, "no such file; check the path and its spelling")
	case err != nil:
		return nil, fileError(path, ErrUnreadable, fmt.Sprintf("cannot be opened (%v); check that the file is readable", pathErrCause(err)))
	case info.IsDir():
		return nil, fileError(path, ErrIsFolder, "is a folder, not a file; give the path of the CSV file inside it")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, ErrUnreadable, fmt.Sprintf("cannot be opened (%v); check that the file is readable", pathErrCause(err)))
	}
	r, err := NewReader(f, path, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	r.expect(info.Size())
	return r, nil
}

// pathErrCause drops the operation and path that os errors repeat.
func pathErrCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// NewReader streams entries from r; name is used in messages. It reads the
// first rows at once to decide the encoding, delimiter, header and columns, so
// a file that cannot be used at all fails here rather than at Next.
func NewReader(src io.Reader, name string, opts Options) (*Reader, error) {
	text, enc, err := decode(src, name)
	if err != nil {
		return nil, err
	}
	lines := newLineScanner(text)
	sample, rows, sep, err := readSample(lines)
	if err != nil {
		return nil, fileError(name, ErrUnreadable, fmt.Sprintf("cannot be read (%v)", err))
	}
	if len(sample) == 0 {
		return nil, fileError(name, ErrEmpty, "has no rows, only blank lines or # comments; export the user list again")
	}
	delim := sep
	if sep < 0 {
		delim = detectDelimiter(rows)
	}
	r := &Reader{
		name:   name,
		rs:     &recordScanner{lines: lines, pending: sample, delim: delim},
		format: Format{Encoding: enc},
	}
	if delim >= 0 {
		r.format.Delimiter = rune(delim)
	}
	for _, l := range sample {
		r.sampleBytes += len(l.text) + 1
	}
	r.sampleLines = len(sample)
	if err := r.readLayout(opts); err != nil {
		return nil, err
	}
	return r, nil
}

// readSample reads the first rows of a file, keeping copies of their lines to
// be read again. rows are the same rows with quoted line breaks joined, for
// detectDelimiter. sep is the delimiter named by a "sep=" first line, or -1.
func readSample(lines *lineScanner) (sample []physLine, rows [][]byte, sep int, err error) {
	sep = -1
	var row []byte
	open, seenRow, size := false, false, 0
	rowLines := 0
	// Go on past sampleBytes until there is a row, but not forever: a quote
	// opened and never closed must not pull in the file (the record scanner
	// gives up on it after maxRecordLines too).
	for len(rows) < sampleRecords && (size < sampleBytes || len(rows) == 0 && size < maxRecordBytes) && rowLines < maxRecordLines {
		l, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, -1, err
		}
		if !open && !l.tooLong && skippable(l.text) {
			continue // never read again, so not kept
		}
		if !seenRow && !l.tooLong {
			seenRow = true
			if d, ok := sepDirective(l.text); ok {
				sep = d
				continue
			}
		}
		l.text = bytes.Clone(l.text)
		sample = append(sample, l)
		size += len(l.text)
		if l.tooLong {
			continue
		}
		if open {
			row = append(append(row, '\n'), l.text...)
			rowLines++
		} else {
			row, rowLines = slices.Clone(l.text), 1
		}
		if open = quoteOpenAtEnd(l.text, open); !open {
			rows, rowLines = append(rows, row), 0
		}
	}
	if open {
		rows = append(rows, row)
	}
	return sample, rows, sep, nil
}

// readLayout reads the first records and decides the layout from them.
func (r *Reader) readLayout(opts Options) error {
	for len(r.pre) < sampleRecords {
		rec, err := r.rs.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fileError(r.name, ErrUnreadable, fmt.Sprintf("cannot be read (%v)", err))
		}
		rec.fields = slices.Clone(rec.fields)
		for i, f := range rec.fields {
			rec.fields[i] = strings.Clone(f) // the scanner reuses its buffer
		}
		r.pre = append(r.pre, rec)
	}
	h := slices.IndexFunc(r.pre, func(rec record) bool { return rec.problem == "" && effectiveWidth(rec.fields) > 0 })
	if h < 0 {
		if opts.Column != "" {
			return fileError(r.name, ErrNoColumn, fmt.Sprintf("column %q is not in the file: no row of it could be read", opts.Column))
		}
		if opts.RoomColumn != "" {
			return fileError(r.name, ErrRoomColumn, fmt.Sprintf("room column %q is not in the file: no row of it could be read", opts.RoomColumn))
		}
		r.layout = layout{width: 1, user: []column{{index: 0}}, owner: column{index: -1}, room: column{index: -1}}
		return nil
	}
	var rest [][]string
	for _, rec := range r.pre[h+1:] {
		if rec.problem == "" && effectiveWidth(rec.fields) > 0 {
			rest = append(rest, rec.fields)
		}
	}
	l, isHeader, warning, err := findLayout(r.name, r.pre[h].fields, rest, opts)
	if err != nil {
		return err
	}
	r.layout = l
	if !isHeader {
		return nil
	}
	for _, rec := range r.pre[:h] { // rows before the header that could not be split
		r.take(rec)
	}
	r.format.HeaderLine = r.pre[h].line
	r.format.Header = l.header
	if l.user[0].name != "" {
		r.format.UserColumn = l.user[0].name
	}
	for _, c := range l.user[1:] {
		r.format.Fallbacks = append(r.format.Fallbacks, c.name)
	}
	if l.owner.index >= 0 {
		r.format.OwnerColumn = l.owner.name
	}
	if l.room.index >= 0 {
		r.format.RoomColumn, r.format.RoomColumnNumber = l.room.name, l.room.index+1
		r.rooms = []string{} // not nil: the file has a room column
	}
	if warning != "" {
		r.addProblem(Problem{Line: r.pre[h].line, Message: warning, Warning: true})
	}
	r.pre = r.pre[h+1:]
	return nil
}
