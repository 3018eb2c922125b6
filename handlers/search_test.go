package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestSearchIsolation: results come only from the reader's groups, also
// for staff; an excerpt is plain escaped text; empty and over-long queries
// get a clear message beside the field.
func TestSearchIsolation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		mine, theirs := ts.makeGroup("circle", true), ts.makeGroup("hidden", false)
		anna, eve := ts.createMember("anna", models.RoleMember), ts.createMember("eve", models.RoleMember)
		admin := ts.createMember("coordinator", models.RoleAdmin)
		ts.join(mine, anna, models.GroupRoleMember)
		ts.join(theirs, eve, models.GroupRoleMember)
		ca := ts.signedIn(anna)
		ca.newTopic("circle", map[string][]string{"title": {"Mine"}, "body": {"the lighthouse keeper <b>said</b> " + strings.Repeat("word ", 80)}})
		ts.signedIn(eve).newTopic("hidden", map[string][]string{"title": {"Theirs"}, "body": {"the lighthouse in the secret group"}})

		res := ca.get("/search?q=lighthouse")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, ">Mine</a>", "In Group circle", "1 post found", "&lt;b&gt;said&lt;/b&gt;", "…", `autocomplete="off"`)
		if strings.Contains(res.body, "Theirs") || strings.Contains(res.body, "secret group") {
			t.Fatal("search shows a post of a group the reader is not in")
		}
		if res := ts.signedIn(admin).get("/search?q=lighthouse"); strings.Contains(res.body, "Theirs") {
			t.Fatal("staff search reaches into groups they are not in")
		}
		wantStatus(t, ca.get("/search"), http.StatusOK)
		res = ca.get("/search?q=+")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="q-error"`, "at least one word")
		long := strings.Repeat("a", 201)
		res = ca.get("/search?q=" + long)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="q-error"`, "201 characters", fmt.Sprintf(`value="%s"`, long))
	})
}
