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
		{FileUsersCSV, sampleCSV(d, s.State())},
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

// sampleCSV is a user list as administrators really send them: a header,
// mostly user IDs, some emails and usernames, an owner flag, a couple of
// duplicates, a member of the small room, an inactive, an external and an
// unknown user, and one row that is no user at all.
func sampleCSV(d *Demo, st State) []byte {
	var b strings.Builder
	b.WriteString("user,owner\n")
	row := func(v string, owner bool) {
		b.WriteString(v)
		if owner {
			b.WriteString(",yes")
		}
		b.WriteString("\n")
	}
	c := d.Candidates
	n := min(len(c), 30)
	for i := 0; i < n; i++ {
		switch {
		case i == 0:
			row(strconv.FormatInt(c[i].ID, 10), true)
		case i%7 == 3:
			row(c[i].Email, false)
		case i%9 == 5:
			row(c[i].Username, false)
		default:
			row(strconv.FormatInt(c[i].ID, 10), false)
		}
	}
	if n > 2 {
		row(strconv.FormatInt(c[1].ID, 10), false) // a duplicate ID
		row(strings.ToUpper(c[3].Email), false)    // the same email in capitals
	}
	if small, ok := st.Room(d.Small); ok {
		for _, id := range small.Members {
			if id != d.BotID {
				row(strconv.FormatInt(id, 10), false) // already in the small room
				break
			}
		}
	}
	if len(d.Inactive) > 0 {
		row(strconv.FormatInt(d.Inactive[0].ID, 10), false)
	}
	if len(d.External) > 0 {
		row(d.External[0].Email, false)
	}
	row("departed.colleague@"+podDomain, false) // no such user
	row("#N/A", false)
	return []byte(b.String())
}
