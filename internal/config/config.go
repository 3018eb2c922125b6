// Package config reads Hearth's deployment configuration from the environment.
//
// Only what must be known before the database opens lives here; every other
// setting is kept in the database and edited at /admin/settings. Each problem
// is reported as one line naming the variable and what it expects, so an
// administrator can fix a docker-compose file without reading source code.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// Names of the environment variables Hearth reads.
const (
	EnvAddr            = "HEARTH_ADDR"
	EnvDatabaseURL     = "HEARTH_DATABASE_URL"
	EnvDataDir         = "HEARTH_DATA_DIR"
	EnvBaseURL         = "HEARTH_BASE_URL"
	EnvSecretKey       = "HEARTH_SECRET_KEY"
	EnvSecretKeyFile   = "HEARTH_SECRET_KEY_FILE"
	EnvTrustedProxies  = "HEARTH_TRUSTED_PROXIES"
	EnvDefaultLanguage = "HEARTH_DEFAULT_LANGUAGE"
	EnvLogFormat       = "HEARTH_LOG_FORMAT"
)

// Defaults used when a variable is unset or blank.
const (
	DefaultAddr      = "127.0.0.1:8080"
	DefaultDataDir   = "./data"
	DefaultBaseURL   = "http://127.0.0.1:8080"
	DefaultLanguage  = "en"
	DefaultLogFormat = "text"
)

// SecretKeySize is the length in bytes of the key that encrypts secrets at rest.
const SecretKeySize = 32

// Languages lists the interface languages a site may choose as its default.
func Languages() []string { return []string{"en", "de"} }

// Config is the deployment configuration read from the environment.
type Config struct {
	// Addr is the host:port the HTTP server listens on (HEARTH_ADDR).
	Addr string
	// DatabaseURL is a postgres:// URL, or empty for SQLite in DataDir (HEARTH_DATABASE_URL).
	DatabaseURL string
	// DataDir holds the SQLite database and the generated secret key (HEARTH_DATA_DIR).
	DataDir string
	// BaseURL is the public address of the site, without a trailing slash (HEARTH_BASE_URL).
	BaseURL *url.URL
	// SecretKey is the decoded HEARTH_SECRET_KEY, exactly 32 bytes, or nil when unset.
	SecretKey []byte
	// SecretKeyFile is a file holding the base64 secret key (HEARTH_SECRET_KEY_FILE).
	SecretKeyFile string
	// TrustedProxies are the reverse proxies whose forwarding headers are believed (HEARTH_TRUSTED_PROXIES).
	TrustedProxies []netip.Prefix
	// DefaultLanguage is the interface language for people who have not chosen one (HEARTH_DEFAULT_LANGUAGE).
	DefaultLanguage string
	// LogFormat is "text" or "json" (HEARTH_LOG_FORMAT).
	LogFormat string
}

// FromEnv reads the configuration through getenv (os.Getenv in main, a map in
// tests). Blank values count as unset. When several values are bad, all of them
// are reported in one line, separated by "; ", and errors.Is/As see each one.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	var problems []error
	check := func(err error) {
		if err != nil {
			problems = append(problems, err)
		}
	}

	cfg := Config{
		DataDir:       orDefault(get(EnvDataDir), DefaultDataDir),
		SecretKeyFile: get(EnvSecretKeyFile),
	}
	var err error
	cfg.Addr, err = parseAddr(orDefault(get(EnvAddr), DefaultAddr))
	check(err)
	cfg.DatabaseURL, err = parseDatabaseURL(get(EnvDatabaseURL))
	check(err)
	cfg.BaseURL, err = parseBaseURL(orDefault(get(EnvBaseURL), DefaultBaseURL))
	check(err)
	cfg.SecretKey, err = parseSecretKey(get(EnvSecretKey))
	check(err)
	if get(EnvSecretKey) != "" && cfg.SecretKeyFile != "" {
		check(fmt.Errorf("%s and %s: expected at most one of them to be set, got both", EnvSecretKey, EnvSecretKeyFile))
	}
	cfg.TrustedProxies, err = parseTrustedProxies(get(EnvTrustedProxies))
	check(err)
	cfg.DefaultLanguage, err = parseChoice(EnvDefaultLanguage, orDefault(get(EnvDefaultLanguage), DefaultLanguage), Languages())
	check(err)
	cfg.LogFormat, err = parseChoice(EnvLogFormat, orDefault(get(EnvLogFormat), DefaultLogFormat), []string{"text", "json"})
	check(err)

	switch len(problems) {
	case 0:
		return cfg, nil
	case 1:
		return Config{}, problems[0]
	default:
		return Config{}, envErrors(problems)
	}
}

// HTTPS reports whether the site is served over https, which decides Secure cookies and HSTS.
func (c Config) HTTPS() bool {
	return c.BaseURL != nil && c.BaseURL.Scheme == "https"
}

// ListensOnLoopback reports whether Addr accepts connections from this machine
// only. An empty host (":8080") or 0.0.0.0 listens on every interface and is
// therefore not loopback.
func (c Config) ListensOnLoopback() bool {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// SQLitePath is where the SQLite database lives when no PostgreSQL URL is set.
func (c Config) SQLitePath() string {
	return filepath.Join(c.DataDir, "hearth.db")
}

// IsPostgres reports whether the site uses PostgreSQL rather than SQLite.
func (c Config) IsPostgres() bool {
	return c.DatabaseURL != ""
}

// String describes the configuration for humans without the secret key or the
// database password, so printing a Config by mistake leaks nothing.
func (c Config) String() string {
	return fmt.Sprintf("addr=%s database=%s data_dir=%s base_url=%s secret_key=%s secret_key_file=%q trusted_proxies=%v default_language=%s log_format=%s",
		c.Addr, c.redactedDatabase(), c.DataDir, c.baseURLString(), c.secretKeySource(), c.SecretKeyFile,
		c.TrustedProxies, c.DefaultLanguage, c.LogFormat)
}

// GoString keeps %#v as safe as %v.
func (c Config) GoString() string { return "config.Config{" + c.String() + "}" }

// LogValue implements slog.LogValuer with the same redactions as String.
func (c Config) LogValue() slog.Value {
	proxies := make([]string, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		proxies[i] = p.String()
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("database", c.redactedDatabase()),
		slog.String("data_dir", c.DataDir),
		slog.String("base_url", c.baseURLString()),
		slog.String("secret_key", c.secretKeySource()),
		slog.String("trusted_proxies", strings.Join(proxies, ",")),
		slog.String("default_language", c.DefaultLanguage),
		slog.String("log_format", c.LogFormat),
	)
}

func (c Config) redactedDatabase() string {
	if c.DatabaseURL == "" {
		return "sqlite:" + c.SQLitePath()
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		return "postgres (unparsable URL)"
	}
	return u.Redacted()
}

func (c Config) baseURLString() string {
	if c.BaseURL == nil {
		return ""
	}
	return c.BaseURL.String()
}

func (c Config) secretKeySource() string {
	switch {
	case c.SecretKey != nil:
		return "environment"
	case c.SecretKeyFile != "":
		return "file"
	default:
		return "data-dir"
	}
}

// envErrors reports several bad variables on one line.
type envErrors []error

func (e envErrors) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e envErrors) Unwrap() []error { return e }

func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func parseAddr(value string) (string, error) {
	// Port 0 asks the system for a free port (tests use it).
	_, port, err := net.SplitHostPort(value)
	if err == nil && (port == "0" || validPort(port)) {
		return value, nil
	}
	return "", fmt.Errorf("%s: expected host:port such as 127.0.0.1:8080 with a port from 0 to 65535, got %q", EnvAddr, value)
}

func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535 && strconv.Itoa(n) == port
}

func parseDatabaseURL(value string) (string, error) {
	if value == "" {
		return "", nil
	}
	const expected = "expected empty (SQLite in the data directory) or a URL such as postgres://hearth:PASSWORD@db:5432/hearth"
	u, err := url.Parse(value)
	if err != nil {
		// The value may hold a password and url.Error repeats it, so neither is shown.
		return "", fmt.Errorf("%s: %s, got a value that does not parse as a URL", EnvDatabaseURL, expected)
	}
	if u.Scheme == "" {
		return "", fmt.Errorf("%s: %s, got a value without a postgres:// scheme", EnvDatabaseURL, expected)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("%s: %s, got scheme %q", EnvDatabaseURL, expected, u.Scheme)
	}
	if u.Hostname() == "" {
		return "", fmt.Errorf("%s: %s, got %q without a host", EnvDatabaseURL, expected, u.Redacted())
	}
	if port := u.Port(); port != "" && !validPort(port) {
		return "", fmt.Errorf("%s: %s, got %q with an invalid port", EnvDatabaseURL, expected, u.Redacted())
	}
	return value, nil
}

func parseBaseURL(value string) (*url.URL, error) {
	u, err := url.Parse(value)
	if err != nil {
		return nil, fmt.Errorf("%s: expected an absolute http or https URL such as https://forum.example.org, got %q", EnvBaseURL, value)
	}
	shown := u.Redacted()
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%s: expected an absolute http or https URL such as https://forum.example.org, got %q", EnvBaseURL, shown)
	case u.Opaque != "" || u.Hostname() == "":
		return nil, fmt.Errorf("%s: expected an absolute http or https URL with a host such as https://forum.example.org, got %q", EnvBaseURL, shown)
	case u.Port() != "" && !validPort(u.Port()):
		return nil, fmt.Errorf("%s: expected a port from 1 to 65535, got %q", EnvBaseURL, shown)
	case u.User != nil:
		return nil, fmt.Errorf("%s: expected a URL without user name or password, got %q", EnvBaseURL, shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(value, "?#"):
		return nil, fmt.Errorf("%s: expected a URL without query (?) or fragment (#), got %q", EnvBaseURL, shown)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// parseSecretKey decodes the key without ever repeating it: an error message may
// end up in a log or a support ticket.
func parseSecretKey(value string) ([]byte, error) {
	if value == "" {
		return nil, nil
	}
	key, ok := decodeBase64(value)
	if !ok {
		return nil, fmt.Errorf("%s: expected %d bytes encoded as base64 (for example from `openssl rand -base64 32`), got a value that is not base64", EnvSecretKey, SecretKeySize)
	}
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("%s: expected %d bytes encoded as base64 (for example from `openssl rand -base64 32`), got %d bytes", EnvSecretKey, SecretKeySize, len(key))
	}
	return key, nil
}

// decodeBase64 accepts standard and URL-safe alphabets, with or without padding.
func decodeBase64(value string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(value); err == nil {
			return b, true
		}
	}
	return nil, false
}

func parseTrustedProxies(value string) ([]netip.Prefix, error) {
	if value == "" {
		return nil, nil
	}
	var prefixes []netip.Prefix
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue // tolerate "a,b," and "a, ,b"
		}
		prefix, err := parseProxy(item)
		if err != nil {
			return nil, fmt.Errorf("%s: expected comma-separated IP addresses or CIDR prefixes such as 10.0.0.1,172.16.0.0/12, got %q", EnvTrustedProxies, item)
		}
		prefixes = append(prefixes, prefix)
	}
	return prefixes, nil
}

// parseProxy turns an IP into a single-address prefix and masks a CIDR, so
// 10.1.2.3/8 means 10.0.0.0/8. IPv4-mapped IPv6 addresses are unmapped to match
// the IPv4 remote addresses the server sees.
func parseProxy(item string) (netip.Prefix, error) {
	if strings.Contains(item, "/") {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("parse prefix: %w", err)
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	ip, err := netip.ParseAddr(item)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("parse address: %w", err)
	}
	if ip.Zone() != "" {
		return netip.Prefix{}, errors.New("zoned addresses are not allowed")
	}
	ip = ip.Unmap()
	return netip.PrefixFrom(ip, ip.BitLen()), nil
}

func parseChoice(name, value string, allowed []string) (string, error) {
	lower := strings.ToLower(value)
	for _, a := range allowed {
		if lower == a {
			return a, nil
		}
	}
	return "", fmt.Errorf("%s: expected one of %s, got %q", name, strings.Join(allowed, ", "), value)
}
