package csvsource

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

// encodeUTF16 writes s as UTF-16 with a byte-order mark, as Excel's "Unicode
// text" does (little endian) or as some tools do (big endian).
func encodeUTF16(s string, order binary.ByteOrder) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, order, uint16(0xFEFF))
	for _, u := range utf16.Encode([]rune(s)) {
		_ = binary.Write(&b, order, u)
	}
	return b.Bytes()
}

const unicodeText = "User ID\tName\r\n71811853189212\tJürgen Müller\r\n7.18112E+13\tLost\r\n71811853189213.0\tDot \U0001F600\r\n"

// The committed fixture is what this test builds: Excel's Unicode text.
func TestUTF16FixtureIsExcelUnicodeText(t *testing.T) {
	got, err := os.ReadFile(filepath.Join("testdata", "excel_unicode_text.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, encodeUTF16(unicodeText, binary.LittleEndian)) {
		t.Fatal("testdata/excel_unicode_text.txt is not unicodeText in UTF-16 LE with BOM")
	}
}

func TestUTF16BothByteOrders(t *testing.T) {
	for _, tc := range []struct {
		order binary.ByteOrder
		enc   string
	}{{binary.LittleEndian, EncodingUTF16LE}, {binary.BigEndian, EncodingUTF16BE}} {
		t.Run(tc.enc, func(t *testing.T) {
			// One byte at a time: every buffer boundary falls inside a
			// code unit, a surrogate pair or a CRLF at some point.
			src := iotest.OneByteReader(bytes.NewReader(encodeUTF16(unicodeText, tc.order)))
			r, err := NewReader(src, "unicode.txt", Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, got, []string{"2 id " + id212, "4 id " + id213}, []int{3}, []int{4}, nil,
				Summary{Entries: 2, IDs: 2, Problems: 1, Warnings: 1})
			if got.format.Encoding != tc.enc || got.format.Delimiter != '\t' {
				t.Errorf("format %+v", got.format)
			}
		})
	}
}

func TestUTF16Decoding(t *testing.T) {
	cases := []struct {
		name string
		in   []byte // after the BOM, little endian
		want string
	}{
		{"ascii", []byte{'a', 0, 'b', 0}, "ab"},
		{"surrogate pair", []byte{0x3D, 0xD8, 0x00, 0xDE}, "\U0001F600"},
		{"lone high surrogate at the end", []byte{'a', 0, 0x3D, 0xD8}, "a\uFFFD"},
		{"lone low surrogate", []byte{0x00, 0xDE, 'a', 0}, "\uFFFDa"},
		{"high then plain", []byte{0x3D, 0xD8, 'a', 0}, "\uFFFDa"},
		{"odd last byte", []byte{'a', 0, 'b'}, "a\uFFFD"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, enc, err := decode(bytes.NewReader(append([]byte{0xFF, 0xFE}, tc.in...)), "x")
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			if _, err := text.WriteTo(&out); err != nil {
				t.Fatal(err)
			}
			if enc != EncodingUTF16LE || out.String() != tc.want {
				t.Errorf("got %q (%s), want %q", out.String(), enc, tc.want)
			}
		})
	}
}

func TestNotText(t *testing.T) {
	cases := []struct {
		name   string
		in     []byte
		binary bool
	}{
		{"plain", []byte("userId\n1\n"), false},
		{"windows-1252 name", []byte("userId;Name\n1;Z\xfcrich\n"), false},
		{"NUL", []byte("userId\n1\x00\n"), true},
		{"control bytes", bytes.Repeat([]byte{0x01, 0x02, 'a'}, 100), true},
		{"random high bytes", bytes.Repeat([]byte{0xC3, 0x28, 0xFF, 0x80}, 100), true},
		{"a rune cut by the sniff", append(bytes.Repeat([]byte("a"), sniffSize-1), 0xC3), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := notText(tc.in[:min(len(tc.in), sniffSize)]) != ""; got != tc.binary {
				t.Errorf("binary = %v, want %v", got, tc.binary)
			}
		})
	}
}
