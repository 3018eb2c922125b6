package secrets

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("mode of %s = %o, want %o", path, got, want)
	}
}

func wantNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read dir: %v", err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestLoadOrCreateKeyCreatesOnceAndIsStable(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data") // does not exist yet
	key, path, created, err := LoadOrCreateKey(nil, "", dataDir)
	if err != nil {
		t.Fatalf("first LoadOrCreateKey: %v", err)
	}
	if !created || path != filepath.Join(dataDir, "secret.key") || len(key) != KeySize {
		t.Fatalf("first call: created=%v path=%q len=%d", created, path, len(key))
	}
	wantMode(t, dataDir, 0o700)
	wantMode(t, path, 0o600)
	wantNoTempFiles(t, dataDir)
	content, _ := os.ReadFile(path)
	if got := strings.TrimSpace(string(content)); got != EncodeKey(key) {
		t.Errorf("file holds %q, want the base64 key", got)
	}

	again, path2, created2, err := LoadOrCreateKey(nil, "", dataDir)
	if err != nil {
		t.Fatalf("second LoadOrCreateKey: %v", err)
	}
	if created2 || path2 != path || !bytes.Equal(again, key) {
		t.Errorf("second call: created=%v path=%q same key=%v", created2, path2, bytes.Equal(again, key))
	}
}

func TestLoadOrCreateKeySources(t *testing.T) {
	dir := t.TempDir()
	envKey := bytes.Repeat([]byte{1}, KeySize)
	fileKey := bytes.Repeat([]byte{2}, KeySize)
	keyFile := filepath.Join(dir, "hearth.key")
	if err := os.WriteFile(keyFile, []byte("\n  "+base64.RawURLEncoding.EncodeToString(fileKey)+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")

	tests := []struct {
		name     string
		cfgKey   []byte
		keyFile  string
		wantKey  []byte
		wantPath string
	}{
		{"environment key wins", envKey, keyFile, envKey, ""},
		{"key file", nil, keyFile, fileKey, keyFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, path, created, err := LoadOrCreateKey(tt.cfgKey, tt.keyFile, dataDir)
			if err != nil {
				t.Fatalf("LoadOrCreateKey: %v", err)
			}
			if !bytes.Equal(key, tt.wantKey) || path != tt.wantPath || created {
				t.Errorf("got key %x path %q created %v; want %x %q false", key, path, created, tt.wantKey, tt.wantPath)
			}
		})
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("data directory was touched although a key was given: %v", err)
	}
}

func TestLoadOrCreateKeyErrors(t *testing.T) {
	dir := t.TempDir()
	secretText := base64.StdEncoding.EncodeToString([]byte("only-sixteen-byt"))
	malformed := filepath.Join(dir, "malformed.key")
	if err := os.WriteFile(malformed, []byte(secretText), 0o600); err != nil {
		t.Fatal(err)
	}
	notBase64 := filepath.Join(dir, "garbage.key")
	if err := os.WriteFile(notBase64, []byte("this-is-not base64 at all!"), 0o600); err != nil {
		t.Fatal(err)
	}
	malformedDataDir := filepath.Join(dir, "bad-data")
	if err := os.MkdirAll(malformedDataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(malformedDataDir, "secret.key"), []byte(secretText), 0o600); err != nil {
		t.Fatal(err)
	}
	regularFile := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(regularFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.key")

	tests := []struct {
		name     string
		cfgKey   []byte
		keyFile  string
		dataDir  string
		wantMsgs []string
	}{
		{"env key wrong size", make([]byte, 16), "", dir, []string{"16 bytes, expected 32"}},
		{"malformed key file", nil, malformed, dir, []string{malformed, "expected 32 bytes, base64", "got 16 bytes"}},
		{"key file not base64", nil, notBase64, dir, []string{notBase64, "expected 32 bytes, base64"}},
		{"missing key file", nil, missing, dir, []string{missing, "no such file"}},
		{"malformed data dir key", nil, "", malformedDataDir, []string{filepath.Join(malformedDataDir, "secret.key"), "expected 32 bytes, base64"}},
		{"data dir under a file", nil, "", filepath.Join(regularFile, "data"), []string{"cannot create data directory", filepath.Join(regularFile, "data")}},
		{"no data dir", nil, "", "", []string{"no data directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, _, created, err := LoadOrCreateKey(tt.cfgKey, tt.keyFile, tt.dataDir)
			if err == nil {
				t.Fatalf("LoadOrCreateKey succeeded with key %x", key)
			}
			if key != nil || created {
				t.Errorf("error came with key=%x created=%v", key, created)
			}
			msg := err.Error()
			for _, want := range tt.wantMsgs {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
			if strings.Contains(msg, secretText) || strings.Contains(msg, "this-is-not") || strings.Contains(msg, "\n") {
				t.Errorf("error repeats file content or spans lines: %q", msg)
			}
		})
	}

	// Neither a named key file nor a malformed default one is ever (re)created.
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("missing key file was created: %v", err)
	}
	if content, _ := os.ReadFile(filepath.Join(malformedDataDir, "secret.key")); string(content) != secretText {
		t.Errorf("malformed key file was replaced")
	}
}

func TestLoadOrCreateKeyUnwritableDataDir(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(blocker, "nested", "data")
	_, _, _, err := LoadOrCreateKey(nil, "", dataDir)
	if err == nil || !strings.Contains(err.Error(), dataDir) || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("error = %v, want one naming %s", err, dataDir)
	}
}

func TestLoadOrCreateKeyConcurrentCreators(t *testing.T) {
	for round := range 20 {
		dataDir := filepath.Join(t.TempDir(), "data")
		const creators = 8
		keys := make([][]byte, creators)
		createdFlags := make([]bool, creators)
		errs := make([]error, creators)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range creators {
			wg.Go(func() {
				<-start
				keys[i], _, createdFlags[i], errs[i] = LoadOrCreateKey(nil, "", dataDir)
			})
		}
		close(start)
		wg.Wait()

		createdCount := 0
		for i := range creators {
			if errs[i] != nil {
				t.Fatalf("round %d creator %d: %v", round, i, errs[i])
			}
			if !bytes.Equal(keys[i], keys[0]) {
				t.Fatalf("round %d: creators got different keys", round)
			}
			if createdFlags[i] {
				createdCount++
			}
		}
		if createdCount != 1 {
			t.Fatalf("round %d: %d creators report creating the key, want 1", round, createdCount)
		}
		onDisk, _, _, err := LoadOrCreateKey(nil, "", dataDir)
		if err != nil || !bytes.Equal(onDisk, keys[0]) {
			t.Fatalf("round %d: key on disk differs from the one returned (%v)", round, err)
		}
		wantNoTempFiles(t, dataDir)
	}
}

func TestWriteKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	key, _ := NewKey()
	if err := WriteKeyFile(path, key); err != nil {
		t.Fatalf("WriteKeyFile: %v", err)
	}
	wantMode(t, path, 0o600)
	wantNoTempFiles(t, dir)
	got, gotPath, created, err := LoadOrCreateKey(nil, path, "")
	if err != nil || !bytes.Equal(got, key) || gotPath != path || created {
		t.Errorf("reading back: key equal=%v path=%q created=%v err=%v", bytes.Equal(got, key), gotPath, created, err)
	}

	if err := WriteKeyFile(path, key[:31]); err == nil {
		t.Error("WriteKeyFile accepted a 31-byte key")
	}
	unwritable := filepath.Join(path, "sub", "secret.key") // parent is a regular file
	if err := WriteKeyFile(unwritable, key); err == nil || !strings.Contains(err.Error(), filepath.Join(path, "sub")) {
		t.Errorf("WriteKeyFile under a file: error = %v, want one naming the directory", err)
	}
}
