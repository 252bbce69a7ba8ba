package bulk

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roster/symphony"
	"roster/symphony/podsim"
)

// lie is how the hostile pod answers one user's membership call: it makes
// the change on the real pod behind it or not (apply), then answers 200
// with a body that is not Symphony's SuccessResponse.
type lie struct {
	name  string
	apply bool
	write func(w http.ResponseWriter, r *http.Request)
}

// lyingBodies are the 200 replies that must never count as a change.
var lyingBodies = []struct {
	name  string
	write func(w http.ResponseWriter, r *http.Request)
}{
	{"html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>Welcome to the gateway</body></html>")
	}},
	{"empty", func(w http.ResponseWriter, _ *http.Request) {}},
	{"null", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "null") }},
	{"error-object", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"code":500,"message":"Internal server error"}`)
	}},
	{"wrong-types", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"format":1,"message":true}`) }},
	{"null-fields", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"format":null,"message":null}`) }},
	{"100MB", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte(`{"format":"TEXT","message":"`), 1<<10)
		for sent := 0; sent < 100<<20 && r.Context().Err() == nil; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}},
	{"never-ends", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"format":"TEXT",`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}},
}

// hostilePod is an HTTPS server, written here, in front of a simulated
// pod: it passes every call through, but answers the membership calls of
// the users in lies with its lie, after passing the call on or not.
type hostilePod struct {
	srv    *httptest.Server
	caPath string
	mu     sync.Mutex
	lies   map[int64]lie
	// failMembers makes every member list read fail with a 503 while set.
	failMembers atomic.Bool
	// intercept, when set, answers a request first; false passes it on.
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

func startHostilePod(t *testing.T, p *simPod) *hostilePod {
	t.Helper()
	backend, err := url.Parse("https://" + net.JoinHostPort(p.Host(), strconv.Itoa(p.Port())))
	if err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(p.CAPath())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	h := &hostilePod{lies: map[int64]lie{}}
	h.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.intercept != nil && h.intercept(w, r) {
			return
		}
		if h.failMembers.Load() && strings.Contains(r.URL.Path, "/membership/list") {
			http.Error(w, `{"code":503,"message":"down"}`, http.StatusServiceUnavailable)
			return
		}
		if !strings.Contains(r.URL.Path, "/membership/") || r.Method != http.MethodPost {
			proxy.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var u struct{ ID int64 }
		json.Unmarshal(body, &u)
		h.mu.Lock()
		l, lying := h.lies[u.ID]
		h.mu.Unlock()
		if !lying {
			r.Body = io.NopCloser(bytes.NewReader(body))
			proxy.ServeHTTP(w, r)
			return
		}
		if l.apply {
			r2 := r.Clone(r.Context())
			r2.Body = io.NopCloser(bytes.NewReader(body))
			rec := httptest.NewRecorder()
			proxy.ServeHTTP(rec, r2)
			if rec.Code != http.StatusOK {
				t.Errorf("the pod behind refused the %s for user %d: %d %s", r.URL.Path, u.ID, rec.Code, rec.Body)
			}
		}
		l.write(w, r)
	}))
	t.Cleanup(h.srv.Close)
	h.caPath = filepath.Join(t.TempDir(), "hostile-ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: h.srv.Certificate().Raw})
	if err := os.WriteFile(h.caPath, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	return h
}

// client is a real client of the hostile pod, logged in as the bot. Its
// read timeout is short so that a body that never ends is cut soon.
func (h *hostilePod) client(t *testing.T, p *simPod, retry ...symphony.RetryPolicy) *symphony.Client {
	t.Helper()
	policy := fastRetry
	if len(retry) > 0 {
		policy = retry[0]
	}
	u, _ := url.Parse(h.srv.URL)
	port, _ := strconv.Atoi(u.Port())
	ep := symphony.Endpoint{Scheme: "https", Host: u.Hostname(), Port: port}
	cfg := &symphony.Config{Pod: ep, Agent: ep, KeyManager: ep, SessionAuth: ep, KeyAuth: ep,
		BotUsername: testBot, PrivateKeyPath: p.KeyPath(), TrustStorePath: h.caPath, Retry: policy}
	c, err := symphony.NewClient(cfg, symphony.Options{Auth: symphony.AuthRSA, ConnectTimeout: 500 * time.Millisecond, ReadTimeout: time.Second})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestLyingRepliesAreSettledFromTheMemberList: every 200 whose body is not
// the SuccessResponse (HTML, empty, null, an error object, wrong types, 100
// MB, a body that never ends) leaves the user unconfirmed, then settled
// from the member list: added when the pod really added them, failed when
// it did not; never added on the reply's word. The totals and the report
// match the pod's real membership.
func TestLyingRepliesAreSettledFromTheMemberList(t *testing.T) {
	p := startSim(t, podsim.Options{})
	h := startHostilePod(t, p)
	ids := p.addUsers("lied", 2*len(lyingBodies)+2)
	honest := ids[len(ids)-2:]
	owner := ids[1] // a lie that was not applied, for an owner: neither added nor promoted
	for i, b := range lyingBodies {
		h.lies[ids[2*i]] = lie{b.name, true, b.write}
		h.lies[ids[2*i+1]] = lie{b.name, false, b.write}
	}
	room := p.room("lies", nil)
	c := h.client(t, p)
	plan := planOn(t, c, room, ModeAdd, idList(ids, owner, ids[0]), time.Millisecond)
	out := run(t, c, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if out.err != nil || out.summary.StopReason != "" {
		t.Fatalf("run: %v, stop %q", out.err, out.summary.StopReason)
	}

	members := p.MemberSet(t, room)
	// Each lied-to user was first reported unconfirmed, then settled.
	first := map[int64]Result{}
	for _, ev := range out.events {
		if ev.Kind == EventResult {
			if _, seen := first[ev.Result.Item.UserID]; !seen {
				first[ev.Result.Item.UserID] = *ev.Result
			}
		}
	}
	final := out.results()
	for id, l := range h.lies {
		f, res := first[id], final[id]
		if f.Outcome != OutcomeUnconfirmed || f.Unsettled != ActionAdd || !strings.Contains(f.Message, "did not confirm") {
			t.Errorf("%s (applied %v): first result %q %q, want unconfirmed", l.name, l.apply, f.Outcome, f.Message)
		}
		want := OutcomeFailed
		if l.apply {
			want = OutcomeAdded
		}
		if res.Outcome != want || !res.Settled || res.ConfirmedBy() != "member list" || !strings.Contains(res.Message, "settled from the member list") {
			t.Errorf("%s (applied %v): final %q settled=%v %q, want %q settled from the member list", l.name, l.apply, res.Outcome, res.Settled, res.Message, want)
		}
		if members[id] != l.apply {
			t.Errorf("%s: the pod lists the user %v, applied %v", l.name, members[id], l.apply)
		}
	}
	for _, id := range honest {
		if res := final[id]; res.Outcome != OutcomeAdded || res.Settled || !members[id] {
			t.Errorf("an honest reply: %q settled=%v member=%v", res.Outcome, res.Settled, members[id])
		}
	}
	if res := final[owner]; res.Promoted {
		t.Errorf("the owner not added was promoted: %+v", res)
	}
	if res := final[ids[0]]; !res.Promoted || res.Outcome != OutcomeAdded || !slices.Contains(p.Room(t, room).Owners, ids[0]) {
		t.Errorf("the owner added behind a lie: %q promoted=%v", res.Outcome, res.Promoted)
	}

	tot := out.summary.Totals
	if tot.Members != len(members) || tot.Added != len(lyingBodies)+len(honest) || tot.Failed != len(lyingBodies) ||
		tot.Settled != 2*len(lyingBodies) || tot.Unconfirmed != 0 || tot.Done != len(ids) {
		t.Errorf("totals %+v; the pod has %d members, %d lies applied, %d not", tot, len(members), len(lyingBodies), len(lyingBodies))
	}
	rows := readReport(t, out.summary.ReportPath)
	added := 0
	for _, id := range ids {
		if rows[id][5] == OutcomeAdded.String() {
			added++
			if !members[id] {
				t.Errorf("the report says %d was added; the pod does not list them", id)
			}
		}
	}
	if added != len(lyingBodies)+len(honest) {
		t.Errorf("the report says %d added, the pod added %d", added, len(lyingBodies)+len(honest))
	}
	if out.summary.ExitCode() != ExitFailed {
		t.Errorf("exit %d, want %d (users were not added)", out.summary.ExitCode(), ExitFailed)
	}
}

// TestUnconfirmedLeftForTheResume: when the member list cannot be read to
// settle a lied-to user, the run stops (exit 3) with the user unconfirmed
// in the journal and the report; the resume settles them first.
func TestUnconfirmedLeftForTheResume(t *testing.T) {
	p := startSim(t, podsim.Options{})
	h := startHostilePod(t, p)
	ids := p.addUsers("later", 3)
	h.lies[ids[0]] = lie{"html", true, lyingBodies[0].write}
	h.lies[ids[1]] = lie{"null", false, lyingBodies[2].write}
	room := p.room("later", nil)
	c := h.client(t, p)
	plan := planOn(t, c, room, ModeAdd, idList(ids), time.Millisecond)
	dir := t.TempDir()
	retry := symphony.RetryPolicy{MaxAttempts: 2, Initial: time.Millisecond, Max: time.Millisecond}
	h.failMembers.Store(true)
	out := run(t, c, plan, RunOptions{OutDir: dir, Retry: retry})
	h.failMembers.Store(false)
	if out.summary.ExitCode() != ExitAborted || !strings.Contains(out.summary.StopReason, "settle") {
		t.Fatalf("exit %d, stop %q; want 3 and a reason naming the settling", out.summary.ExitCode(), out.summary.StopReason)
	}
	if tot := out.summary.Totals; tot.Unconfirmed != 2 || tot.Added != 1 {
		t.Errorf("totals %+v, want 2 unconfirmed and 1 added", tot)
	}
	rows := readReport(t, out.summary.ReportPath)
	if rows[ids[0]][5] != OutcomeUnconfirmed.String() || rows[ids[1]][5] != OutcomeUnconfirmed.String() {
		t.Errorf("report rows %q / %q, want unconfirmed", rows[ids[0]], rows[ids[1]])
	}

	// The resume settles them from the member list, calling nobody again.
	plan2 := planOn(t, c, room, ModeAdd, idList(ids), time.Millisecond)
	h.mu.Lock()
	h.lies[ids[1]] = lie{"must not be called", false, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("user %d was called again on resume", ids[1])
		lyingBodies[0].write(w, r)
	}}
	h.mu.Unlock()
	out = run(t, c, plan2, RunOptions{OutDir: dir, ResumeFrom: out.summary.JournalPath, Retry: retry})
	if out.err != nil || out.summary.ExitCode() != ExitFailed {
		t.Fatalf("resume: %v, exit %d, stop %q", out.err, out.summary.ExitCode(), out.summary.StopReason)
	}
	final := out.results()
	if r := final[ids[0]]; r.Outcome != OutcomeAdded || !r.Settled {
		t.Errorf("applied: %+v", r)
	}
	if r := final[ids[1]]; r.Outcome != OutcomeFailed || !r.Settled {
		t.Errorf("not applied: %+v", r)
	}
	members := p.MemberSet(t, room)
	if tot := out.summary.Totals; tot.Members != len(members) || tot.Unconfirmed != 0 || tot.Added != 2 || tot.Failed != 1 {
		t.Errorf("totals %+v, the pod has %d members", tot, len(members))
	}
	st, err := readJournal(out.summary.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	if rec := st.results[ids[0]]; !rec.Settled || rec.Unsettled.valid() || rec.Outcome != OutcomeAdded {
		t.Errorf("journal: %+v", rec)
	}
}

// TestLyingRepliesToRemovals: a removal answered with a body that is not
// the SuccessResponse is settled from the member list too: removed when the
// pod no longer lists the user, failed when it still does.
func TestLyingRepliesToRemovals(t *testing.T) {
	p := startSim(t, podsim.Options{})
	h := startHostilePod(t, p)
	ids := p.addUsers("leaving", 3)
	h.lies[ids[0]] = lie{"empty", true, lyingBodies[1].write}
	h.lies[ids[1]] = lie{"error-object", false, lyingBodies[3].write}
	room := p.room("leaving", ids)
	c := h.client(t, p)
	plan := planOn(t, c, room, ModeRemove, idList(ids), time.Millisecond)
	out := run(t, c, plan, RunOptions{OutDir: t.TempDir(), Retry: fastRetry})
	if out.err != nil || out.summary.StopReason != "" {
		t.Fatalf("run: %v, stop %q", out.err, out.summary.StopReason)
	}
	members := p.MemberSet(t, room)
	final := out.results()
	if r := final[ids[0]]; r.Outcome != OutcomeRemoved || !r.Settled || members[ids[0]] {
		t.Errorf("applied: %q settled=%v member=%v", r.Outcome, r.Settled, members[ids[0]])
	}
	if r := final[ids[1]]; r.Outcome != OutcomeFailed || !r.Settled || !members[ids[1]] || !strings.Contains(r.Message, "not removed") {
		t.Errorf("not applied: %q settled=%v member=%v %q", r.Outcome, r.Settled, members[ids[1]], r.Message)
	}
	if r := final[ids[2]]; r.Outcome != OutcomeRemoved || r.Settled || r.ConfirmedBy() != "pod reply" {
		t.Errorf("honest: %q settled=%v", r.Outcome, r.Settled)
	}
	if tot := out.summary.Totals; tot.Members != len(members) || tot.Removed != 2 || tot.Failed != 1 || tot.Settled != 2 {
		t.Errorf("totals %+v; the pod has %d members", tot, len(members))
	}
}
