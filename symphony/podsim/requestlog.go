package podsim

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"time"
)

// logRequests writes one line per request to opts.RequestLog.
func (s *Server) logRequests(h http.Handler) http.Handler {
	if s.opts.RequestLog == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		status := fmt.Sprint(rec.status)
		switch {
		case rec.hijacked:
			status = "dropped"
		case rec.status == 0:
			status = "200"
		}
		line := fmt.Sprintf("%s %-4s %s %s %v\n", start.Format("15:04:05.000"), r.Method, r.URL.Path, status,
			time.Since(start).Round(time.Microsecond))
		s.logMu.Lock()
		s.opts.RequestLog.Write([]byte(line))
		s.logMu.Unlock()
	})
}

// statusRecorder remembers the status of a reply, and lets a dropped
// connection be hijacked through it.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	r.hijacked = true
	return hj.Hijack()
}
