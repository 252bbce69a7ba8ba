package symphony

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"
)

// jwtLifetime is how long the login JWT is valid; Symphony refuses more than 5 minutes.
const jwtLifetime = 240 * time.Second

// loadRSAKey reads the bot's RSA private key from the config: PKCS#1 or
// PKCS#8 PEM, PKCS#8 possibly encrypted with PrivateKeyPassword.
func loadRSAKey(cfg *Config) (*rsa.PrivateKey, error) {
	key := cfg.keyName("PrivateKeyPath")
	data := cfg.PrivateKeyPEM
	where := "the inline key"
	if len(data) == 0 {
		if cfg.PrivateKeyPath == "" {
			return nil, fmt.Errorf("%s: key %q: missing; expected the path of the bot's RSA private key (PEM)", cfg.source(), key)
		}
		var err error
		if data, err = readFile(cfg.PrivateKeyPath); err != nil {
			return nil, fmt.Errorf("%s: key %q: cannot read the private key: %w", cfg.source(), key, err)
		}
		where = cfg.PrivateKeyPath
	}
	k, err := parsePrivateKey(data, cfg.PrivateKeyPassword)
	if err != nil {
		return nil, fmt.Errorf("%s: key %q: %s: %w", cfg.source(), key, where, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: key %q: %s holds a %s key; RSA authentication needs an RSA key", cfg.source(), key, where, keyKind(k))
	}
	return rk, nil
}

// parsePrivateKey finds the first private key in PEM data. Its errors never
// quote the data.
func parsePrivateKey(data []byte, password string) (crypto.Signer, error) {
	sawPublic := false
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch block.Type {
		case "RSA PRIVATE KEY":
			if block.Headers["Proc-Type"] != "" {
				return nil, errors.New("the key is encrypted in the legacy OpenSSL format, which is not supported; " +
					"convert it to encrypted PKCS#8 with: openssl pkcs8 -topk8 -in OLD.pem -out NEW.pem")
			}
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("the PKCS#1 RSA key cannot be read: %v", err)
			}
			return k, nil
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("the PKCS#8 key cannot be read: %v", err)
			}
			return asSigner(k)
		case "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("the EC key cannot be read: %v", err)
			}
			return k, nil
		case "ENCRYPTED PRIVATE KEY":
			if password == "" {
				return nil, errors.New("the key is encrypted (PKCS#8) but no password is configured " +
					"(botPrivateKeyPassword, or bot.privateKey.password in a BDK config)")
			}
			k, err := pkcs8.ParsePKCS8PrivateKey(block.Bytes, []byte(password))
			if err != nil {
				return nil, errors.New("the encrypted PKCS#8 key cannot be decrypted: wrong password, or an unsupported cipher")
			}
			return asSigner(k)
		case "PUBLIC KEY", "RSA PUBLIC KEY":
			sawPublic = true
		}
	}
	if sawPublic {
		return nil, errors.New("it holds a public key; the bot's private key is needed (the public key is what the pod admin uploads)")
	}
	return nil, errors.New("no PEM private key found (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)")
}

func asSigner(k any) (crypto.Signer, error) {
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("unsupported key type %T", k)
	}
	return s, nil
}

func keyKind(k any) string {
	switch k.(type) {
	case *ecdsa.PrivateKey:
		return "ECDSA"
	case ed25519.PrivateKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", k)
}

// loadClientCert reads the bot's certificate: a PKCS#12 file with its
// password, or PEM with the certificate and its key (in the same file or in
// CertKeyPath).
func loadClientCert(cfg *Config) (*tls.Certificate, error) {
	key := cfg.keyName("CertPath")
	if cfg.CertPath == "" {
		return nil, fmt.Errorf("%s: key %q: missing; expected the path of the bot's certificate (.p12 or PEM)", cfg.source(), key)
	}
	data, err := readFile(cfg.CertPath)
	if err != nil {
		return nil, fmt.Errorf("%s: key %q: cannot read the certificate: %w", cfg.source(), key, err)
	}
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		return loadPKCS12(cfg, data)
	}
	var chain [][]byte
	var leaf *x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			if leaf == nil {
				if leaf, err = x509.ParseCertificate(block.Bytes); err != nil {
					return nil, fmt.Errorf("%s: key %q: %s: the certificate cannot be read: %v", cfg.source(), key, cfg.CertPath, err)
				}
			}
			chain = append(chain, block.Bytes)
		}
	}
	if leaf == nil {
		return nil, fmt.Errorf("%s: key %q: %s holds no certificate; expected a PKCS#12 file (.p12) or PEM (-----BEGIN CERTIFICATE-----)",
			cfg.source(), key, cfg.CertPath)
	}
	keyData, keyWhere, keyKey := data, cfg.CertPath, key
	if cfg.CertKeyPath != "" {
		keyKey = cfg.keyName("CertKeyPath")
		if keyData, err = readFile(cfg.CertKeyPath); err != nil {
			return nil, fmt.Errorf("%s: key %q: cannot read the certificate's key: %w", cfg.source(), keyKey, err)
		}
		keyWhere = cfg.CertKeyPath
	}
	signer, err := parsePrivateKey(keyData, cfg.CertPassword)
	if err != nil {
		return nil, fmt.Errorf("%s: key %q: %s: %w", cfg.source(), keyKey, keyWhere, err)
	}
	if !publicKeysEqual(signer.Public(), leaf.PublicKey) {
		return nil, fmt.Errorf("%s: key %q: the private key in %s does not belong to the certificate in %s", cfg.source(), keyKey, keyWhere, cfg.CertPath)
	}
	return &tls.Certificate{Certificate: chain, PrivateKey: signer, Leaf: leaf}, nil
}

func loadPKCS12(cfg *Config, data []byte) (*tls.Certificate, error) {
	key := cfg.keyName("CertPath")
	k, leaf, cas, err := pkcs12.DecodeChain(data, cfg.CertPassword)
	if err != nil {
		msg := "is not a readable PKCS#12 file"
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			msg = "cannot be opened: the password (" + cfg.keyName("CertPassword") + ") is wrong"
		}
		return nil, fmt.Errorf("%s: key %q: %s %s", cfg.source(), key, cfg.CertPath, msg)
	}
	chain := [][]byte{leaf.Raw}
	for _, ca := range cas {
		chain = append(chain, ca.Raw)
	}
	return &tls.Certificate{Certificate: chain, PrivateKey: k, Leaf: leaf}, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}

// signJWT makes the login token: RS512, sub = the bot's username, exp = now + 240 s.
func signJWT(key *rsa.PrivateKey, username string, now time.Time) (string, error) {
	claims := jwt.RegisteredClaims{
		Subject:   username,
		ExpiresAt: jwt.NewNumericDate(now.Add(jwtLifetime)),
	}
	return jwt.NewWithClaims(jwt.SigningMethodRS512, claims).SignedString(key)
}

// tokenReply is the Token of the login and authenticator APIs.
type tokenReply struct {
	Name  string `json:"name"`
	Token string `json:"token"`
}

// login opens a new session with the configured method and returns its token.
func (c *Client) login(ctx context.Context) (string, error) {
	var rq request
	atPod := false // the login goes to the pod, not to the session-auth host
	switch c.method {
	case AuthRSA:
		jwtToken, err := signJWT(c.rsaKey, c.cfg.BotUsername, c.now())
		if err != nil {
			return "", &APIError{Op: opSignJWT, Message: "cannot sign the login token: " + err.Error(), Err: errors.Join(ErrAuthFailed, err)}
		}
		var ep Endpoint
		ep, atPod = c.rsaLoginEndpoint()
		rq = request{method: "POST", endpoint: ep, path: "/login/pubkey/authenticate",
			op: opRSALogin, body: map[string]string{"token": jwtToken}, secret: jwtToken}
	default:
		// No body and no Content-Type: the certificate is the credential.
		rq = request{method: "POST", endpoint: c.cfg.SessionAuth, path: "/sessionauth/v1/authenticate",
			op: opCertLogin}
		if rq.endpoint.Host == "" {
			rq.endpoint, atPod = c.cfg.Pod, true
		}
	}
	tok, err := c.loginAt(ctx, rq, atPod)
	if err == nil || c.method != AuthRSA || rq.endpoint == c.cfg.Pod || !worthTryingPod(ctx, err) {
		return tok, err
	}
	// The old SDKs sent the RSA login to podHost, and a legacy config's
	// session-auth host (often the "-api" host of certificate login) may
	// not serve it at all: try the pod before giving up, and keep using
	// whichever answered.
	firstMsg := err.Error()
	rq.endpoint = c.cfg.Pod
	tok, err = c.loginAt(ctx, rq, true)
	var e *APIError
	if errors.As(err, &e) {
		e.Message = fmt.Sprintf("%s (before that, the session-auth host %s:%d gave: %s)",
			e.Message, c.cfg.SessionAuth.Host, c.cfg.SessionAuth.Port, firstMsg)
	}
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.rsaAtPod = true
	c.mu.Unlock()
	return tok, nil
}

// worthTryingPod reports whether a failed RSA login at the session-auth
// host says that host does not serve logins (no such path, no connection),
// rather than that the bot was refused.
func worthTryingPod(ctx context.Context, err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) || ctx.Err() != nil {
		return false
	}
	switch {
	case ae.Status == 404, ae.Status == 405:
		return true
	case ae.Status == 0:
		return !strings.HasPrefix(ae.Message, "TLS:") && !errors.Is(ae, ErrAuthFailed)
	}
	return false
}

// loginAt makes one login request and reads the token; atPod says whether
// it goes to the pod's address or the session-auth host's.
func (c *Client) loginAt(ctx context.Context, rq request, atPod bool) (string, error) {
	rep, err := c.send(ctx, rq)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Status >= 400 && ae.Status < 500 && ae.Status != 429 && ae.Status != 408 {
			// Waiting or re-trying cannot help: the config must change.
			ae.Class = ClassPermanent
			ae.Err = ErrAuthFailed
			if ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed {
				// No login at that URL: nothing was refused, and the
				// bot's credentials were not looked at.
				ae.Message = fmt.Sprintf("login failed: %s answers, but not as a Symphony pod's login (HTTP %d %s): "+
					"the address may not be a pod; check %s%s",
					rq.endpoint.BaseURL()+rq.path, ae.Status, http.StatusText(ae.Status), loginKeys(c.cfg.Format, atPod), inFile(c.cfg.Path))
				return "", err
			}
			ae.Message = fmt.Sprintf("%s: %s refused the login of %q (%s authentication): %s; %s",
				ErrAuthFailed, rq.endpoint.Host, c.cfg.BotUsername, c.method, ae.Message, authHint(c.method))
		}
		return "", err
	}
	var tok tokenReply
	if err := decode(rq.op, rep, &tok); err != nil {
		return "", err
	}
	if tok.Token == "" {
		return "", &APIError{Op: rq.op, Status: rep.status, Class: ClassPermanent, Err: ErrAuthFailed,
			Message: rq.op + ": the reply carries no session token"}
	}
	return tok.Token, nil
}

// loginKeys names the config keys that set a login's address, in the
// config's format: the pod's, or the session-auth host's.
func loginKeys(format string, pod bool) string {
	switch {
	case pod && format == "bdk":
		return "host, port and context (pod.host, pod.port and pod.context when set)"
	case pod:
		return "podHost, podPort and podContextPath"
	case format == "bdk":
		return "sessionAuth.host, sessionAuth.port and sessionAuth.context (host, port and context when those are not set)"
	}
	return "sessionAuthHost, sessionAuthPort and sessionAuthContextPath"
}

// inFile is " in PATH" for a config read from a file, "" otherwise.
func inFile(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}

// rsaLoginEndpoint is where the RSA login goes, and whether that is the
// pod: the session-auth host of a legacy config (as issue 2 decides; the pod
// is tried when that host does not serve logins), the pod of a BDK config.
func (c *Client) rsaLoginEndpoint() (Endpoint, bool) {
	c.mu.Lock()
	atPod := c.rsaAtPod
	c.mu.Unlock()
	if c.cfg.Format != "bdk" && c.cfg.SessionAuth.Host != "" && !atPod {
		return c.cfg.SessionAuth, false
	}
	return c.cfg.Pod, true
}

// authHint names what to check when a login is refused.
func authHint(m AuthMethod) string {
	if m == AuthCert {
		return "check that the certificate's CN is the bot's username and that the pod trusts its CA"
	}
	return "check the bot's username, that its public key is uploaded in the pod's admin console, and this machine's clock"
}
