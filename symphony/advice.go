package symphony

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// The client classifies its own errors: callers ask these functions what
// went wrong, and Advice what the operator should do about it, instead of
// reading HTTP statuses or matching error text. Each works on any error
// chain that holds one of the client's errors, however wrapped.

// Ops of the login calls: auth.go names its errors with them.
const (
	opRSALogin  = "POST /login/pubkey/authenticate"
	opCertLogin = "POST /sessionauth/v1/authenticate"
	opSignJWT   = "sign login JWT"
)

// IsAuthFailed reports whether err comes from a login the pod refused (a
// wrong username, key or certificate), or from a session the pod refused
// even after a fresh login: nothing can succeed until the configuration is
// fixed.
func IsAuthFailed(err error) bool {
	if errors.Is(err, ErrAuthFailed) {
		return true
	}
	ae := apiError(err)
	return ae != nil && ae.Status == http.StatusUnauthorized
}

// IsForbidden reports whether the pod refused a call because the bot lacks
// a permission (HTTP 403), such as changing a room it does not own. A
// refused login is not counted here: see IsAuthFailed.
func IsForbidden(err error) bool {
	ae := apiError(err)
	return ae != nil && ae.Status == http.StatusForbidden && !errors.Is(err, ErrAuthFailed)
}

// IsUnknownRoom reports whether the pod does not know the stream ID of a
// call about one room, or cannot: a value that is not a stream ID at all
// (ErrNotStreamID) names no room, and the call was never sent. A pod answers an unknown stream ID with 400 "Stream
// not found." or, on some paths, 404; the reads of a room take nothing
// but the ID, so any 400 or 404 of theirs means the ID, while a 400 of a
// membership change may be about the user instead and counts only when it
// says the stream or room was not found.
func IsUnknownRoom(err error) bool {
	ae := apiError(err)
	if ae == nil || !streamOp(ae.Op) {
		return false
	}
	if errors.Is(err, ErrNotStreamID) {
		return true
	}
	switch ae.Status {
	case http.StatusNotFound:
		return true
	case http.StatusBadRequest:
		if strings.HasPrefix(ae.Op, "GET ") {
			return true
		}
		msg := strings.ToLower(ae.Message)
		return strings.Contains(msg, "not found") && (strings.Contains(msg, "stream") || strings.Contains(msg, "room"))
	}
	return false
}

// streamOp reports whether an op names one stream in its path.
func streamOp(op string) bool {
	return strings.Contains(op, "/room/{id}/") || strings.Contains(op, "/streams/{sid}/")
}

// IsRateLimited reports whether the pod refused a call for making too many
// (HTTP 429).
func IsRateLimited(err error) bool {
	ae := apiError(err)
	return ae != nil && ae.Status == http.StatusTooManyRequests
}

// IsUntrustedCertificate reports whether the TLS certificate the pod (or a
// proxy that inspects TLS) presented was refused: signed by a CA the
// truststore does not hold, expired, or otherwise not a valid chain. A
// certificate that is valid but for another name is not counted: setting a
// truststore cannot fix that.
func IsUntrustedCertificate(err error) bool {
	var (
		unknownCA   x509.UnknownAuthorityError
		invalid     x509.CertificateInvalidError
		noRoots     x509.SystemRootsError
		verifyErr   *tls.CertificateVerificationError
		hostnameErr x509.HostnameError
	)
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &invalid), errors.As(err, &noRoots):
		return true
	case errors.As(err, &verifyErr):
		return !errors.As(err, &hostnameErr)
	}
	return false
}

// IsUnreachable reports whether no connection could be made: the host name
// does not resolve, the connection was refused or timed out, or a proxy on
// the way could not reach the pod.
func IsUnreachable(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var refusal *proxyRefusal
	if errors.As(err, &refusal) {
		switch refusal.status {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	// A failed dial to a proxy is a "proxyconnect" OpError around the
	// "dial" one: look through the whole chain.
	return inChain(err, func(e error) bool {
		op, ok := e.(*net.OpError)
		return ok && op.Op == "dial"
	})
}

// Advice says what the operator should do about err, naming the config keys
// to check in both formats (config.json and config.yaml), or "" when there
// is no advice beyond the error's own message (a cancelled call, a config
// file's error, which names its key already). The advice does not depend on
// where the stream ID or the config came from (a flag, a wizard step), so
// that every face can show it as it is.
func Advice(err error) string {
	if err == nil || errors.Is(err, context.Canceled) {
		return ""
	}
	if ae := apiError(err); ae != nil && (ae.Err == context.Canceled || ae.Err == context.DeadlineExceeded) {
		return "" // the caller stopped the call; nothing is wrong with the pod or the config
	}
	if IsAuthFailed(err) {
		return authAdvice(err)
	}
	if s := proxyAdvice(err); s != "" {
		return s
	}
	if s := tlsAdvice(err); s != "" {
		return s
	}
	ae := apiError(err)
	switch {
	case IsUnreachable(err):
		return unreachableAdvice(err)
	case IsUnknownRoom(err) && errors.Is(err, ErrNotStreamID):
		return "The value was not sent to the pod, as it is not a stream ID: copy the stream ID from the room's details in Symphony " +
			"(either base64 form works), or give the room's exact name."
	case IsUnknownRoom(err):
		return "The pod knows no room by that ID: check the stream ID (copy it from the room's details in Symphony; " +
			"either base64 form works), that the room is on the pod the config names (podHost; host in config.yaml), and that the bot can see it."
	case ae != nil && ae.Status == http.StatusNotFound && ae.Op != "":
		return notAPodAdvice(err)
	case IsForbidden(err) && strings.HasPrefix(ae.Op, "GET ") && streamOp(ae.Op):
		return "The pod does not show this room to the bot: a private room is shown only to its members, to compliance officers " +
			"and to users with the User Provisioning role (and its info to anyone when it is discoverable); add the bot to the room, " +
			"or give it the User Provisioning role."
	case IsForbidden(err):
		return "The bot lacks a permission on this room: make the bot an owner of the room, or give it the User Provisioning role " +
			"(a plain member may only add people, and only to a room whose members can invite)."
	case IsRateLimited(err):
		wait := "a minute"
		if ae.RetryAfter > time.Minute {
			wait = ae.RetryAfter.Round(time.Second).String()
		}
		return "The pod is limiting calls: wait " + wait + " and try again."
	case ae != nil && ae.Status >= 500:
		return "The pod answered with a server error: wait a few minutes and try again; if it persists, tell the pod's administrators."
	case isTimeout(err):
		return "The pod did not answer in time: try again; if it keeps happening, check the network and the proxy between this machine and the pod."
	}
	return ""
}

// authAdvice names what to check for a refused login, by the login method
// the failed call used.
func authAdvice(err error) string {
	ae := apiError(err)
	op := ""
	if ae != nil {
		op = ae.Op
	}
	switch {
	case ae != nil && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed):
		// No login service at that address: the address is wrong, not the bot.
		return notAPodAdvice(err)
	case !errors.Is(err, ErrAuthFailed):
		// A 401 right after a new login: the login succeeded somewhere
		// whose sessions this pod does not accept.
		return "The pod refused the bot's session even just after a new login: check that the login host " +
			"(sessionAuthHost and sessionAuthPort; sessionAuth.host in config.yaml) belongs to the same pod as podHost (host in config.yaml)."
	case op == opRSALogin || op == opSignJWT:
		return "The pod refused the bot's login: check the bot's username (botUsername; bot.username in config.yaml), " +
			"that the public key of its private key (botRSAPath and botRSAName; bot.privateKey.path in config.yaml) " +
			"is the one the pod holds for the bot, and that this machine's clock is right."
	case op == opCertLogin:
		return "The pod refused the bot's certificate: check that its CN is the bot's username (botUsername; bot.username in config.yaml), " +
			"that the config names the right certificate (botCertPath and botCertName; bot.certificate.path in config.yaml), " +
			"and that the pod trusts the CA that issued it."
	}
	return "The pod refused the bot's login: check the bot's username (botUsername; bot.username in config.yaml) and its key " +
		"(the pod must hold the public key of its private key) or certificate (its CN must be the username)."
}

// proxyAdvice is the advice for a failure at a proxy, "" for any other error.
func proxyAdvice(err error) string {
	const (
		address     = "proxyURL or podProxyURL in config.json, proxy.host and proxy.port in config.yaml, or HTTPS_PROXY when the config sets no proxy"
		credentials = "proxyUsername and proxyPassword in config.json, proxy.username and proxy.password in config.yaml, " +
			"or the user and password in HTTPS_PROXY when the config sets no proxy"
	)
	var refusal *proxyRefusal
	if errors.As(err, &refusal) {
		switch refusal.status {
		case http.StatusProxyAuthRequired:
			return "The proxy refused its credentials: check the proxy username and password (" + credentials + ")."
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return "The proxy could not reach the pod: check " + hostKeys(err) + ", and that the proxy may connect to them; " +
				"try again if the pod was down."
		}
		return "The proxy refused the tunnel to the pod: check " + hostKeys(err) + " and the proxy (" + address + "), " +
			"or ask the proxy's administrators to allow the pod's address."
	}
	if inChain(err, func(e error) bool {
		op, ok := e.(*net.OpError)
		return ok && op.Op == "proxyconnect"
	}) {
		return "The proxy cannot be reached: check its address (" + address + ") and that it is running."
	}
	return ""
}

// tlsAdvice is the advice for a TLS failure, "" for any other error.
func tlsAdvice(err error) string {
	var (
		hostnameErr x509.HostnameError
		invalid     x509.CertificateInvalidError
		unknownCA   x509.UnknownAuthorityError
		noRoots     x509.SystemRootsError
		header      tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &hostnameErr):
		return "The pod's certificate is not made out to the host name in the config: set podHost (host in config.yaml) " +
			"to a name the certificate lists, not an IP address or an alias."
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "The pod's certificate has expired or is not valid yet: check this machine's date and time; " +
			"if they are right, the pod's administrators must renew the certificate (a truststore cannot fix this)."
	case errors.As(err, &unknownCA), errors.As(err, &noRoots):
		return "The pod's TLS certificate (or that of a proxy inspecting TLS) is not signed by a CA roster trusts: " +
			"set truststorePath (config.json) or ssl.trustStore.path (config.yaml) to a PEM bundle of the CA that issued it."
	case IsUntrustedCertificate(err):
		return "The pod's certificate chain is not valid: check that truststorePath (ssl.trustStore.path in config.yaml) " +
			"holds the CA that issued the pod's certificate; if it does, the pod's administrators must fix the chain."
	case errors.As(err, &header):
		return "The address in the config does not answer HTTPS: check podHost and podPort (host, port and scheme in config.yaml); " +
			"a pod's API is usually on port 443."
	}
	return ""
}

// unreachableAdvice names the host and the keys to check when no
// connection could be made.
func unreachableAdvice(err error) string {
	what := "The pod cannot be reached"
	if isLogin(err) {
		what = "The login host cannot be reached"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound && dnsErr.Name != "" {
		return fmt.Sprintf("The host name %q is not known: check %s for a typing mistake, and that this machine uses the DNS of your network.",
			dnsErr.Name, hostKeys(err))
	}
	return what + ": check " + hostKeys(err) + ", that this machine may connect to them (firewall, VPN), and the proxy settings."
}

// hostKeys names the config keys of the host that err's call went to.
func hostKeys(err error) string {
	if isLogin(err) {
		// The RSA login of a legacy config goes to the session-auth host
		// first, then to the pod.
		return "sessionAuthHost and sessionAuthPort, and podHost and podPort (sessionAuth.host and host in config.yaml)"
	}
	return "podHost and podPort (host and port in config.yaml)"
}

// notAPodAdvice is the advice for a 404 of a call that names no room: the
// address answers HTTPS, but not as a pod's API.
func notAPodAdvice(err error) string {
	keys := "podHost, podPort and podContextPath (host, port and context in config.yaml)"
	if isLogin(err) {
		keys = "sessionAuthHost, sessionAuthPort and sessionAuthContextPath, and podHost, podPort and podContextPath " +
			"(sessionAuth.host and host, port and context in config.yaml)"
	}
	return "The address in the config answers, but not as a pod's API: check " + keys + "."
}

// isLogin reports whether err comes from a login call.
func isLogin(err error) bool {
	ae := apiError(err)
	return ae != nil && (ae.Op == opRSALogin || ae.Op == opCertLogin)
}

// isTimeout reports whether a call failed for want of an answer in time.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// apiError is the first *APIError in err's chain, nil if none.
func apiError(err error) *APIError {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae
	}
	return nil
}

// inChain reports whether any error in err's tree (Unwrap() error and
// Unwrap() []error alike) satisfies match.
func inChain(err error, match func(error) bool) bool {
	for err != nil {
		if match(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if inChain(e, match) {
					return true
				}
			}
			return false
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return false
		}
	}
	return false
}
