package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

var resetLinkPattern = regexp.MustCompile(`value="https?://[^"]+(/reset\?token=[^"]+)"`)

// openResetID returns the id of the member's open reset.
func openResetID(t *testing.T, db *gorm.DB, accountID int64) string {
	t.Helper()
	r, err := models.OpenResetFor(db, accountID)
	if err != nil || r == nil {
		t.Fatalf("no open reset: %v", err)
	}
	return strconv.FormatInt(r.ID, 10)
}

// TestDelayedResetTakesEffectAfter48Hours: requested by an administrator,
// shown to the member on every page, effective after 48 hours; the link
// works once for an hour, sets a new password, ends every session and
// requires a new authenticator. ASVS 6.4.3.
func TestDelayedResetTakesEffectAfter48Hours(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("coordinator", models.RoleAdmin)
		member := ts.createMember("mira", models.RoleMember)
		ac, mc := ts.signedIn(admin), ts.signedIn(member)

		ac.get("/admin/resets")
		res := ac.post("/admin/resets", url.Values{"username": {"mira"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Please confirm that you have checked", `value="mira"`)
		wantStatus(t, ac.post("/admin/resets", url.Values{"username": {"mira"}, "verified": {"yes"}}), http.StatusSeeOther)
		wantContains(t, mc.get("/"), "An administrator has asked to reset your account", "Cancel the reset")

		id := openResetID(t, db, member.acct.ID)
		ac.get("/admin/resets")
		wantStatus(t, ac.post("/admin/resets/"+id+"/link", nil), http.StatusConflict)

		ts.clock.Advance(48*time.Hour + time.Minute)
		ac, mc = ts.signedIn(admin), ts.signedIn(member)
		ac.get("/admin/resets")
		page := ac.post("/admin/resets/"+id+"/link", nil)
		wantStatus(t, page, http.StatusOK)
		m := resetLinkPattern.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("no link shown: %s", excerpt(page.body))
		}
		link := strings.ReplaceAll(m[1], "&amp;", "&")

		visitor := ts.client()
		wantStatus(t, visitor.get(link), http.StatusOK)
		token := strings.TrimPrefix(link, "/reset?token=")
		res = visitor.post("/reset", url.Values{"token": {token}, "password": {"short"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		res = visitor.post("/reset", url.Values{"token": {token}, "password": {"a fresh start by the sea"}})
		wantStatus(t, res, http.StatusSeeOther)
		if res.Header.Get("Location") != "/account/totp" {
			t.Fatalf("after reset: %s", res.Header.Get("Location"))
		}
		// Old session ended; the new one can only enroll.
		wantStatus(t, mc.get("/account/security"), http.StatusSeeOther)
		if loc := visitor.get("/account/security").Header.Get("Location"); loc != "/account/totp" {
			t.Fatalf("reset account not sent to enrollment: %s", loc)
		}
		ts.enroll(visitor)
		wantStatus(t, visitor.get("/account/security"), http.StatusOK)
		// The link worked once.
		wantStatus(t, ts.client().get(link), http.StatusNotFound)

		var actions []string
		db.Model(&models.AuditEntry{}).Order("id").Pluck("action", &actions)
		joined := strings.Join(actions, ",")
		for _, want := range []string{"reset.requested", "reset.link_created", "reset.completed"} {
			if !strings.Contains(joined, want) {
				t.Fatalf("audit log %v lacks %s", actions, want)
			}
		}
	})
}

// TestResetCancelledByMember: any signed-in session of the account cancels
// the reset, and then no link can be made.
func TestResetCancelledByMember(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("coordinator", models.RoleAdmin)
		member := ts.createMember("mira", models.RoleMember)
		ac, mc := ts.signedIn(admin), ts.signedIn(member)
		ac.get("/admin/resets")
		ac.post("/admin/resets", url.Values{"username": {"mira"}, "verified": {"yes"}})
		id := openResetID(t, db, member.acct.ID)
		mc.get("/")
		wantStatus(t, mc.post("/account/reset/cancel", nil), http.StatusSeeOther)
		if strings.Contains(mc.get("/").body, "asked to reset") {
			t.Fatal("cancelled reset still shown")
		}
		ts.clock.Advance(49 * time.Hour)
		ac = ts.signedIn(admin)
		ac.get("/admin/resets")
		wantStatus(t, ac.post("/admin/resets/"+id+"/link", nil), http.StatusConflict)
	})
}

// TestResetApprovedBySecondAdministrator: a second administrator makes it
// effective at once; the requester cannot approve their own request, nobody
// can reset themselves, and members cannot reach any of it.
func TestResetApprovedBySecondAdministrator(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		first := ts.createMember("staff-one", models.RoleAdmin)
		second := ts.createMember("staff-two", models.RoleAdmin)
		member := ts.createMember("mira", models.RoleMember)
		c1, c2 := ts.signedIn(first), ts.signedIn(second)
		c1.get("/admin/resets")
		res := c1.post("/admin/resets", url.Values{"username": {"staff-one"}, "verified": {"yes"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "cannot reset your own account")
		c1.post("/admin/resets", url.Values{"username": {"mira"}, "verified": {"yes"}})
		id := openResetID(t, db, member.acct.ID)
		c1.get("/admin/resets")
		wantStatus(t, c1.post("/admin/resets/"+id+"/approve", nil), http.StatusForbidden)
		c2.get("/admin/resets")
		wantStatus(t, c2.post("/admin/resets/"+id+"/approve", nil), http.StatusSeeOther)
		wantStatus(t, c2.post("/admin/resets/"+id+"/link", nil), http.StatusOK)

		mc := ts.signedIn(member)
		wantStatus(t, mc.get("/admin/resets"), http.StatusForbidden)
		wantStatus(t, mc.post("/admin/resets/"+id+"/link", nil), http.StatusForbidden)
		// The link lives one hour.
		var r models.AccountReset
		db.First(&r)
		ts.clock.Advance(61 * time.Minute)
		if _, err := models.ResetByToken(db, r.TokenHash, ts.clock.Now()); err == nil {
			t.Fatal("reset link alive after an hour")
		}
	})
}
