package handlers

import (
	"io/fs"
	"regexp"
	"sort"
	"testing"

	"hearth/templates"
)

var templateKeyPattern = regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)

// templateMessageKeys lists every literal message key the templates use.
func templateMessageKeys(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	err := fs.WalkDir(templates.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(templates.FS, path)
		if err != nil {
			return err
		}
		for _, m := range templateKeyPattern.FindAllStringSubmatch(string(body), -1) {
			seen[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
