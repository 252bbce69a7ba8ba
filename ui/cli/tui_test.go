package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/csvsource"
	"roster/symphony/bulk"
)

// The demo's list must show a newcomer every kind of row roster handles.
func TestDemoCSVShowsEveryKindOfRow(t *testing.T) {
	dir := t.TempDir()
	opts, stop, err := startDemo(dir, filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if len(opts.OfferConfigs) != 2 || len(opts.OfferCSVs) != 1 || len(opts.SuggestRooms) != 5 || opts.Banner == "" {
		t.Fatalf("options: %+v", opts)
	}
	for _, p := range append(opts.OfferConfigs, opts.OfferCSVs...) {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("offered file: %v", err)
		}
	}
	l, err := csvsource.ReadFile(opts.OfferCSVs[0], csvsource.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := l.Summary
	if s.IDs == 0 || s.Emails == 0 || s.Usernames == 0 || s.Owners == 0 || s.Duplicates < 2 || s.Problems < 2 {
		t.Fatalf("the demo list lacks a kind of row: %+v", s)
	}
	if opts.Interval != demoPace || !strings.Contains(opts.Banner, "100x") {
		t.Fatalf("the demo's pace %v and banner %q", opts.Interval, opts.Banner)
	}
	if opts.Mode != bulk.ModeAdd {
		t.Fatal("the demo adds")
	}
}

func TestDemoRefusesWithoutATerminal(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cmdDemo(nil, &out, &errOut)
	if code != exitInput || !strings.Contains(errOut.String(), "needs a terminal") {
		t.Fatalf("code %d, stderr %q", code, errOut.String())
	}
	code = cmdDemo([]string{"extra"}, &out, &errOut)
	if code != exitInput || !strings.Contains(errOut.String(), "unexpected") {
		t.Fatalf("code %d, stderr %q", code, errOut.String())
	}
}
