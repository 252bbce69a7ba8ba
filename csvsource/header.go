package csvsource

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// columnAlias is what a header name says about its column.
type columnAlias struct {
	kind  Kind // the kind of user value it holds; 0: any kind
	rank  int  // lower wins when several user columns are present
	owner bool // the owner flag column
	room  bool // the room column (see roomRank)
}

// Ranks of user columns. A specific user ID column beats an email column,
// which beats a username column, then a generic "user" column. A bare "id"
// comes last and is never a fallback: in HR exports it is often an employee
// number, not a Symphony user ID.
const (
	rankUserID = iota
	rankEmail
	rankUsername
	rankGeneric
	rankBareID
)

// Ranks of room columns: a column named for stream IDs beats one named for
// rooms (which may hold names). Either way the values are kept as written.
const (
	roomRankID = iota
	roomRankName
)

// headerAliases maps normalised header names (lower case, letters and digits
// only: "User ID", "user_id" and "userId" are all "userid").
var headerAliases = map[string]columnAlias{}

func init() {
	add := func(kind Kind, rank int, names ...string) {
		for _, n := range names {
			headerAliases[n] = columnAlias{kind: kind, rank: rank}
		}
	}
	add(KindUserID, rankUserID, "userid", "userids", "symphonyid", "symphonyuserid", "uid", "memberid", "streamuserid")
	add(KindEmail, rankEmail, "email", "emails", "emailaddress", "emailaddresses", "mail", "emailid", "useremail",
		"useremailaddress", "workemail", "businessemail", "primaryemail", "mailaddress", "userprincipalname", "upn")
	add(KindUsername, rankUsername, "username", "usernames", "login", "loginname", "loginid", "userlogin", "symphonyusername", "screenname")
	add(0, rankGeneric, "user", "users", "member", "members", "participant", "participants")
	add(KindUserID, rankBareID, "id", "ids")
	for _, n := range []string{"owner", "owners", "isowner", "roomowner", "isroomowner", "asowner", "makeowner", "setowner", "ownerflag"} {
		headerAliases[n] = columnAlias{owner: true}
	}
	for _, n := range []string{"streamid", "stream", "roomid"} {
		headerAliases[n] = columnAlias{room: true, rank: roomRankID}
	}
	for _, n := range []string{"room", "roomname"} {
		headerAliases[n] = columnAlias{room: true, rank: roomRankName}
	}
}

// normalizeName folds a header for matching: case, spaces, underscores,
// hyphens and punctuation do not matter.
func normalizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// column is one column of the file.
type column struct {
	index int
	name  string // as written in the header; "" without a header
	kind  Kind   // what it holds; 0: any kind
}

// layout is where a file's values are.
type layout struct {
	header []string // the header's cells, trimmed; nil without a header row
	width  int      // cells a row may have (trailing empty cells aside)
	user   []column // the user column, then fallbacks for rows where it is empty
	owner  column   // index -1: no owner column
	room   column   // index -1: no room column
}

// findLayout decides, from the first row and the rows after it, whether the
// file has a header and which columns hold the user and the owner flag.
// headerWarning is set when a lone first cell was taken as a header because of
// the rows below it.
func findLayout(name string, first []string, rest [][]string, opts Options) (l layout, isHeader bool, headerWarning string, err error) {
	cells := make([]string, len(first))
	for i, c := range first {
		cells[i] = trimCell(c)
	}
	room := column{index: -1}
	if opts.RoomColumn != "" {
		if room, err = namedRoom(name, cells, opts.RoomColumn); err != nil {
			return layout{owner: column{index: -1}, room: column{index: -1}}, false, "", err
		}
	}
	l, isHeader, headerWarning, err = userLayout(name, cells, rest, opts.Column, room.index)
	if err != nil || !isHeader {
		return l, isHeader, headerWarning, err
	}
	l.room, err = roomLayout(name, cells, l, room)
	return l, isHeader, headerWarning, err
}

// userLayout finds the user and owner columns, leaving out the column at
// skip (the room column the caller named; -1: none).
func userLayout(name string, cells []string, rest [][]string, named string, skip int) (l layout, isHeader bool, headerWarning string, err error) {
	l.owner.index, l.room.index = -1, -1
	if named != "" {
		return namedLayout(name, cells, named, skip)
	}
	users, owners, rooms := aliasColumns(cells, skip)
	if len(users) > 0 || len(owners) > 0 || len(rooms) > 0 || skip >= 0 {
		return headerLayout(name, cells, users, owners)
	}
	if effectiveWidth(cells) > 1 {
		return l, false, "", fileError(name, ErrNoColumn, fmt.Sprintf(
			"no user column: the first row has %d cells (%s) and none is a user column name such as userId, email or username; "+
				"add a header row (for example userId,owner), rename the user column, or name it with --column", len(cells), listCells(cells)))
	}
	l.width, l.user = 1, []column{{index: 0}}
	if looksLikeLoneHeader(cells[0], rest) {
		l.header, l.user[0].name = cells, cells[0]
		return l, true, fmt.Sprintf("%s taken as the header of the user column, since the rows below hold user IDs or emails; if it is a user, add a header row above it", show(cells[0])), nil
	}
	return l, false, "", nil
}

// looksLikeLoneHeader: an unrecognised name over a column of IDs or emails
// ("Members" above "71811853189212").
func looksLikeLoneHeader(cell string, rest [][]string) bool {
	if cell == "" || looksNumeric(cell) || strings.ContainsRune(cell, '@') || excelError(cell) != "" || len(rest) == 0 {
		return false
	}
	for _, row := range rest {
		if len(row) == 0 {
			return false
		}
		v := trimCell(row[0])
		if !looksNumeric(v) && !strings.ContainsRune(v, '@') {
			return false
		}
	}
	return true
}

// aliasColumns sorts the columns with a known name into user, owner and room
// columns, leaving out the column at skip (-1: none).
func aliasColumns(cells []string, skip int) (users, owners, rooms []column) {
	for i, c := range cells {
		a, ok := headerAliases[normalizeName(c)]
		switch {
		case !ok || i == skip:
		case a.owner:
			owners = append(owners, column{index: i, name: c})
		case a.room:
			rooms = append(rooms, column{index: i, name: c})
		default:
			users = append(users, column{index: i, name: c, kind: a.kind})
		}
	}
	return users, owners, rooms
}

func headerLayout(name string, cells []string, users, owners []column) (layout, bool, string, error) {
	l := layout{header: cells, width: effectiveWidth(cells), owner: column{index: -1}, room: column{index: -1}}
	if len(users) == 0 {
		return l, true, "", fileError(name, ErrNoColumn, fmt.Sprintf(
			"no user column: the header has %s but no user ID, email or username column; rename the user column (for example userId) or name it with --column", listCells(cells)))
	}
	rank := func(c column) int { return headerAliases[normalizeName(c.name)].rank }
	sort.SliceStable(users, func(i, j int) bool { return rank(users[i]) < rank(users[j]) })
	if len(users) > 1 && rank(users[0]) == rank(users[1]) {
		return l, true, "", fileError(name, ErrNoColumn, fmt.Sprintf(
			"several columns could be the user column (%q and %q); name the one to use with --column", users[0].name, users[1].name))
	}
	l.user = users[:1]
	for _, c := range users[1:] {
		if rank(c) != rankBareID {
			l.user = append(l.user, c)
		}
	}
	return ownerLayout(name, l, owners)
}

// namedLayout finds the column the caller named, in any case and spacing;
// skip is the room column the caller named (-1: none).
func namedLayout(name string, cells []string, want string, skip int) (layout, bool, string, error) {
	l := layout{header: cells, width: effectiveWidth(cells), owner: column{index: -1}, room: column{index: -1}}
	key := normalizeName(want)
	found := namedColumns(cells, key)
	for i := range found {
		found[i].kind = headerAliases[key].kind
	}
	switch len(found) {
	case 0:
		hint := "check the spelling, or leave out --column"
		if effectiveWidth(cells) <= 1 && looksNumeric(cells[0]) {
			hint = "this file seems to have no header row: leave out --column"
		}
		return l, false, "", fileError(name, ErrNoColumn, fmt.Sprintf(
			"column %q is not in the header (the first row has %s); %s", want, listCells(cells), hint))
	case 1:
	default:
		return l, true, "", fileError(name, ErrNoColumn, fmt.Sprintf(
			"column %q appears %d times in the header; rename one of them", want, len(found)))
	}
	if headerAliases[key].owner {
		return l, true, "", fileError(name, ErrNoColumn, fmt.Sprintf("column %q holds the owner flag, not users; name the user column", want))
	}
	if found[0].index == skip {
		return l, true, "", fileError(name, ErrNoColumn, fmt.Sprintf("column %q is named as both the user column and the room column; name two different columns", want))
	}
	l.user = found
	_, owners, _ := aliasColumns(cells, skip)
	return ownerLayout(name, l, owners)
}

// namedColumns are the columns whose header is key once normalised.
func namedColumns(cells []string, key string) []column {
	var found []column
	for i, c := range cells {
		if key != "" && normalizeName(c) == key {
			found = append(found, column{index: i, name: c})
		}
	}
	return found
}

// namedRoom finds the room column the caller named, in any case and spacing.
func namedRoom(name string, cells []string, want string) (column, error) {
	key := normalizeName(want)
	found := namedColumns(cells, key)
	switch {
	case len(found) == 0:
		hint := "check the spelling, or leave out --room-column"
		if effectiveWidth(cells) <= 1 {
			hint = "a room column needs a header row above the rows, with a user column beside it"
		}
		return column{index: -1}, fileError(name, ErrRoomColumn, fmt.Sprintf(
			"room column %q is not in the header (the first row has %s); %s", want, listCells(cells), hint))
	case len(found) > 1:
		return column{index: -1}, fileError(name, ErrRoomColumn, fmt.Sprintf(
			"room column %q appears %d times in the header; rename one of them", want, len(found)))
	case headerAliases[key].owner:
		return column{index: -1}, fileError(name, ErrRoomColumn, fmt.Sprintf("column %q holds the owner flag, not rooms; name the room column", want))
	}
	return found[0], nil
}

// roomLayout picks the room column: the one the caller named (named.index
// >= 0), else the one whose header says so and that is not a user column.
// Two equally good candidates are an error. Index -1: the file has none.
func roomLayout(name string, cells []string, l layout, named column) (column, error) {
	if named.index >= 0 {
		return named, nil
	}
	_, _, rooms := aliasColumns(cells, -1)
	rooms = slices.DeleteFunc(rooms, func(c column) bool {
		return slices.ContainsFunc(l.user, func(u column) bool { return u.index == c.index })
	})
	if len(rooms) == 0 {
		return column{index: -1}, nil
	}
	rank := func(c column) int { return headerAliases[normalizeName(c.name)].rank }
	sort.SliceStable(rooms, func(i, j int) bool { return rank(rooms[i]) < rank(rooms[j]) })
	if len(rooms) > 1 && rank(rooms[0]) == rank(rooms[1]) {
		return column{index: -1}, fileError(name, ErrRoomColumn, fmt.Sprintf(
			"several columns could be the room column (%q and %q); name the one to use with --room-column", rooms[0].name, rooms[1].name))
	}
	return rooms[0], nil
}

// ownerLayout adds the owner column, if there is exactly one.
func ownerLayout(name string, l layout, owners []column) (layout, bool, string, error) {
	if len(owners) > 1 {
		return l, true, "", fileError(name, ErrNoColumn, fmt.Sprintf(
			"several owner columns (%q and %q); keep one", owners[0].name, owners[1].name))
	}
	if len(owners) == 1 {
		l.owner = owners[0]
	}
	return l, true, "", nil
}

// effectiveWidth is a row's width without trailing empty cells: Excel writes
// "123,,," for a row with empty cells on its right.
func effectiveWidth(cells []string) int {
	n := len(cells)
	for n > 0 && trimCell(cells[n-1]) == "" {
		n--
	}
	return n
}

// listCells names a row's cells for a message, at most 8 of them.
func listCells(cells []string) string {
	var parts []string
	for i, c := range cells {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(cells)-8))
			break
		}
		parts = append(parts, show(c))
	}
	return strings.Join(parts, ", ")
}
