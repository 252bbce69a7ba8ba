package csvsource

import (
	"fmt"
	"strings"
)

// Format says how a file was read, so that a person can check what roster
// decided before anything changes on a pod.
type Format struct {
	Encoding    string   // EncodingUTF8, EncodingUTF8BOM, EncodingUTF16LE or EncodingUTF16BE
	Delimiter   rune     // 0 when the file has a single column
	HeaderLine  int      // 0 when the file has no header row
	Header      []string // the header's cells
	UserColumn  string   // the user column's header ("" without a header)
	Fallbacks   []string // user columns read when the user column's cell is empty
	OwnerColumn string   // "" when there is no owner column

	// The room column: its header as written and its place (1-based:
	// column 1 is the first); "" and 0 when the file has no room column.
	RoomColumn       string
	RoomColumnNumber int
}

// String describes the format in one line, for `roster check` and the wizard.
func (f Format) String() string {
	parts := []string{f.Encoding}
	switch f.Delimiter {
	case 0:
		parts = append(parts, "one column")
	case '\t':
		parts = append(parts, "tab-delimited")
	default:
		parts = append(parts, fmt.Sprintf("delimiter %q", f.Delimiter))
	}
	if f.HeaderLine == 0 {
		parts = append(parts, "no header row")
	} else {
		parts = append(parts, fmt.Sprintf("header on line %d", f.HeaderLine))
	}
	if f.UserColumn != "" {
		user := fmt.Sprintf("user column %q", f.UserColumn)
		if len(f.Fallbacks) > 0 {
			quoted := make([]string, len(f.Fallbacks))
			for i, c := range f.Fallbacks {
				quoted[i] = fmt.Sprintf("%q", c)
			}
			user += fmt.Sprintf(" (or %s when it is empty)", strings.Join(quoted, ", then "))
		}
		parts = append(parts, user)
	}
	if f.OwnerColumn != "" {
		parts = append(parts, fmt.Sprintf("owner column %q", f.OwnerColumn))
	}
	if f.RoomColumnNumber > 0 {
		parts = append(parts, fmt.Sprintf("room column %q", f.RoomColumn))
	}
	return strings.Join(parts, ", ")
}
