package cli

import (
	"fmt"
	"io"

	"roster/symphony/bulk"
	"roster/ui"
)

// runTUI opens the wizard with whatever the flags fill in.
func runTUI(f runFlags, stdout, stderr io.Writer) int {
	interval, window := f.Interval, f.Window // parsed by parseRunFlags
	opts := ui.Options{ConfigPath: f.Config, Auth: f.Auth, CSVPath: f.CSV, Column: f.Column, Stream: f.Stream,
		Interval: interval, Window: window, OutDir: f.Out, Resume: f.Resume, DryRun: f.DryRun}
	if f.Remove {
		opts.Mode = bulk.ModeRemove
	}
	code, err := ui.Run(opts, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "roster: %v\n", err)
	}
	return code
}
