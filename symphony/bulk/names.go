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
	slices.SortStableFunc(list, func(a, b named) int { return cmp.Compare(a.id, b.id) })
	var t nameTable
	size, users := 0, 0
	for i, n := range list {
		if i+1 < len(list) && list[i+1].id == n.id {
			continue
		}
		size += len(n.name)
		users++
	}
	t.ids, t.ends = make([]int64, 0, users), make([]int, 0, users)
	var text strings.Builder
	text.Grow(size)
	for i, n := range list {
		if i+1 < len(list) && list[i+1].id == n.id {
			continue
		}
		text.WriteString(n.name)
		t.ids = append(t.ids, n.id)
		t.ends = append(t.ends, text.Len())
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
