package symphony

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AuthMethod is how the bot authenticates.
type AuthMethod string

const (
	AuthRSA  AuthMethod = "rsa"
	AuthCert AuthMethod = "cert"
)

// Endpoint is one service's base address.
type Endpoint struct {
	Scheme  string // "https" unless configured otherwise
	Host    string
	Port    int
	Context string // path prefix such as "/pod-api", "" for none
}

// BaseURL is scheme://host:port/context, without a trailing slash.
func (e Endpoint) BaseURL() string {
	scheme := e.Scheme
	if scheme == "" {
		scheme = "https"
	}
	port := e.Port
	if port == 0 {
		port = 443
	}
	host := e.Host
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]" // IPv6 literal
	}
	return scheme + "://" + host + ":" + strconv.Itoa(port) + e.Context
}

// Proxy is an HTTP(S) proxy with optional credentials.
type Proxy struct {
	URL      string
	Username string
	Password string `json:"-"` // never printed
}

// Format prints the proxy with its password redacted, whatever the verb.
func (p Proxy) Format(f fmt.State, verb rune) {
	type plain Proxy // same fields, no Format method: no recursion
	q := plain(p)
	if q.Password != "" {
		q.Password = redacted
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), q)
}

// Config is one bot's settings, read from a legacy config.json or a BDK 2.0 config.yaml.
// Printing it with %v, %+v, %s or %#v redacts the key, passwords and proxy password.
type Config struct {
	Path   string // the file it was read from
	Format string // "legacy" or "bdk"

	Pod         Endpoint
	Agent       Endpoint
	KeyManager  Endpoint
	SessionAuth Endpoint // certificate authentication host for the pod session
	KeyAuth     Endpoint // certificate authentication host for the key manager

	BotUsername string

	// RSA: a PEM private key, from a file or inline content.
	PrivateKeyPath     string
	PrivateKeyPEM      []byte `json:"-"`
	PrivateKeyPassword string `json:"-"` // for an encrypted PKCS#8 key; never printed

	// Certificate: a PKCS#12 file with password, or PEM cert + key.
	CertPath     string
	CertKeyPath  string // PEM key when CertPath is a PEM certificate without the key inside
	CertPassword string `json:"-"` // never printed

	TrustStorePath string // PEM bundle that replaces the system roots
	Proxy          Proxy
	RefreshPeriod  time.Duration // authTokenRefreshPeriod; 0 = no early refresh
	// Retry is the retry section (both formats). Its zero fields take the
	// BDK's defaults (10 attempts, 500 ms doubling to a 300 s cap): no
	// stricter reason was found, since roster's own bounds on waiting,
	// retry.maxWaitMillis (15 minutes for one wait) and
	// retry.maxOutageMillis (5 minutes without any answer), are what stop
	// a long wait or a dead pod, whatever the attempt count.
	Retry RetryPolicy

	// DefaultHeaders are sent with every call (defaultHeaders, in both
	// formats; a BDK pod.defaultHeaders adds to and overrides the global
	// ones): a pod behind an API gateway may need one. They never replace
	// the headers roster sets itself (sessionToken, Content-Type, Accept).
	// Their values are redacted when the config is printed.
	DefaultHeaders map[string]string `json:"-"`
	// ConnectTimeout and ReadTimeout are connectionTimeout and readTimeout
	// (milliseconds, both formats; a BDK pod.* value wins); 0 = the
	// client's default (DefaultConnectTimeout, DefaultReadTimeout).
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration

	// AuthType is the method the file itself declares (the legacy "authType"
	// key), "" when it declares none. It settles a config that sets up both.
	AuthType AuthMethod

	Warnings []string // unknown keys and similar, each naming the file and key

	// keys names, for messages, the config keys that set a field ("PrivateKeyPath" ->
	// "botRSAPath+botRSAName"); empty for a Config built in code.
	keys map[string]string
}

const redacted = "[redacted]"

// String prints the config with its secrets redacted, so that a stray %v
// or %+v in a log cannot leak them.
func (c Config) String() string { return fmt.Sprintf("%+v", c.redacted()) }

// GoString is String for %#v.
func (c Config) GoString() string { return fmt.Sprintf("%#v", c.redacted()) }

// plainConfig has Config's fields and none of its methods.
type plainConfig Config

func (c Config) redacted() plainConfig {
	q := plainConfig(c)
	if len(q.PrivateKeyPEM) > 0 {
		q.PrivateKeyPEM = []byte(redacted)
	}
	if q.PrivateKeyPassword != "" {
		q.PrivateKeyPassword = redacted
	}
	if q.CertPassword != "" {
		q.CertPassword = redacted
	}
	if len(q.DefaultHeaders) > 0 {
		h := make(map[string]string, len(q.DefaultHeaders))
		for k := range q.DefaultHeaders {
			h[k] = redacted
		}
		q.DefaultHeaders = h
	}
	q.keys = nil
	return q
}

// keyName is the config key (or keys) that set a field, for messages.
func (c *Config) keyName(field string) string {
	if k, ok := c.keys[field]; ok {
		return k
	}
	return field
}

// source names the config file for messages ("config /x/config.json").
func (c *Config) source() string {
	if c.Path == "" {
		return "config"
	}
	return "config " + c.Path
}

// ConfigError is a problem with one key of a config file.
type ConfigError struct {
	File string // the config file
	Key  string // the key, dotted for nested keys ("bot.privateKey.path"); "" for the whole file
	Msg  string // what is wrong and what was expected
}

func (e *ConfigError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("config %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("config %s: key %q: %s", e.File, e.Key, e.Msg)
}

// maxConfigSize bounds the file read: a config is a few hundred bytes, and
// a wrong --config (a log, a CSV) should fail quickly with a clear message.
const maxConfigSize = maxFileSize

// LoadConfig reads a legacy config.json or a BDK 2.0 config.yaml.
//
// The format is recognised by its content (a JSON object with podHost,
// botUsername... is legacy; host/bot/pod sections are BDK), so a misnamed
// file still loads. Relative paths resolve against the config file's folder;
// ${NAME} in a string value is taken from the environment. The key material
// itself is read by NewClient.
func LoadConfig(path string) (*Config, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &ConfigError{File: path, Msg: "file not found; give the path of a config.json or config.yaml"}
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if info.IsDir() {
		return nil, &ConfigError{File: path, Msg: "is a folder; give the path of a config.json or config.yaml file"}
	}
	if why := NotAFile(info); why != "" {
		return nil, &ConfigError{File: path, Msg: why + "; give the path of a config.json or config.yaml file"}
	}
	if info.Size() > maxConfigSize {
		return nil, &ConfigError{File: path, Msg: fmt.Sprintf("is %d bytes; a config file is expected to be under 1 MiB", info.Size())}
	}
	data, err := readFile(abs)
	if errors.Is(err, errTooBig) {
		return nil, &ConfigError{File: path, Msg: "is over 1 MiB; a config file is expected to be under 1 MiB"}
	}
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return parseConfig(path, filepath.Dir(abs), data, os.LookupEnv)
}

// parseConfig is LoadConfig after reading: path names the file in messages,
// dir is where relative paths start.
func parseConfig(path, dir string, data []byte, lookupEnv func(string) (string, bool)) (*Config, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &ConfigError{File: path, Msg: "is empty; expected a legacy config.json or a BDK config.yaml"}
	}
	tree, err := decodeTree(path, data)
	if err != nil {
		return nil, err
	}
	r := &reader{file: path, dir: dir, lookupEnv: lookupEnv, used: map[string]bool{}}
	cfg := &Config{Path: path, keys: map[string]string{}}
	if inner, ok := tree["bdk"]; ok && len(tree) == 1 {
		// A Spring Boot application.yaml nests the BDK config under "bdk:".
		m, ok := asMap(inner)
		if !ok {
			return nil, &ConfigError{File: path, Key: "bdk", Msg: "expected a section of BDK settings (host, bot, ...)"}
		}
		tree, r.prefix = m, "bdk."
	}
	if cfg.Format, err = detectFormat(path, tree); err != nil {
		return nil, err
	}
	load := loadBDK
	if cfg.Format == "legacy" {
		load = loadLegacy
	}
	if err := load(r, tree, cfg); err != nil {
		return nil, err
	}
	r.warnUnknown(tree, "")
	cfg.Warnings = append(cfg.Warnings, r.warnings...)
	if cfg.BotUsername == "" {
		key := "botUsername"
		if cfg.Format == "bdk" {
			key = r.prefix + "bot.username"
		}
		return nil, &ConfigError{File: path, Key: key, Msg: "missing; expected the bot's (service account's) username"}
	}
	return cfg, nil
}

// legacyMarkers and bdkMarkers are top-level keys that only one format has.
// "retry" is in neither: both loaders read it (the old SDKs' config.json
// accepted the BDK's retry section too), so it says nothing about the format.
var (
	legacyMarkers = []string{"podHost", "sessionAuthHost", "keyAuthHost", "agentHost", "botUsername",
		"botRSAPath", "botPrivateKeyPath", "botCertPath"}
	bdkMarkers = []string{"host", "bot", "pod", "agent", "keyManager", "sessionAuth", "ssl", "scheme", "context"}
)

func detectFormat(path string, tree map[string]any) (string, error) {
	var legacy, bdk []string
	for _, k := range legacyMarkers {
		if _, ok := tree[k]; ok {
			legacy = append(legacy, k)
		}
	}
	for _, k := range bdkMarkers {
		if _, ok := tree[k]; ok {
			bdk = append(bdk, k)
		}
	}
	switch {
	case len(legacy) > 0 && len(bdk) > 0:
		return "", &ConfigError{File: path, Msg: fmt.Sprintf(
			"mixes legacy config.json keys (%s) with BDK config.yaml keys (%s); use one format",
			strings.Join(legacy, ", "), strings.Join(bdk, ", "))}
	case len(legacy) > 0:
		return "legacy", nil
	case len(bdk) > 0:
		return "bdk", nil
	}
	return "", &ConfigError{File: path, Msg: "is neither a legacy config.json (podHost, botUsername, botRSAPath...) " +
		"nor a BDK config.yaml (host, bot.username, bot.privateKey.path...)"}
}

// Method returns the authentication method the config sets up, or an error
// that says why it is ambiguous or missing.
func (c *Config) Method() (AuthMethod, error) {
	hasRSA := c.PrivateKeyPath != "" || len(c.PrivateKeyPEM) > 0
	hasCert := c.CertPath != ""
	rsaKey, certKey := c.keyName("PrivateKeyPath"), c.keyName("CertPath")
	switch c.AuthType {
	case AuthRSA:
		if !hasRSA {
			return "", fmt.Errorf("%s: %s is %q but no private key is set (%s)", c.source(), c.keyName("AuthType"), c.AuthType, rsaKey)
		}
		return AuthRSA, nil
	case AuthCert:
		if !hasCert {
			return "", fmt.Errorf("%s: %s is %q but no certificate is set (%s)", c.source(), c.keyName("AuthType"), c.AuthType, certKey)
		}
		return AuthCert, nil
	}
	switch {
	case hasRSA && hasCert:
		return "", fmt.Errorf("%s: ambiguous authentication: both an RSA key (%s) and a certificate (%s) are set; "+
			"choose one with --auth rsa or --auth cert, or remove the other from the config", c.source(), rsaKey, certKey)
	case hasRSA:
		return AuthRSA, nil
	case hasCert:
		return AuthCert, nil
	}
	return "", fmt.Errorf("%s: no authentication is set up: expected an RSA private key (%s) or a certificate (%s)",
		c.source(), rsaKey, certKey)
}

// decodeTree parses the file into nested maps. A file that starts with "{"
// is JSON (with line and column in errors); anything else is YAML.
func decodeTree(path string, data []byte) (map[string]any, error) {
	trimmed := bytes.TrimSpace(data)
	if trimmed[0] == '{' || trimmed[0] == '[' {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		err := dec.Decode(&v)
		if err == nil && dec.More() {
			err = errors.New("unexpected content after the closing }")
		}
		if err != nil {
			return nil, &ConfigError{File: path, Msg: "is not valid JSON: " + jsonErrorAt(data, err)}
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, &ConfigError{File: path, Msg: "expected a JSON object { \"podHost\": ..., ... } at the top"}
		}
		return m, nil
	}
	tree, err := decodeYAML(data)
	if err != nil {
		return nil, &ConfigError{File: path, Msg: "is not valid YAML: " + err.Error()}
	}
	if tree == nil {
		return nil, &ConfigError{File: path, Msg: "expected a YAML mapping (host: ..., bot: ...) at the top"}
	}
	return tree, nil
}

// jsonErrorAt says where a JSON error is, as line and column.
func jsonErrorAt(data []byte, err error) string {
	var offset int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		offset = se.Offset
	case errors.As(err, &te):
		offset = te.Offset
	}
	if offset < 0 || offset > int64(len(data)) {
		return err.Error()
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	hint := ""
	switch msg := err.Error(); {
	case strings.Contains(msg, "invalid character '/'"), strings.Contains(msg, "invalid character '#'"):
		hint = " (JSON allows no comments: remove them)"
	case strings.Contains(msg, "invalid character '}'"), strings.Contains(msg, "invalid character ']'"):
		hint = " (JSON allows no comma before a closing } or ])"
	case strings.Contains(msg, "invalid character '\\''"):
		hint = " (JSON needs double quotes around keys and text)"
	}
	return fmt.Sprintf("line %d, column %d: %v%s", line, col, err, hint)
}

// sortedKeys lists a map's keys in order, for stable warnings.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
