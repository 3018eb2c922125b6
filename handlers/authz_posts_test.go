package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// stateFingerprint summarises what a state change would alter: every
// table's row count, and the state columns that change in place (locks,
// pins, post text, roles, group fields). Bookkeeping that any request may
// write (sessions' last activity, throttling keys, the audit log) is left
// out.
func stateFingerprint(t *testing.T, db *gorm.DB) string {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	// PostgreSQL lists tables in no fixed order.
	slices.Sort(tables)
	var b strings.Builder
	for _, table := range tables {
		switch {
		case table == "audit_log" || table == "client_hash_keys" || table == "throttles" || strings.HasPrefix(table, "posts_fts"):
			continue
		}
		var n int64
		db.Table(table).Count(&n)
		fmt.Fprintf(&b, "%s=%d;", table, n)
	}
	var sums struct{ A, B, C, D int64 }
	db.Raw(`SELECT (SELECT COUNT(*) FROM topics WHERE locked) AS a, (SELECT COUNT(*) FROM topics WHERE pinned) AS b,
		(SELECT COALESCE(SUM(LENGTH(body)), 0) FROM posts) AS c, (SELECT COUNT(*) FROM posts WHERE erased_at IS NULL) AS d`).Scan(&sums)
	var roles []string
	db.Model(&models.Account{}).Order("id").Pluck("role", &roles)
	var groupRoles []string
	db.Model(&models.GroupMember{}).Order("group_id, account_id").Pluck("role", &groupRoles)
	var names []string
	db.Model(&models.Group{}).Order("id").Pluck("name", &names)
	fmt.Fprintf(&b, "%+v %v %v %v", sums, roles, groupRoles, names)
	return b.String()
}

// routeAction fills the :action parameter of moderation routes with a real
// action, so that the request reaches the permission check.
func routeAction(route string) string {
	switch {
	case strings.HasPrefix(route, "/mod/posts/"):
		return "hide"
	case strings.HasPrefix(route, "/mod/topics/"):
		return "lock"
	case strings.HasPrefix(route, "/mod/members/"):
		return "ban"
	case strings.HasPrefix(route, "/mod/held/"):
		return "approve"
	case strings.HasPrefix(route, "/mod/appeals/"):
		return "overturn"
	}
	return "x"
}

// TestAuthorizationMatrixStateChanges enumerates every state-changing route
// from the router and sends it, with a valid anti-forgery token, as readers
// who must not be able to use it on the group "circle": a member of another
// group and a moderator of another group (for every route about a group,
// post, topic or moderation), and a member and a site moderator (for every
// administration route). Each request must change nothing — whatever its
// status — and administration routes answer 403. ASVS 3.5.1, 7.5.1.
func TestAuthorizationMatrixStateChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("greta", models.RoleAdmin)
		fixture := newI18nFixture(t, ts, admin)
		other := ts.makeGroup("elsewhere", true)
		outsider := ts.createMember("olaf", models.RoleMember)
		otherMod := ts.createMember("ottilie", models.RoleMember)
		ts.join(other, outsider, models.GroupRoleMember)
		ts.join(other, otherMod, models.GroupRoleModerator)
		siteMod := ts.createMember("sina", models.RoleSiteModerator)

		type role struct {
			name   string
			client *testClient
		}
		outsiders := []role{{"member of another group", ts.signedIn(outsider)}, {"moderator of another group", ts.signedIn(otherMod)}}
		nonAdmins := []role{{"member", ts.signedIn(fixture.other)}, {"site moderator", ts.signedIn(siteMod)}}
		checked := 0
		for _, r := range ts.app.Router().Routes() {
			if r.Method != http.MethodPost {
				continue
			}
			var roles []role
			switch {
			case strings.HasPrefix(r.Path, "/admin/"):
				roles = nonAdmins
			case r.Path == "/groups/:slug/join" || r.Path == "/groups/:slug/invite/:code":
				continue // asking to join a listed group is for outsiders; invitations have their own tests
			case strings.HasPrefix(r.Path, "/groups/:slug") || strings.HasPrefix(r.Path, "/posts/") || strings.HasPrefix(r.Path, "/mod/"):
				roles = outsiders
			default:
				continue
			}
			path := fixture.path(r.Path, "en")
			if strings.Contains(r.Path, ":action") {
				path = strings.TrimSuffix(path, "/1") + "/" + routeAction(r.Path)
			}
			for _, ro := range roles {
				before := stateFingerprint(t, db)
				ro.client.get("/")
				res := ro.client.post(path, url.Values{
					"reason": {"spam"}, "note": {"n"}, "body": {"text"}, "title": {"A title"}, "username": {"olaf"},
					"name": {"New name"}, "kind": {"support"}, "answer": {"a"}, "text": {"t"}, "phrase": {"p"}, "action": {"hold"},
				})
				checked++
				if res.StatusCode >= 500 {
					t.Errorf("%s POST %s: %d", ro.name, path, res.StatusCode)
				}
				if strings.HasPrefix(r.Path, "/admin/") && res.StatusCode != http.StatusForbidden {
					t.Errorf("%s POST %s: %d, want 403", ro.name, path, res.StatusCode)
				}
				if after := stateFingerprint(t, db); after != before {
					t.Errorf("%s POST %s (%d) changed state:\nbefore %s\nafter  %s", ro.name, path, res.StatusCode, before, after)
				}
			}
		}
		if checked < 40 {
			t.Fatalf("only %d route × role checks: the walk is broken", checked)
		}
	})
}
