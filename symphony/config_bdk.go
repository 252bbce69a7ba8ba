package symphony

import (
	"fmt"
	"strings"
)

// bdkIgnored are BDK 2.0 sections and keys that roster does not need.
var bdkIgnored = []string{
	"app", "datafeed", "datahose",
	"connectionPoolMax", "connectionPoolPerRoute", "commandPrefix", "manageStreamCache",
	"ssl.trustStore.password", "bot.certificate.content", "agent.loadBalancing",
}

// bdkServices are the sections that inherit the global scheme/host/port/context/proxy.
var bdkServices = []string{"pod", "agent", "keyManager", "sessionAuth"}

// loadBDK reads a BDK 2.0 config.yaml.
func loadBDK(r *reader, tree map[string]any, cfg *Config) error {
	r.known(bdkIgnored...)
	// roster calls the pod, and the session-auth host to log in: one set
	// of headers and timeouts, the global ones with the pod's over them.
	// Those of the agent and key manager (which roster does not call) and
	// of sessionAuth are known but not used.
	for _, s := range []string{"agent", "keyManager", "sessionAuth"} {
		r.known(s+".defaultHeaders", s+".connectionTimeout", s+".readTimeout")
	}
	if err := readHTTPSettings(r, tree, cfg, "", "pod."); err != nil {
		return err
	}
	global, err := bdkEndpoint(r, tree, "", Endpoint{Scheme: "https", Port: 443})
	if err != nil {
		return err
	}
	globalProxy, err := bdkProxy(r, tree, "", Proxy{})
	if err != nil {
		return err
	}
	endpoints := map[string]*Endpoint{"pod": &cfg.Pod, "agent": &cfg.Agent, "keyManager": &cfg.KeyManager, "sessionAuth": &cfg.SessionAuth}
	proxies := map[string]Proxy{}
	for _, s := range bdkServices {
		if *endpoints[s], err = bdkEndpoint(r, tree, s+".", global); err != nil {
			return err
		}
		if endpoints[s].Host == "" {
			return r.errf(s+".host", "missing: set the global \"host\" (the pod's host name, such as mypod.symphony.com) or %s.host", s)
		}
		if proxies[s], err = bdkProxy(r, tree, s+".", globalProxy); err != nil {
			return err
		}
	}
	cfg.KeyAuth = cfg.KeyManager
	// roster calls the pod and, for certificate login, the session-auth host;
	// it has one proxy for both, so a different one would be silently unused.
	cfg.Proxy = proxies["pod"]
	cfg.keys["Proxy"] = r.prefix + "proxy.host"
	if sa := proxies["sessionAuth"]; sa.URL != cfg.Proxy.URL || sa.Username != cfg.Proxy.Username {
		r.warnf("sessionAuth.proxy differs from pod.proxy; roster uses the pod's proxy (%s) for both", orNone(cfg.Proxy.URL))
	}
	if cfg.BotUsername, err = r.str(tree, "bot.username"); err != nil {
		return err
	}
	if err := bdkBot(r, tree, cfg); err != nil {
		return err
	}
	if cfg.TrustStorePath, err = r.filePath(tree, "ssl.trustStore.path"); err != nil {
		return err
	}
	cfg.keys["TrustStorePath"] = r.prefix + "ssl.trustStore.path"
	if cfg.Retry, err = readRetry(r, tree, "retry."); err != nil {
		return err
	}
	return nil
}

// bdkEndpoint reads [section.]scheme/host/port/context over the inherited values.
func bdkEndpoint(r *reader, tree map[string]any, section string, inherited Endpoint) (Endpoint, error) {
	e := inherited
	scheme, err := r.str(tree, section+"scheme")
	if err != nil {
		return e, err
	}
	switch strings.ToLower(scheme) {
	case "":
	case "https":
		e.Scheme = "https"
	default:
		return e, r.errf(section+"scheme", "expected https, found %q; roster only talks to a pod over https, as the session token must not cross the network in clear", scheme)
	}
	host, err := r.str(tree, section+"host")
	if err != nil {
		return e, err
	}
	if host != "" {
		h, err := parseHost(r, section+"host", host)
		if err != nil {
			return e, err
		}
		e.Host = h.Host
		if strings.Contains(host, "://") {
			e.Scheme = h.Scheme
			if h.Context != "" {
				e.Context = h.Context
			}
		}
		if h.Port != 0 {
			e.Port = h.Port
		}
	}
	port, ok, err := r.port(tree, section+"port")
	if err != nil {
		return e, err
	}
	if ok {
		e.Port = port
	}
	if _, present, _ := r.get(tree, section+"context"); present {
		if e.Context, err = r.contextPath(tree, section+"context"); err != nil {
			return e, err
		}
	}
	return e, nil
}

// bdkProxy reads [section.]proxy.host/port/username/password over the inherited proxy.
func bdkProxy(r *reader, tree map[string]any, section string, inherited Proxy) (Proxy, error) {
	key := section + "proxy"
	if _, present, err := r.get(tree, key); err != nil || !present {
		return inherited, err
	}
	host, err := r.str(tree, key+".host")
	if err != nil {
		return inherited, err
	}
	if host == "" {
		return inherited, r.errf(key+".host", "missing; expected the proxy's host name")
	}
	port, ok, err := r.port(tree, key+".port")
	if err != nil {
		return inherited, err
	}
	raw := host
	if ok {
		raw = fmt.Sprintf("%s:%d", host, port)
	}
	u, err := normaliseProxyURL(r, key+".host", raw)
	if err != nil {
		return inherited, err
	}
	p := Proxy{URL: u}
	if p.Username, err = r.str(tree, key+".username"); err != nil {
		return inherited, err
	}
	if p.Password, err = r.str(tree, key+".password"); err != nil {
		return inherited, err
	}
	return p, nil
}

// bdkBot reads bot.privateKey (path or content) and bot.certificate.
func bdkBot(r *reader, tree map[string]any, cfg *Config) error {
	var err error
	if cfg.PrivateKeyPath, err = r.filePath(tree, "bot.privateKey.path"); err != nil {
		return err
	}
	oldKey, err := deprecatedPath(r, tree, "bot.privateKeyPath", "bot.privateKey.path", cfg.PrivateKeyPath)
	if err != nil {
		return err
	}
	content, err := r.str(tree, "bot.privateKey.content")
	if err != nil {
		return err
	}
	switch {
	case content != "" && (cfg.PrivateKeyPath != "" || oldKey != ""):
		return r.errf("bot.privateKey", "sets both path and content; keep one")
	case content != "":
		cfg.PrivateKeyPEM = []byte(content)
		cfg.keys["PrivateKeyPath"] = r.prefix + "bot.privateKey.content"
	case oldKey != "":
		cfg.PrivateKeyPath = oldKey
		cfg.keys["PrivateKeyPath"] = r.prefix + "bot.privateKeyPath"
	default:
		cfg.keys["PrivateKeyPath"] = r.prefix + "bot.privateKey.path"
	}
	if cfg.PrivateKeyPassword, err = r.str(tree, "bot.privateKey.password"); err != nil {
		return err
	}
	cfg.keys["PrivateKeyPassword"] = r.prefix + "bot.privateKey.password"
	if c, present, _ := r.get(tree, "bot.certificate.content"); present && c != "" {
		return r.errf("bot.certificate.content", "inline certificates are not supported; save it to a file and set bot.certificate.path")
	}
	if cfg.CertPath, err = r.filePath(tree, "bot.certificate.path"); err != nil {
		return err
	}
	cfg.keys["CertPath"] = r.prefix + "bot.certificate.path"
	oldCert, err := deprecatedPath(r, tree, "bot.certificatePath", "bot.certificate.path", cfg.CertPath)
	if err != nil {
		return err
	}
	if oldCert != "" {
		cfg.CertPath = oldCert
		cfg.keys["CertPath"] = r.prefix + "bot.certificatePath"
	}
	if cfg.CertKeyPath, err = r.filePath(tree, "bot.certificate.keyPath"); err != nil {
		return err
	}
	cfg.keys["CertKeyPath"] = r.prefix + "bot.certificate.keyPath"
	if cfg.CertPassword, err = r.str(tree, "bot.certificate.password"); err != nil {
		return err
	}
	cfg.keys["CertPassword"] = r.prefix + "bot.certificate.password"
	oldPassword, err := r.str(tree, "bot.certificatePassword")
	if err != nil {
		return err
	}
	if oldPassword != "" {
		// Compared, never echoed.
		if cfg.CertPassword != "" && cfg.CertPassword != oldPassword {
			return r.errf("bot.certificatePassword", "differs from bot.certificate.password; keep one (bot.certificate.password)")
		}
		cfg.CertPassword = oldPassword
		cfg.keys["CertPassword"] = r.prefix + "bot.certificatePassword"
		r.warnf("%s is deprecated (an older BDK key, still read); write it as %s", r.prefix+"bot.certificatePassword", r.prefix+"bot.certificate.password")
	}
	return nil
}

// deprecatedPath reads an older BDK key for a file (bot.privateKeyPath,
// bot.certificatePath), which BDK 2.0 still accepts: it is used with a
// warning naming the key to write instead, unless the current key names
// another file.
func deprecatedPath(r *reader, tree map[string]any, oldKey, newKey, current string) (string, error) {
	p, err := r.filePath(tree, oldKey)
	if err != nil || p == "" {
		return "", err
	}
	if current != "" && current != p {
		return "", r.errf(oldKey, "names %s but %s names %s; keep one (%s)", p, newKey, current, newKey)
	}
	r.warnf("%s is deprecated (an older BDK key, still read); write it as %s", r.prefix+oldKey, r.prefix+newKey)
	return p, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
