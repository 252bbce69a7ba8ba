package cli

import (
	"fmt"
	"io"

	"roster/ui"
)

// runTUI opens the wizard with whatever the flags fill in.
func runTUI(f runFlags, stdout, stderr io.Writer) int {
	req := f.request()
	opts := ui.Options{ConfigPath: f.Config, Auth: f.Auth, CSVPath: f.CSV, Column: f.Column, Stream: f.Stream,
		Mode: req.Mode, Interval: req.Interval, Window: req.Window, OutDir: req.OutDir, Resume: req.Resume, DryRun: req.DryRun,
		Limits: req.Limits, AllowRemovingLastOwner: req.AllowRemovingLastOwner, Lanes: req.Lanes, SkipBlocked: req.SkipBlocked,
		Rooms: req.Rooms, RoomColumn: req.RoomColumn}
	code, err := ui.Run(opts, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "roster: %v\n", err)
	}
	return code
}
