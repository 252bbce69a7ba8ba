package podsim

import (
	"crypto/rsa"
	"hash/maphash"
	"slices"
	"strings"
)

// userStore holds the pod's users without a pointer per user: a record of
// fixed size per user, their strings end to end in large chunks, and maps
// from ID, email and username to the record's index whose keys and values
// hold no pointer either. A pod of 10M users (the plan benchmark's) is then
// a few hundred objects for the garbage collector to scan, not 50M; a user
// is made into a *user only when a handler asks for one.
type userStore struct {
	recs     []userRec
	chunks   [][]byte        // the users' strings; a record's lie in one chunk
	dense    []int32         // the record of user firstUserID+k, for the IDs the pod gave in turn
	byID     map[int64]int32 // the record of any other user
	byEmail  keyIndex        // lower-cased email
	byName   keyIndex        // lower-cased username
	roleSets [][]string
	roleSet  map[string]int32 // roles joined by "\x00" -> index in roleSets
	keys     map[int64]*rsa.PublicKey
}

// userRec is one user. Its strings are chunks[chunk][off+ends[k-1]:off+ends[k]]
// for the fields userText names.
type userRec struct {
	id                        int64
	chunk                     int32
	roles                     int32 // index in roleSets (0: none)
	off                       uint32
	ends                      [textFields]uint32
	active, external, service bool
}

// The strings of a record, in their order in its chunk.
const (
	textUsername = iota
	textEmail
	textDisplayName
	textCompany
	textFields
)

// chunkSize is the size of a chunk of strings (a user larger than that
// gets a chunk of its own).
const chunkSize = 1 << 20

func newUserStore() userStore {
	return userStore{
		byID:     map[int64]int32{},
		byEmail:  newKeyIndex(),
		byName:   newKeyIndex(),
		roleSets: [][]string{nil},
		roleSet:  map[string]int32{"": 0},
		keys:     map[int64]*rsa.PublicKey{},
	}
}

// text is one string of a record, as bytes in its chunk (not to be kept
// or changed).
func (st *userStore) text(r *userRec, field int) []byte {
	start := uint32(0)
	if field > 0 {
		start = r.ends[field-1]
	}
	return st.chunks[r.chunk][r.off+start : r.off+r.ends[field]]
}

func (st *userStore) str(r *userRec, field int) string { return string(st.text(r, field)) }

// get returns a copy of the user with that ID, or nil.
func (st *userStore) get(id int64) *user {
	i, ok := st.index(id)
	if !ok {
		return nil
	}
	return st.user(i)
}

// has says whether a user has that ID.
func (st *userStore) has(id int64) bool {
	_, ok := st.index(id)
	return ok
}

// index is the record of the user with that ID. The IDs the pod gives
// follow each other from firstUserID: a slice finds those, and a map the
// others (a test's own IDs). An ID is in one of the two, never both: the
// slice grows only by the ID just past its end, and only when that ID is
// new.
func (st *userStore) index(id int64) (int32, bool) {
	if k := id - firstUserID; k >= 0 && k < int64(len(st.dense)) {
		return st.dense[k], true
	}
	i, ok := st.byID[id]
	return i, ok
}

// setIndex records the record of a new ID.
func (st *userStore) setIndex(id int64, i int32) {
	if id-firstUserID == int64(len(st.dense)) {
		st.dense = append(st.dense, i)
		return
	}
	st.byID[id] = i
}

// user makes record i into a user (a copy: changing it changes nothing).
func (st *userStore) user(i int32) *user {
	r := &st.recs[i]
	return &user{
		User: User{
			ID:          r.id,
			Username:    st.str(r, textUsername),
			Email:       st.str(r, textEmail),
			DisplayName: st.str(r, textDisplayName),
			Company:     st.str(r, textCompany),
			Active:      r.active,
			External:    r.external,
			Roles:       slices.Clone(st.roleSets[r.roles]),
		},
		pub:     st.keys[r.id],
		service: r.service,
	}
}

// byEmailKey and byUsernameKey return a copy of the user with that
// lower-cased email or username, or nil.
func (st *userStore) byEmailKey(key string) *user {
	if i, ok := st.byEmail.find(key, st.lowerField(textEmail)); ok {
		return st.user(i)
	}
	return nil
}

func (st *userStore) byUsernameKey(key string) *user {
	if i, ok := st.byName.find(key, st.lowerField(textUsername)); ok {
		return st.user(i)
	}
	return nil
}

func (st *userStore) lowerField(field int) func(int32) string {
	return func(i int32) string { return strings.ToLower(st.str(&st.recs[i], field)) }
}

// put adds u, or replaces the user with its ID: the old email and username
// no longer find anyone.
func (st *userStore) put(u *user) {
	i, exists := st.index(u.ID)
	if exists {
		old := &st.recs[i]
		st.byEmail.remove(strings.ToLower(st.str(old, textEmail)), st.lowerField(textEmail))
		st.byName.remove(strings.ToLower(st.str(old, textUsername)), st.lowerField(textUsername))
	} else {
		i = int32(len(st.recs))
		st.recs = append(st.recs, userRec{})
		st.setIndex(u.ID, i)
	}
	r := userRec{id: u.ID, active: u.Active, external: u.External, service: u.service, roles: st.roles(u.Roles)}
	fields := [textFields]string{u.Username, u.Email, u.DisplayName, u.Company}
	size := 0
	for _, f := range fields {
		size += len(f)
	}
	if len(st.chunks) == 0 || cap(st.chunks[len(st.chunks)-1])-len(st.chunks[len(st.chunks)-1]) < size {
		st.chunks = append(st.chunks, make([]byte, 0, max(chunkSize, size)))
	}
	r.chunk = int32(len(st.chunks) - 1)
	c := st.chunks[r.chunk]
	r.off = uint32(len(c))
	for k, f := range fields {
		c = append(c, f...)
		r.ends[k] = uint32(len(c)) - r.off
	}
	st.chunks[r.chunk] = c
	st.recs[i] = r
	if u.pub != nil {
		st.keys[u.ID] = u.pub
	} else {
		delete(st.keys, u.ID)
	}
	if u.Email != "" {
		st.byEmail.put(strings.ToLower(u.Email), i, st.lowerField(textEmail))
	}
	if u.Username != "" {
		st.byName.put(strings.ToLower(u.Username), i, st.lowerField(textUsername))
	}
}

// roles is the index of a list of roles in roleSets, added if new: a pod's
// users share a handful of lists.
func (st *userStore) roles(roles []string) int32 {
	key := strings.Join(roles, "\x00")
	if i, ok := st.roleSet[key]; ok {
		return i
	}
	i := int32(len(st.roleSets))
	st.roleSets = append(st.roleSets, slices.Clone(roles))
	st.roleSet[key] = i
	return i
}

// keyIndex maps strings to record indexes by the strings' hash, so that
// the map holds no string; the record's own string confirms a match. A key
// whose hash another key already holds goes to more.
type keyIndex struct {
	seed  maphash.Seed
	first map[uint64]int32
	more  map[string]int32
}

func newKeyIndex() keyIndex {
	return keyIndex{seed: maphash.MakeSeed(), first: map[uint64]int32{}, more: map[string]int32{}}
}

// find returns the record of key; keyOf gives a record's key.
func (x *keyIndex) find(key string, keyOf func(int32) string) (int32, bool) {
	if i, ok := x.first[maphash.String(x.seed, key)]; ok && keyOf(i) == key {
		return i, true
	}
	i, ok := x.more[key]
	return i, ok
}

// put makes key find record i. A key is in first or in more, never both.
func (x *keyIndex) put(key string, i int32, keyOf func(int32) string) {
	h := maphash.String(x.seed, key)
	if j, taken := x.first[h]; taken && j != i && keyOf(j) != key {
		x.more[key] = i
		return
	}
	x.first[h] = i
	delete(x.more, key)
}

// remove makes key find nothing.
func (x *keyIndex) remove(key string, keyOf func(int32) string) {
	h := maphash.String(x.seed, key)
	if j, ok := x.first[h]; ok && keyOf(j) == key {
		delete(x.first, h)
	}
	delete(x.more, key)
}
