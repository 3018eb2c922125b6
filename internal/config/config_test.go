package config

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
)

// testKey is 32 bytes whose encodings are easy to spot in an error message.
var testKey = []byte("0123456789abcdef0123456789ABCDEF")

func envFrom(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestFromEnvDefaults(t *testing.T) {
	cfg, err := FromEnv(envFrom(nil))
	if err != nil {
		t.Fatalf("FromEnv with empty environment: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Addr", cfg.Addr, "127.0.0.1:8080"},
		{"DatabaseURL", cfg.DatabaseURL, ""},
		{"DataDir", cfg.DataDir, "./data"},
		{"BaseURL", cfg.BaseURL.String(), "http://127.0.0.1:8080"},
		{"SecretKey is nil", cfg.SecretKey == nil, true},
		{"SecretKeyFile", cfg.SecretKeyFile, ""},
		{"TrustedProxies", len(cfg.TrustedProxies), 0},
		{"DefaultLanguage", cfg.DefaultLanguage, "en"},
		{"LogFormat", cfg.LogFormat, "text"},
		{"HTTPS", cfg.HTTPS(), false},
		{"ListensOnLoopback", cfg.ListensOnLoopback(), true},
		{"IsPostgres", cfg.IsPostgres(), false},
		{"SQLitePath", cfg.SQLitePath(), "data/hearth.db"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestFromEnvBlankMeansDefault(t *testing.T) {
	cfg, err := FromEnv(envFrom(map[string]string{EnvAddr: "  ", EnvLogFormat: "\t", EnvDataDir: " "}))
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	if cfg.Addr != DefaultAddr || cfg.LogFormat != DefaultLogFormat || cfg.DataDir != DefaultDataDir {
		t.Errorf("blank values did not fall back to defaults: %+v", cfg)
	}
}

func TestFromEnvGoodValues(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, cfg Config)
	}{
		{"addr all interfaces", map[string]string{EnvAddr: ":8080"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.Addr, ":8080")
		}},
		{"addr ipv6", map[string]string{EnvAddr: "[::1]:9000"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.Addr, "[::1]:9000")
		}},
		{"addr trimmed", map[string]string{EnvAddr: " 0.0.0.0:80 "}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.Addr, "0.0.0.0:80")
		}},
		{"postgres url", map[string]string{EnvDatabaseURL: "postgres://hearth:pw@db:5432/hearth?sslmode=disable"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.DatabaseURL, "postgres://hearth:pw@db:5432/hearth?sslmode=disable")
			wantEqual(t, cfg.IsPostgres(), true)
		}},
		{"postgresql url", map[string]string{EnvDatabaseURL: "postgresql://db/hearth"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.IsPostgres(), true)
		}},
		{"data dir", map[string]string{EnvDataDir: "/var/lib/hearth"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.DataDir, "/var/lib/hearth")
			wantEqual(t, cfg.SQLitePath(), "/var/lib/hearth/hearth.db")
		}},
		{"https base url", map[string]string{EnvBaseURL: "https://forum.example.org"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.BaseURL.String(), "https://forum.example.org")
			wantEqual(t, cfg.HTTPS(), true)
		}},
		{"base url trailing slashes trimmed", map[string]string{EnvBaseURL: "https://example.org/hearth//"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.BaseURL.String(), "https://example.org/hearth")
			wantEqual(t, cfg.BaseURL.Path, "/hearth")
		}},
		{"base url root slash trimmed", map[string]string{EnvBaseURL: "HTTP://Example.org:8443/"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.BaseURL.String(), "http://Example.org:8443")
			wantEqual(t, cfg.HTTPS(), false)
		}},
		{"secret key std padded", map[string]string{EnvSecretKey: base64.StdEncoding.EncodeToString(testKey)}, func(t *testing.T, cfg Config) {
			wantEqual(t, string(cfg.SecretKey), string(testKey))
		}},
		{"secret key url unpadded", map[string]string{EnvSecretKey: base64.RawURLEncoding.EncodeToString(testKey)}, func(t *testing.T, cfg Config) {
			wantEqual(t, string(cfg.SecretKey), string(testKey))
		}},
		{"secret key file", map[string]string{EnvSecretKeyFile: "/run/secrets/hearth_key"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.SecretKeyFile, "/run/secrets/hearth_key")
			wantEqual(t, cfg.SecretKey == nil, true)
		}},
		{"trusted proxies", map[string]string{EnvTrustedProxies: "10.0.0.1, 172.16.0.0/12,::1,fd00::/8,,"}, func(t *testing.T, cfg Config) {
			want := []netip.Prefix{
				netip.MustParsePrefix("10.0.0.1/32"),
				netip.MustParsePrefix("172.16.0.0/12"),
				netip.MustParsePrefix("::1/128"),
				netip.MustParsePrefix("fd00::/8"),
			}
			wantEqual(t, fmt.Sprint(cfg.TrustedProxies), fmt.Sprint(want))
		}},
		{"trusted proxy host bits masked and mapped unmapped", map[string]string{EnvTrustedProxies: "10.1.2.3/8,::ffff:192.168.1.1"}, func(t *testing.T, cfg Config) {
			wantEqual(t, fmt.Sprint(cfg.TrustedProxies), "[10.0.0.0/8 192.168.1.1/32]")
		}},
		{"language de", map[string]string{EnvDefaultLanguage: "de"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.DefaultLanguage, "de")
		}},
		{"language case folded", map[string]string{EnvDefaultLanguage: "DE"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.DefaultLanguage, "de")
		}},
		{"log format json", map[string]string{EnvLogFormat: "json"}, func(t *testing.T, cfg Config) {
			wantEqual(t, cfg.LogFormat, "json")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := FromEnv(envFrom(tt.env))
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			tt.check(t, cfg)
		})
	}
}

func TestFromEnvBadValues(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // the whole message must start with this
	}{
		{"addr without port", map[string]string{EnvAddr: "abc"}, `HEARTH_ADDR: expected host:port such as 127.0.0.1:8080`},
		{"addr port too big", map[string]string{EnvAddr: "127.0.0.1:70000"}, `HEARTH_ADDR: expected host:port`},
		{"addr named port", map[string]string{EnvAddr: "localhost:http"}, `HEARTH_ADDR: expected host:port`},
		{"addr bare ipv6", map[string]string{EnvAddr: "::1:8080"}, `HEARTH_ADDR: expected host:port`},
		{"database mysql", map[string]string{EnvDatabaseURL: "mysql://db/hearth"}, `HEARTH_DATABASE_URL: expected empty (SQLite`},
		{"database dsn", map[string]string{EnvDatabaseURL: "host=db user=hearth"}, `HEARTH_DATABASE_URL: expected empty (SQLite`},
		{"database no host", map[string]string{EnvDatabaseURL: "postgres:///hearth"}, `HEARTH_DATABASE_URL: expected empty (SQLite`},
		{"database sqlite path", map[string]string{EnvDatabaseURL: "./data/hearth.db"}, `HEARTH_DATABASE_URL: expected empty (SQLite`},
		{"database unparsable", map[string]string{EnvDatabaseURL: "postgres://u:p@db:port/x"}, `HEARTH_DATABASE_URL: expected empty (SQLite`},
		{"base url relative", map[string]string{EnvBaseURL: "/hearth"}, `HEARTH_BASE_URL: expected an absolute http or https URL`},
		{"base url ftp", map[string]string{EnvBaseURL: "ftp://example.org"}, `HEARTH_BASE_URL: expected an absolute http or https URL`},
		{"base url no host", map[string]string{EnvBaseURL: "https:///x"}, `HEARTH_BASE_URL: expected an absolute http or https URL with a host`},
		{"base url opaque", map[string]string{EnvBaseURL: "https:example.org"}, `HEARTH_BASE_URL: expected an absolute http or https URL with a host`},
		{"base url query", map[string]string{EnvBaseURL: "https://example.org/?a=1"}, `HEARTH_BASE_URL: expected a URL without query (?) or fragment (#)`},
		{"base url empty query", map[string]string{EnvBaseURL: "https://example.org/?"}, `HEARTH_BASE_URL: expected a URL without query`},
		{"base url fragment", map[string]string{EnvBaseURL: "https://example.org/#top"}, `HEARTH_BASE_URL: expected a URL without query`},
		{"base url user", map[string]string{EnvBaseURL: "https://admin@example.org"}, `HEARTH_BASE_URL: expected a URL without user name or password`},
		{"base url bad port", map[string]string{EnvBaseURL: "https://example.org:99999"}, `HEARTH_BASE_URL: expected a port from 1 to 65535`},
		{"secret key not base64", map[string]string{EnvSecretKey: "not base64!!"}, `HEARTH_SECRET_KEY: expected 32 bytes encoded as base64`},
		{"secret key too short", map[string]string{EnvSecretKey: base64.StdEncoding.EncodeToString(testKey[:16])}, `HEARTH_SECRET_KEY: expected 32 bytes encoded as base64 (for example from ` + "`openssl rand -base64 32`" + `), got 16 bytes`},
		{"secret key too long", map[string]string{EnvSecretKey: base64.StdEncoding.EncodeToString(append(testKey, 'x'))}, `HEARTH_SECRET_KEY: expected 32 bytes`},
		{"secret key and file", map[string]string{EnvSecretKey: base64.StdEncoding.EncodeToString(testKey), EnvSecretKeyFile: "/k"}, `HEARTH_SECRET_KEY and HEARTH_SECRET_KEY_FILE: expected at most one of them to be set, got both`},
		{"proxy hostname", map[string]string{EnvTrustedProxies: "10.0.0.1,proxy.local"}, `HEARTH_TRUSTED_PROXIES: expected comma-separated IP addresses or CIDR prefixes such as 10.0.0.1,172.16.0.0/12, got "proxy.local"`},
		{"proxy bad cidr", map[string]string{EnvTrustedProxies: "10.0.0.0/33"}, `HEARTH_TRUSTED_PROXIES: expected comma-separated`},
		{"proxy zone", map[string]string{EnvTrustedProxies: "fe80::1%eth0"}, `HEARTH_TRUSTED_PROXIES: expected comma-separated`},
		{"language fr", map[string]string{EnvDefaultLanguage: "fr"}, `HEARTH_DEFAULT_LANGUAGE: expected one of en, de, got "fr"`},
		{"language region", map[string]string{EnvDefaultLanguage: "de-DE"}, `HEARTH_DEFAULT_LANGUAGE: expected one of en, de, got "de-DE"`},
		{"log format", map[string]string{EnvLogFormat: "logfmt"}, `HEARTH_LOG_FORMAT: expected one of text, json, got "logfmt"`},
		{"value with newline stays on one line", map[string]string{EnvLogFormat: "js\non"}, `HEARTH_LOG_FORMAT: expected one of text, json, got "js\non"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := FromEnv(envFrom(tt.env))
			if err == nil {
				t.Fatalf("FromEnv succeeded with %+v", cfg)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.wantErr) {
				t.Errorf("error = %q\nwant prefix %q", msg, tt.wantErr)
			}
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("error spans several lines: %q", msg)
			}
		})
	}
}

func TestFromEnvReportsEveryProblemOnOneLine(t *testing.T) {
	_, err := FromEnv(envFrom(map[string]string{EnvAddr: "abc", EnvLogFormat: "xml"}))
	if err == nil {
		t.Fatal("FromEnv succeeded with two bad values")
	}
	msg := err.Error()
	for _, want := range []string{EnvAddr + ":", EnvLogFormat + ":", "; "} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans several lines: %q", msg)
	}
}

// The secret key and the database password must never reach a log or a
// screenshot of a terminal through an error message.
func TestFromEnvNeverEchoesSecrets(t *testing.T) {
	longKey := append(append([]byte{}, testKey...), testKey...)
	badKeys := []string{
		base64.StdEncoding.EncodeToString(testKey[:31]),
		base64.StdEncoding.EncodeToString(longKey),
		base64.RawURLEncoding.EncodeToString(longKey),
		"s3cr3t-but-not-base64!",
	}
	for _, key := range badKeys {
		for _, extra := range []map[string]string{nil, {EnvSecretKeyFile: "/k"}} {
			env := map[string]string{EnvSecretKey: key}
			for k, v := range extra {
				env[k] = v
			}
			_, err := FromEnv(envFrom(env))
			if err == nil {
				t.Fatalf("FromEnv accepted bad key %d chars long", len(key))
			}
			if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), key[:12]) {
				t.Errorf("error message repeats the secret key: %q", err.Error())
			}
		}
	}
	// A good key next to another bad value must not leak either.
	goodKey := base64.StdEncoding.EncodeToString(testKey)
	_, err := FromEnv(envFrom(map[string]string{EnvSecretKey: goodKey, EnvSecretKeyFile: "/k", EnvAddr: "x"}))
	if err == nil || strings.Contains(err.Error(), goodKey) {
		t.Errorf("error = %v, want one that does not contain the key", err)
	}

	for _, dbURL := range []string{"mysql://u:hunter2@db/x", "postgres://u:hunter2@:5432/x", "postgres://u:hunter2@db:port/x", "postgres://u:hunter2@db:0/x"} {
		_, err := FromEnv(envFrom(map[string]string{EnvDatabaseURL: dbURL}))
		if err == nil {
			t.Fatalf("FromEnv accepted %s", dbURL)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error message repeats the database password: %q", err.Error())
		}
	}
}

func TestConfigStringAndLogValueRedact(t *testing.T) {
	cfg, err := FromEnv(envFrom(map[string]string{
		EnvSecretKey:   base64.StdEncoding.EncodeToString(testKey),
		EnvDatabaseURL: "postgres://hearth:hunter2@db/hearth",
	}))
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "config", cfg)
	for name, out := range map[string]string{"String": cfg.String(), "Sprintf %v": fmt.Sprintf("%v", cfg), "Sprintf %#v": fmt.Sprintf("%#v", cfg), "slog": logged.String()} {
		if strings.Contains(out, "hunter2") || strings.Contains(out, string(testKey)) ||
			strings.Contains(out, base64.StdEncoding.EncodeToString(testKey)) {
			t.Errorf("%s leaks a secret: %s", name, out)
		}
		if !strings.Contains(out, "db/hearth") {
			t.Errorf("%s lost the database host: %s", name, out)
		}
	}
}

func TestListensOnLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"127.0.0.53:8080", true},
		{"localhost:8080", true},
		{"LOCALHOST:8080", true},
		{"[::1]:8080", true},
		{"[::ffff:127.0.0.1]:8080", true},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"192.168.1.10:8080", false},
		{"forum.example.org:8080", false},
		{"not an address", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := (Config{Addr: tt.addr}).ListensOnLoopback(); got != tt.want {
				t.Errorf("ListensOnLoopback(%q) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

func TestFromEnvErrorsUnwrapEachProblem(t *testing.T) {
	_, err := FromEnv(envFrom(map[string]string{EnvAddr: "abc", EnvLogFormat: "xml"}))
	var multi interface{ Unwrap() []error }
	if !errors.As(err, &multi) || len(multi.Unwrap()) != 2 {
		t.Fatalf("error %v does not unwrap into two problems", err)
	}
}

func wantEqual[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
