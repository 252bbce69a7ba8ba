package podsim

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strconv"
	"testing"
)

func TestTLS(t *testing.T) {
	p := startPod(t, Options{})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(p.CAPEM())
	port := strconv.Itoa(p.Port())
	tests := []struct {
		name string
		conf *tls.Config
		ok   bool
	}{
		{"trusted, by IP", &tls.Config{RootCAs: pool}, true},
		{"trusted, by name localhost", &tls.Config{RootCAs: pool, ServerName: "localhost"}, true},
		{"TLS 1.2", &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS12}, true},
		{"TLS 1.1 refused", &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, false},
		{"system roots do not trust it", &tls.Config{}, false},
		{"wrong name", &tls.Config{RootCAs: pool, ServerName: "pod.example.com"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := tls.Dial("tcp", net.JoinHostPort("127.0.0.1", port), tt.conf)
			if err == nil {
				err = conn.Handshake()
				conn.Close()
			}
			if (err == nil) != tt.ok {
				t.Fatalf("handshake error %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestServerCertCoversLoopbackNames(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(s.pki.serverCert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if err := leaf.VerifyHostname(host); err != nil {
			t.Errorf("%s: %v", host, err)
		}
	}
}
