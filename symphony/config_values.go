package symphony

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// reader reads typed values out of a decoded config tree. It remembers
// which keys were read, so that the rest can be reported as unknown, and
// names the file and the dotted key in every error.
type reader struct {
	file      string // the config file, as given, for messages
	dir       string // folder that relative paths start from
	prefix    string // "bdk." when the settings sit under a Spring "bdk:" section
	lookupEnv func(string) (string, bool)
	used      map[string]bool // dotted keys read
	ignored   map[string]bool // dotted keys (and their sections) known but not needed
	warnings  []string
}

func (r *reader) errf(key, format string, args ...any) error {
	return &ConfigError{File: r.file, Key: r.prefix + key, Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) warnf(format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf("config %s: ", r.file)+fmt.Sprintf(format, args...))
}

// known marks keys (with everything under them) as understood, so they
// raise no warning, without reading them.
func (r *reader) known(keys ...string) {
	if r.ignored == nil {
		r.ignored = map[string]bool{}
	}
	for _, k := range keys {
		r.ignored[k] = true
	}
}

// get finds a dotted key ("pod.host") in the tree. A missing key or a null
// value is (nil, false).
func (r *reader) get(tree map[string]any, key string) (any, bool, error) {
	r.used[key] = true
	parts := strings.Split(key, ".")
	cur := tree
	for i, p := range parts {
		v, ok := cur[p]
		if !ok || v == nil {
			return nil, false, nil
		}
		if i == len(parts)-1 {
			return v, true, nil
		}
		m, ok := asMap(v)
		if !ok {
			return nil, false, r.errf(strings.Join(parts[:i+1], "."), "expected a section of settings, found %s", describe(v))
		}
		r.used[strings.Join(parts[:i+1], ".")] = true
		cur = m
	}
	return nil, false, nil
}

// str reads a text value, with ${NAME} taken from the environment. Numbers
// are accepted as their text; "" means absent.
func (r *reader) str(tree map[string]any, key string) (string, error) {
	v, ok, err := r.get(tree, key)
	if err != nil || !ok {
		return "", err
	}
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String()
	case int, int64, uint64, float64:
		s = fmt.Sprint(t)
	default:
		return "", r.errf(key, "expected text, found %s", describe(v))
	}
	s, err = r.expandEnv(key, s)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(s), nil
}

// expandEnv replaces ${NAME} with the environment variable NAME, so that
// passwords need not sit in the file. Anything else is left as written.
func (r *reader) expandEnv(key, s string) (string, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		end := strings.IndexByte(s[start:], '}')
		name := ""
		if end > 0 {
			name = s[start+2 : start+end]
		}
		if !validEnvName(name) {
			b.WriteString(s[:start+2])
			s = s[start+2:]
			continue
		}
		val, ok := r.lookupEnv(name)
		if !ok {
			return "", r.errf(key, "refers to the environment variable %s, which is not set; set it before running roster, or write the value in the file", name)
		}
		b.WriteString(s[:start])
		b.WriteString(val)
		s = s[start+end+1:]
	}
}

func validEnvName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		letter := c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// number reads a number, written as a number or as text ("30").
func (r *reader) number(tree map[string]any, key, expected string) (float64, bool, error) {
	v, ok, err := r.get(tree, key)
	if err != nil || !ok {
		return 0, false, err
	}
	var f float64
	switch t := v.(type) {
	case json.Number:
		f, err = t.Float64()
	case int:
		f = float64(t)
	case int64:
		f = float64(t)
	case uint64:
		f = float64(t)
	case float64:
		f = t
	case string:
		s, xerr := r.expandEnv(key, t)
		if xerr != nil {
			return 0, false, xerr
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, false, nil
		}
		f, err = strconv.ParseFloat(s, 64)
	default:
		return 0, false, r.errf(key, "expected %s, found %s", expected, describe(v))
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, r.errf(key, "expected %s, found %s", expected, describe(v))
	}
	return f, true, nil
}

// integer reads a whole number within [lo, hi].
func (r *reader) integer(tree map[string]any, key string, lo, hi int, expected string) (int, bool, error) {
	f, ok, err := r.number(tree, key, expected)
	if err != nil || !ok {
		return 0, ok, err
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, false, r.errf(key, "expected %s, found %v", expected, f)
	}
	return int(f), true, nil
}

// port reads a TCP port.
func (r *reader) port(tree map[string]any, key string) (int, bool, error) {
	return r.integer(tree, key, 1, 65535, "a port number from 1 to 65535 (usually 443)")
}

// filePath reads a path and resolves it against the config file's folder.
func (r *reader) filePath(tree map[string]any, key string) (string, error) {
	p, err := r.str(tree, key)
	if err != nil || p == "" {
		return "", err
	}
	return r.resolve(p), nil
}

// resolve makes a path from the file absolute: "~/" is the home folder,
// anything else relative is relative to the config file, not to wherever
// roster happens to be started.
func (r *reader) resolve(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(r.dir, p)
}

// contextPath reads a path prefix and normalises it to "/x/y" ("" for none).
func (r *reader) contextPath(tree map[string]any, key string) (string, error) {
	s, err := r.str(tree, key)
	if err != nil {
		return "", err
	}
	s = strings.Trim(s, "/")
	if s == "" {
		return "", nil
	}
	if strings.ContainsAny(s, "?#% \t") {
		return "", r.errf(key, "expected a URL path prefix such as /pod-api, found %q", s)
	}
	return "/" + s, nil
}

// warnUnknown adds a warning for every key that nothing read.
func (r *reader) warnUnknown(m map[string]any, prefix string) {
	for _, k := range sortedKeys(m) {
		full := prefix + k
		if r.ignored[full] {
			continue
		}
		if r.used[full] {
			if sub, ok := asMap(m[k]); ok {
				r.warnUnknown(sub, full+".")
			}
			continue
		}
		hint := ""
		for _, set := range []map[string]bool{r.used, r.ignored} {
			for u := range set {
				if strings.EqualFold(u, full) {
					hint = fmt.Sprintf(" (did you mean %q?)", r.prefix+u)
				}
			}
		}
		r.warnf("unknown key %q is ignored%s", r.prefix+full, hint)
	}
}

// asMap accepts both map shapes a YAML or JSON decoder produces.
func asMap(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, val := range t {
			m[fmt.Sprint(k)] = val
		}
		return m, true
	}
	return nil, false
}

// describe names a value's kind for an error, without echoing long content.
func describe(v any) string {
	switch t := v.(type) {
	case string:
		return "the text " + quoteShort(t)
	case bool:
		return fmt.Sprintf("%v (true/false)", t)
	case json.Number, int, int64, uint64, float64:
		return fmt.Sprintf("the number %v", t)
	case []any:
		return "a list"
	}
	if _, ok := asMap(v); ok {
		return "a section"
	}
	return fmt.Sprintf("a %T", v)
}

// decodeYAML parses YAML into nested maps. yaml.v3 is robust, but a config
// loader must never crash on a strange file, so a panic becomes an error.
func decodeYAML(data []byte) (tree map[string]any, err error) {
	defer func() {
		if p := recover(); p != nil {
			tree, err = nil, fmt.Errorf("the YAML parser could not read it (%v)", p)
		}
	}()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	m, ok := asMap(v)
	if !ok {
		return nil, nil
	}
	return m, nil
}

// maxTimeoutMillis bounds connectionTimeout and readTimeout.
const maxTimeoutMillis = 600_000

// readHTTPSettings reads defaultHeaders, connectionTimeout and readTimeout
// from each section in order ("" is the top level; a later one adds to the
// headers and overrides the timeouts), as both formats write them.
func readHTTPSettings(r *reader, tree map[string]any, cfg *Config, sections ...string) error {
	for _, sec := range sections {
		for _, t := range []struct {
			key string
			p   *time.Duration
		}{{sec + "connectionTimeout", &cfg.ConnectTimeout}, {sec + "readTimeout", &cfg.ReadTimeout}} {
			ms, ok, err := r.integer(tree, t.key, 1, maxTimeoutMillis, "milliseconds from 1 to 600000 (10 minutes), such as 30000")
			if err != nil {
				return err
			}
			if ok {
				*t.p = time.Duration(ms) * time.Millisecond
			}
		}
		key := sec + "defaultHeaders"
		v, ok, err := r.get(tree, key)
		if err != nil || !ok {
			if err != nil {
				return err
			}
			continue
		}
		m, isMap := asMap(v)
		if !isMap {
			return r.errf(key, "expected header names with their values, such as\n  %s:\n    X-Api-Key: ${GATEWAY_KEY}\nfound %s", key, describe(v))
		}
		for _, name := range sortedKeys(m) {
			if !validHeaderName(name) {
				return r.errf(key, "%q is not an HTTP header name (letters, digits and - only)", name)
			}
			if reserved[http.CanonicalHeaderKey(name)] {
				return r.errf(key, "%q is a header roster sets itself; it cannot be a default header", name)
			}
			// ${NAME} is taken from the environment; the value is never
			// echoed, as it may be a gateway's key.
			r.used[key+"."+name] = true
			var val string
			switch t := m[name].(type) {
			case string:
				if val, err = r.expandEnv(key+"."+name, t); err != nil {
					return err
				}
			case int, int64, uint64, float64, json.Number:
				val = fmt.Sprint(t)
			default:
				return r.errf(key+"."+name, "expected text (the header's value), found %s", describe(m[name]))
			}
			if strings.ContainsAny(val, "\r\n\x00") {
				return r.errf(key+"."+name, "the value holds a line break, which cannot be sent in a header")
			}
			if cfg.DefaultHeaders == nil {
				cfg.DefaultHeaders = map[string]string{}
			}
			cfg.DefaultHeaders[http.CanonicalHeaderKey(name)] = val
		}
	}
	return nil
}

// reserved are the headers roster sets on every call.
var reserved = map[string]bool{"Sessiontoken": true, "Keymanagertoken": true, "Content-Type": true,
	"Content-Length": true, "Host": true, "Authorization": true}

// validHeaderName reports whether s is a token as HTTP allows for a name.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		ok := c == '-' || c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}
