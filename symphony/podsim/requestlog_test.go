package podsim

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestRequestLog(t *testing.T) {
	var log lockedBuffer
	p := startPod(t, Options{RequestLog: &log})
	p.do("GET", "/pod/v2/sessioninfo", p.token, nil)
	p.do("GET", "/pod/v3/users?email=secret.person@corp.example", p.token, nil)
	p.SetFaults(Faults{DropRate: 1})
	req, _ := http.NewRequest("POST", p.URL()+"/pod/v1/room/x/membership/add", nil)
	req.Header.Set("sessionToken", p.token)
	if resp, err := p.client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("not dropped")
	}
	// The server logs after the handler returns, which may be after the
	// client saw its connection close.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), "dropped") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	out := log.String()
	for _, want := range []string{"POST /login/pubkey/authenticate 200", "GET  /pod/v2/sessioninfo 200", "GET  /pod/v3/users 204", "POST /pod/v1/room/x/membership/add dropped"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{p.token, "secret.person"} {
		if strings.Contains(out, secret) {
			t.Errorf("log shows %q:\n%s", secret, out)
		}
	}
}
