package handlers

import (
	"encoding/base32"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
	"hearth/models/testdb"
)

var (
	secretPattern = regexp.MustCompile(`<p class="secret" id="secret">([A-Z2-7 ]+)</p>`)
	codesPattern  = regexp.MustCompile(`<li><code>([a-z0-9-]+)</code></li>`)
)

func withTrustedProxies(cidr string) serverOption {
	return func(o *Options) { o.Config.TrustedProxies = []netip.Prefix{netip.MustParsePrefix(cidr)} }
}

// makeInvite stores an invite and returns its code.
func (ts *testServer) makeInvite(uses int) string {
	ts.t.Helper()
	code, _, err := models.NewInvite(ts.db, uses, time.Hour, nil, ts.clock.Now())
	if err != nil {
		ts.t.Fatal(err)
	}
	return code
}

// enroll completes TOTP enrollment and the recovery codes on the client's
// current half-registered session, as a person would, reading the secret
// from the page.
func (ts *testServer) enroll(c *testClient) (secret []byte, codes []string) {
	ts.t.Helper()
	page := c.get("/account/totp")
	wantStatus(ts.t, page, http.StatusOK)
	m := secretPattern.FindStringSubmatch(page.body)
	if m == nil {
		ts.t.Fatalf("no secret on the enrollment page: %s", excerpt(page.body))
	}
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(m[1], " ", ""))
	if err != nil {
		ts.t.Fatal(err)
	}
	qr := c.get("/account/totp/qr.png")
	if qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" || qr.Header.Get("Cache-Control") != "no-store" {
		ts.t.Fatalf("QR: %d %v", qr.StatusCode, qr.Header)
	}
	code := auth.TOTPCode(secret, ts.clock.Now())
	// A code with spaces is accepted.
	res := c.post("/account/totp", url.Values{"code": {code[:3] + " " + code[3:]}})
	wantStatus(ts.t, res, http.StatusSeeOther)
	page = c.follow(res)
	for _, m := range codesPattern.FindAllStringSubmatch(page.body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		ts.t.Fatalf("want 10 recovery codes, got %v", codes)
	}
	res = c.post("/account/recovery-codes", url.Values{"saved": {"yes"}})
	wantStatus(ts.t, res, http.StatusSeeOther)
	return secret, codes
}

// signIn runs the two sign-in steps and returns the final response.
func (c *testClient) signIn(username, password, code string) *response {
	c.ts.t.Helper()
	c.get("/login")
	res := c.post("/login", url.Values{"username": {username}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		return res
	}
	if loc := res.Header.Get("Location"); loc != "/login/code" {
		return res
	}
	c.get("/login/code")
	return c.post("/login/code", url.Values{"code": {code}})
}

// TestAccountJourney: register with an invite → enroll → recovery codes →
// sign out → sign in with TOTP → sign out → sign in with a recovery code,
// which is then used up. ASVS 6.5.1, 6.5.2, 7.2.4.
func TestAccountJourney(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.client()
		invite := ts.makeInvite(1)

		page := c.get("/register?invite=" + invite)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, `value="`+invite+`"`, `name="accept"`)
		res := c.post("/register", url.Values{"invite": {invite}, "username": {"Robin"}, "password": {"a quiet walk by the river"}, "accept": {"yes"}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/account/totp" {
			t.Fatalf("after sign-up: %s", loc)
		}
		// Half-registered: every other private page sends to enrollment.
		res = c.get("/account/security")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/totp" {
			t.Fatalf("half-registered reached security page: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		secret, codes := ts.enroll(c)
		wantContains(t, c.get("/"), "Your account is ready")

		// Only hashes of the recovery codes remain. ASVS 6.5.2.
		var stored []models.RecoveryCode
		db.Find(&stored)
		for _, rc := range stored {
			for _, code := range codes {
				if strings.Contains(rc.CodeHash, code) {
					t.Fatal("recovery code stored in clear")
				}
			}
		}
		var acct models.Account
		db.Where("username = ?", "robin").First(&acct)
		if acct.RecoveryCodesPending != nil || acct.TOTPSecret == nil || strings.Contains(*acct.TOTPSecret, base32.StdEncoding.EncodeToString(secret)) {
			t.Fatalf("secrets not sealed or codes still pending: %+v", acct)
		}

		res = c.post("/logout", nil)
		wantStatus(t, res, http.StatusSeeOther)
		if got := res.Header.Get("Clear-Site-Data"); got != `"cache"` {
			t.Fatalf("Clear-Site-Data = %q", got)
		}
		res = c.get("/account/security")
		if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
			t.Fatalf("signed-out client reached security page: %s", loc)
		}

		ts.clock.Advance(30 * time.Second)
		res = c.signIn("robin", "a quiet walk by the river", auth.TOTPCode(secret, ts.clock.Now()))
		wantStatus(t, res, http.StatusSeeOther)
		wantStatus(t, c.get("/account/security"), http.StatusOK)
		c.post("/logout", nil)

		res = c.signIn("ROBIN", "a quiet walk by the river", strings.ToUpper(codes[0]))
		wantStatus(t, res, http.StatusSeeOther)
		sec := c.get("/account/security")
		wantContains(t, sec, "9 recovery codes left", "A recovery code was used")
		c.post("/logout", nil)

		res = c.signIn("robin", "a quiet walk by the river", codes[0])
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "That did not work")
	})
}

// TestTOTPReplayRefused: a code that signed in once does not sign in again,
// and of two simultaneous submissions of one code only one succeeds.
// ASVS 6.5.1, 6.5.5.
func TestTOTPReplayRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("sam", models.RoleMember)
		code := m.code(ts)
		first := ts.client()
		wantStatus(t, first.signIn("sam", m.password, code), http.StatusSeeOther)
		second := ts.client()
		wantStatus(t, second.signIn("sam", m.password, code), http.StatusUnprocessableEntity)

		code = m.code(ts)
		clients := []*testClient{ts.client(), ts.client(), ts.client()}
		for _, c := range clients {
			c.get("/login")
			wantStatus(t, c.post("/login", url.Values{"username": {"sam"}, "password": {m.password}}), http.StatusSeeOther)
			c.get("/login/code")
		}
		var wg sync.WaitGroup
		statuses := make([]int, len(clients))
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = c.post("/login/code", url.Values{"code": {code}}).StatusCode
			}()
		}
		wg.Wait()
		wins := 0
		for _, s := range statuses {
			if s == http.StatusSeeOther {
				wins++
			}
		}
		if wins != 1 {
			t.Fatalf("simultaneous submissions: statuses %v, want exactly one success", statuses)
		}
	})
}

// TestSignInRevealsNothing: unknown user, wrong password and wrong code get
// the same status and message, and a failed code after a right password
// leaves a notice for the owner. ASVS 6.3.5, 6.3.8.
func TestSignInRevealsNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("kim", models.RoleMember)
		cases := []struct{ name, username, password, code string }{
			{"unknown user", "nobody-here", m.password, "123456"},
			{"wrong password", "kim", "not the password at all", m.code(ts)},
			{"wrong code", "kim", m.password, "000000"},
		}
		var bodies []string
		for _, tc := range cases {
			c := ts.client()
			c.get("/login")
			first := c.post("/login", url.Values{"username": {tc.username}, "password": {tc.password}})
			if first.StatusCode != http.StatusSeeOther || first.Header.Get("Location") != "/login/code" {
				t.Fatalf("%s: first step answered %d %s", tc.name, first.StatusCode, first.Header.Get("Location"))
			}
			c.get("/login/code")
			res := c.post("/login/code", url.Values{"code": {tc.code}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			main := res.body[strings.Index(res.body, "<main"):]
			main = csrfPattern.ReplaceAllString(main, "")
			bodies = append(bodies, main)
		}
		if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
			t.Fatal("the three failures are told apart")
		}
		owner := ts.signedIn(m)
		wantContains(t, owner.get("/account/security"), "Someone entered your correct password but a wrong code", "Correct password, wrong code")
	})
}

// TestThrottlingCannotLockOutTheOwner: five failures from one client slow
// that client down; another client is not affected; and failures from many
// clients do not stop the owner, whose browser signed in before.
// ASVS 6.1.1, 6.3.1, 2.4.1.
func TestThrottlingCannotLockOutTheOwner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db, withTrustedProxies("127.0.0.1/32"))
		m := ts.createMember("lee", models.RoleMember)

		owner := ts.client()
		owner.header.Set("X-Forwarded-For", "198.51.100.1")
		wantStatus(t, owner.signIn("lee", m.password, m.code(ts)), http.StatusSeeOther)
		owner.post("/logout", nil)

		attacker := ts.client()
		attacker.header.Set("X-Forwarded-For", "203.0.113.5")
		for i := range 6 {
			res := attacker.signIn("lee", "guess number "+string(rune('a'+i)), "111111")
			if res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("throttled after only %d failures", i)
			}
		}
		// Even the right password and code wait now (the clock has not moved).
		res := attacker.signIn("lee", m.password, auth.TOTPCode(m.secret, ts.clock.Now()))
		wantStatus(t, res, http.StatusTooManyRequests)
		wantContains(t, res, "too many attempts")

		other := ts.client()
		other.header.Set("X-Forwarded-For", "192.0.2.44")
		wantStatus(t, other.signIn("lee", m.password, m.code(ts)), http.StatusSeeOther)
		other.post("/logout", nil)

		// Many clients fail, past the account-wide limit.
		for i := range accountRule.Free + 2 {
			c := ts.client()
			c.header.Set("X-Forwarded-For", "203.0.114."+strconv.Itoa(i+1))
			c.signIn("lee", "wrong password", "222222")
		}
		stranger := ts.client()
		stranger.header.Set("X-Forwarded-For", "192.0.2.99")
		wantStatus(t, stranger.signIn("lee", m.password, m.code(ts)), http.StatusTooManyRequests)
		// The owner's browser has signed in before: not locked out.
		wantStatus(t, owner.signIn("lee", m.password, m.code(ts)), http.StatusSeeOther)

		// The database holds no address. (ASVS 14.2.3; PRODUCT: no IPs)
		for _, table := range []string{"throttles", "login_challenges", "sessions", "auth_events", "client_hash_keys"} {
			var rows []map[string]any
			db.Table(table).Find(&rows)
			for _, row := range rows {
				for _, v := range row {
					s, _ := v.(string)
					if strings.Contains(s, "203.0.113") || strings.Contains(s, "198.51.100") {
						t.Fatalf("%s holds an address: %v", table, row)
					}
				}
			}
		}
	})
}

// TestSessionExpiry: idle timeout and absolute lifetime end the session on
// the server. ASVS 7.3.1, 7.3.2.
func TestSessionExpiry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("ada", models.RoleMember)
		c := ts.signedIn(m)
		ts.clock.Advance(29 * time.Minute)
		wantStatus(t, c.get("/account/security"), http.StatusOK)
		ts.clock.Advance(31 * time.Minute)
		res := c.get("/account/security")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
			t.Fatalf("idle session still valid: %d", res.StatusCode)
		}
		var n int64
		db.Model(&models.Session{}).Where("account_id = ?", m.acct.ID).Count(&n)
		if n != 0 {
			t.Fatal("idle session not deleted")
		}

		c = ts.signedIn(m)
		for range 25 { // active every 29 minutes for 12 hours
			ts.clock.Advance(29 * time.Minute)
			c.get("/account/security")
		}
		res = c.get("/account/security")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatal("session outlived its absolute lifetime")
		}
	})
}

// TestSessionListAndSignOutEverywhere: members see their sessions and end
// others; changing the password ends every other session. ASVS 7.4.3, 7.5.2.
func TestSessionListAndSignOutEverywhere(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("noor", models.RoleMember)
		phone, laptop := ts.signedIn(m), ts.signedIn(m)
		page := phone.get("/account/sessions")
		wantStatus(t, page, http.StatusOK)
		if strings.Count(page.body, "Test browser") != 2 {
			t.Fatalf("want two sessions listed: %s", excerpt(page.body))
		}
		wantStatus(t, phone.post("/account/sessions/end-others", nil), http.StatusSeeOther)
		wantStatus(t, laptop.get("/account/security"), http.StatusSeeOther)
		wantStatus(t, phone.get("/account/security"), http.StatusOK)

		laptop = ts.signedIn(m)
		res := phone.post("/account/security/password", url.Values{
			"current_password": {m.password}, "new_password": {"a brand new long passphrase"}, "code": {m.code(ts)}})
		wantStatus(t, res, http.StatusSeeOther)
		wantStatus(t, laptop.get("/account/security"), http.StatusSeeOther)
		wantContains(t, phone.follow(res), "Your password is changed")
		// Another account's session id is not ours to end.
		other := ts.createMember("other", models.RoleMember)
		oc := ts.signedIn(other)
		var s models.Session
		db.Where("account_id = ?", other.acct.ID).First(&s)
		wantStatus(t, phone.post("/account/sessions/"+strconv.FormatInt(s.ID, 10)+"/end", nil), http.StatusNotFound)
		wantStatus(t, oc.get("/account/security"), http.StatusOK)
	})
}

// TestPrivatePagesNeedAccount: every private page sends a visitor to sign
// in and carries no-store. ASVS 14.3.2.
func TestPrivatePagesNeedAccount(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	c := ts.client()
	for _, path := range []string{"/account/security", "/account/sessions", "/account/totp", "/account/recovery-codes"} {
		res := c.get(path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape(path) {
			t.Errorf("%s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, res.Header.Get("Cache-Control"))
		}
	}
}

// TestRegisterBadInput: every bad field gets a clear message beside it,
// what was typed is kept (never the password), and nothing is written.
// ASVS 6.2.1, 6.2.4, 6.2.9.
func TestRegisterBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		ts.createMember("Anna", models.RoleMember)
		invite := ts.makeInvite(5)
		good := url.Values{"invite": {invite}, "username": {"newperson"}, "password": {"a quiet walk by the river"}, "accept": {"yes"}}
		cases := []struct {
			name, field, value, want string
		}{
			{"username too short", "username", "ab", "too short"},
			{"username too long", "username", strings.Repeat("a", 33), "too long"},
			{"username with space", "username", "two words", "Use only letters"},
			{"username reserved", "username", "Admin", "kept for the forum"},
			{"username look-alike", "username", "Аnna", "looks the same"},
			{"password too short", "password", "short1234", "too short"},
			{"password too long", "password", strings.Repeat("x", 257), "too long"},
			{"password common", "password", "password1234", "most common"},
			{"accept unchecked", "accept", "", "Please confirm"},
			{"invite missing", "invite", "", "enter your invitation code"},
			{"invite wrong", "invite", "not-a-code", "does not work"},
			{"script in username", "username", "<script>alert(1)</script>", "Use only letters"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := ts.client()
				c.get("/register")
				form := url.Values{}
				for k, v := range good {
					form[k] = v
				}
				form.Set(tc.field, tc.value)
				res := c.post("/register", form)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantContains(t, res, tc.want, `aria-invalid="true"`)
				if tc.field != "username" {
					wantContains(t, res, `value="newperson"`)
				}
				if strings.Contains(res.body, "a quiet walk by the river") {
					t.Fatal("password given back in the page")
				}
				var n int64
				db.Model(&models.Account{}).Count(&n)
				if n != 1 {
					t.Fatalf("%d accounts after a refused sign-up", n)
				}
			})
		}
		// A 64-character passphrase is fine. ASVS 6.2.9.
		c := ts.client()
		c.get("/register")
		form := url.Values{"invite": {invite}, "username": {"longpass"}, "password": {strings.Repeat("long pass ", 7)[:64]}, "accept": {"yes"}}
		wantStatus(t, c.post("/register", form), http.StatusSeeOther)
	})
}

// TestUsernameTakenOnlyWithValidInvite: without a valid invite, a taken
// username is not revealed. ASVS 6.3.8.
func TestUsernameTakenOnlyWithValidInvite(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	ts.createMember("victim", models.RoleMember)
	c := ts.client()
	c.get("/register")
	res := c.post("/register", url.Values{"invite": {"guessed"}, "username": {"victim"}, "password": {"a quiet walk by the river"}, "accept": {"yes"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if strings.Contains(res.body, "is taken") {
		t.Fatal("taken username revealed without a valid invite")
	}
	invite := ts.makeInvite(1)
	res = c.post("/register", url.Values{"invite": {invite}, "username": {"victim"}, "password": {"a quiet walk by the river"}, "accept": {"yes"}})
	wantContains(t, res, "is taken")
}

// TestSetupLink: the one-time link creates the first administrator, who
// then enrolls; the link dies once used.
func TestSetupLink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		token, hash, _ := auth.NewToken()
		if err := models.ReplaceSetupToken(db, hash, ts.clock.Now()); err != nil {
			t.Fatal(err)
		}
		c := ts.client()
		wantStatus(t, c.get("/setup?token=wrong"), http.StatusNotFound)
		wantStatus(t, c.get("/setup?token="+token), http.StatusOK)
		res := c.post("/setup", url.Values{"token": {token}, "username": {"x"}, "password": {"a quiet walk by the river"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "too short")
		res = c.post("/setup", url.Values{"token": {token}, "username": {"staff-anna"}, "password": {"a quiet walk by the river"}})
		wantStatus(t, res, http.StatusSeeOther)
		ts.enroll(c)
		wantStatus(t, c.get("/account/security"), http.StatusOK)
		var acct models.Account
		db.Where("username = ?", "staff-anna").First(&acct)
		if !acct.IsAdmin() || acct.HalfRegistered() {
			t.Fatalf("admin not created or not enrolled: %+v", acct)
		}
		wantStatus(t, ts.client().get("/setup?token="+token), http.StatusNotFound)
	})
}

// TestSessionFixation: a session token planted before sign-in is never
// accepted after it. ASVS 7.2.4.
func TestSessionFixation(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	m := ts.createMember("fix", models.RoleMember)
	planted := ts.signedIn(m) // a token the attacker knows
	u, _ := url.Parse(ts.srv.URL)
	var plantedToken string
	for _, ck := range planted.http.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			plantedToken = ck.Value
		}
	}
	victim := ts.client()
	victim.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: plantedToken, Path: "/"}})
	wantStatus(t, victim.signIn("fix", m.password, m.code(ts)), http.StatusSeeOther)
	for _, ck := range victim.http.Jar.Cookies(u) {
		if ck.Name == sessionCookie && ck.Value == plantedToken {
			t.Fatal("session token not renewed at sign-in")
		}
	}
	wantStatus(t, planted.get("/account/security"), http.StatusSeeOther)
}

// TestCLIAdministratorConfirmsAtFirstSignIn: an administrator made by
// "hearth admin create" has a secret but no confirmed authenticator; the
// first sign-in's code confirms it, then the recovery codes are shown once.
func TestCLIAdministratorConfirmsAtFirstSignIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("coordinator", models.RoleAdmin)
		db.Model(&models.Account{}).Where("id = ?", m.acct.ID).
			Updates(map[string]any{"totp_confirmed_at": nil, "recovery_codes_seen_at": nil})
		db.Where("account_id = ?", m.acct.ID).Delete(&models.RecoveryCode{})

		c := ts.client()
		res := c.signIn("coordinator", m.password, "000000")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		res = c.signIn("coordinator", m.password, m.code(ts))
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/account/totp" {
			t.Fatalf("after first sign-in: %s", loc)
		}
		page := c.follow(c.follow(res))
		if n := len(codesPattern.FindAllString(page.body, -1)); n != 10 {
			t.Fatalf("want 10 recovery codes shown, got %d: %s", n, excerpt(page.body))
		}
		wantStatus(t, c.post("/account/recovery-codes", url.Values{"saved": {"yes"}}), http.StatusSeeOther)
		wantStatus(t, c.get("/admin/resets"), http.StatusOK)
		// The codes are gone from the page for good.
		if loc := c.get("/account/recovery-codes").Header.Get("Location"); loc != "/account/security" {
			t.Fatalf("codes shown twice: %s", loc)
		}
	})
}
