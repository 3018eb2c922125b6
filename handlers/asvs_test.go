package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
	"hearth/models/testdb"
)

// TestSignOutEndsSessionOnServer: after sign-out the old token is refused
// even when replayed by another client. ASVS 7.4.1.
func TestSignOutEndsSessionOnServer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("oona", models.RoleMember)
		c := ts.client()
		wantStatus(t, c.signIn("oona", m.password, m.code(ts)), http.StatusSeeOther)
		u, _ := url.Parse(ts.srv.URL)
		var token string
		for _, ck := range c.http.Jar.Cookies(u) {
			if ck.Name == sessionCookie {
				token = ck.Value
			}
		}
		if token == "" {
			t.Fatal("no session cookie")
		}
		c.get("/")
		wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
		if n := countRows(t, db, &models.Session{}, "account_id = ?", m.acct.ID); n != 0 {
			t.Fatalf("%d sessions left after sign-out", n)
		}
		thief := ts.client()
		thief.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
		res := thief.get("/account/security")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatalf("replayed token accepted: %d", res.StatusCode)
		}
	})
}

// TestSensitiveChangesNeedPasswordAndCode: changing the password needs the
// current password and a fresh code; either wrong changes nothing.
// ASVS 7.5.1.
func TestSensitiveChangesNeedPasswordAndCode(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("pia", models.RoleMember)
		c := ts.signedIn(m)
		c.get("/account/security")
		cases := []struct{ name, current, code, want string }{
			{"wrong password", "not my password at all", m.code(ts), "not your current password"},
			{"wrong code", m.password, "000000", "That code did not work"},
			{"no code", m.password, "", "That code did not work"},
		}
		for _, tc := range cases {
			res := c.post("/account/security/password", url.Values{"current_password": {tc.current}, "code": {tc.code}, "new_password": {"an entirely new passphrase"}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, tc.want)
		}
		acct, _ := models.AccountByID(db, m.acct.ID)
		if ok, _, _ := auth.VerifyPassword(m.password, acct.PasswordHash, auth.TestParams()); !ok {
			t.Fatal("password changed without both factors")
		}
	})
}

// TestEveryFactorCanBeRevoked: a new password, a new authenticator and new
// recovery codes each make the old one useless. ASVS 6.5.6, 6.3.7.
func TestEveryFactorCanBeRevoked(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("quin", models.RoleMember)
		c := ts.signedIn(m)
		c.get("/account/security")
		oldCodes := m.codes

		// New recovery codes: the old ones stop working.
		wantStatus(t, c.post("/account/security/recovery-codes", url.Values{"code": {m.code(ts)}}), http.StatusSeeOther)
		page := c.get("/account/recovery-codes")
		newCodes := codesPattern.FindAllStringSubmatch(page.body, -1)
		if len(newCodes) != 10 {
			t.Fatalf("new codes not shown: %s", excerpt(page.body))
		}
		wantStatus(t, c.post("/account/recovery-codes", url.Values{"saved": {"yes"}}), http.StatusSeeOther)
		if ok, _ := models.UseRecoveryCode(db, m.acct.ID, oldCodes[0], ts.clock.Now()); ok {
			t.Fatal("an old recovery code still works")
		}

		// New authenticator: the old secret stops working.
		wantStatus(t, c.post("/account/security/totp", url.Values{"code": {m.code(ts)}}), http.StatusSeeOther)
		ts.clock.Advance(30 * time.Second)
		secret, _ := ts.enroll(c)
		outsider := ts.client()
		ts.clock.Advance(30 * time.Second)
		wantStatus(t, outsider.signIn("quin", m.password, auth.TOTPCode(m.secret, ts.clock.Now())), http.StatusUnprocessableEntity)
		wantStatus(t, outsider.signIn("quin", m.password, auth.TOTPCode(secret, ts.clock.Now())), http.StatusSeeOther)
		wantContains(t, outsider.get("/account/security"), "Your password or your authenticator was changed")
	})
}

// TestTOTPUsesOnlyTheServerClock: a code is accepted for the server's time
// step and one either side (clock drift), never further; the client cannot
// say what time it is. ASVS 6.5.5, 6.5.8.
func TestTOTPUsesOnlyTheServerClock(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	m := ts.createMember("rae", models.RoleMember)
	cases := []struct {
		name   string
		offset time.Duration
		want   int
	}{
		{"two steps ahead", 61 * time.Second, http.StatusUnprocessableEntity},
		{"two steps behind", -61 * time.Second, http.StatusUnprocessableEntity},
		{"one step ahead", 30 * time.Second, http.StatusSeeOther},
	}
	for _, tc := range cases {
		ts.clock.Advance(2 * time.Minute)
		code := auth.TOTPCode(m.secret, ts.clock.Now().Add(tc.offset))
		if got := ts.client().signIn("rae", m.password, code).StatusCode; got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestAuthenticationAttemptsLoggedWithoutAddresses: sign-ins and failures
// are logged, with the account where known, never the address, username,
// password or code. ASVS 16.3.1, 16.2.5.
func TestAuthenticationAttemptsLoggedWithoutAddresses(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t), withTrustedProxies("127.0.0.1/32"))
	m := ts.createMember("sol", models.RoleMember)
	c := ts.client()
	c.header.Set("X-Forwarded-For", "203.0.113.200")
	code := m.code(ts)
	c.signIn("sol", m.password, "999999")
	c.signIn("sol", m.password, code)
	log := ts.logBuf.String()
	for _, want := range []string{"sign-in failed", "signed in"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	for _, leak := range []string{"203.0.113.200", m.password, code, "999999", "username=sol"} {
		if strings.Contains(log, leak) {
			t.Errorf("log contains %q", leak)
		}
	}
}

// TestLogInjectionPrevented: input with line breaks and fake key=value
// pairs cannot forge a log line: values are quoted by the structured logger
// and request input never reaches the log. ASVS 16.4.1.
func TestLogInjectionPrevented(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	c := ts.client()
	forged := "x\ntime=2026-01-01 level=ERROR msg=\"forged\""
	c.get("/login")
	c.post("/login", url.Values{"username": {forged}, "password": {forged}})
	c.get("/nowhere%0Alevel=ERROR%20msg=forged")
	for _, line := range strings.Split(strings.TrimSpace(ts.logBuf.String()), "\n") {
		if !strings.HasPrefix(line, "time=") {
			t.Fatalf("a log line does not start a record: %q", line)
		}
		if strings.Contains(line, "forged") {
			t.Fatalf("request input reached the log: %q", line)
		}
	}
}
