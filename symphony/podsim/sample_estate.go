package podsim

import (
	"strconv"
	"strings"
)

// Rows of the sample multi-room list, by room.
const (
	estateJumboRows  = 12 // into the jumbo room: every change paced
	estateMediumRows = 30 // into the 480-member room: the changes past 500 paced
	estateSmallRows  = 10 // into the small room: none paced
	estateDeadRows   = 3  // into the deactivated room: it cannot run
)

// SampleEstateCSV is the sample list of a run over many rooms in the demo
// world: a user column and a room column naming four of the demo's rooms
// by their exact names, the jumbo room (so that the pace shows), the
// medium room (crossing 500 members), the small room (with a user already
// in it), and the deactivated room (which cannot run, so that the question
// to leave it out shows). Its users are candidates the sample list of one
// room does not name, a few given by email. roster demo offers it beside
// SampleCSV. st is the pod's state after SeedDemo (for the rooms' names
// and members).
func SampleEstateCSV(d *Demo, st State) string {
	var b strings.Builder
	b.WriteString("user,room\n")
	c := d.Candidates
	next := 40 // past the candidates SampleCSV names
	rows := func(roomID string, n int) {
		r, ok := st.Room(roomID)
		if !ok {
			return
		}
		for i := 0; i < n && next < len(c); i++ {
			u := c[next]
			next++
			v := strconv.FormatInt(u.ID, 10)
			if i%5 == 2 {
				v = u.Email
			}
			b.WriteString(v + "," + csvCell(r.Name) + "\n")
		}
	}
	rows(d.Jumbo, estateJumboRows)
	rows(d.Medium, estateMediumRows)
	rows(d.Small, estateSmallRows)
	if r, ok := st.Room(d.Small); ok {
		for _, m := range r.Members {
			if m != d.BotID {
				b.WriteString(strconv.FormatInt(m, 10) + "," + csvCell(r.Name) + "\n") // already in the room
				break
			}
		}
	}
	rows(d.Deactivated, estateDeadRows)
	return b.String()
}

// csvCell quotes a cell that holds a comma or a quote.
func csvCell(s string) string {
	if !strings.ContainsAny(s, ",\"\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
