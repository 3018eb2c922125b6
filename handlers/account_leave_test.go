package handlers

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// rowsOf counts the rows of a table that belong to the account.
func rowsOf(t *testing.T, db *gorm.DB, table, column string, accountID int64) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Where(column+" = ?", accountID).Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// wantAccountIntact fails when anything of the account was deleted.
func wantAccountIntact(t *testing.T, db *gorm.DB, id int64, sessions int64) {
	t.Helper()
	if n := rowsOf(t, db, "accounts", "id", id); n != 1 {
		t.Fatal("the account was deleted")
	}
	if n := rowsOf(t, db, "sessions", "account_id", id); n != sessions {
		t.Fatalf("sessions = %d, want %d", n, sessions)
	}
	if n := rowsOf(t, db, "audit_log", "target_account_id", id); n != 0 {
		t.Fatalf("audit entries = %d, want 0", n)
	}
}

// TestAccountDeleteErasesAccountAndEndsEverySession: with either choice for
// the posts, the account, its sessions, recovery codes, events and notices
// are gone; another signed-in device of the account is refused at once;
// the audit log keeps one entry naming only the old id. ASVS 7.4.2.
func TestAccountDeleteErasesAccountAndEndsEverySession(t *testing.T) {
	for _, tc := range []struct {
		name, posts, wantDetail string
	}{
		{name: "erase posts", posts: "erase", wantDetail: "posts erased"},
		{name: "keep posts", posts: "keep", wantDetail: "posts kept as former member"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *gorm.DB) {
				ts := newTestServer(t, db)
				m := ts.createMember("anna", models.RoleMember)
				bystander := ts.createMember("bea", models.RoleMember)
				bc := ts.signedIn(bystander)
				now := ts.clock.Now()
				if err := models.RecordEvent(db, m.acct.ID, models.EventSignIn, "Firefox on Android", now); err != nil {
					t.Fatal(err)
				}
				if err := models.Notify(db, m.acct.ID, models.NoticeNewDevice, now); err != nil {
					t.Fatal(err)
				}
				phone := ts.signedIn(m)
				laptop := ts.signedIn(m)

				page := phone.get("/account/delete")
				wantStatus(t, page, http.StatusOK)
				wantContains(t, page, `name="password"`, `autocomplete="current-password"`, `name="code"`,
					`value="erase" checked`, `value="keep"`, "cannot be undone", `href="/account/export"`)

				res := phone.post("/account/delete", url.Values{"password": {m.password}, "code": {m.code(ts)}, "posts": {tc.posts}})
				wantStatus(t, res, http.StatusSeeOther)
				if loc := res.Header.Get("Location"); loc != "/" {
					t.Fatalf("Location = %q, want /", loc)
				}
				if got := res.Header.Get("Clear-Site-Data"); got != `"cache"` {
					t.Errorf("Clear-Site-Data = %q", got)
				}
				if !strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), "\n"), ts.app.cookieName(sessionCookie)+"=;") {
					t.Errorf("session cookie not cleared: %v", res.Header.Values("Set-Cookie"))
				}
				wantContains(t, phone.follow(res), "Your account has been deleted")

				for _, table := range []string{"sessions", "recovery_codes", "auth_events", "notices"} {
					if n := rowsOf(t, db, table, "account_id", m.acct.ID); n != 0 {
						t.Errorf("%s: %d rows left", table, n)
					}
				}
				if n := rowsOf(t, db, "accounts", "id", m.acct.ID); n != 0 {
					t.Error("the account row is still there")
				}
				// Both devices are visitors now: the other one at its very next request.
				for name, c := range map[string]*testClient{"this device": phone, "other device": laptop} {
					if res := c.get("/account/security"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
						t.Errorf("%s: %d %s, want a redirect to /login", name, res.StatusCode, res.Header.Get("Location"))
					}
				}

				var entries []models.AuditEntry
				db.Where("target_account_id = ?", m.acct.ID).Find(&entries)
				if len(entries) != 1 || entries[0].Action != models.AuditAccountDeleted || entries[0].ActorID != nil || entries[0].Detail != tc.wantDetail {
					t.Fatalf("audit entries = %+v", entries)
				}
				if strings.Contains(entries[0].Detail, "anna") {
					t.Error("the audit entry names the member")
				}
				// Nobody else is touched.
				wantStatus(t, bc.get("/account/security"), http.StatusOK)
			})
		})
	}
}

// TestAccountDeleteBadInput: a wrong password, a wrong code or no choice
// for the posts answers 422 with the message beside the field, keeps the
// choice typed, deletes nothing, and failures count towards the throttle.
func TestAccountDeleteBadInput(t *testing.T) {
	cases := []struct {
		name      string
		form      func(m *testMember, ts *testServer) url.Values
		wantField string
		wantText  string
		wantKept  string
	}{
		{
			name: "wrong password",
			form: func(m *testMember, ts *testServer) url.Values {
				return url.Values{"password": {"not the password at all"}, "code": {m.code(ts)}, "posts": {"keep"}}
			},
			wantField: `id="password-error"`, wantText: "This is not your current password", wantKept: `value="keep" checked`,
		},
		{
			name: "wrong code",
			form: func(m *testMember, ts *testServer) url.Values {
				return url.Values{"password": {m.password}, "code": {"000000"}, "posts": {"keep"}}
			},
			wantField: `id="code-error"`, wantText: "That code did not work", wantKept: `value="keep" checked`,
		},
		{
			name: "used recovery code",
			form: func(m *testMember, ts *testServer) url.Values {
				if ok, err := models.UseRecoveryCode(ts.db, m.acct.ID, m.codes[0], ts.clock.Now()); err != nil || !ok {
					ts.t.Fatalf("spend recovery code: %v %v", ok, err)
				}
				return url.Values{"password": {m.password}, "code": {m.codes[0]}, "posts": {"erase"}}
			},
			wantField: `id="code-error"`, wantText: "That code did not work", wantKept: `value="erase" checked`,
		},
		{
			name: "missing choice",
			form: func(m *testMember, ts *testServer) url.Values {
				return url.Values{"password": {m.password}, "code": {m.code(ts)}}
			},
			wantField: `id="posts-error"`, wantText: "Please choose what should happen to your posts",
		},
		{
			name: "unknown choice",
			form: func(m *testMember, ts *testServer) url.Values {
				return url.Values{"password": {m.password}, "code": {m.code(ts)}, "posts": {"archive"}}
			},
			wantField: `id="posts-error"`, wantText: "Please choose what should happen to your posts",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *gorm.DB) {
				ts := newTestServer(t, db)
				m := ts.createMember("anna", models.RoleMember)
				c := ts.signedIn(m)
				other := ts.signedIn(m)
				c.get("/account/delete")
				res := c.post("/account/delete", tc.form(m, ts))
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantContains(t, res, tc.wantField, tc.wantText)
				if tc.wantKept != "" {
					wantContains(t, res, tc.wantKept)
				} else if strings.Contains(res.body, `value="erase" checked`) || strings.Contains(res.body, `value="keep" checked`) {
					t.Error("a choice is checked that the person did not make")
				}
				if strings.Contains(res.body, m.password) {
					t.Error("the password was given back")
				}
				wantAccountIntact(t, db, m.acct.ID, 2)
				wantStatus(t, other.get("/account/security"), http.StatusOK)
				if tc.wantField != `id="posts-error"` {
					var failures int64
					db.Table("throttles").Select("COALESCE(SUM(failures), 0)").Scan(&failures)
					if failures == 0 {
						t.Error("the failure did not count towards the throttle")
					}
				}
			})
		})
	}
}

// TestAccountDeleteRefusesLastAdministrator: the only confirmed
// administrator cannot leave the site without one; with a second one, she
// can.
func TestAccountDeleteRefusesLastAdministrator(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("ada", models.RoleAdmin)
		c := ts.signedIn(admin)
		page := c.get("/account/delete")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "You are the only administrator")
		res := c.post("/account/delete", url.Values{"password": {admin.password}, "code": {admin.codes[0]}, "posts": {"erase"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "You are the only administrator")
		wantAccountIntact(t, db, admin.acct.ID, 1)
		// Refused before the code was checked: the recovery code is not spent.
		if n, _ := models.RecoveryCodesRemaining(db, admin.acct.ID); n != 10 {
			t.Errorf("recovery codes remaining = %d, want 10", n)
		}

		ts.createMember("grace", models.RoleAdmin)
		res = c.post("/account/delete", url.Values{"password": {admin.password}, "code": {admin.code(ts)}, "posts": {"erase"}})
		wantStatus(t, res, http.StatusSeeOther)
		if n := rowsOf(t, db, "accounts", "id", admin.acct.ID); n != 0 {
			t.Error("the administrator was not deleted although another one exists")
		}
	})
}

// TestAccountExportHasOwnDataAndNoSecrets: the export is a no-store JSON
// attachment named "data.json" with the profile, settings, sessions,
// events, notices and an empty posts list — and none of the password hash,
// the sealed TOTP secret, recovery code hashes or session token hashes.
// ASVS 14.3.2.
func TestAccountExportHasOwnDataAndNoSecrets(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("anna", models.RoleMember)
		ts.createMember("bea", models.RoleMember)
		db.Model(&models.Account{}).Where("id = ?", m.acct.ID).Updates(map[string]any{"language": "de", "time_zone": "Europe/Berlin", "discreet": true})
		now := ts.clock.Now()
		if err := models.RecordEvent(db, m.acct.ID, models.EventCodeFailed, "Firefox on Android", now); err != nil {
			t.Fatal(err)
		}
		if err := models.Notify(db, m.acct.ID, models.NoticeCodeFailed, now); err != nil {
			t.Fatal(err)
		}
		c := ts.signedIn(m)
		ts.signedIn(m)

		res := c.get("/account/export")
		wantStatus(t, res, http.StatusOK)
		if got := res.Header.Get("Content-Disposition"); got != `attachment; filename="data.json"` {
			t.Errorf("Content-Disposition = %q", got)
		}
		if got := res.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q", got)
		}
		if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
			t.Errorf("Content-Type = %q", got)
		}

		var out struct {
			Profile struct {
				Username, Role, Joined string
			}
			Settings struct {
				Language string
				TimeZone string `json:"time_zone"`
				Discreet bool
			}
			Sessions []struct {
				Device, Started string
				LastActive      string `json:"last_active"`
				ThisSession     bool   `json:"this_session"`
			}
			Events  []struct{ Kind, Device, At string } `json:"auth_events"`
			Notices []struct{ Kind string }
			Posts   []json.RawMessage
		}
		if err := json.Unmarshal([]byte(res.body), &out); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, res.body)
		}
		if out.Profile.Username != "anna" || out.Profile.Role != models.RoleMember || out.Profile.Joined == "" {
			t.Errorf("profile = %+v", out.Profile)
		}
		if out.Settings.Language != "de" || out.Settings.TimeZone != "Europe/Berlin" || !out.Settings.Discreet {
			t.Errorf("settings = %+v", out.Settings)
		}
		if len(out.Sessions) != 2 || out.Sessions[0].Device != "Test browser" || out.Sessions[0].Started == "" || out.Sessions[0].LastActive == "" {
			t.Errorf("sessions = %+v", out.Sessions)
		}
		if len(out.Events) != 1 || out.Events[0].Kind != models.EventCodeFailed || out.Events[0].Device != "Firefox on Android" {
			t.Errorf("events = %+v", out.Events)
		}
		if len(out.Notices) != 1 || out.Notices[0].Kind != models.NoticeCodeFailed {
			t.Errorf("notices = %+v", out.Notices)
		}
		if out.Posts == nil || len(out.Posts) != 0 || !strings.Contains(res.body, `"posts": []`) {
			t.Errorf("posts should be an empty list: %s", res.body)
		}
		if strings.Contains(res.body, "bea") {
			t.Error("the export holds another member's data")
		}

		secrets := map[string]string{"password hash": m.acct.PasswordHash, "sealed TOTP secret": *m.acct.TOTPSecret}
		var codes []models.RecoveryCode
		db.Where("account_id = ?", m.acct.ID).Find(&codes)
		for _, rc := range codes {
			secrets["recovery code hash"] = rc.CodeHash
		}
		var sessions []models.Session
		db.Where("account_id = ?", m.acct.ID).Find(&sessions)
		for _, s := range sessions {
			secrets["token hash (base64)"] = base64.StdEncoding.EncodeToString(s.TokenHash)
			secrets["token hash (hex)"] = hex.EncodeToString(s.TokenHash)
		}
		for name, secret := range secrets {
			if secret == "" || strings.Contains(res.body, secret) {
				t.Errorf("the export contains the %s (or it was empty)", name)
			}
		}
		for _, field := range []string{"password", "secret", "totp", "hash", "token"} {
			if strings.Contains(strings.ToLower(res.body), field) {
				t.Errorf("the export mentions %q", field)
			}
		}
	})
}

// TestLeavePagesNeedAccount: a visitor asking for the export or the delete
// page is sent to sign in, and nothing is cached.
func TestLeavePagesNeedAccount(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	c := ts.client()
	for _, path := range []string{"/account/delete", "/account/export"} {
		res := c.get(path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next="+url.QueryEscape(path) {
			t.Errorf("%s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, res.Header.Get("Cache-Control"))
		}
	}
	c.get("/")
	res := c.post("/account/delete", url.Values{"password": {"x"}, "code": {"123456"}, "posts": {"erase"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("POST /account/delete as a visitor: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}
