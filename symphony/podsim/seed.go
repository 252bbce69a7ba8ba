package podsim

import (
	"fmt"
	"strconv"
	"strings"
)

// Sizes of the demo world.
const (
	demoPeople      = 5000 // active users of the pod, the bot aside
	demoJumbo       = 1200 // members of Jumbo, the bot included
	demoMedium      = 480  // members of Medium, the bot included
	demoSmall       = 12   // members of Small, the bot included
	demoInactive    = 5
	demoExternal    = 5
	demoBotUsername = "roster-bot"
)

// SeedDemo fills the pod with the demo world: a bot (a plain service user,
// without User Provisioning) that owns Small, Medium and Jumbo and the
// deactivated room, is not in Forbidden (private, discoverable), and 5,000 people with realistic
// names. Jumbo has exactly two owners: the bot and one person.
func (s *Server) SeedDemo() (*Demo, error) {
	botID, keyPEM, err := s.AddServiceUser(demoBotUsername)
	if err != nil {
		return nil, fmt.Errorf("podsim: demo bot: %w", err)
	}
	d := &Demo{BotUsername: demoBotUsername, BotID: botID, BotKeyPEM: keyPEM}

	s.mu.Lock()
	names := newNameMaker()
	people := make([]*user, demoPeople)
	for i := range people {
		first, last, username := names.next()
		people[i] = s.addUserLocked(&user{User: User{
			Username:    username,
			Email:       username + "@" + podDomain,
			DisplayName: first + " " + last,
			Company:     podCompany,
			Active:      true,
			Roles:       []string{"INDIVIDUAL"},
		}})
	}
	for i := 0; i < demoInactive; i++ {
		first, last, username := names.next()
		u := s.addUserLocked(&user{User: User{Username: username, Email: username + "@" + podDomain,
			DisplayName: first + " " + last, Company: podCompany, Roles: []string{"INDIVIDUAL"}}})
		d.Inactive = append(d.Inactive, u.User)
	}
	for i := 0; i < demoExternal; i++ {
		first, last, username := names.next()
		u := s.addUserLocked(&user{User: User{Username: username, Email: username + "@" + externalDomain,
			DisplayName: first + " " + last, Company: externalCompany, Active: true, External: true,
			Roles: []string{"INDIVIDUAL"}}})
		d.External = append(d.External, u.User)
	}
	s.mu.Unlock()

	// Slices of people: each room's own, then the candidates in no room.
	next := 0
	take := func(n int) []*user {
		part := people[next : next+n]
		next += n
		return part
	}
	botOwned := func(ps []*user, extraOwners int) []Member {
		ms := []Member{{UserID: botID, Owner: true}}
		for i, p := range ps {
			ms = append(ms, Member{UserID: p.ID, Owner: i < extraOwners})
		}
		return ms
	}
	d.Jumbo = s.AddRoom(Room{Name: "All Staff Announcements", Description: "Firm-wide news for every employee",
		Active: true, Members: botOwned(take(demoJumbo-1), 1)})
	d.Medium = s.AddRoom(Room{Name: "Credit Research", Description: "Research notes and questions for the credit desk",
		Active: true, MembersCanInvite: true, Members: botOwned(take(demoMedium-1), 2)})
	d.Small = s.AddRoom(Room{Name: "Rates Desk EMEA", Description: "Day-to-day chat of the EMEA rates desk",
		Active: true, Members: botOwned(take(demoSmall-1), 1)})
	d.Deactivated = s.AddRoom(Room{Name: "Project Falcon (archived)", Description: "Closed after the 2024 migration",
		Active: false, Members: botOwned(take(9), 1)})
	// Forbidden is private and discoverable: the bot, neither owner nor
	// member and without User Provisioning, finds it by search and reads
	// its info, but may not list its members nor change them.
	var fm []Member
	for i, p := range take(25) {
		fm = append(fm, Member{UserID: p.ID, Owner: i < 2})
	}
	d.Forbidden = s.AddRoom(Room{Name: "Board Confidential", Description: "Board members and their assistants only",
		Active: true, Discoverable: true, Members: fm})
	for _, p := range people[next:] {
		d.Candidates = append(d.Candidates, p.User)
	}
	return d, nil
}

// Domains and companies of the demo: .example is reserved for examples.
const (
	podDomain       = "northwind-bank.example"
	externalDomain  = "meridian-capital.example"
	externalCompany = "Meridian Capital"
)

var firstNames = strings.Fields(`Aaliyah Adam Aisha Alejandro Alice Amara Amelia Andrei Anna Arjun Ava Benjamin
Camille Carlos Charlotte Chen Chloe Daniel David Diego Dmitri Elena Eli Emily Emma Ethan Fatima Felix Finn
Gabriel Grace Hannah Hiroshi Ines Isaac Isabella Ivan Jack James Javier Jin Julia Kai Karim Laura Leila Leo
Liam Lucas Lucia Maya Mei Mia Mohammed Nadia Noah Nora Olivia Omar Oscar Priya Rafael Ravi Rosa Sakura Samuel
Sara Sofia Sophie Tariq Thomas Valentina Victor Wei William Yara Yusuf Zara Zoe`)

var lastNames = strings.Fields(`Abbott Adeyemi Alvarez Andersen Bauer Becker Bennett Brooks Campbell Chen
Costa Dubois Edwards Fischer Fernandes Garcia Gupta Hansen Hughes Ibrahim Ito Jansen Johnson Kim Kowalski
Kumar Larsen Laurent Lee Lopez Martin Meyer Moreau Murphy Nakamura Nguyen Novak Okafor Olsen Patel Petrov
Quinn Rossi Russo Sato Schmidt Silva Singh Smith Suzuki Tanaka Taylor Thompson Walsh Wang Weber Williams
Wong Yamamoto Young Zhang`)

// nameMaker makes distinct, realistic people: every first name with every
// last name, in an order that mixes them, with a number on the username
// when a pair comes round again.
type nameMaker struct {
	i    int
	seen map[string]int
}

func newNameMaker() *nameMaker { return &nameMaker{seen: make(map[string]int)} }

func (m *nameMaker) next() (first, last, username string) {
	nf, nl := len(firstNames), len(lastNames)
	// Co-prime strides walk the pairs without an obvious pattern.
	first = firstNames[(m.i*7)%nf]
	last = lastNames[(m.i*11+m.i/nf)%nl]
	m.i++
	username = strings.ToLower(first + "." + last)
	if n := m.seen[username]; n > 0 {
		m.seen[username] = n + 1
		username += strconv.Itoa(n + 1)
	} else {
		m.seen[username] = 1
	}
	return first, last, username
}
