package handlers

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestMemberSettingsLanguageAndTimeZone: the member's language beats the
// browser's; times are shown in the member's time zone and language, and
// relative where recent; bad choices are refused with the choice kept.
func TestMemberSettingsLanguageAndTimeZone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("clara", models.RoleMember)
		c := ts.signedIn(m)
		c.header.Set("Accept-Language", "en")
		c.get("/account/settings")

		res := c.post("/account/settings", url.Values{"language": {"fr"}, "time_zone": {"Mars/Olympus"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "choose one of the languages", "choose one of the time zones")

		res = c.post("/account/settings", url.Values{"language": {"de"}, "time_zone": {"Europe/Vienna"}, "expand_warnings": {"yes"}})
		wantStatus(t, res, http.StatusSeeOther)
		page := c.follow(res)
		wantContains(t, page, `<html lang="de">`, "Deine Einstellungen sind gespeichert", `value="Europe/Vienna" selected`, `id="expand_warnings" name="expand_warnings" value="yes" checked`)

		// Recent sign-ins read "vor … Minuten"; older ones show the date in
		// Vienna's time.
		when := ts.clock.Now().Add(-3 * time.Minute)
		models.RecordEvent(db, m.acct.ID, models.EventSignIn, "Firefox on Linux", when)
		old := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
		models.RecordEvent(db, m.acct.ID, models.EventSignIn, "Firefox on Linux", old)
		sec := c.get("/account/security")
		wantContains(t, sec, "vor 3 Minuten", "15.01.2026, 13:00")
		if strings.Contains(sec.body, "‹") {
			t.Fatalf("missing message: %s", sec.body[strings.Index(sec.body, "‹"):][:80])
		}
	})
}

// TestDiscreetModeNeutralTab: with discreet mode the tab shows a neutral
// title and icon, without counts.
func TestDiscreetModeNeutralTab(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	m := ts.createMember("dana", models.RoleMember)
	c := ts.signedIn(m)
	c.get("/account/settings")
	wantStatus(t, c.post("/account/settings", url.Values{"discreet": {"yes"}}), http.StatusSeeOther)
	page := c.get("/account/security")
	wantContains(t, page, "<title>Notes</title>", "img/neutral.")
	if strings.Contains(page.body, "<title>Your account") || strings.Contains(page.body, "img/icon.") {
		t.Fatal("discreet mode still shows the forum in the tab")
	}
}

// TestSessionTimeoutsConfigurable: administrators set the idle timeout and
// lifetime; sessions follow them and /privacy says so. ASVS 7.3.1, 7.3.2.
func TestSessionTimeoutsConfigurable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("coordinator", models.RoleAdmin)
		ac := ts.signedIn(admin)
		page := ac.get("/admin/settings")
		form := url.Values{}
		for _, m := range regexp.MustCompile(`name="([a-z_]+)" [^>]*value="([^"]*)"`).FindAllStringSubmatch(page.body, -1) {
			form.Set(m[1], html.UnescapeString(m[2]))
		}
		form.Del("csrf_token")
		form.Set("registration_mode", "invite")
		form.Set("session_idle_minutes", "3")
		res := ac.post("/admin/settings", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "whole number from 5 to 240")
		form.Set("session_idle_minutes", "10")
		wantStatus(t, ac.post("/admin/settings", form), http.StatusSeeOther)
		wantContains(t, ts.client().get("/privacy"), "after 10 minutes without activity")
		m := ts.createMember("ivy", models.RoleMember)
		c := ts.signedIn(m)
		ts.clock.Advance(11 * time.Minute)
		wantStatus(t, c.get("/account/security"), http.StatusSeeOther)
	})
}

// TestBioProtectiveHold: a bio with a phone number is not saved at once:
// the member sees what was found and may edit or save anyway — then it
// waits for a site moderator (hold_edits_test.go), and the hold is recorded
// by kind only.
func TestBioProtectiveHold(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("clara", models.RoleMember)
		c := ts.signedIn(m)
		c.get("/account/settings")
		bio := "Call me on 0171 2345678 any time"
		res := c.post("/account/settings", url.Values{"bio": {bio}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "0171 2345678", `name="post_anyway"`)
		if acct, _ := models.AccountByID(db, m.acct.ID); acct.Bio != "" {
			t.Fatal("bio saved before the member chose")
		}
		wantStatus(t, c.post("/account/settings", url.Values{"bio": {bio}, "post_anyway": {"1"}}), http.StatusSeeOther)
		if acct, _ := models.AccountByID(db, m.acct.ID); acct.Bio != "" {
			t.Fatal("a bio saved anyway was published before review")
		}
		if n := countRows(t, db, &models.HeldBio{}, "account_id = ? AND bio = ?", m.acct.ID, bio); n != 1 {
			t.Fatal("the bio saved anyway does not wait for review")
		}
		if n := countRows(t, db, &models.AuditEntry{}, "action = ? AND detail LIKE ?", models.ModHold, "bio identify phone%"); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
	})
}

// TestEditProtectiveHold: an edit that adds an e-mail address is shown back
// with the warning; saved anyway, it waits for review (hold_edits_test.go),
// recorded for moderators by kind only.
func TestEditProtectiveHold(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("clara", models.RoleMember)
		g := ts.makeGroup("circle", true)
		ts.join(g, m, models.GroupRoleMember)
		_, posts := ts.seedTopic(g, m, "Mine", 1)
		c := ts.signedIn(m)
		path := "/posts/" + itoa(posts[0].ID) + "/edit"
		c.get(path)
		body := "write to clara.example@mailbox.example please"
		res := c.post(path, url.Values{"body": {body}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "clara.example@mailbox.example", `name="post_anyway"`)
		wantStatus(t, c.post(path, url.Values{"body": {body}, "post_anyway": {"1"}}), http.StatusSeeOther)
		var entry models.AuditEntry
		db.Where("action = ?", models.ModHold).First(&entry)
		if !strings.Contains(entry.Detail, "email") || strings.Contains(entry.Detail, "mailbox") {
			t.Fatalf("audit detail %q", entry.Detail)
		}
	})
}
