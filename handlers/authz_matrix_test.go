package handlers

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestAuthorizationMatrix walks every GET route of the router as every kind
// of reader — visitor, half-registered account, member of the group,
// member of another group, moderator of another group, site moderator,
// administrator — and checks who may see what: private pages send visitors
// to sign in and half-registered accounts to enrollment; administration
// pages are for administrators only; and the group's content (its topic
// titles and posts) reaches nobody outside the group but site moderators
// and administrators, on any page, whatever the route or its parameters.
func TestAuthorizationMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("greta", models.RoleAdmin)
		fixture := newI18nFixture(t, ts, admin) // group "circle"; fixture.other is its member
		secret := "post number 2 of First steps"

		other := ts.makeGroup("elsewhere", true)
		outsider := ts.createMember("olaf", models.RoleMember)
		otherMod := ts.createMember("ottilie", models.RoleMember)
		ts.join(other, outsider, models.GroupRoleMember)
		ts.join(other, otherMod, models.GroupRoleModerator)
		siteMod := ts.createMember("sina", models.RoleSiteModerator)
		half := ts.createMember("hedda", models.RoleMember)
		ts.join(fixture.group, half, models.GroupRoleMember)
		db.Model(&models.Account{}).Where("id = ?", half.acct.ID).Update("totp_confirmed_at", nil)

		type role struct {
			name             string
			client           *testClient
			admin, seesGroup bool
			visitor, halfway bool
		}
		roles := []role{
			{name: "visitor", client: ts.client(), visitor: true},
			{name: "half-registered", client: ts.signedIn(half), halfway: true},
			{name: "member", client: ts.signedIn(fixture.other), seesGroup: true},
			{name: "member of another group", client: ts.signedIn(outsider)},
			{name: "moderator of another group", client: ts.signedIn(otherMod)},
			{name: "site moderator", client: ts.signedIn(siteMod), seesGroup: true},
			{name: "administrator", client: ts.signedIn(admin), admin: true, seesGroup: true},
		}
		checked := 0
		for _, r := range ts.app.Router().Routes() {
			if r.Method != http.MethodGet || r.Path == "/static/*" || r.Path == "/healthz" {
				continue
			}
			path := fixture.path(r.Path, "en")
			for _, ro := range roles {
				res := ro.client.get(path)
				checked++
				loc := res.Header.Get("Location")
				switch {
				case publicPaths[r.Path]:
				case ro.visitor:
					if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
						t.Errorf("%s GET %s: %d %s, want sign-in", ro.name, path, res.StatusCode, loc)
					}
					continue
				case ro.halfway && !enrollmentPaths[r.Path]:
					if res.StatusCode != http.StatusSeeOther || loc != "/account/totp" {
						t.Errorf("%s GET %s: %d %s, want enrollment", ro.name, path, res.StatusCode, loc)
					}
					continue
				case strings.HasPrefix(r.Path, "/admin/") && !ro.admin:
					if res.StatusCode != http.StatusForbidden {
						t.Errorf("%s GET %s: %d, want 403", ro.name, path, res.StatusCode)
					}
				}
				if res.StatusCode >= 500 {
					t.Errorf("%s GET %s: %d", ro.name, path, res.StatusCode)
				}
				if !ro.seesGroup && strings.Contains(res.body, secret) {
					t.Errorf("%s GET %s: the group's content leaked", ro.name, path)
				}
			}
		}
		// The group's content is really there for those who may see it.
		for _, ro := range roles {
			if !ro.seesGroup {
				continue
			}
			res := ro.client.get(fixture.path("/groups/:slug/topics/:id", "en"))
			if !strings.Contains(res.body, secret) {
				t.Fatalf("%s cannot read the group's topic: %d", ro.name, res.StatusCode)
			}
		}
		if checked < 200 {
			t.Fatalf("only %d route × role checks: the walk is broken", checked)
		}
	})
}
