// Package e2e drives Debian's Chromium through whole journeys against a real
// Hearth server on loopback: the App built with handlers.New in the test
// process, on an httptest server, with its own SQLite database and a clock
// the test moves (TOTP steps, session expiry). The handlers package's test
// helpers are not importable from here, so the few this package needs live
// in this file.
package e2e

import (
	"encoding/base32"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/handlers"
	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/i18n"
	"hearth/internal/secrets"
	"hearth/models"
	"hearth/models/testdb"
)

// clock is the server's settable clock. Tests move it forward instead of
// waiting: a TOTP code works once per 30-second step, and the idle timeout
// is 30 minutes.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// server is one Hearth on loopback, and beside it a "neutral site" (the
// quick-exit target), also on loopback, so that no journey ever leaves the
// machine.
type server struct {
	t       *testing.T
	URL     string
	db      *gorm.DB
	clock   *clock
	neutral *httptest.Server
	box     *secrets.Box
}

// startServer builds the App on a fresh SQLite database (the browser
// journeys test the pages, not the SQL: the handlers and models suites run
// on both databases) and serves it on 127.0.0.1.
func startServer(t *testing.T) *server {
	t.Helper()
	db := testdb.SQLite(t)
	key, err := secrets.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	box, err := secrets.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := i18n.NewCatalog("en")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	cfg, err := config.FromEnv(func(name string) string {
		if name == config.EnvBaseURL {
			return base
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: time.Now().UTC()}
	app, err := handlers.New(handlers.Options{
		Config: cfg, DB: db, Box: box, Catalog: catalog,
		Logger:         slog.New(slog.DiscardHandler),
		PasswordParams: auth.TestParams(),
		Now:            clk.Now,
		PostsPerMinute: 1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = app.Router()
	srv.Start()
	t.Cleanup(srv.Close)

	neutral := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!DOCTYPE html><html lang=\"en\"><head><title>Weather</title></head><body><main><h1>Weather %s</h1></main></body></html>",
			strings.TrimPrefix(r.URL.Path, "/"))
	}))
	t.Cleanup(neutral.Close)

	s := &server{t: t, URL: base, db: db, clock: clk, neutral: neutral, box: box}
	settings, err := models.LoadSiteSettings(db)
	if err != nil {
		t.Fatal(err)
	}
	// The settings form accepts only https; the database takes the loopback
	// stand-in for the weather page directly.
	settings.QuickExitURL = neutral.URL + "/today"
	if err := models.SaveSiteSettings(db, settings, clk.Now()); err != nil {
		t.Fatal(err)
	}
	return s
}

// setupLink makes the one-time setup link that "hearth serve" prints when
// no administrator exists.
func (s *server) setupLink() string {
	s.t.Helper()
	token, hash, err := auth.NewToken()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := models.ReplaceSetupToken(s.db, hash, s.clock.Now()); err != nil {
		s.t.Fatal(err)
	}
	return s.URL + "/setup?token=" + token
}

// openGroup makes a listed group anyone signed in may join at once.
func (s *server) openGroup(slug, name string) *models.Group {
	s.t.Helper()
	g := &models.Group{Slug: slug, Name: name, JoinPolicy: models.JoinPolicyOpen, Listed: true}
	if err := models.CreateGroupAudited(s.db, g, nil, s.clock.Now()); err != nil {
		s.t.Fatal(err)
	}
	return g
}

// codeShown is the TOTP code for a secret as the enrollment page shows it
// (base32 in groups of four): the test reads it like an authenticator app.
func (s *server) codeShown(shownSecret string) string {
	s.t.Helper()
	raw := strings.ToUpper(strings.Join(strings.Fields(shownSecret), ""))
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(raw)
	if err != nil {
		s.t.Fatalf("the secret on the page %q is not base32: %v", shownSecret, err)
	}
	return s.code(secret)
}

// code is the TOTP code for a secret, for a time step after any used so far
// (a code works once; the clock moves instead of the test waiting).
func (s *server) code(secret []byte) string {
	s.clock.Advance(30 * time.Second)
	return auth.TOTPCode(secret, s.clock.Now())
}

// member is an account made in the database, fully enrolled, whose
// password, TOTP secret and recovery codes the test knows.
type member struct {
	name, password string
	acct           *models.Account
	secret         []byte
	codes          []string
}

// createMember makes an enrolled account with the role models.RoleMember
// or models.RoleAdmin, optionally joined to groups.
func (s *server) createMember(name, role string, groups ...*models.Group) *member {
	s.t.Helper()
	canonical, skeleton, err := auth.NormalizeUsername(name)
	if err != nil {
		s.t.Fatalf("username %q: %v", name, err)
	}
	password := "quiet harbour lantern " + name
	hash, err := auth.HashPassword(password, auth.TestParams())
	if err != nil {
		s.t.Fatal(err)
	}
	secret, err := auth.NewTOTPSecret()
	if err != nil {
		s.t.Fatal(err)
	}
	sealed, err := s.box.Seal(secret, models.SealedAD("accounts", "totp_secret"))
	if err != nil {
		s.t.Fatal(err)
	}
	now := s.clock.Now()
	acct := &models.Account{Username: canonical, UsernameSkeleton: skeleton, PasswordHash: hash, Role: role,
		TOTPSecret: &sealed, TOTPConfirmedAt: &now, RecoveryCodesSeenAt: &now}
	if err := models.CreateAccount(s.db, acct); err != nil {
		s.t.Fatal(err)
	}
	codes, err := auth.NewRecoveryCodes(10)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := models.ReplaceRecoveryCodes(s.db, acct.ID, codes, now); err != nil {
		s.t.Fatal(err)
	}
	for _, g := range groups {
		if err := models.AddMember(s.db, g.ID, acct.ID, models.GroupRoleMember, now); err != nil {
			s.t.Fatal(err)
		}
	}
	return &member{name: name, password: password, acct: acct, secret: secret, codes: codes}
}

// path returns the URL of a path on the server.
func (s *server) path(p string) string { return s.URL + p }

// makeModerator makes m a moderator of the group g.
func (s *server) makeModerator(g *models.Group, m *member) {
	s.t.Helper()
	if err := models.AddMember(s.db, g.ID, m.acct.ID, models.GroupRoleModerator, s.clock.Now()); err != nil {
		s.t.Fatal(err)
	}
}

// onlyPost is the one post on the site so far.
func (s *server) onlyPost() *models.Post {
	s.t.Helper()
	var posts []models.Post
	if err := s.db.Order("id").Find(&posts).Error; err != nil || len(posts) != 1 {
		s.t.Fatalf("%d posts (%v), want exactly 1", len(posts), err)
	}
	return &posts[0]
}
