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

// publicPaths may be read by visitors; every other GET route needs an
// account. The list is checked against the router, so a new route is
// private unless added here on purpose.
var publicPaths = map[string]bool{
	"/": true, "/login": true, "/login/code": true, "/register": true, "/setup": true, "/reset": true,
	"/help": true, "/privacy": true, "/legal": true, "/healthz": true, "/static/*": true,
}

// enrollmentPaths are the only private pages a half-registered account may
// open.
var enrollmentPaths = map[string]bool{
	"/account/totp": true, "/account/totp/qr.png": true, "/account/recovery-codes": true,
	"/account/recovery-codes/download": true,
}

// concretePath fills route parameters with an id.
func concretePath(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = "1"
		}
	}
	return strings.Join(parts, "/")
}

// TestEveryStateChangeNeedsCSRFToken enumerates every non-GET route from the
// router and posts to it as a signed-in administrator without a token, and
// with another browser's token: each is refused. ASVS 3.5.1, 3.5.3.
func TestEveryStateChangeNeedsCSRFToken(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("coordinator", models.RoleAdmin)
		c := ts.signedIn(admin)
		other := ts.client()
		other.get("/")
		routes := ts.app.Router().Routes()
		checked := 0
		for _, r := range routes {
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, "echo_route_not_found":
				continue
			}
			checked++
			path := concretePath(r.Path)
			for _, token := range []string{"", other.csrf} {
				res := c.post(path, url.Values{"csrf_token": {token}})
				if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "This form has expired") {
					t.Errorf("%s %s with token %q: status %d, want 403", r.Method, path, token, res.StatusCode)
				}
			}
		}
		if checked < 10 {
			t.Fatalf("only %d state-changing routes found: the enumeration is broken", checked)
		}
		// No GET route changes state: every GET is answered without a token
		// and the routes that change state are POST only. ASVS 3.5.3.
		for _, r := range routes {
			if r.Method == http.MethodGet && (strings.Contains(r.Path, "/end") || strings.Contains(r.Path, "/revoke") ||
				strings.Contains(r.Path, "/approve") || strings.Contains(r.Path, "logout")) {
				t.Errorf("state-changing GET route %s", r.Path)
			}
		}
	})
}

// TestPrivateRoutesNeedFullAccount enumerates every GET route: each private
// one sends a visitor to /login and a half-registered account to
// /account/totp, and carries Cache-Control: no-store. ASVS 14.3.2.
func TestPrivateRoutesNeedFullAccount(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	half := ts.createMember("halfway", models.RoleAdmin)
	db := ts.db
	db.Model(&models.Account{}).Where("id = ?", half.acct.ID).Update("totp_confirmed_at", nil)
	halfClient := ts.signedIn(half)
	visitor := ts.client()
	checked := 0
	for _, r := range ts.app.Router().Routes() {
		if r.Method != http.MethodGet || publicPaths[r.Path] {
			continue
		}
		checked++
		path := concretePath(r.Path)
		res := visitor.get(path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("visitor GET %s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q", path, res.Header.Get("Cache-Control"))
		}
		if enrollmentPaths[r.Path] {
			continue
		}
		res = halfClient.get(path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/totp" {
			t.Errorf("half-registered GET %s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if checked < 5 {
		t.Fatalf("only %d private routes found", checked)
	}
}
