package ui

import (
	"context"
	"time"

	"roster/symphony/bulk"
)

// Options are what the flags (or the demo) fill in. Steps they answer are
// skipped; the rest are asked.
type Options struct {
	ConfigPath string // --config: loaded at once
	Auth       string // --auth: "rsa", "cert" or "" to infer
	CSVPath    string // --csv: read at once
	Column     string // --column
	Stream     string // --stream: looked up at once
	Mode       bulk.Mode
	Interval   time.Duration     // --interval; 0 = bulk's default
	Window     *bulk.Window      // --window
	OutDir     string            // --out; "" = current folder
	Resume     bulk.ResumeChoice // --resume: none, find it in OutDir (Auto), or a journal File
	DryRun     bool              // --dry-run: the preview cannot start a run
	Limits     bulk.Limits       // --max-wait, --max-outage

	// Lanes and SkipBlocked are --lanes and --skip-blocked, for a list with
	// a room column (a run of many rooms).
	Lanes       int
	SkipBlocked bool

	// AllowRemovingLastOwner is --allow-removing-last-owner: a removal of
	// every owner but the bot is not asked about again.
	AllowRemovingLastOwner bool

	// Offered files come first in the pickers, pre-selected (the demo's).
	OfferConfigs []string
	OfferCSVs    []string
	// Rooms are the rooms of --stream given several times (stream IDs or
	// exact names): the list goes to each, an estate run, and the wizard
	// has no room step. Nil for one room (Stream).
	Rooms []string
	// RoomColumn is --room-column: the list's room column, named.
	RoomColumn string

	// SuggestRooms are stream IDs listed by the room step before any search.
	SuggestRooms []string
	// StartDir is where the pickers look for files and start browsing; "" = current folder.
	StartDir string

	// Banner, when set, is shown on every screen (the demo says it is one).
	Banner string
	// Ephemeral says the pod lives only as long as the program (roster
	// demo): an unfinished run cannot be resumed later, and the summary
	// does not offer it.
	Ephemeral bool
	// OnRunStart is called when a run starts (the demo turns on its faults then).
	OnRunStart func()

	Connect Connector        // nil = Connect
	Context context.Context  // nil = context.Background()
	Now     func() time.Time // nil = time.Now
}
