package secrets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// DefaultKeyFileName is the file in the data directory that holds the key when
// neither HEARTH_SECRET_KEY nor HEARTH_SECRET_KEY_FILE is set.
const DefaultKeyFileName = "secret.key"

// maxKeyFileSize bounds what is read from a key file; a real one is 45 bytes.
const maxKeyFileSize = 1024

// LoadOrCreateKey returns the key to use: from cfgKey if non-nil; else from
// keyFile if non-empty (the file holds base64 text, whitespace trimmed; it is
// never created, since a key file named by the administrator that is missing is
// a mistake to report, not to paper over); else from secret.key in dataDir,
// which is created with a new random key when it does not exist.
//
// Creation is atomic and exclusive: the key is written to a temporary file
// (mode 0600, in a directory created 0700 if missing), synced, and then
// hard-linked into place, which fails if another process got there first; the
// loser reads the winner's key. An existing file is never replaced, even when
// malformed, because replacing a key makes every secret sealed under it unreadable.
//
// created reports whether a new key file was made; path is the file used ("" for cfgKey).
func LoadOrCreateKey(cfgKey []byte, keyFile, dataDir string) (key []byte, path string, created bool, err error) {
	if cfgKey != nil {
		if len(cfgKey) != KeySize {
			return nil, "", false, fmt.Errorf("secrets: key from the environment is %d bytes, expected %d", len(cfgKey), KeySize)
		}
		return bytes.Clone(cfgKey), "", false, nil
	}
	if keyFile != "" {
		key, err := readKeyFile(keyFile)
		if err != nil {
			return nil, keyFile, false, err
		}
		return key, keyFile, false, nil
	}
	if dataDir == "" {
		return nil, "", false, errors.New("secrets: load or create key: no key, no key file and no data directory given")
	}

	path = filepath.Join(dataDir, DefaultKeyFileName)
	key, err = readKeyFile(path)
	// ENOTDIR: part of dataDir is a file; let MkdirAll report that clearly.
	if err == nil || !(errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) {
		return key, path, false, err
	}
	key, created, err = createKeyFile(dataDir, path)
	if err != nil {
		return nil, path, false, err
	}
	return key, path, created, nil
}

// WriteKeyFile atomically replaces path with the base64 key (mode 0600),
// syncing the file and its directory so a crash leaves either the old key or
// the new one, never neither. Used by key rotation.
func WriteKeyFile(path string, key []byte) error {
	if len(key) != KeySize {
		return fmt.Errorf("secrets: write key file %q: key is %d bytes, expected %d", path, len(key), KeySize)
	}
	dir := filepath.Dir(path)
	tmp, err := writeTempKey(dir, filepath.Base(path), key)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("secrets: write key file %q: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("secrets: write key file %q: %w", path, err)
	}
	return nil
}

// createKeyFile makes a new key file at path unless another process beat us
// to it, in which case that process's key is returned.
func createKeyFile(dir, path string) (key []byte, created bool, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("secrets: cannot create data directory %q for the secret key: %w", dir, pathErrorCause(err))
	}
	key, err = NewKey()
	if err != nil {
		return nil, false, err
	}
	tmp, err := writeTempKey(dir, DefaultKeyFileName, key)
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp) // after a successful link the key lives on under path

	err = os.Link(tmp, path)
	switch {
	case err == nil:
		if err := syncDir(dir); err != nil {
			return nil, false, fmt.Errorf("secrets: create key file %q: %w", path, err)
		}
		return key, true, nil
	case errors.Is(err, fs.ErrExist):
		key, err := readKeyFile(path)
		return key, false, err
	default:
		// Some filesystems (certain network shares and bind mounts) have no
		// hard links. O_EXCL still keeps two creators apart, though a reader
		// racing the writer could then see a partly written file.
		return createKeyFileExclusive(dir, path, key)
	}
}

func createKeyFileExclusive(dir, path string, key []byte) ([]byte, bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- configured path
	if errors.Is(err, fs.ErrExist) {
		existing, err := readKeyFile(path)
		return existing, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("secrets: create key file %q: %w", path, pathErrorCause(err))
	}
	if err := writeAndClose(f, key); err != nil {
		_ = os.Remove(path)
		return nil, false, fmt.Errorf("secrets: create key file %q: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return nil, false, fmt.Errorf("secrets: create key file %q: %w", path, err)
	}
	return key, true, nil
}

// writeTempKey writes key to a new hidden file in dir and returns its name;
// the caller links or renames it into place.
func writeTempKey(dir, base string, key []byte) (string, error) {
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("secrets: directory %q is not writable for the secret key: %w", dir, pathErrorCause(err))
	}
	if err := writeAndClose(f, key); err != nil {
		_ = os.Remove(f.Name())
		return "", fmt.Errorf("secrets: write temporary key file in %q: %w", dir, err)
	}
	return f.Name(), nil
}

// writeAndClose writes the encoded key, forces mode 0600 whatever the umask
// allowed, and syncs before closing so the key is on disk before it is linked.
func writeAndClose(f *os.File, key []byte) error {
	_, err := f.WriteString(EncodeKey(key) + "\n")
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// readKeyFile reads and decodes a key file. Its errors name the file but never
// repeat its content.
func readKeyFile(path string) ([]byte, error) {
	// The path is the administrator's own configuration (HEARTH_SECRET_KEY_FILE
	// or the data directory), never request input.
	f, err := os.Open(path) // #nosec G304 -- configured path
	if err != nil {
		return nil, fmt.Errorf("secrets: read key file %q: %w", path, pathErrorCause(err))
	}
	defer f.Close()
	text, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("secrets: read key file %q: %w", path, pathErrorCause(err))
	}
	if len(text) > maxKeyFileSize {
		return nil, fmt.Errorf("secrets: key file %q: expected %d bytes, base64; the file is far too long", path, KeySize)
	}
	key, err := decodeKey(string(text))
	if err != nil {
		return nil, fmt.Errorf("secrets: key file %q: %w", path, err)
	}
	return key, nil
}

// syncDir makes a rename or link in dir durable. Platforms and filesystems that
// cannot sync a directory are tolerated: the file itself is already synced.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir) // #nosec G304 -- the configured data directory
	if err != nil {
		return fmt.Errorf("sync directory %q: %w", dir, pathErrorCause(err))
	}
	err = d.Sync()
	if closeErr := d.Close(); err == nil {
		err = closeErr
	}
	if err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("sync directory %q: %w", dir, pathErrorCause(err))
	}
	return nil
}

// pathErrorCause drops the *fs.PathError wrapper, whose message repeats the
// path that our own message already names; errors.Is still sees the cause.
func pathErrorCause(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}
