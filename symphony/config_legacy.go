package symphony

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// legacyIgnored are keys of the old SDKs' config.json that roster does not
// need (extension apps, datafeed, key manager proxies...): known, so quiet.
var legacyIgnored = []string{
	"botEmailAddress", "appId", "appCertPath", "appCertName", "appCertPassword",
	"appPrivateKeyPath", "appPrivateKeyName", "appUsername",
	"agentProxyURL", "agentProxyUsername", "agentProxyPassword",
	"keyManagerProxyURL", "keyManagerProxyUsername", "keyManagerProxyPassword",
	"truststorePassword", "datafeedVersion", "datafeedEventsThreadpoolSize",
	"datafeedEventsErrorTimeout", "reuseDatafeedID", "showFirehoseErrors",
	"authenticationFilterUrlPattern", "agentProxyPort", "keyManagerProxyPort",
	"supportedUriSchemes", "agentConnectionTimeout", "authenticationType",
}

// loadLegacy reads the config.json of Symphony's old SDKs and bot scripts.
func loadLegacy(r *reader, tree map[string]any, cfg *Config) error {
	r.known(legacyIgnored...)
	var err error
	if cfg.Pod, err = legacyEndpoint(r, tree, "pod", nil); err != nil {
		return err
	}
	if cfg.Pod.Host == "" {
		return r.errf("podHost", "missing; expected the pod's host name, such as mypod.symphony.com")
	}
	if cfg.Agent, err = legacyEndpoint(r, tree, "agent", &cfg.Pod); err != nil {
		return err
	}
	if cfg.SessionAuth, err = legacyEndpoint(r, tree, "sessionAuth", &cfg.Pod); err != nil {
		return err
	}
	if cfg.KeyAuth, err = legacyEndpoint(r, tree, "keyAuth", &cfg.SessionAuth); err != nil {
		return err
	}
	if cfg.KeyManager, err = legacyEndpoint(r, tree, "keyManager", &cfg.KeyAuth); err != nil {
		return err
	}
	if cfg.BotUsername, err = r.str(tree, "botUsername"); err != nil {
		return err
	}
	if err := legacyKeys(r, tree, cfg); err != nil {
		return err
	}
	if err := legacyProxy(r, tree, cfg); err != nil {
		return err
	}
	if cfg.TrustStorePath, err = r.filePath(tree, "truststorePath"); err != nil {
		return err
	}
	cfg.keys["TrustStorePath"] = "truststorePath"
	if err := readHTTPSettings(r, tree, cfg, ""); err != nil {
		return err
	}
	minutes, ok, err := r.number(tree, "authTokenRefreshPeriod", "minutes as a number, such as 30")
	if err != nil {
		return err
	}
	if ok {
		if minutes < 0 || minutes > 7*24*60 {
			return r.errf("authTokenRefreshPeriod", "expected minutes from 0 (no early refresh) to 10080, found %v", minutes)
		}
		cfg.RefreshPeriod = time.Duration(minutes * float64(time.Minute))
	}
	authType, err := r.str(tree, "authType")
	if err != nil {
		return err
	}
	switch strings.ToLower(authType) {
	case "":
	case "rsa":
		cfg.AuthType = AuthRSA
	case "cert", "certificate":
		cfg.AuthType = AuthCert
	default:
		return r.errf("authType", "expected \"rsa\" or \"cert\", found %q", authType)
	}
	cfg.keys["AuthType"] = "authType"
	if _, present := tree["retry"]; present {
		if cfg.Retry, err = readRetry(r, tree, "retry."); err != nil {
			return err
		}
	}
	return nil
}

// legacyEndpoint reads <name>Host, <name>Port and <name>ContextPath. A host
// may also be written as a URL (https://host:port/context). An absent host
// takes the fallback endpoint, as the old SDKs' cloud defaults did.
func legacyEndpoint(r *reader, tree map[string]any, name string, fallback *Endpoint) (Endpoint, error) {
	hostKey, portKey, ctxKey := name+"Host", name+"Port", name+"ContextPath"
	host, err := r.str(tree, hostKey)
	if err != nil {
		return Endpoint{}, err
	}
	port, hasPort, err := r.port(tree, portKey)
	if err != nil {
		return Endpoint{}, err
	}
	ctxPath, err := r.contextPath(tree, ctxKey)
	if err != nil {
		return Endpoint{}, err
	}
	if host == "" {
		if fallback == nil {
			return Endpoint{}, nil
		}
		e := *fallback
		if hasPort {
			e.Port = port
		}
		if ctxPath != "" {
			e.Context = ctxPath
		}
		return e, nil
	}
	e, err := parseHost(r, hostKey, host)
	if err != nil {
		return Endpoint{}, err
	}
	if hasPort {
		if e.Port != 0 && e.Port != port {
			return Endpoint{}, r.errf(portKey, "is %d but %s names port %d; keep one", port, hostKey, e.Port)
		}
		e.Port = port
	}
	if e.Port == 0 {
		e.Port = 443
	}
	if ctxPath != "" {
		e.Context = ctxPath
	}
	return e, nil
}

// parseHost accepts "host", "host:port" or "https://host:port/context".
func parseHost(r *reader, key, s string) (Endpoint, error) {
	e := Endpoint{Scheme: "https"}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Hostname() == "" {
			return Endpoint{}, r.errf(key, "expected a host name such as mypod.symphony.com or a URL such as https://mypod.symphony.com, found %q", s)
		}
		if u.Scheme != "https" {
			return Endpoint{}, r.errf(key, "has scheme %q; roster only talks to a pod over https, as the session token must not cross the network in clear", u.Scheme)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return Endpoint{}, r.errf(key, "expected a host name or https://host:port/path, without credentials, query or fragment")
		}
		e.Scheme, e.Host = u.Scheme, u.Hostname()
		if p := u.Port(); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return Endpoint{}, r.errf(key, "has port %q; expected a number from 1 to 65535", p)
			}
			e.Port = n
		}
		if path := strings.Trim(u.Path, "/"); path != "" {
			e.Context = "/" + path
		}
		return e, nil
	}
	if h, p, err := net.SplitHostPort(s); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Endpoint{}, r.errf(key, "has port %q; expected a number from 1 to 65535", p)
		}
		s, e.Port = h, n
	}
	if s == "" || strings.ContainsAny(s, "/ \t?#@") {
		return Endpoint{}, r.errf(key, "expected a host name such as mypod.symphony.com, found %q", s)
	}
	e.Host = s
	return e, nil
}

// legacyKeys reads the RSA key (botRSAPath+botRSAName, or the newer
// botPrivateKeyPath+botPrivateKeyName) and the certificate.
func legacyKeys(r *reader, tree map[string]any, cfg *Config) error {
	rsaPath, err := pathPair(r, tree, "botRSAPath", "botRSAName")
	if err != nil {
		return err
	}
	pkPath, err := pathPair(r, tree, "botPrivateKeyPath", "botPrivateKeyName")
	if err != nil {
		return err
	}
	switch {
	case rsaPath != "" && pkPath != "" && rsaPath != pkPath:
		return r.errf("botPrivateKeyPath", "names the key %s but botRSAPath+botRSAName names %s; keep one pair", pkPath, rsaPath)
	case rsaPath != "":
		cfg.PrivateKeyPath = rsaPath
		cfg.keys["PrivateKeyPath"] = "botRSAPath+botRSAName"
	case pkPath != "":
		cfg.PrivateKeyPath = pkPath
		cfg.keys["PrivateKeyPath"] = "botPrivateKeyPath+botPrivateKeyName"
	default:
		cfg.keys["PrivateKeyPath"] = "botRSAPath+botRSAName"
	}
	if cfg.PrivateKeyPassword, err = r.str(tree, "botPrivateKeyPassword"); err != nil {
		return err
	}
	cfg.keys["PrivateKeyPassword"] = "botPrivateKeyPassword"
	if cfg.CertPath, err = pathPair(r, tree, "botCertPath", "botCertName"); err != nil {
		return err
	}
	cfg.CertPath = withP12(cfg.CertPath)
	cfg.keys["CertPath"] = "botCertPath+botCertName"
	if cfg.CertKeyPath, err = r.filePath(tree, "botCertKeyPath"); err != nil {
		return err
	}
	cfg.keys["CertKeyPath"] = "botCertKeyPath"
	if cfg.CertPassword, err = r.str(tree, "botCertPassword"); err != nil {
		return err
	}
	cfg.keys["CertPassword"] = "botCertPassword"
	return nil
}

// withP12 is a certificate path as the old Python SDKs read botCertName:
// they added ".p12" to it. A path with no such file, whose name has no
// .p12 or .pfx ending, is taken with ".p12" when that file exists.
func withP12(p string) string {
	if p == "" {
		return p
	}
	if ext := strings.ToLower(filepath.Ext(p)); ext == ".p12" || ext == ".pfx" {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if _, err := os.Stat(p + ".p12"); err == nil {
		return p + ".p12"
	}
	return p
}

// pathPair joins a folder key and a file name key, as the old SDKs did
// ("./rsa/" + "privatekey.pem"). Either may be empty: a folder key may hold
// the whole file path, and a lone name is relative to the config file.
func pathPair(r *reader, tree map[string]any, dirKey, nameKey string) (string, error) {
	dir, err := r.str(tree, dirKey)
	if err != nil {
		return "", err
	}
	name, err := r.str(tree, nameKey)
	if err != nil {
		return "", err
	}
	if strings.ContainsAny(name, `/\`) && dir != "" {
		return "", r.errf(nameKey, "expected a file name inside %s (%q), found a path %q", dirKey, dir, name)
	}
	switch {
	case dir == "" && name == "":
		return "", nil
	case name == "":
		return r.resolve(dir), nil
	case dir == "":
		return r.resolve(name), nil
	}
	return r.resolve(filepath.Join(dir, name)), nil
}

// legacyProxy reads proxyURL/proxyPort/proxyUsername/proxyPassword;
// podProxy* wins for the pod, which is the only service roster calls
// besides login. The old SDKs kept the port in its own key: a URL without
// one takes it (without it, the proxy would be called on port 80).
func legacyProxy(r *reader, tree map[string]any, cfg *Config) error {
	for _, prefix := range []string{"podProxy", "proxy"} {
		raw, err := r.str(tree, prefix+"URL")
		if err != nil {
			return err
		}
		port, hasPort, err := r.port(tree, prefix+"Port")
		if err != nil {
			return err
		}
		user, err := r.str(tree, prefix+"Username")
		if err != nil {
			return err
		}
		pass, err := r.str(tree, prefix+"Password")
		if err != nil {
			return err
		}
		if raw == "" && hasPort {
			r.warnf("%sPort is set but %sURL is not, so it is unused", prefix, prefix)
		}
		if raw == "" || cfg.Proxy.URL != "" {
			continue
		}
		u, err := normaliseProxyURL(r, prefix+"URL", raw)
		if err != nil {
			return err
		}
		if hasPort {
			if u, err = withProxyPort(r, prefix, u, port); err != nil {
				return err
			}
		}
		cfg.Proxy = Proxy{URL: u, Username: user, Password: pass}
		cfg.keys["Proxy"] = prefix + "URL"
	}
	return nil
}

// withProxyPort puts <prefix>Port into a proxy URL that has no port, and
// refuses one that names another.
func withProxyPort(r *reader, prefix, proxyURL string, port int) (string, error) {
	u, err := url.Parse(proxyURL)
	if err != nil {
		return "", r.errf(prefix+"URL", "expected a proxy address such as http://proxy.example.com:8080")
	}
	if p := u.Port(); p != "" {
		if p != strconv.Itoa(port) {
			return "", r.errf(prefix+"Port", "is %d but %sURL names port %s; keep one", port, prefix, p)
		}
		return proxyURL, nil
	}
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(port))
	return u.String(), nil
}

// normaliseProxyURL checks a proxy address and adds the http:// an old
// config often leaves out.
func normaliseProxyURL(r *reader, key, raw string) (string, error) {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return "", r.errf(key, "expected a proxy address such as http://proxy.example.com:8080")
	}
	switch u.Scheme {
	case "http", "https", "socks5":
	default:
		return "", r.errf(key, "has scheme %q; expected http, https or socks5", u.Scheme)
	}
	if u.User != nil {
		return "", r.errf(key, "carries credentials; put them in the proxy username and password keys instead")
	}
	return fmt.Sprintf("%s://%s", u.Scheme, u.Host), nil
}

// readRetry reads the retry section (BDK keys; also accepted in a legacy file).
func readRetry(r *reader, tree map[string]any, prefix string) (RetryPolicy, error) {
	var p RetryPolicy
	n, ok, err := r.integer(tree, prefix+"maxAttempts", 1, 100, "a whole number of attempts from 1 to 100")
	if err != nil {
		return p, err
	}
	if ok {
		p.MaxAttempts = n
	}
	ms, ok, err := r.integer(tree, prefix+"initialIntervalMillis", 1, 3600_000, "milliseconds from 1 to 3600000")
	if err != nil {
		return p, err
	}
	if ok {
		p.Initial = time.Duration(ms) * time.Millisecond
	}
	ms, ok, err = r.integer(tree, prefix+"maxIntervalMillis", 1, 3600_000, "milliseconds from 1 to 3600000")
	if err != nil {
		return p, err
	}
	if ok {
		p.Max = time.Duration(ms) * time.Millisecond
	}
	m, ok, err := r.number(tree, prefix+"multiplier", "a number of at least 1, such as 2")
	if err != nil {
		return p, err
	}
	if ok {
		if m < 1 || m > 100 {
			return p, r.errf(prefix+"multiplier", "expected a number from 1 to 100, such as 2, found %v", m)
		}
		p.Multiplier = m
	}
	// roster's own bounds on waiting (not the BDK's): see RetryPolicy.
	for _, lim := range []struct {
		key string
		p   *time.Duration
	}{{"maxWaitMillis", &p.MaxWait}, {"maxOutageMillis", &p.MaxOutage}} {
		ms, ok, err := r.integer(tree, prefix+lim.key, 1000, 7*24*3600_000, "milliseconds from 1000 (a second) to 604800000 (a week)")
		if err != nil {
			return p, err
		}
		if ok {
			*lim.p = time.Duration(ms) * time.Millisecond
		}
	}
	if p.Max != 0 && p.Initial > p.Max {
		return p, r.errf(prefix+"maxIntervalMillis", "is smaller than initialIntervalMillis; expected a cap at least as large")
	}
	return p, nil
}
