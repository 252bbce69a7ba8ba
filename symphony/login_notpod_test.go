package symphony

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"roster/symphony/podsim"
)

// TestLoginAtAnAddressThatIsNotAPod: a web server that answers every path
// with 404 (a wrong host, port or context path) is not said to refuse the
// bot's login: the message names the URL that answered, says it is not a
// Symphony pod's login, and names the config keys that hold that address,
// in the config's format. It stays an error no retry can fix.
func TestLoginAtAnAddressThatIsNotAPod(t *testing.T) {
	p := startPod(t, podsim.Options{}) // only for a key and a client certificate
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<html><body><h1>Welcome to our intranet</h1>Page not found</body></html>")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "server-ca.pem")
	writeFile(t, ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	ep := endpointOf(t, srv)
	ep.Context = "/intranet"
	base := ep.BaseURL()
	sso := ep
	sso.Context = "/sso"

	certPEM, keyPEM := certFiles(t, p)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bot.pem"), append(append([]byte{}, certPEM...), keyPEM...))

	tests := []struct {
		name string
		cfg  *Config
		want []string
	}{
		{"RSA, config.yaml", &Config{Path: "config.yaml", Format: "bdk", Pod: ep, BotUsername: testBot, PrivateKeyPEM: p.BotKeyPEM, TrustStorePath: ca},
			[]string{base + "/login/pubkey/authenticate answers, but not as a Symphony pod's login (HTTP 404 Not Found)",
				"the address may not be a pod", "check host, port and context", "in config.yaml"}},
		{"certificate, config.json", &Config{Path: "config.json", Format: "legacy", Pod: ep, SessionAuth: ep, BotUsername: testBot,
			CertPath: filepath.Join(dir, "bot.pem"), TrustStorePath: ca},
			[]string{base + "/sessionauth/v1/authenticate answers, but not as a Symphony pod's login (HTTP 404 Not Found)",
				"check sessionAuthHost, sessionAuthPort and sessionAuthContextPath in config.json"}},
		{"RSA, config.json: the session-auth host, then the pod", &Config{Path: "config.json", Format: "legacy", Pod: ep, SessionAuth: sso,
			BotUsername: testBot, PrivateKeyPEM: p.BotKeyPEM, TrustStorePath: ca},
			[]string{base + "/login/pubkey/authenticate answers", "check podHost, podPort and podContextPath",
				sso.BaseURL() + "/login/pubkey/authenticate answers", "check sessionAuthHost, sessionAuthPort and sessionAuthContextPath"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			err = c.Authenticate(testCtx(t))
			if err == nil {
				t.Fatal("a login at a server that is not a pod succeeded")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for _, lie := range []string{"refused the login", "public key is uploaded", testBot} {
				if strings.Contains(msg, lie) {
					t.Errorf("error says %q, which a 404 does not show:\n%s", lie, msg)
				}
			}
			if !IsAuthFailed(err) || ClassOf(err) != ClassPermanent {
				t.Errorf("IsAuthFailed %v, class %v; want a permanent login failure", IsAuthFailed(err), ClassOf(err))
			}
			if a := Advice(err); !strings.Contains(a, "not as a pod's API") {
				t.Errorf("advice %q", a)
			}
		})
	}
}
