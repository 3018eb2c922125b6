package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestHelpDirectory: administrators keep the list; everyone sees it on
// /help; bad entries are refused with the text kept.
func TestHelpDirectory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("coordinator", models.RoleAdmin)
		ac := ts.signedIn(admin)
		wantContains(t, ac.get("/help"), "has not added any help services yet", `href="/admin/help"`)
		ac.get("/admin/help")
		cases := []struct{ field, value, want string }{
			{"name", "", "enter the name"},
			{"website", "javascript:alert(1)", "full web address"},
			{"phone", "call me <b>", "Use only digits"},
			{"description", strings.Repeat("x", 1001), "too long"},
		}
		for _, tc := range cases {
			form := url.Values{"name": {"Helpline"}, "phone": {"+49 30 123"}, "website": {"https://help.example"}, "region": {"Berlin"}}
			form.Set(tc.field, tc.value)
			res := ac.post("/admin/help", form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, tc.want, `value="Berlin"`)
		}
		res := ac.post("/admin/help", url.Values{"name": {"Hilfetelefon"}, "description": {"Rund um die Uhr"}, "phone": {"116 016"},
			"website": {"https://www.hilfetelefon.de"}, "region": {"Deutschland"}, "opening_hours": {"24/7"}})
		wantStatus(t, res, http.StatusSeeOther)
		page := ts.client().get("/help")
		wantContains(t, page, "Hilfetelefon", `href="tel:116016"`, "Rund um die Uhr", "24/7")
		var r models.HelpResource
		db.First(&r)
		wantStatus(t, ac.post("/admin/help/"+itoa(r.ID), url.Values{"name": {"Hilfetelefon Gewalt gegen Frauen"}}), http.StatusSeeOther)
		wantContains(t, ts.client().get("/help"), "Hilfetelefon Gewalt gegen Frauen")
		wantStatus(t, ac.post("/admin/help/"+itoa(r.ID)+"/delete", nil), http.StatusSeeOther)
		wantContains(t, ts.client().get("/help"), "has not added any help services yet")
		member := ts.signedIn(ts.createMember("someone", models.RoleMember))
		wantStatus(t, member.get("/admin/help"), http.StatusForbidden)
	})
}

// TestProfileVisibleOnlyWithSharedGroup: a profile answers 404 to anyone
// who shares no group with its owner, so it cannot confirm membership.
func TestProfileVisibleOnlyWithSharedGroup(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		now := ts.clock.Now()
		anna, bea, stranger := ts.createMember("anna", models.RoleMember), ts.createMember("bea", models.RoleMember), ts.createMember("stranger", models.RoleMember)
		g := &models.Group{Slug: "together", Name: "Together", JoinPolicy: models.JoinPolicyRequest, Listed: true, CreatedAt: now, UpdatedAt: now}
		models.CreateGroup(db, g)
		models.AddMember(db, g.ID, anna.acct.ID, models.GroupRoleMember, now)
		models.AddMember(db, g.ID, bea.acct.ID, models.GroupRoleMember, now)
		models.SetBio(db, anna.acct.ID, "Gardener. <script>alert(1)</script>", now)

		bc := ts.signedIn(bea)
		page := bc.get("/members/anna")
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, "Member since", "Gardener. &lt;script&gt;")
		sc := ts.signedIn(stranger)
		missing := sc.get("/members/nobody-at-all")
		hidden := sc.get("/members/anna")
		wantStatus(t, hidden, http.StatusNotFound)
		if missing.StatusCode != hidden.StatusCode {
			t.Fatal("an existing member and a missing one are told apart")
		}
		wantStatus(t, ts.client().get("/members/anna"), http.StatusSeeOther)
		// Blocking: the blocker's list shows it; unblock works from there.
		bc.get("/members/anna")
		wantStatus(t, bc.post("/members/anna/block", nil), http.StatusSeeOther)
		wantContains(t, bc.get("/members/anna"), "You blocked this member")
		wantContains(t, bc.get("/account/settings"), "anna")
		wantStatus(t, sc.post("/members/anna/block", nil), http.StatusNotFound)
		wantStatus(t, bc.post("/account/blocks/"+itoa(anna.acct.ID)+"/remove", url.Values{"next": {"/account/settings"}}), http.StatusSeeOther)
		wantContains(t, bc.get("/account/settings"), "You have not blocked anyone")
	})
}

// TestPrivacyPageFollowsSettings: /privacy names the organisation and
// contact from the settings and the session lifetimes in force.
func TestPrivacyPageFollowsSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.client()
		wantContains(t, c.get("/privacy"), "has not entered its name yet", "after 30 minutes without activity", "12 hours", "Never stored")
		s := models.DefaultSiteSettings()
		s.OrganisationName, s.Contact = "Beratungsstelle Nord", "datenschutz@beratung-nord.example"
		if err := models.SaveSiteSettings(db, s, ts.clock.Now()); err != nil {
			t.Fatal(err)
		}
		c.header.Set("Accept-Language", "de")
		wantContains(t, c.get("/privacy"), "Beratungsstelle Nord betreibt dieses Forum", "datenschutz@beratung-nord.example", "nach 30 Minuten")
	})
}
