package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// i18nFixture is enough data for every page to show something: a group the
// administrator moderates, a topic with posts, a second member, a help
// service and an invitation.
type i18nFixture struct {
	group  *models.Group
	topic  *models.Topic
	post   *models.Post
	other  *testMember
	helpID int64
}

func newI18nFixture(t *testing.T, ts *testServer, admin *testMember) i18nFixture {
	t.Helper()
	g := ts.makeGroup("circle", true)
	other := ts.createMember("bruno", models.RoleMember)
	ts.join(g, admin, models.GroupRoleModerator)
	ts.join(g, other, models.GroupRoleMember)
	topic, posts := ts.seedTopic(g, admin, "First steps", 3)
	help := &models.HelpResource{Name: "Helpline", Description: "Listens", Phone: "0800 111 0 111", Region: "DE"}
	if err := models.SaveHelpResource(ts.db, help, ts.clock.Now()); err != nil {
		t.Fatal(err)
	}
	actor := admin.acct.ID
	if _, _, err := models.NewInvite(ts.db, 1, 72*time.Hour, &actor, ts.clock.Now()); err != nil {
		t.Fatal(err)
	}
	return i18nFixture{group: g, topic: topic, post: posts[0], other: other, helpID: help.ID}
}

// path fills a route's parameters with the fixture's data; a parameter it
// does not know gets "1", whose page may well be a 404 (which must be
// translated too).
func (f i18nFixture) path(route, lang string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		value := "1"
		switch {
		case p == ":slug":
			value = f.group.Slug
		case p == ":username":
			value = f.other.acct.Username
		case p == ":lang":
			value = lang
		case p == ":id" && strings.HasPrefix(route, "/admin/texts/"):
			value = "site.tagline"
		case p == ":id" && strings.HasPrefix(route, "/admin/help/"):
			value = strconv.FormatInt(f.helpID, 10)
		case p == ":id" && strings.HasPrefix(route, "/posts/"):
			value = strconv.FormatInt(f.post.ID, 10)
		case p == ":id" && strings.Contains(route, "/topics/"):
			value = strconv.FormatInt(f.topic.ID, 10)
		}
		parts[i] = value
	}
	path := strings.Join(parts, "/")
	switch route {
	case "/search":
		path += "?q=steps"
	case "/admin/texts":
		path += "?q=site"
	}
	return path
}

// TestEveryPageInBothLanguages walks every GET route of the router, as an
// administrator with fixture data and, for the public pages, as a visitor,
// in every language: each HTML page declares its language and shows no
// untranslated message ("‹id›").
func TestEveryPageInBothLanguages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("greta", models.RoleAdmin)
		fixture := newI18nFixture(t, ts, admin)
		for _, tag := range ts.app.catalog.Languages() {
			lang := tag.String()
			t.Run(lang, func(t *testing.T) {
				signedIn := ts.signedIn(admin)
				signedIn.header.Set("Accept-Language", lang)
				visitor := ts.visitorIn(lang)
				rendered, ok := 0, 0
				var notOK []string
				for _, r := range ts.app.Router().Routes() {
					if r.Method != http.MethodGet || r.Path == "/static/*" || r.Path == "/healthz" {
						continue
					}
					path := fixture.path(r.Path, lang)
					clients := []*testClient{signedIn}
					if publicPaths[r.Path] {
						clients = append(clients, visitor)
					}
					for _, c := range clients {
						res := c.get(path)
						if res.StatusCode >= 500 {
							t.Errorf("GET %s: status %d", path, res.StatusCode)
							continue
						}
						if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
							continue
						}
						rendered++
						if res.StatusCode == http.StatusOK {
							ok++
						} else {
							notOK = append(notOK, strconv.Itoa(res.StatusCode)+" "+path)
						}
						if !strings.Contains(res.body, `<html lang="`+lang+`">`) {
							t.Errorf("GET %s (status %d): no <html lang=%q>", path, res.StatusCode, lang)
						}
						if i := strings.Index(res.body, "‹"); i >= 0 {
							end := min(len(res.body), i+80)
							t.Errorf("GET %s (status %d): missing message %s", path, res.StatusCode, res.body[i:end])
						}
					}
				}
				if ok < 30 {
					t.Fatalf("only %d pages rendered with 200: the walk is broken", ok)
				}
				t.Logf("%d pages rendered, %d with 200; the others: %v", rendered, ok, notOK)
			})
		}
	})
}

// TestSiteTimeZone: an administrator picks the site's time zone; members who
// chose none see times in it, members who chose their own see theirs, and
// an unknown zone is refused with the choice kept.
func TestSiteTimeZone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("greta", models.RoleAdmin)
		ac := ts.signedIn(admin)
		ac.get("/admin/settings")
		form := validSettingsForm()
		form.Set("time_zone", "Mars/Olympus")
		res := ac.post("/admin/settings", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="time_zone-error"`, "choose one of the time zones", `<option value="Mars/Olympus" selected>`)

		form.Set("time_zone", "Europe/Berlin")
		res = ac.post("/admin/settings", form)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, ac.follow(res), `<option value="Europe/Berlin" selected>`)
		if s, _ := models.LoadSiteSettings(db); s.TimeZone != "Europe/Berlin" {
			t.Fatalf("site time zone %q", s.TimeZone)
		}
		if e := auditEntries(t, db, models.AuditSettingsChanged); len(e) != 1 || !strings.Contains(e[0].Detail, "time_zone") {
			t.Fatalf("audit %+v", e)
		}

		// A post ten days old shows its date, not "… ago".
		g := ts.makeGroup("circle", true)
		plain, traveller := ts.createMember("clara", models.RoleMember), ts.createMember("dora", models.RoleMember)
		ts.join(g, plain, models.GroupRoleMember)
		ts.join(g, traveller, models.GroupRoleMember)
		written := ts.clock.Now()
		topic, _ := ts.seedTopic(g, plain, "Dates", 1)
		ts.clock.Advance(10 * 24 * time.Hour)
		models.SaveMemberSettings(db, traveller.acct.ID, models.MemberSettings{TimeZone: "America/New_York"}, ts.clock.Now())

		format := func(zone string) string {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			return written.In(loc).Format("2 Jan 2006, 15:04")
		}
		topicPath := "/groups/circle/topics/" + strconv.FormatInt(topic.ID, 10)
		c := ts.signedIn(plain)
		c.header.Set("Accept-Language", "en")
		page := c.get(topicPath)
		wantStatus(t, page, http.StatusOK)
		wantContains(t, page, format("Europe/Berlin"))
		wantLacks(t, page, format("UTC"))

		c = ts.signedIn(traveller)
		c.header.Set("Accept-Language", "en")
		page = c.get(topicPath)
		wantContains(t, page, format("America/New_York"))
		wantLacks(t, page, format("Europe/Berlin"))

		// A settings form without the field keeps UTC, the default.
		if _, problems := models.ParseSiteSettings(map[string]string{}); problems[models.SettingTimeZone] != "" {
			t.Errorf("empty time zone refused: %v", problems)
		}
	})
}
