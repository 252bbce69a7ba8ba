package cli

import (
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a strings.Builder safe for a writer and a reader in two goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
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

func TestSignalAbortsThenStopsAtOnce(t *testing.T) {
	tests := []struct {
		first   os.Signal
		running bool
		say     string
	}{
		{syscall.SIGTERM, true, "terminated: aborting: the call in flight is cancelled (its user is checked against the room on resume) and the report written"},
		{os.Interrupt, true, "interrupt: aborting: the call in flight is cancelled"},
		{os.Interrupt, false, "interrupt: aborting\n"},
	}
	for _, tt := range tests {
		t.Run(tt.say, func(t *testing.T) {
			ch := make(chan os.Signal, 2)
			exited := make(chan int, 1)
			var stderr lockedBuffer
			s := newAbortOn(ch, &stderr, func(code int) { exited <- code })
			defer s.stop()
			if tt.running {
				s.running()
			}
			ch <- tt.first
			select {
			case <-s.ctx.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("the first signal did not cancel planning")
			}
			if !s.control.Aborted() {
				t.Error("the first signal did not abort the run")
			}
			if !strings.Contains(stderr.String(), tt.say) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.say)
			}
			select {
			case code := <-exited:
				t.Fatalf("the first signal exited with %d; it must let the run write its report", code)
			default:
			}
			ch <- os.Interrupt
			select {
			case code := <-exited:
				if code != exitAborted {
					t.Errorf("a second signal exited with %d, want 3", code)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("a second signal did not stop at once")
			}
			if !strings.Contains(stderr.String(), "again: stopping at once") {
				t.Errorf("stderr %q does not say it stops at once", stderr.String())
			}
		})
	}
}

// TestIsTerminalRefusesWhatCronGives: cron and CI give /dev/null, pipes
// and files, none of which may open the wizard.
func TestIsTerminalRefusesWhatCronGives(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	file, err := os.Create(t.TempDir() + "/out.log")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var nilFile *os.File
	for name, v := range map[string]any{"/dev/null": devNull, "pipe reader": r, "pipe writer": w, "file": file,
		"buffer": &strings.Builder{}, "nil": nil, "nil file": nilFile} {
		if isTerminal(v) {
			t.Errorf("isTerminal(%s) = true", name)
		}
	}
}

// A dropped session hangs the process up twice, milliseconds apart: the
// second hangup must not stop at once (the report would not be written);
// an interrupt after it still does.
func TestASecondHangupStillLetsTheReportBeWritten(t *testing.T) {
	ch := make(chan os.Signal, 3)
	exited := make(chan int, 1)
	var stderr lockedBuffer
	s := newAbortOn(ch, &stderr, func(code int) { exited <- code })
	defer s.stop()
	s.running()
	ch <- syscall.SIGHUP
	ch <- syscall.SIGHUP
	select {
	case <-s.ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the hangup did not abort")
	}
	select {
	case code := <-exited:
		t.Fatalf("a second hangup exited with %d before the report was written", code)
	case <-time.After(200 * time.Millisecond):
	}
	ch <- os.Interrupt
	select {
	case code := <-exited:
		if code != exitAborted {
			t.Fatalf("exit %d, want %d", code, exitAborted)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an interrupt after the hangups did not stop at once")
	}
}
