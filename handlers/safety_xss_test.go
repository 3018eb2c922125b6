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

// TestSafetyFieldsResistPublicXSSPayloads sends the public payloads through
// a member's bio and every field of a help-directory entry: each is refused
// with a clear message or shown as text on the profile and /help, with no
// markup, inline code or foreign resource of its own. ASVS 1.2.1, 3.6.1.
func TestSafetyFieldsResistPublicXSSPayloads(t *testing.T) {
	payloads := loadPayloads(t)
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("greta", models.RoleAdmin)
		member := ts.createMember("hanna", models.RoleMember)
		g := ts.makeGroup("circle", true)
		ts.join(g, admin, models.GroupRoleMember)
		ts.join(g, member, models.GroupRoleMember)
		ac, mc := ts.signedIn(admin), ts.signedIn(member)
		share := 0
		if db.Dialector.Name() == "postgres" {
			share = 1 // under -race the two databases split the list
		}
		shown := 0
		for i, payload := range payloads {
			if i%2 != share {
				continue
			}
			mc.get("/account/settings")
			if res := mc.post("/account/settings", url.Values{"bio": {payload}}); res.StatusCode == http.StatusSeeOther {
				page := ac.get("/members/hanna")
				wantStatus(t, page, http.StatusOK)
				if bad := foreignResources(page.body); len(bad) > 0 {
					t.Fatalf("bio payload %d is live on the profile: %v", i, bad)
				}
				shown++
			} else if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("bio payload %d: status %d", i, res.StatusCode)
			}
			ac.get("/admin/help")
			form := url.Values{"name": {payload}, "offer": {payload}, "description": {payload}, "region": {payload}, "opening_hours": {payload}}
			if res := ac.post("/admin/help", form); res.StatusCode == http.StatusSeeOther {
				page := ts.client().get("/help")
				if bad := foreignResources(page.body); len(bad) > 0 {
					t.Fatalf("help payload %d is live on /help: %v", i, bad)
				}
				shown++
			} else if res.StatusCode == http.StatusUnprocessableEntity {
				if !strings.Contains(res.body, "field-error") {
					t.Fatalf("help payload %d refused without a message", i)
				}
			} else {
				t.Fatalf("help payload %d: status %d", i, res.StatusCode)
			}
		}
		if shown < 100 {
			t.Fatalf("only %d payloads were shown: the test is not testing", shown)
		}
	})
}
