package handlers

import (
	"net/http"
	"net/url"
	"time"

	"hearth/internal/auth"
	"hearth/models"
)

// testMember is an account made directly in the database, with its TOTP
// secret and password known to the test.
type testMember struct {
	acct     *models.Account
	password string
	secret   []byte
	codes    []string
}

// createMember makes a fully enrolled account (role "member" or "admin").
func (ts *testServer) createMember(name, role string) *testMember {
	ts.t.Helper()
	canonical, skeleton, err := auth.NormalizeUsername(name)
	if err != nil {
		ts.t.Fatalf("username %q: %v", name, err)
	}
	password := "correct horse battery " + name
	hash, err := auth.HashPassword(password, auth.TestParams())
	if err != nil {
		ts.t.Fatal(err)
	}
	secret, _ := auth.NewTOTPSecret()
	sealed, err := ts.app.box.Seal(secret, models.SealedAD("accounts", "totp_secret"))
	if err != nil {
		ts.t.Fatal(err)
	}
	now := ts.clock.Now()
	acct := &models.Account{
		Username: canonical, UsernameSkeleton: skeleton, PasswordHash: hash, Role: role,
		TOTPSecret: &sealed, TOTPConfirmedAt: &now, RecoveryCodesSeenAt: &now,
	}
	if err := models.CreateAccount(ts.db, acct); err != nil {
		ts.t.Fatal(err)
	}
	codes, _ := auth.NewRecoveryCodes(10)
	if err := models.ReplaceRecoveryCodes(ts.db, acct.ID, codes, now); err != nil {
		ts.t.Fatal(err)
	}
	return &testMember{acct: acct, password: password, secret: secret, codes: codes}
}

// signedIn returns a client with a session for the member, made directly
// (the sign-in journey itself has its own tests).
func (ts *testServer) signedIn(m *testMember) *testClient {
	ts.t.Helper()
	token, hash, err := auth.NewToken()
	if err != nil {
		ts.t.Fatal(err)
	}
	if _, err := models.CreateSession(ts.db, m.acct.ID, hash, "Test browser", ts.clock.Now(), models.DefaultSessionPolicy()); err != nil {
		ts.t.Fatal(err)
	}
	c := ts.client()
	u, _ := url.Parse(ts.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: ts.app.cookieName(sessionCookie), Value: token, Path: "/"}})
	c.get("/")
	return c
}

// code returns a TOTP code for the member for a time step after any used so
// far (tests move the clock instead of waiting).
func (m *testMember) code(ts *testServer) string {
	ts.clock.Advance(30 * time.Second)
	return auth.TOTPCode(m.secret, ts.clock.Now())
}
