package handlers

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// passFrom returns the appeal pass a response set, or "".
func passFrom(res *response) string {
	for _, ck := range res.Cookies() {
		if ck.Name == barredPassCookie && ck.MaxAge > 0 {
			return ck.Value
		}
	}
	return ""
}

// withPass puts an appeal pass into the client's cookie jar, as a browser
// that kept (or forged) it would send it.
func (c *testClient) withPass(token string) {
	u, _ := url.Parse(c.ts.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: barredPassCookie, Value: token, Path: "/"}})
}

// sanction has the moderator suspend or ban a member from the member's
// moderation page.
func (f *modFixture) sanction(t *testing.T, actor *testMember, name, action string, form url.Values) {
	t.Helper()
	c := f.ts.signedIn(actor)
	c.get("/mod/members/" + name)
	wantStatus(t, c.post("/mod/members/"+name+"/"+action, form), http.StatusSeeOther)
}

// wantAppeals checks how many appeals there are.
func wantAppeals(t *testing.T, db *gorm.DB, want int64) {
	t.Helper()
	if n := countRows(t, db, &models.Appeal{}, "1 = 1"); n != want {
		t.Fatalf("%d appeals, want %d", n, want)
	}
}

// barredSignIn signs the member in from a fresh browser and expects the
// page for a suspended or banned member.
func barredSignIn(t *testing.T, ts *testServer, m *testMember) (*testClient, *response) {
	t.Helper()
	c := ts.client()
	res := c.signIn(m.acct.Username, m.password, m.code(ts))
	wantStatus(t, res, http.StatusForbidden)
	return c, res
}

// TestBarredMemberAppealsAtSignIn: a suspended or banned member signs in,
// reads why and until when, and appeals from that page with the pass it
// gave her — no session, no other page. The appeal reaches a moderator
// other than the one who acted; overturning it lets her sign in again. She
// cannot appeal twice, and the pass works once.
func TestBarredMemberAppealsAtSignIn(t *testing.T) {
	cases := []struct {
		name       string
		action     string
		form       url.Values
		wantPage   string
		actor      func(f *modFixture) *testMember
		decider    func(f *modFixture) *testMember
		member     func(f *modFixture) *testMember
		memberName string
	}{
		{name: "suspended", action: "suspend", form: reason("days", "7", "note", "Take a week off, please."),
			wantPage: "suspended your account until", memberName: "anna",
			actor:   func(f *modFixture) *testMember { return f.site },
			decider: func(f *modFixture) *testMember { return f.admin },
			member:  func(f *modFixture) *testMember { return f.anna }},
		{name: "banned", action: "ban", form: reason("note", "Take a week off, please."),
			wantPage: "closed your access", memberName: "bodhi",
			actor:   func(f *modFixture) *testMember { return f.admin },
			decider: func(f *modFixture) *testMember { return f.admin2 },
			member:  func(f *modFixture) *testMember { return f.bodhi }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *gorm.DB) {
				f := newModFixture(t, db)
				ts := f.ts
				member := tc.member(f)
				f.sanction(t, tc.actor(f), tc.memberName, tc.action, maps.Clone(tc.form))

				c, res := barredSignIn(t, ts, member)
				wantContains(t, res, tc.wantPage, "Take a week off, please.", `action="/login/appeal"`, `name="body"`)
				pass := passFrom(res)
				if pass == "" {
					t.Fatal("no appeal pass was set")
				}
				if set := strings.Join(res.Header.Values("Set-Cookie"), "\n"); !strings.Contains(set, barredPassCookie+"=") ||
					!strings.Contains(set, "HttpOnly; SameSite=Strict") {
					t.Fatalf("the pass is not an HttpOnly, SameSite=Strict cookie:\n%s", set)
				}
				if n := countRows(t, db, &models.Session{}, "account_id = ?", member.acct.ID); n != 0 {
					t.Fatal("a barred member got a session")
				}
				// The pass opens nothing else.
				for _, path := range []string{"/groups", "/appeals", "/account/security"} {
					res := c.get(path)
					if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
						t.Fatalf("GET %s with a pass: %d %s", path, res.StatusCode, res.Header.Get("Location"))
					}
				}
				c.get("/login")
				var sanction models.ModAction
				db.Where("target_id = ?", member.acct.ID).First(&sanction)
				res = c.post(fmt.Sprintf("/appeals/%d", sanction.ID), url.Values{"body": {"through the door for members"}})
				if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
					t.Fatalf("POST /appeals/%d with a pass: %d %s", sanction.ID, res.StatusCode, res.Header.Get("Location"))
				}

				// Bad input: the same page, 422, the text kept, the message beside the field.
				res = c.post("/login/appeal", url.Values{"body": {"   "}})
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantContains(t, res, `id="body-error"`, "Please write a few words about why.", tc.wantPage)
				long := strings.Repeat("kept words ", 100)
				res = c.post("/login/appeal", url.Values{"body": {long}})
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantContains(t, res, "1,000 characters or fewer", "kept words kept words")

				text := "I was defending myself, please read the thread again."
				res = c.post("/login/appeal", url.Values{"body": {text}})
				wantStatus(t, res, http.StatusSeeOther)
				wantContains(t, c.follow(res), "Your appeal is sent.")
				if strings.Contains(ts.logBuf.String(), "defending myself") {
					t.Fatal("the appeal's text was logged")
				}
				if n := countRows(t, db, &models.BarredPass{}, "account_id = ?", member.acct.ID); n != 0 {
					t.Fatal("the pass outlived the appeal")
				}
				// The pass cannot be used again.
				c.withPass(pass)
				res = c.post("/login/appeal", url.Values{"body": {"a second try"}})
				wantStatus(t, res, http.StatusSeeOther)
				if res.Header.Get("Location") != "/login" {
					t.Fatalf("a used pass went to %s", res.Header.Get("Location"))
				}
				wantAppeals(t, db, 1)
				// Signing in again shows where it stands, with no form and no pass.
				_, res = barredSignIn(t, ts, member)
				wantContains(t, res, "Your appeal is waiting for a decision.")
				wantLacks(t, res, `action="/login/appeal"`)
				if passFrom(res) != "" {
					t.Fatal("a pass was issued for a decision already appealed")
				}

				// The queue: not the moderator who acted, another one.
				var ap models.Appeal
				db.Where("account_id = ?", member.acct.ID).First(&ap)
				actor := ts.signedIn(tc.actor(f))
				wantLacks(t, actor.get("/mod"), "Appeal by "+tc.memberName)
				wantStatus(t, actor.get(fmt.Sprintf("/mod/appeals/%d", ap.ID)), http.StatusNotFound)
				decider := ts.signedIn(tc.decider(f))
				wantContains(t, decider.get("/mod"), "Appeal by "+tc.memberName)
				wantContains(t, decider.get(fmt.Sprintf("/mod/appeals/%d", ap.ID)), text)
				wantStatus(t, decider.post(fmt.Sprintf("/mod/appeals/%d/overturn", ap.ID), reason()), http.StatusSeeOther)

				// Overturned: she signs in again, and reads the outcome.
				fresh := ts.client()
				wantStatus(t, fresh.signIn(member.acct.Username, member.password, member.code(ts)), http.StatusSeeOther)
				wantContains(t, fresh.get("/appeals"), "The decision was undone.")
			})
		})
	}
}

// TestBarredAppealWindow: after 14 days the page says the time to appeal
// has ended and gives no form and no pass; a pass given just before the end
// is refused once the window has closed.
func TestBarredAppealWindow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		for _, name := range []string{"anna", "bodhi"} {
			f.sanction(t, f.site, name, "suspend", reason("days", "30"))
		}

		ts.clock.Advance(models.AppealWindow - 10*time.Minute)
		c, res := barredSignIn(t, ts, f.bodhi)
		wantContains(t, res, `action="/login/appeal"`)
		ts.clock.Advance(20 * time.Minute)
		res = c.post("/login/appeal", url.Values{"body": {"Just in time, I hope."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "The time to appeal this decision has ended.")
		wantLacks(t, res, `action="/login/appeal"`)

		ts.clock.Advance(24 * time.Hour)
		_, res = barredSignIn(t, ts, f.anna)
		wantContains(t, res, "suspended your account until", "The time to appeal this decision has ended.")
		wantLacks(t, res, `action="/login/appeal"`)
		if passFrom(res) != "" {
			t.Fatal("a pass was issued after the window")
		}
		wantAppeals(t, db, 0)
	})
}

// TestBarredAppealPassRefused: no pass, a forged one and an expired one each
// send the person back to sign in with a calm message, and file nothing.
func TestBarredAppealPassRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		f.sanction(t, f.site, "anna", "suspend", reason("days", "7"))

		expired, _ := barredSignIn(t, ts, f.anna)
		ts.clock.Advance(models.BarredPassLife + time.Minute)
		forged := ts.client()
		forged.get("/login")
		forged.withPass("bm90LWEtcmVhbC1wYXNzLWJ1dC1sb29rcy1saWtlLW9uZQ")
		nothing := ts.client()
		nothing.get("/login")
		for name, c := range map[string]*testClient{"expired": expired, "forged": forged, "none": nothing} {
			res := c.post("/login/appeal", url.Values{"body": {"Please look again."}})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
				t.Fatalf("%s pass: %d %s", name, res.StatusCode, res.Header.Get("Location"))
			}
			wantContains(t, c.follow(res), "so we closed it for your safety")
		}
		wantAppeals(t, db, 0)
	})
}

// TestAppealsNameThePost: on /appeals and on the moderator's appeal page a
// decision about a post names its topic and links to it while the reader may
// open it, says plainly when it is gone, and a decision about the member
// names the group; one query serves any number of decisions.
func TestAppealsNameThePost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		_, posts := ts.seedTopic(f.circle, f.anna, "Streets", 1)
		gm := ts.signedIn(f.gmod)
		gm.get(postPath(f.annaPost))
		wantStatus(t, gm.post(postPath(f.annaPost)+"/hide", reason()), http.StatusSeeOther)
		wantStatus(t, gm.post(postPath(posts[0])+"/delete", reason()), http.StatusSeeOther)
		wantStatus(t, gm.post("/mod/members/anna/warn", reason("group", "circle")), http.StatusSeeOther)

		anna := ts.signedIn(f.anna)
		n := countStatements(t, db)
		before := statementsFor(t, anna, n, "/appeals")
		page := anna.get("/appeals")
		wantContains(t, page, "A post in “A hard week”.", fmt.Sprintf(`href="/posts/%d"`, f.annaPost.ID),
			"A post in “Streets”.", "The post has been removed and can no longer be opened.", "In the group Group circle.")
		wantLacks(t, page, fmt.Sprintf(`href="/posts/%d"`, posts[0].ID))

		var hide models.ModAction
		db.Where("action = ?", models.ModHide).First(&hide)
		wantStatus(t, anna.post(fmt.Sprintf("/appeals/%d", hide.ID), url.Values{"body": {"It was about me."}}), http.StatusSeeOther)
		var ap models.Appeal
		db.First(&ap)
		site := ts.signedIn(f.site)
		wantContains(t, site.get(fmt.Sprintf("/mod/appeals/%d", ap.ID)), "A post in “A hard week”.",
			fmt.Sprintf(`href="/posts/%d"`, f.annaPost.ID), "In the group Group circle.")

		// Removed from the group: the post is named no more, and she is told
		// she can no longer open it.
		for range 5 {
			wantStatus(t, gm.post("/mod/members/anna/warn", reason("group", "circle")), http.StatusSeeOther)
		}
		wantStatus(t, gm.post("/mod/members/anna/remove", reason("group", "circle")), http.StatusSeeOther)
		anna = ts.signedIn(f.anna)
		if after := statementsFor(t, anna, n, "/appeals"); after != before {
			t.Fatalf("/appeals ran %d statements for 3 decisions and %d for 9", before, after)
		}
		page = anna.get("/appeals")
		wantContains(t, page, "You can no longer open this post.", "In the group Group circle.")
		wantLacks(t, page, "A hard week", fmt.Sprintf(`href="/posts/%d"`, f.annaPost.ID))
	})
}

// TestBarredPassCookieOnHTTPS: on https the pass is a __Host- cookie,
// Secure, HttpOnly and SameSite=Strict, for the whole site and no longer
// than the pass lives.
func TestBarredPassCookieOnHTTPS(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t), withBaseURL("https://forum.example.org"))
	rec := httptest.NewRecorder()
	c := ts.app.Router().NewContext(httptest.NewRequest(http.MethodPost, "/login/code", nil), rec)
	ts.app.setStrictCookie(c, barredPassCookie, "token", int(models.BarredPassLife.Seconds()))
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies: %+v", cookies)
	}
	ck := cookies[0]
	if ck.Name != "__Host-"+barredPassCookie || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode ||
		ck.Path != "/" || ck.Domain != "" || ck.MaxAge != 1800 {
		t.Fatalf("cookie flags: %+v", ck)
	}
}
