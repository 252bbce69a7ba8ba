package bulk

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzReadJournal: whatever a journal file holds (a crash, a disk error, a
// hand edit), reading it and resuming from it never panics, and a journal
// that reads cleanly keeps its results when appended to.
//
//	go test ./symphony/bulk -run '^$' -fuzz FuzzReadJournal -fuzztime 30s
func FuzzReadJournal(f *testing.F) {
	header := `{"type":"header","time":"2026-11-23T07:15:00Z","version":1,"room":"abcDEF_-123","mode":"add","hash":"hash1","actions":2}` + "\n"
	f.Add([]byte(header))
	f.Add([]byte(header + `{"type":"start","userId":10,"line":2}` + "\n" + `{"type":"result","userId":10,"outcome":"added","attempts":1}` + "\n"))
	f.Add([]byte(header + `{"type":"result","userId":11,"outc`))
	f.Add([]byte(header + `{"type":"end"}` + "\n" + `{"type":"resume"}` + "\n"))
	f.Add([]byte("\xef\xbb\xbf" + header))
	f.Add([]byte(`{"type":"header"}` + "\n\n\n" + `{"type":"result","userId":-1,"outcome":"` + "\x00" + `"}` + "\n"))
	f.Add([]byte("\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "roster-fuzz.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		plan := journalPlan()
		FindResumable(dir, plan)
		st, err := readJournal(path)
		if err != nil {
			return
		}
		if st.validEnd > int64(len(data)) {
			t.Fatalf("valid end %d past the file's %d bytes", st.validEnd, len(data))
		}
		done := st.done()
		j, err := appendJournal(path, st.validEnd)
		if err != nil {
			t.Fatal(err)
		}
		j.mark(recStop, time.Now(), "fuzz", Totals{})
		j.Close()
		again, err := readJournal(path)
		if err != nil {
			t.Fatalf("a journal that read cleanly cannot be read after appending: %v", err)
		}
		if again.done() != done {
			t.Fatalf("appending changed the results: %d -> %d", done, again.done())
		}
	})
}
