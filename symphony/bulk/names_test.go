package bulk

import "testing"

// The names table finds every user's name, the last answer of a user
// answered twice, and none for a user it does not hold.
func TestNameTable(t *testing.T) {
	var empty nameTable
	if got := empty.get(1); got != "" {
		t.Errorf("empty table: %q", got)
	}
	tab := packNames([]named{{30, "Zoë Ünal"}, {10, "ann"}, {20, ""}, {10, "Ann Lee"}, {40, "bob"}})
	for id, want := range map[int64]string{10: "Ann Lee", 20: "", 30: "Zoë Ünal", 40: "bob", 5: "", 25: "", 41: ""} {
		if got := tab.get(id); got != want {
			t.Errorf("get(%d) = %q; want %q", id, got, want)
		}
	}
	if len(tab.ids) != 4 || tab.text != "Ann LeeZoë Ünalbob" {
		t.Errorf("table %+v; want 4 users, their names end to end", tab)
	}
}
