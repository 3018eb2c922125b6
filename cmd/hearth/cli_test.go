package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hearth/internal/secrets"
	"hearth/models/testdb"
)

// cliRun runs the binary's entry point with the given environment.
func cliRun(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, cliEnv{
		getenv: func(k string) string { return env[k] },
		stdin:  strings.NewReader(""),
		stdout: &out,
		stderr: &errOut,
	})
	return code, out.String(), errOut.String()
}

// databases returns an environment per test database: SQLite in a fresh
// data directory, and PostgreSQL in a fresh schema when configured.
func databases(t *testing.T) map[string]map[string]string {
	envs := map[string]map[string]string{
		"sqlite": {"HEARTH_DATA_DIR": t.TempDir()},
	}
	if testdb.PostgresURLConfigured() {
		envs["postgres"] = map[string]string{"HEARTH_DATA_DIR": t.TempDir(), "HEARTH_DATABASE_URL": testdb.PostgresURL(t)}
	}
	return envs
}

func TestCLIUsage(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"help lists commands", []string{"--help"}, 0, "rotate-key", ""},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"bad flag", []string{"migrate", "--nope"}, 2, "", "flag provided but not defined"},
		{"command help", []string{"migrate", "--help"}, 0, "", "Usage: hearth migrate"},
		{"version", []string{"version"}, 0, "hearth ", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cliRun(t, map[string]string{"HEARTH_DATA_DIR": t.TempDir()}, tc.args...)
			if code != tc.wantCode || !strings.Contains(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
}

// TestCLIBadConfiguration: each bad value ends with one line naming the
// variable, a non-zero exit, and nothing written.
func TestCLIBadConfiguration(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, variable, value, want string
	}{
		{"malformed database URL", "HEARTH_DATABASE_URL", "mysql://x", "HEARTH_DATABASE_URL"},
		{"bad address", "HEARTH_ADDR", "nowhere", "HEARTH_ADDR"},
		{"bad key", "HEARTH_SECRET_KEY", "c2hvcnQ=", "HEARTH_SECRET_KEY"},
		{"bad language", "HEARTH_DEFAULT_LANGUAGE", "xx", "HEARTH_DEFAULT_LANGUAGE"},
		{"unwritable data dir", "HEARTH_DATA_DIR", filepath.Join(file, "data"), "HEARTH_DATA_DIR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"HEARTH_DATA_DIR": dir, tc.variable: tc.value}
			code, _, errOut := cliRun(t, env, "migrate")
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("code %d, stderr %q", code, errOut)
			}
			if lines := strings.Count(strings.TrimSpace(errOut), "\n"); lines > 0 {
				t.Fatalf("want one line, got %q", errOut)
			}
			if tc.name != "unwritable data dir" {
				entries, _ := os.ReadDir(dir)
				if len(entries) > 0 {
					t.Fatalf("wrote %v before refusing", entries)
				}
			}
		})
	}
}

// TestCLIMigrateTwiceAndKeyCheck: migrate twice is a no-op; the generated key
// is 0600; another key is refused with a clear message; rotate-key moves every
// secret to a new key that then works while the old one no longer does.
func TestCLIMigrateTwiceAndKeyCheck(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			for i := range 2 {
				if code, out, errOut := cliRun(t, env, "migrate"); code != 0 {
					t.Fatalf("migrate #%d: code %d %s %s", i+1, code, out, errOut)
				}
			}
			keyPath := filepath.Join(env["HEARTH_DATA_DIR"], "secret.key")
			info, err := os.Stat(keyPath)
			if err != nil || info.Mode().Perm() != 0o600 {
				t.Fatalf("key file: %v %v", info, err)
			}
			oldKey, _ := os.ReadFile(keyPath)

			other, _ := secrets.NewKey()
			wrong := map[string]string{"HEARTH_SECRET_KEY": secrets.EncodeKey(other)}
			for k, v := range env {
				wrong[k] = v
			}
			code, _, errOut := cliRun(t, wrong, "migrate")
			if code == 0 || !strings.Contains(errOut, "secret key does not match") {
				t.Fatalf("wrong key accepted: code %d %q", code, errOut)
			}

			code, out, errOut := cliRun(t, env, "rotate-key")
			if code != 0 || !strings.Contains(out, "re-encrypted") {
				t.Fatalf("rotate-key: code %d %q %q", code, out, errOut)
			}
			newKey, _ := os.ReadFile(keyPath)
			if bytes.Equal(oldKey, newKey) {
				t.Fatal("key file unchanged")
			}
			if code, _, errOut := cliRun(t, env, "migrate"); code != 0 {
				t.Fatalf("new key refused: %s", errOut)
			}
			withOld := map[string]string{"HEARTH_SECRET_KEY": strings.TrimSpace(string(oldKey))}
			for k, v := range env {
				withOld[k] = v
			}
			if code, _, _ := cliRun(t, withOld, "migrate"); code == 0 {
				t.Fatal("old key still accepted after rotation")
			}
		})
	}
}

// TestServeStartsAndShutsDownGracefully runs "hearth serve" on a free port,
// waits for /healthz, then cancels (as SIGTERM does) and expects a clean exit.
func TestServeStartsAndShutsDownGracefully(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			env["HEARTH_ADDR"] = "127.0.0.1:0"
			ctx, cancel := context.WithCancel(context.Background())
			var errOut syncWriter
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, []string{"serve"}, cliEnv{
					getenv: func(k string) string { return env[k] },
					stdin:  strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &errOut,
				})
			}()
			addr := waitForAddr(t, &errOut)
			res, err := http.Get("http://" + addr + "/healthz")
			if err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("healthz: %v %v", res, err)
			}
			res.Body.Close()
			// No administrator yet: the setup link went to a 0600 file, not the log.
			link, err := os.ReadFile(filepath.Join(env["HEARTH_DATA_DIR"], "setup-link.txt"))
			if err != nil || !strings.Contains(string(link), "/setup?token=") {
				t.Fatalf("setup link file: %q %v", link, err)
			}
			token := strings.TrimSpace(strings.SplitN(string(link), "token=", 2)[1])
			if strings.Contains(errOut.String(), token) {
				t.Fatal("setup token written to the log")
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("serve exited %d: %s", code, errOut.String())
				}
			case <-time.After(25 * time.Second):
				t.Fatal("serve did not shut down")
			}
		})
	}
}

var readyPattern = regexp.MustCompile(`hearth is ready.*addr=(127\.0\.0\.1:\d+)`)

func waitForAddr(t *testing.T, w *syncWriter) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := readyPattern.FindStringSubmatch(w.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server never became ready: %s", w.String())
	return ""
}
