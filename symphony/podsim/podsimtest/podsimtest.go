// Package podsimtest starts simulated Symphony pods for tests, as
// net/http/httptest starts HTTP servers for tests of net/http code.
//
// Start gives a podsim.Server serving real HTTPS on loopback, seeded with
// the demo world (or empty), with a config folder written by podsim's
// WriteDir: config.json (legacy, RSA), config.yaml (BDK 2.0), the bot's key,
// the pod's CA and a sample user list. The pod stops when the test ends.
// Pod's small accessors (a room's state, its member set) fail the test
// instead of returning errors, so that tests read as what they check.
//
// The package knows podsim and the standard library only: podsim is written
// from Symphony's specs, and sharing a type with roster's client would let
// a misreading of the spec pass on both sides unseen. Tests that need a
// client build it from the folder, as a user would.
package podsimtest

import (
	"path/filepath"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// DefaultBot is the username of the bot of an Empty pod when Bot does not
// name one. It is the demo world's bot name too, so that configs read the
// same either way.
const DefaultBot = "roster-bot"

// Pod is a started simulated pod and the folder holding its configs.
type Pod struct {
	*podsim.Server

	// Demo is the seeded demo world; nil with Empty.
	Demo *podsim.Demo

	// Dir is the config folder WriteDir wrote: podsim.FileLegacyConfig,
	// FileBDKConfig, FileBotKey, FileCA and FileUsersCSV, with paths
	// relative to Dir. It is the test's own (t.TempDir) and may be added to.
	Dir string

	// The bot that the configs sign in as: the demo world's, or Bot's.
	BotUsername string
	BotID       int64
	BotKeyPEM   []byte // PKCS#8 PEM, the content of KeyPath
}

// Option changes what Start makes.
type Option func(*settings)

type settings struct {
	empty       bool
	bot         bool
	botName     string
	botRoles    []string
	defaultPace time.Duration
}

// Empty starts the pod without the demo world: no rooms, and no users but
// the bot (DefaultBot, a plain service user, unless Bot says otherwise).
// users.csv then holds only rows that name no user.
func Empty() Option { return func(s *settings) { s.empty = true } }

// Bot adds a service user with a new RSA key and the given roles (for
// example "USER_PROVISIONING") and writes the configs for it instead of for
// the demo world's bot. On a seeded pod the name must differ from the demo
// bot's, which stays as seeded.
func Bot(username string, roles ...string) Option {
	return func(s *settings) {
		s.bot, s.botName, s.botRoles = true, username, append([]string(nil), roles...)
	}
}

// DefaultPaceGap is the PaceGap used when the podsim.Options given to
// Start leave it zero (which podsim reads as Symphony's real 3 s): a
// package's tests can keep their paced runs fast and still paced.
func DefaultPaceGap(d time.Duration) Option { return func(s *settings) { s.defaultPace = d } }

// XpodDelay is the podsim.Options.XpodDelay of a Start whose options leave
// it zero (podsim's own default is seconds): an external user added to a
// cross-pod room joins this long after the add.
const XpodDelay = 30 * time.Millisecond

// Start serves a simulated pod with opts on 127.0.0.1, seeds the demo world
// (unless Empty), adds Bot's bot, and writes the config folder. The pod is
// closed by t.Cleanup. Any failure fails the test at once.
func Start(t testing.TB, opts podsim.Options, options ...Option) *Pod {
	t.Helper()
	var set settings
	for _, o := range options {
		o(&set)
	}
	if opts.PaceGap == 0 {
		opts.PaceGap = set.defaultPace
	}
	if opts.XpodDelay == 0 {
		opts.XpodDelay = XpodDelay
	}
	srv, err := podsim.New(opts)
	if err != nil {
		t.Fatalf("podsimtest: %v", err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("podsimtest: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	p := &Pod{Server: srv, Dir: t.TempDir()}

	// world is what WriteDir writes the folder for: the demo world, or an
	// empty one; either way with the bot the configs are for.
	var world podsim.Demo
	if !set.empty {
		if p.Demo, err = srv.SeedDemo(); err != nil {
			t.Fatalf("podsimtest: %v", err)
		}
		world = *p.Demo
	}
	if set.empty && !set.bot {
		set.bot, set.botName = true, DefaultBot
	}
	if set.bot {
		if p.Demo != nil && set.botName == p.Demo.BotUsername {
			t.Fatalf("podsimtest: Bot %q would shadow the demo world's bot; choose another name or use Empty", set.botName)
		}
		world.BotUsername = set.botName
		if world.BotID, world.BotKeyPEM, err = srv.AddServiceUser(set.botName, set.botRoles...); err != nil {
			t.Fatalf("podsimtest: %v", err)
		}
	}
	p.BotUsername, p.BotID, p.BotKeyPEM = world.BotUsername, world.BotID, world.BotKeyPEM
	if err := srv.WriteDir(p.Dir, &world); err != nil {
		t.Fatalf("podsimtest: %v", err)
	}
	return p
}

// ConfigPath is the legacy config.json in Dir.
func (p *Pod) ConfigPath() string { return filepath.Join(p.Dir, podsim.FileLegacyConfig) }

// YAMLConfigPath is the BDK 2.0 config.yaml in Dir.
func (p *Pod) YAMLConfigPath() string { return filepath.Join(p.Dir, podsim.FileBDKConfig) }

// KeyPath is the bot's private key in Dir.
func (p *Pod) KeyPath() string { return filepath.Join(p.Dir, podsim.FileBotKey) }

// CAPath is the pod's CA certificate in Dir, the configs' truststore.
func (p *Pod) CAPath() string { return filepath.Join(p.Dir, podsim.FileCA) }

// Room is a room's state now; it fails the test when the pod has no such room.
func (p *Pod) Room(t testing.TB, id string) podsim.RoomState {
	t.Helper()
	r, ok := p.State().Room(id)
	if !ok {
		t.Fatalf("room %s is not in the pod's state", id)
	}
	return r
}

// MemberSet is the set of a room's members now; it fails the test when
// the pod has no such room.
func (p *Pod) MemberSet(t testing.TB, id string) map[int64]bool {
	t.Helper()
	return MemberSet(p.Room(t, id))
}

// MemberSet is the set of the members of a room's state, for a test that
// looks at the members and the owners of one snapshot.
func MemberSet(rs podsim.RoomState) map[int64]bool {
	set := make(map[int64]bool, len(rs.Members))
	for _, id := range rs.Members {
		set[id] = true
	}
	return set
}

// Calls is the membership calls that reached the pod for one user in a
// state snapshot; zero when there were none.
func Calls(st podsim.State, userID int64) podsim.CallCount {
	if c := st.Calls[userID]; c != nil {
		return *c
	}
	return podsim.CallCount{}
}
