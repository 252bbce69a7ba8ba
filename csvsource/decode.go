package csvsource

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// sniffSize is how much of the start of a file is looked at to recognise its
// encoding and to tell text from binary.
const sniffSize = 8 << 10

// bufferSize is the read buffer of every layer; large reads keep a 1,000,000
// line file fast without holding it.
const bufferSize = 64 << 10

// Encodings, as Format.Encoding names them.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 with BOM"
	EncodingUTF16LE = "UTF-16 LE"
	EncodingUTF16BE = "UTF-16 BE"
)

// decode turns src into a stream of UTF-8 text without a byte-order mark. It
// recognises UTF-8 with or without BOM and UTF-16 LE/BE with BOM (Excel's
// "Unicode text"), and refuses files that are not text.
//
// Bytes that are not valid UTF-8 are tolerated when they are rare: Excel's
// plain "CSV" export writes Windows-1252, where a name like "Zürich" in a column
// we do not read is no reason to refuse the file; the user cells themselves are
// checked strictly, so such bytes never slip into an entry.
func decode(src io.Reader, name string) (*bufio.Reader, string, error) {
	raw := bufio.NewReaderSize(src, bufferSize)
	head, err := raw.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, "", fileError(name, ErrUnreadable, fmt.Sprintf("cannot be read (%v); check that it is a readable file", err))
	}
	if len(head) == 0 {
		return nil, "", fileError(name, ErrEmpty, "the file is empty (0 bytes); export the user list again")
	}
	if what := knownBinary(head); what != "" {
		return nil, "", fileError(name, ErrBinary, what)
	}
	var text *bufio.Reader
	enc := EncodingUTF8
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = raw.Discard(3)
		text, enc = raw, EncodingUTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		_, _ = raw.Discard(2)
		text, enc = bufio.NewReaderSize(&utf16Reader{src: raw, bigEndian: false}, bufferSize), EncodingUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		_, _ = raw.Discard(2)
		text, enc = bufio.NewReaderSize(&utf16Reader{src: raw, bigEndian: true}, bufferSize), EncodingUTF16BE
	default:
		text = raw
	}
	sniff, err := text.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, "", fileError(name, ErrUnreadable, fmt.Sprintf("cannot be read (%v); check that it is a readable file", err))
	}
	if len(sniff) == 0 {
		return nil, "", fileError(name, ErrEmpty, fmt.Sprintf("the file holds only a byte-order mark (%s) and no rows; export the user list again", enc))
	}
	if what := notText(sniff); what != "" {
		return nil, "", fileError(name, ErrBinary, what)
	}
	return text, enc, nil
}

// knownBinary names the formats people most often pick by mistake.
func knownBinary(head []byte) string {
	const saveAs = `in Excel use File > Save As > "CSV UTF-8 (Comma delimited)" and give roster that file`
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "this is an Excel workbook (.xlsx) or another zip archive, not CSV text; " + saveAs
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "this is an old Excel workbook (.xls), not CSV text; " + saveAs
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "this is a PDF document, not CSV text; export the user list as CSV"
	}
	return ""
}

// notText says why a file's first bytes are not text, or returns "".
func notText(sniff []byte) string {
	if i := bytes.IndexByte(sniff, 0); i >= 0 {
		if looksUTF16WithoutBOM(sniff) {
			return "this looks like UTF-16 text without a byte-order mark, which cannot be read safely; save it as UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\")"
		}
		return fmt.Sprintf("this is not a text file (it holds a NUL byte at byte %d); save the user list as CSV or plain text", i)
	}
	suspect := 0
	for i := 0; i < len(sniff); {
		r, size := utf8.DecodeRune(sniff[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(sniff[i:]) && len(sniff) == sniffSize {
				break // a character cut by the end of the sniff, not damage
			}
			suspect++
		} else if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v' || r == 0x7F {
			suspect++
		}
		i += size
	}
	if suspect*4 > len(sniff) {
		return "this is not a text file (a quarter of its first bytes are neither UTF-8 nor printable); save the user list as CSV or plain text"
	}
	return ""
}

// looksUTF16WithoutBOM: ASCII in UTF-16 has a NUL in every other byte.
func looksUTF16WithoutBOM(b []byte) bool {
	n := min(len(b), 200) &^ 1
	if n < 4 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	return even*10 >= half*9 && odd == 0 || odd*10 >= half*9 && even == 0
}

// utf16Reader decodes UTF-16 into UTF-8 as it is read, so a large "Unicode
// text" export is streamed like any other file. Broken surrogates and an odd
// last byte become U+FFFD, which no user cell accepts.
type utf16Reader struct {
	src       *bufio.Reader
	bigEndian bool
	high      rune // a high surrogate waiting for its pair
	out       []byte
	buf       []byte
	err       error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) fill() {
	if u.buf == nil {
		u.buf = make([]byte, 0, 4096+utf8.UTFMax*2)
	}
	buf := u.buf[:0]
	for len(buf) < 4096 {
		b0, err := u.src.ReadByte()
		if err != nil {
			u.err = err
			break
		}
		b1, err := u.src.ReadByte()
		if err != nil {
			buf = utf8.AppendRune(buf, utf8.RuneError) // an odd byte at the end
			u.err = err
			break
		}
		unit := rune(b0) | rune(b1)<<8
		if u.bigEndian {
			unit = rune(b0)<<8 | rune(b1)
		}
		switch {
		case utf16.IsSurrogate(unit) && unit < 0xDC00:
			if u.high != 0 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			}
			u.high = unit
		case utf16.IsSurrogate(unit):
			r := utf8.RuneError
			if u.high != 0 {
				r = utf16.DecodeRune(u.high, unit)
				u.high = 0
			}
			buf = utf8.AppendRune(buf, r)
		default:
			if u.high != 0 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
				u.high = 0
			}
			buf = utf8.AppendRune(buf, unit)
		}
	}
	if u.err != nil && u.high != 0 {
		buf = utf8.AppendRune(buf, utf8.RuneError)
		u.high = 0
	}
	u.out = buf
}
