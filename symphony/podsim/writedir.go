package podsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Names of the files WriteDir writes.
const (
	FileLegacyConfig = "config.json"
	FileBDKConfig    = "config.yaml"
	FileBotKey       = "bot-key.pem"
	FileCA           = "ca.pem"
	FileUsersCSV     = "users.csv"
)

// WriteDir writes DIR/config.json (legacy, RSA), DIR/config.yaml (BDK 2.0),
// DIR/bot-key.pem, DIR/ca.pem and a sample DIR/users.csv for the demo world,
// with paths relative to DIR. The pod must be started (the configs hold its
// port). Files are 0600, the folder 0700 when created.
func (s *Server) WriteDir(dir string, d *Demo) error {
	if s.Port() == 0 {
		return errors.New("podsim: WriteDir: start the pod first, the configs need its port")
	}
	if d == nil {
		return errors.New("podsim: WriteDir: no demo world (call SeedDemo)")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("podsim: WriteDir: %w", err)
	}
	legacy, err := s.legacyConfig(d)
	if err != nil {
		return err
	}
	bdk, err := s.bdkConfig(d)
	if err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{FileLegacyConfig, legacy},
		{FileBDKConfig, bdk},
		{FileBotKey, d.BotKeyPEM},
		{FileCA, s.CAPEM()},
		{FileUsersCSV, []byte(SampleCSV(d, s.State()))},
	}
	for _, f := range files {
		if err := writeFile0600(filepath.Join(dir, f.name), f.data); err != nil {
			return fmt.Errorf("podsim: WriteDir: %w", err)
		}
	}
	return nil
}

// writeFile0600 writes data readable by its owner only, also when the file
// existed with wider permissions: those are narrowed before the data (a
// private key among them) is written, not after.
func writeFile0600(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// legacyConfig is the config.json of Symphony's old Python script, with RSA
// authentication. Every service is on the one listener.
func (s *Server) legacyConfig(d *Demo) ([]byte, error) {
	host, port := s.Host(), s.Port()
	// An ordered struct, so the file reads like the script's sample.
	c := struct {
		SessionAuthHost string `json:"sessionAuthHost"`
		SessionAuthPort int    `json:"sessionAuthPort"`
		KeyAuthHost     string `json:"keyAuthHost"`
		KeyAuthPort     int    `json:"keyAuthPort"`
		PodHost         string `json:"podHost"`
		PodPort         int    `json:"podPort"`
		AgentHost       string `json:"agentHost"`
		AgentPort       int    `json:"agentPort"`
		BotRSAPath      string `json:"botRSAPath"`
		BotRSAName      string `json:"botRSAName"`
		BotUsername     string `json:"botUsername"`
		TruststorePath  string `json:"truststorePath"`
	}{host, port, host, port, host, port, host, port, "./", FileBotKey, d.BotUsername, FileCA}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("podsim: %s: %w", FileLegacyConfig, err)
	}
	return append(data, '\n'), nil
}

// bdkConfig is a BDK 2.0 config.yaml: scheme, host and port at the top,
// inherited by pod, agent, key manager and session auth.
func (s *Server) bdkConfig(d *Demo) ([]byte, error) {
	type path struct {
		Path string `yaml:"path"`
	}
	c := struct {
		Scheme string `yaml:"scheme"`
		Host   string `yaml:"host"`
		Port   int    `yaml:"port"`
		Bot    struct {
			Username   string `yaml:"username"`
			PrivateKey path   `yaml:"privateKey"`
		} `yaml:"bot"`
		SSL struct {
			TrustStore path `yaml:"trustStore"`
		} `yaml:"ssl"`
	}{Scheme: "https", Host: s.Host(), Port: s.Port()}
	c.Bot.Username = d.BotUsername
	c.Bot.PrivateKey.Path = FileBotKey
	c.SSL.TrustStore.Path = FileCA
	var b bytes.Buffer
	b.WriteString("# BDK 2.0 configuration of a roster sim pod\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&c); err != nil {
		return nil, fmt.Errorf("podsim: %s: %w", FileBDKConfig, err)
	}
	return b.Bytes(), nil
}

// SampleCSV is the sample user list of the demo world, as administrators
// really send them: a header, mostly user IDs with some emails and usernames
// among them, an owner flag, duplicates (the same ID twice, an email again in
// capitals), users already in the small and the medium room, an inactive
// user, an external user (by ID and by email), an unknown user, and rows that
// are no user at all. WriteDir writes it as users.csv; roster demo offers it.
// st is the pod's state after SeedDemo (for the rooms' members).
func SampleCSV(d *Demo, st State) string {
	var b strings.Builder
	b.WriteString("user,owner\n")
	row := func(v string, owner bool) {
		b.WriteString(v)
		if owner {
			b.WriteString(",yes")
		} else {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	c := d.Candidates
	n := min(len(c), 34)
	for i := 0; i < n; i++ {
		switch {
		case i%7 == 3:
			row(c[i].Email, false)
		case i%9 == 5:
			row(c[i].Username, false)
		default:
			row(id(c[i].ID), i == 1)
		}
	}
	if n > 3 {
		row(id(c[0].ID), false)                 // a duplicate ID
		row(strings.ToUpper(c[3].Email), false) // the same email in capitals
	}
	for _, roomID := range []string{d.Small, d.Medium} {
		r, ok := st.Room(roomID)
		if !ok {
			continue
		}
		added := 0
		for _, m := range r.Members {
			if m != d.BotID && added < 2 {
				row(id(m), false) // already in the room
				added++
			}
		}
	}
	if len(d.Inactive) > 0 {
		row(id(d.Inactive[0].ID), false)
	}
	if len(d.External) > 0 {
		row(id(d.External[0].ID), false)
		row(d.External[len(d.External)-1].Email, false)
	}
	row("departed.colleague@"+podDomain, false) // no such user
	row("#N/A", false)                          // no user at all
	row("not an id", false)
	row("-42", false)
	return b.String()
}
