package symphony

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// maxFileSize bounds every file the config names, and the config itself:
// a config, a key, a certificate or a truststore is a few KiB; a bundle
// of every public CA is under 300 KiB.
const maxFileSize = 1 << 20

// NotAFile says why a file is not a regular one ("" when it is one), from
// what os.Stat says: look before opening, since opening a FIFO blocks
// until a writer comes, and a device such as /dev/zero or /dev/urandom
// never ends. bulk says it of journals with the same words.
func NotAFile(info os.FileInfo) string {
	m := info.Mode()
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "is a folder, not a file"
	case m&os.ModeNamedPipe != 0:
		return "is a named pipe (FIFO), not a file"
	case m&(os.ModeDevice|os.ModeCharDevice) != 0:
		return "is a device, not a file"
	case m&os.ModeSocket != 0:
		return "is a socket, not a file"
	}
	return "is not a regular file"
}

// readFile reads a file the config names: a regular file of at most
// maxFileSize bytes, refused before it is opened when it is not one, and
// read no further than the bound (a file that grows as it is read cannot
// fill the memory either).
func readFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if why := NotAFile(info); why != "" {
		return nil, fmt.Errorf("%s %s", path, why)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file opened may not be the one looked at (replaced meanwhile).
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s is over %d KiB; %w", path, maxFileSize>>10, errTooBig)
	}
	return data, nil
}

// errTooBig: a file over maxFileSize.
var errTooBig = errors.New("a config, key or certificate file is much smaller")
