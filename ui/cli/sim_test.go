package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/symphony/podsim"
)

// simOutput is a buffer that roster sim writes to while the test reads it.
type simOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *simOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *simOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

func TestSimServesAndWritesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pod")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr simOutput
	done := make(chan int, 1)
	go func() {
		done <- serveSim(ctx, []string{"--dir", dir, "--pace", "10ms", "--rate-429", "0", "--log"}, &stdout, &stderr)
	}()

	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), "Serving until") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no banner; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	out := stdout.String()
	url := regexp.MustCompile(`https://127\.0\.0\.1:\d+`).FindString(out)
	if url == "" {
		t.Fatalf("no URL in %q", out)
	}
	for _, want := range []string{"config.json", "config.yaml", "bot-key.pem", "ca.pem", "users.csv",
		"1200 members", "480 members", "12 members", "curl --cacert " + filepath.Join(dir, "ca.pem") + " " + url + "/_sim/state", "--interval 10ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	resp, err := c.Get(url + "/_sim/state")
	if err != nil {
		t.Fatalf("GET state with the written CA: %v", err)
	}
	var st podsim.State
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || len(st.Rooms) != 5 {
		t.Fatalf("state: %v, %d rooms", err, len(st.Rooms))
	}
	for _, r := range st.Rooms {
		if !strings.Contains(out, r.ID) {
			t.Errorf("banner lacks room %s (%s)", r.Name, r.ID)
		}
	}
	if !strings.Contains(stdout.String(), "GET  /_sim/state 200") {
		t.Errorf("--log did not log the state request:\n%s", stdout.String())
	}
	if key, _ := os.ReadFile(filepath.Join(dir, "bot-key.pem")); len(key) == 0 || strings.Contains(out, string(key[40:80])) {
		t.Error("the bot's key is missing or printed")
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after stop, stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("roster sim did not stop")
	}
}

func TestSimRefusesBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{nil, "--dir is required"},
		{[]string{"--dir", t.TempDir(), "--rate-429", "1.5"}, "--rate-429"},
		{[]string{"--dir", t.TempDir(), "--drop", "-0.1"}, "--drop"},
		{[]string{"--dir", t.TempDir(), "--latency", "-1s"}, "--latency"},
		{[]string{"--dir", t.TempDir(), "--burst-5xx", "0"}, "--burst-5xx"},
		{[]string{"--dir", t.TempDir(), "--pace", "soon"}, "invalid value"},
		// The pod would read 0 as its default (3 s, 1 hour) while the banner said 0s.
		{[]string{"--dir", t.TempDir(), "--pace", "0"}, "--pace 0s: must be positive"},
		{[]string{"--dir", t.TempDir(), "--session", "0s"}, "--session 0s: must be positive"},
		{[]string{"--dir", t.TempDir(), "--bogus"}, "bogus"},
		{[]string{"--dir", t.TempDir(), "extra"}, "unexpected argument"},
		{[]string{"--dir", t.TempDir(), "--addr", "256.0.0.1:0"}, "--addr"},
	} {
		var stdout, stderr simOutput
		// A bad flag that slipped through would serve until the context ends:
		// bound it, so the test fails instead of hanging.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		code := serveSim(ctx, tt.args, &stdout, &stderr)
		cancel()
		if code != exitInput || !strings.Contains(stderr.String(), tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr.String(), tt.msg)
		}
		if strings.Contains(stderr.String(), "goroutine") {
			t.Errorf("%v: a stack trace", tt.args)
		}
	}
}
