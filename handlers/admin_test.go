package handlers

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
	"hearth/models/testdb"
)

// validSettingsForm is a complete, acceptable /admin/settings form.
func validSettingsForm() url.Values {
	return url.Values{
		"site_name":              {"Safe Harbour"},
		"organisation_name":      {"Beratungsstelle Nord e.V."},
		"contact":                {"Phone 040 123 456, Mon–Fri 9–17"},
		"legal_notice":           {"Beratungsstelle Nord e.V.\r\nHafenstraße 1\r\n20095 Hamburg"},
		"house_rules":            {"Be kind.\r\nNo real names."},
		"minimum_age":            {"18"},
		"registration_mode":      {"closed"},
		"quick_exit_url":         {"https://weather.example/today"},
		"session_idle_minutes":   {"30"},
		"session_absolute_hours": {"12"},
	}
}

func auditEntries(t *testing.T, db *gorm.DB, action string) []models.AuditEntry {
	t.Helper()
	var list []models.AuditEntry
	if err := db.Where("action = ?", action).Order("id").Find(&list).Error; err != nil {
		t.Fatal(err)
	}
	return list
}

// TestAdminSettingsSavedAndShown: saved settings come back in the form and
// reach the home page and /legal (with line breaks, escaped: ASVS 1.2.1);
// the save is audited by field name only, never by value.
func TestAdminSettingsSavedAndShown(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("anna", models.RoleAdmin)
		c := ts.signedIn(admin)
		wantStatus(t, c.get("/admin/settings"), http.StatusOK)

		form := validSettingsForm()
		form.Set("legal_notice", "Beratungsstelle Nord e.V.\r\nHafenstraße 1\r\n<script>alert(1)</script>")
		res := c.post("/admin/settings", form)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/admin/settings" {
			t.Fatalf("redirect to %q", loc)
		}
		page := c.follow(res)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "The settings were saved.", `value="Safe Harbour"`, `value="18"`,
			`value="closed" checked`, "Be kind.\nNo real names.</textarea>")

		saved, err := models.LoadSiteSettings(db)
		if err != nil {
			t.Fatal(err)
		}
		if saved.SiteName != "Safe Harbour" || saved.MinimumAge != 18 || saved.RegistrationMode != models.RegistrationClosed ||
			saved.QuickExitURL != "https://weather.example/today" || saved.LegalNotice != "Beratungsstelle Nord e.V.\nHafenstraße 1\n<script>alert(1)</script>" {
			t.Fatalf("saved %+v", saved)
		}

		visitor := ts.client()
		home := visitor.get("/")
		wantContains(t, home, "Safe Harbour", "Beratungsstelle Nord e.V.", "Phone 040 123 456", `href="https://weather.example/today"`)
		legal := visitor.get("/legal")
		wantContains(t, legal, `class="panel legal-notice">Beratungsstelle Nord e.V.`+"\nHafenstraße 1\n&lt;script&gt;")
		if strings.Contains(legal.body, "<script>alert") {
			t.Fatal("legal notice not escaped")
		}

		entries := auditEntries(t, db, models.AuditSettingsChanged)
		if len(entries) != 1 || entries[0].ActorID == nil || *entries[0].ActorID != admin.acct.ID {
			t.Fatalf("audit entries %+v", entries)
		}
		detail := entries[0].Detail
		for _, name := range []string{"site_name", "legal_notice", "minimum_age", "registration_mode", "quick_exit_url"} {
			if !strings.Contains(detail, name) {
				t.Errorf("audit detail %q lacks %s", detail, name)
			}
		}
		if strings.Contains(detail, "Safe Harbour") || strings.Contains(detail, "Hafenstraße") {
			t.Errorf("audit detail %q holds values", detail)
		}
	})
}

// TestAdminSettingsRefusesBadInput: every bad field answers 422 with its
// message beside it, keeps what was typed, and saves nothing.
func TestAdminSettingsRefusesBadInput(t *testing.T) {
	cases := []struct {
		name, field, value, wantMessage string
	}{
		{"site name empty", "site_name", "   ", "Please fill this in."},
		{"site name too long", "site_name", strings.Repeat("s", 81), "80 characters or fewer"},
		{"site name two lines", "site_name", "Safe\nHarbour", "line break"},
		{"organisation too long", "organisation_name", strings.Repeat("o", 121), "120 characters or fewer"},
		{"contact too long", "contact", strings.Repeat("c", 301), "300 characters or fewer"},
		{"contact control character", "contact", "call\x07me", "cannot be shown"},
		{"legal notice too long", "legal_notice", strings.Repeat("l", 10001), "10000 characters or fewer"},
		{"house rules too long", "house_rules", strings.Repeat("h", 10001), "10000 characters or fewer"},
		{"minimum age too low", "minimum_age", "12", "from 13 to 99"},
		{"minimum age too high", "minimum_age", "100", "from 13 to 99"},
		{"minimum age not a number", "minimum_age", "eighteen", "whole number"},
		{"minimum age empty", "minimum_age", "", "Please fill this in."},
		{"unknown registration mode", "registration_mode", "everyone", "choose one of the options"},
		{"quick exit over http", "quick_exit_url", "http://weather.example", "https://"},
		{"quick exit javascript", "quick_exit_url", "javascript:alert(1)", "https://"},
		{"quick exit relative", "quick_exit_url", "/weather", "https://"},
		{"quick exit with user info", "quick_exit_url", "https://me@weather.example", "https://"},
	}
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.signedIn(ts.createMember("anna", models.RoleAdmin))
		c.get("/admin/settings")
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				form := validSettingsForm()
				form.Set(tc.field, tc.value)
				res := c.post("/admin/settings", form)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				fieldID := tc.field
				other := `value="Beratungsstelle Nord e.V."` // another field, kept too
				if tc.field == "organisation_name" {
					other = `value="Safe Harbour"`
				}
				wantContains(t, res, `class="error-summary"`, `class="field-error" id="`+fieldID+`-error"`, tc.wantMessage,
					`aria-describedby="`+fieldID, other)
				if tc.field != "site_name" && tc.field != "registration_mode" && !strings.Contains(res.body, tc.value) {
					t.Errorf("typed value %q not kept", tc.value)
				}
				if tc.field != "registration_mode" && !strings.Contains(res.body, `class="field invalid"`) {
					t.Error("field not marked invalid")
				}
				if tc.field == "registration_mode" && !strings.Contains(res.body, `class="field invalid" aria-describedby="registration_mode-error"`) {
					t.Error("fieldset not marked invalid")
				}
				if saved, _ := models.LoadSiteSettings(db); saved != models.DefaultSiteSettings() {
					t.Fatalf("saved despite the error: %+v", saved)
				}
				if n := len(auditEntries(t, db, models.AuditSettingsChanged)); n != 0 {
					t.Fatalf("%d audit entries", n)
				}
			})
		}
	})
}

// TestAdminRoutesRefuseOthers: a member gets 403 on every administration
// route and changes nothing; a visitor is sent to sign in; a half-registered
// administrator is sent to finish enrollment.
func TestAdminRoutesRefuseOthers(t *testing.T) {
	routes := []struct{ method, path string }{
		{http.MethodGet, "/admin/settings"},
		{http.MethodPost, "/admin/settings"},
		{http.MethodGet, "/admin/invites"},
		{http.MethodPost, "/admin/invites"},
		{http.MethodPost, "/admin/invites/1/revoke"},
	}
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		if _, _, err := models.NewInvite(db, 1, time.Hour, nil, ts.clock.Now()); err != nil {
			t.Fatal(err)
		}
		member := ts.signedIn(ts.createMember("bert", models.RoleMember))
		half := ts.createMember("carla", models.RoleAdmin)
		if err := db.Model(&models.Account{}).Where("id = ?", half.acct.ID).Update("totp_confirmed_at", nil).Error; err != nil {
			t.Fatal(err)
		}
		halfClient := ts.signedIn(half)
		halfClient.get("/account/totp")
		visitor := ts.client()
		visitor.get("/")
		send := func(c *testClient, method, path string) *response {
			if method == http.MethodGet {
				return c.get(path)
			}
			form := validSettingsForm()
			form.Set("uses", "5")
			form.Set("expires", "7d")
			return c.post(path, form)
		}
		for _, r := range routes {
			t.Run(r.method+" "+r.path, func(t *testing.T) {
				wantStatus(t, send(member, r.method, r.path), http.StatusForbidden)
				res := send(visitor, r.method, r.path)
				wantStatus(t, res, http.StatusSeeOther)
				if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
					t.Fatalf("visitor sent to %q", loc)
				}
				res = send(halfClient, r.method, r.path)
				wantStatus(t, res, http.StatusSeeOther)
				if loc := res.Header.Get("Location"); loc != "/account/totp" {
					t.Fatalf("half-registered admin sent to %q", loc)
				}
			})
		}
		var invites []models.Invite
		db.Find(&invites)
		if len(invites) != 1 || invites[0].RevokedAt != nil {
			t.Fatalf("invites changed: %+v", invites)
		}
		if saved, _ := models.LoadSiteSettings(db); saved != models.DefaultSiteSettings() {
			t.Fatalf("settings changed: %+v", saved)
		}
	})
}

var inviteLinkPattern = regexp.MustCompile(`value="http://127\.0\.0\.1:8080/register\?invite=([a-z2-7]+)"`)

// TestAdminInvitesCreateListRevoke: an administrator makes an invite, sees it
// in the list by its hint, and revokes it; then it no longer works.
func TestAdminInvitesCreateListRevoke(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("anna", models.RoleAdmin)
		c := ts.signedIn(admin)
		page := c.get("/admin/invites")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "There are no invitations yet.", `<option value="7d" selected>`, `name="uses" value="1"`)

		res := c.post("/admin/invites", url.Values{"uses": {"3"}, "expires": {"72h"}})
		wantStatus(t, res, http.StatusOK)
		m := inviteLinkPattern.FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("no invite link in\n%s", excerpt(res.body))
		}
		code := m[1]
		if len(code) != 26 {
			t.Fatalf("code %q: want 26 base32 characters (128 bits)", code)
		}
		wantContains(t, res, `<label for="invite-link">`, `readonly`, "<code>"+code[:4]+"…</code>", "0 / 3", "Can be used")

		inv, err := models.InviteByCode(db, models.InviteCodeHash(code), ts.clock.Now())
		if err != nil {
			t.Fatalf("new invite not usable: %v", err)
		}
		if inv.MaxUses != 3 || inv.CreatedBy == nil || *inv.CreatedBy != admin.acct.ID ||
			inv.ExpiresAt.Sub(ts.clock.Now()).Round(time.Minute) != 72*time.Hour {
			t.Fatalf("invite %+v", inv)
		}

		list := c.get("/admin/invites")
		wantContains(t, list, "<code>"+code[:4]+"…</code>", "Can be used", "/admin/invites/")
		if strings.Contains(list.body, code) {
			t.Fatal("the list shows the code again")
		}

		res = c.post("/admin/invites/"+itoa(inv.ID)+"/revoke", nil)
		wantStatus(t, res, http.StatusSeeOther)
		list = c.follow(res)
		wantContains(t, list, "The invitation was revoked.", "Revoked")
		if _, err := models.InviteByCode(db, models.InviteCodeHash(code), ts.clock.Now()); err != models.ErrNotFound {
			t.Fatalf("revoked invite still usable: %v", err)
		}
		wantStatus(t, c.post("/admin/invites/"+itoa(inv.ID)+"/revoke", nil), http.StatusSeeOther)
		wantStatus(t, c.post("/admin/invites/999999/revoke", nil), http.StatusNotFound)
		wantStatus(t, c.post("/admin/invites/abc/revoke", nil), http.StatusNotFound)

		if n := len(auditEntries(t, db, models.AuditInviteCreated)); n != 1 {
			t.Errorf("%d invite.created entries", n)
		}
		if n := len(auditEntries(t, db, models.AuditInviteRevoked)); n != 1 {
			t.Errorf("%d invite.revoked entries (a second revoke must change nothing)", n)
		}
	})
}

// TestAdminInviteRefusesBadInput: bad uses or expiry → 422 with the message
// beside the field, what was typed kept, and no invite.
func TestAdminInviteRefusesBadInput(t *testing.T) {
	cases := []struct {
		name, uses, expires, field, want string
	}{
		{"no uses", "0", "7d", "uses", "from 1 to 1000"},
		{"too many uses", "1001", "7d", "uses", "from 1 to 1000"},
		{"uses not a number", "lots", "7d", "uses", "from 1 to 1000"},
		{"unknown expiry", "1", "365d", "expires", "how long the invitation is valid"},
	}
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.signedIn(ts.createMember("anna", models.RoleAdmin))
		c.get("/admin/invites")
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := c.post("/admin/invites", url.Values{"uses": {tc.uses}, "expires": {tc.expires}})
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantContains(t, res, `id="`+tc.field+`-error"`, tc.want, `class="field invalid"`)
				if tc.field == "uses" {
					wantContains(t, res, `name="uses" value="`+tc.uses+`"`)
				}
				var n int64
				db.Model(&models.Invite{}).Count(&n)
				if n != 0 {
					t.Fatalf("%d invites made", n)
				}
			})
		}
	})
}

// TestInviteCodeShownOnceStoredHashed: the code appears in the one response
// that made it and nowhere else: not in a redirect, not in the log, not in
// the database, which holds only its SHA-256.
func TestInviteCodeShownOnceStoredHashed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.signedIn(ts.createMember("anna", models.RoleAdmin))
		c.get("/admin/invites")
		res := c.post("/admin/invites", url.Values{"uses": {"1"}, "expires": {"24h"}})
		wantStatus(t, res, http.StatusOK)
		m := inviteLinkPattern.FindStringSubmatch(res.body)
		if m == nil {
			t.Fatal("no invite link")
		}
		code := m[1]
		if res.Header.Get("Location") != "" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("headers %v", res.Header)
		}
		if strings.Contains(ts.logBuf.String(), code) {
			t.Fatal("the code was logged") // ASVS 16.2.5
		}
		rows, err := db.Raw("SELECT * FROM invites").Rows()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		count := 0
		for rows.Next() {
			count++
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range values {
				var text []byte
				switch v := v.(type) {
				case []byte:
					text = v
				case string:
					text = []byte(v)
				}
				if bytes.Contains(bytes.ToLower(text), []byte(code)) {
					t.Fatalf("column %s holds the code", cols[i])
				}
				if cols[i] == "code_hash" && !bytes.Equal(text, auth.HashToken(code)) {
					t.Fatalf("code_hash is not SHA-256 of the code")
				}
			}
		}
		if count != 1 {
			t.Fatalf("%d invites", count)
		}
		if strings.Contains(c.get("/admin/invites").body, code) {
			t.Fatal("code shown twice")
		}
	})
}

func itoa(n int64) string {
	return strconv.FormatInt(n, 10)
}
