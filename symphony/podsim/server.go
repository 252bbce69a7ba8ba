package podsim

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Server is a simulated pod serving HTTPS on loopback.
//
// The whole world (users, rooms, sessions, counters) sits behind one mutex:
// a call holds it for a few microseconds, which is far below what the TLS
// round trip costs, and it keeps every rule easy to read.
type Server struct {
	opts Options
	pki  *pki

	mu       sync.Mutex
	users    userStore
	nextUser int64
	rooms    map[string]*room
	roomList []*room // in creation order, for State and search
	sessions map[string]*session
	calls    map[int64]*CallCount
	pacing   pacingState
	faults   faultState
	now      func() time.Time
	logMu    sync.Mutex // orders the lines of opts.RequestLog

	listener net.Listener
	http     *http.Server
	done     chan struct{}
}

// New builds a pod with its own CA and server certificate (for 127.0.0.1,
// ::1 and localhost). It does not listen yet.
func New(opts Options) (*Server, error) {
	if opts.Latency < 0 || opts.SessionLifetime < 0 || opts.PaceGap < 0 || opts.PaceTolerance < 0 || opts.XpodDelay < 0 || opts.CallerGap < 0 {
		return nil, errors.New("podsim: durations in Options must not be negative")
	}
	if opts.SessionLifetime == 0 {
		opts.SessionLifetime = time.Hour
	}
	if opts.PaceGap == 0 {
		opts.PaceGap = 3 * time.Second
	}
	if opts.PaceTolerance == 0 {
		opts.PaceTolerance = opts.PaceGap / 20
	}
	if opts.XpodDelay == 0 {
		opts.XpodDelay = DefaultXpodDelay
	}
	p, err := newPKI()
	if err != nil {
		return nil, fmt.Errorf("podsim: %w", err)
	}
	s := &Server{
		opts:     opts,
		pki:      p,
		users:    newUserStore(),
		nextUser: firstUserID,
		rooms:    make(map[string]*room),
		sessions: make(map[string]*session),
		calls:    make(map[int64]*CallCount),
		now:      time.Now,
	}
	s.faults.reset(Faults{}, s.now())
	return s, nil
}

// firstUserID makes user IDs look like a pod's: 14 digits.
const firstUserID = 12987981100001

// Start listens on addr ("127.0.0.1:0" for any free port) and serves.
func (s *Server) Start(addr string) error {
	if s.listener != nil {
		return errors.New("podsim: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("podsim: listen %s: %w", addr, err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.pki.caCert)
	tlsConf := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{s.pki.serverCert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    pool,
		// HTTP/1.1 only: a dropped connection is simulated by hijacking it.
		NextProtos: []string{"http/1.1"},
	}
	s.listener = ln
	s.http = &http.Server{
		Handler:           s.logRequests(s.routes()),
		TLSConfig:         tlsConf,
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ReadHeaderTimeout: 10 * time.Second,
		// Handshake failures of clients that do not trust our CA are the
		// point of some tests; they are not worth a line on stderr.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		s.http.Serve(tls.NewListener(ln, tlsConf))
	}()
	return nil
}

// URL is the base URL, e.g. "https://127.0.0.1:40123".
func (s *Server) URL() string {
	return "https://" + net.JoinHostPort(s.Host(), strconv.Itoa(s.Port()))
}

// Host and Port of the listener.
func (s *Server) Host() string {
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().(*net.TCPAddr).IP.String()
}

// Port of the listener (0 before Start).
func (s *Server) Port() int {
	if s.listener == nil {
		return 0
	}
	return s.listener.Addr().(*net.TCPAddr).Port
}

// CAPEM is the CA certificate that signed the server's (and clients') certificates.
func (s *Server) CAPEM() []byte { return append([]byte(nil), s.pki.caPEM...) }

// Close stops serving and closes open connections.
func (s *Server) Close() error {
	if s.http == nil {
		return nil
	}
	err := s.http.Close()
	<-s.done
	return err
}

// randFloat draws from the fault generator; callers hold s.mu.
func (s *Server) randFloat() float64 { return s.faults.rng.Float64() }

// newRand makes the fault generator: reproducible with a seed.
func newRand(seed int64) *rand.Rand {
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
}
