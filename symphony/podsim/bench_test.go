package podsim

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkAddRoundTrip: one add (or removal) over HTTPS on loopback with a
// kept-alive connection, client included.
func BenchmarkAddRoundTrip(b *testing.B) {
	p := startPod(b, Options{})
	room, out := bigRoom(p, 12, 1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		action := "add"
		if i%2 == 1 {
			action = "remove"
		}
		i++
		r := p.do("POST", "/pod/v1/room/"+room+"/membership/"+action, p.token, map[string]int64{"id": out[0]})
		if r.status != 200 {
			b.Fatalf("%s: %d %s", action, r.status, r.body)
		}
	}
}

// BenchmarkMembershipHandler: the server's own cost of one membership call
// in a 1,200-member room, without TLS or sockets.
func BenchmarkMembershipHandler(b *testing.B) {
	p := startPod(b, Options{PaceGap: 1})
	room, out := bigRoom(p, 1200, 1)
	h := p.routes()
	paths := [2]string{"/pod/v1/room/" + room + "/membership/add", "/pod/v1/room/" + room + "/membership/remove"}
	body := `{"id":` + strconv.FormatInt(out[0], 10) + `}`
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest("POST", paths[i%2], strings.NewReader(body))
		req.Header.Set("sessionToken", p.token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		i++
	}
}

// BenchmarkMemberList: listing a 1,200-member room, server side.
func BenchmarkMemberList(b *testing.B) {
	p := startPod(b, Options{})
	room, _ := bigRoom(p, 1200, 0)
	h := p.routes()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/pod/v2/room/"+room+"/membership/list", nil)
		req.Header.Set("sessionToken", p.token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d", w.Code)
		}
	}
}
