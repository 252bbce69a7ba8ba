package bulk

import (
	"encoding/binary"
	"testing"
)

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

// The ID table holds what a map holds, through growth, key 0, negative
// keys and keys that share a home slot.
func TestIDTableAsAMap(t *testing.T) {
	checkIDTable(t, []byte{}, 0)
	ops := make([]byte, 0, 9*5000)
	for i := range 5000 {
		k := int64(i*7919) % 3001 // repeats: replaced values
		if i%13 == 0 {
			k = -k
		}
		ops = binary.LittleEndian.AppendUint64(ops, uint64(k))
		ops = append(ops, byte(i))
	}
	checkIDTable(t, ops, 1)
	// Twelve keys in 16 slots: some share a home slot and probe on.
	tab := newIDTable(1)
	homes := map[int]bool{}
	for k := range int64(12) {
		tab.put(k*1000+1, int32(k))
		homes[tab.home(k*1000+1)] = true
	}
	if len(tab.slots) != 16 || len(homes) == 12 {
		t.Fatalf("%d slots, %d homes: no key probed", len(tab.slots), len(homes))
	}
	for k := range int64(12) {
		if v, ok := tab.get(k*1000 + 1); !ok || v != int32(k) {
			t.Errorf("key %d: %d %v", k*1000+1, v, ok)
		}
	}
}

// checkIDTable puts each 9-byte op (key, value) into a table made for
// hint keys and a map, and compares what each finds.
func checkIDTable(t *testing.T, ops []byte, hint int) {
	t.Helper()
	tab, want := newIDTable(hint), map[int64]int32{}
	for ; len(ops) >= 9; ops = ops[9:] {
		k, v := int64(binary.LittleEndian.Uint64(ops)), int32(ops[8])
		tab.put(k, v)
		want[k] = v
	}
	if tab.len() != len(want) {
		t.Errorf("%d keys; want %d", tab.len(), len(want))
	}
	for k, v := range want {
		if got, ok := tab.get(k); !ok || got != v {
			t.Errorf("key %d: %d %v; want %d", k, got, ok, v)
		}
		if _, ok := want[k+1]; !ok {
			if got, ok := tab.get(k + 1); ok {
				t.Errorf("key %d found (%d), never put", k+1, got)
			}
		}
	}
}

// FuzzIDTable: whatever the keys, the table finds what a map finds.
func FuzzIDTable(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x02"), 0)
	f.Add([]byte("\xff\xff\xff\xff\xff\xff\xff\xff\x07"), 3)
	f.Fuzz(func(t *testing.T, ops []byte, hint int) {
		checkIDTable(t, ops, hint%1000)
	})
}
