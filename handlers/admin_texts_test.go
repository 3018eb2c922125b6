package handlers

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// visitorIn returns a visitor whose browser asks for lang.
func (ts *testServer) visitorIn(lang string) *testClient {
	c := ts.client()
	c.header.Set("Accept-Language", lang)
	return c
}

// defaultText is the catalog's text of id in lang as a page shows it.
func (ts *testServer) defaultText(lang, id string) string {
	ts.t.Helper()
	text, _, ok := ts.app.catalog.DefaultText(lang, id)
	if !ok {
		ts.t.Fatalf("no message %s in %s", id, lang)
	}
	return template.HTMLEscapeString(text)
}

// TestAdminTextOverrideShownAndReset: an administrator finds a text, saves
// her own wording for one language, sees it on the page in that language
// only (escaped, ASVS 1.2.1), and resets it to the default; both changes are
// audited by message id, never by text.
func TestAdminTextOverrideShownAndReset(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("greta", models.RoleAdmin)
		c := ts.signedIn(admin)
		enTagline, deTagline := ts.defaultText("en", "site.tagline"), ts.defaultText("de", "site.tagline")

		list := c.get("/admin/texts?lang=de&q=TAGLINE")
		wantStatus(t, list, http.StatusOK)
		wantContains(t, list, "<code>site.tagline</code>", deTagline, `href="/admin/texts/de/site.tagline"`, `aria-current="page"`)
		wantLacks(t, list, "<code>nav.home</code>")

		edit := c.get("/admin/texts/en/site.tagline")
		wantStatus(t, edit, http.StatusOK)
		wantContains(t, edit, `<textarea id="text" name="text"`, ">"+enTagline+"</textarea>")
		wantLacks(t, edit, `action="/admin/texts/en/site.tagline/reset"`)

		own := "Beratung Nord: <b>für dich</b> da"
		res := c.post("/admin/texts/en/site.tagline", url.Values{"text": {"  " + own + "\r\n"}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/admin/texts/en/site.tagline" {
			t.Fatalf("redirect to %q", loc)
		}
		page := c.follow(res)
		wantContains(t, page, "Your text is saved", ">Beratung Nord: &lt;b&gt;für dich&lt;/b&gt; da</textarea>",
			`action="/admin/texts/en/site.tagline/reset"`)

		home := ts.visitorIn("en").get("/")
		wantContains(t, home, `<p class="lead">Beratung Nord: &lt;b&gt;für dich&lt;/b&gt; da</p>`)
		wantLacks(t, home, "<b>für dich", enTagline)
		home = ts.visitorIn("de-AT").get("/")
		wantContains(t, home, `<p class="lead">`+deTagline+`</p>`)
		wantLacks(t, home, "Beratung Nord")

		changed := c.get("/admin/texts?lang=en&changed=yes")
		wantContains(t, changed, "<code>site.tagline</code>", "Beratung Nord: &lt;b&gt;")
		wantLacks(t, changed, "<code>nav.home</code>")

		res = c.post("/admin/texts/en/site.tagline/reset", nil)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, c.follow(res), "The original text is back", ">"+enTagline+"</textarea>")
		wantContains(t, ts.visitorIn("en").get("/"), `<p class="lead">`+enTagline+`</p>`)
		if n := countRows(t, db, &models.TextOverride{}, "1 = 1"); n != 0 {
			t.Fatalf("%d overrides left after reset", n)
		}
		res = c.post("/admin/texts/en/site.tagline/reset", nil)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, c.follow(res), "already")

		for _, action := range []string{models.AuditTextOverridden, models.AuditTextReset} {
			entries := auditEntries(t, db, action)
			if len(entries) != 1 || entries[0].ActorID == nil || *entries[0].ActorID != admin.acct.ID {
				t.Fatalf("%s entries %+v", action, entries)
			}
			if d := entries[0].Detail; !strings.Contains(d, "site.tagline") || !strings.Contains(d, "en") || strings.Contains(d, "Beratung") {
				t.Errorf("%s detail %q", action, d)
			}
		}
	})
}

// TestAdminTextPlaceholders: an override may use the message's own
// placeholders, which are filled and escaped like the default's; any other
// part in double braces is refused with 422, the text kept, nothing saved.
func TestAdminTextPlaceholders(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.signedIn(ts.createMember("greta", models.RoleAdmin))
		settings := models.DefaultSiteSettings()
		settings.OrganisationName = "Nord <e.V.>"
		if err := models.SaveSiteSettings(db, settings, ts.clock.Now()); err != nil {
			t.Fatal(err)
		}
		c.get("/admin/texts/de/footer.runby")

		refused := []struct {
			name, id, text, want string
		}{
			{"unknown placeholder", "footer.runby", "Ein Angebot von {{.Name}}", "use only {{.Organisation}}"},
			{"template action", "footer.runby", "{{if .Organisation}}x{{end}}", "use only {{.Organisation}}"},
			{"placeholder where none fits", "site.tagline", "Hallo {{.Organisation}}", "cannot be filled in here"},
			{"too long", "site.tagline", strings.Repeat("x", models.MaxTextOverrideLen+1), "2000 characters or fewer"},
			{"control character", "site.tagline", "ding\x07dong", "cannot be shown"},
		}
		for _, tt := range refused {
			res := c.post("/admin/texts/de/"+tt.id, url.Values{"text": {tt.text}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res, `id="text-error"`, template.HTMLEscapeString(tt.want), `aria-invalid="true"`)
			if !strings.Contains(res.body, template.HTMLEscapeString(tt.text)+"</textarea>") && tt.name != "control character" {
				t.Errorf("%s: typed text not kept", tt.name)
			}
		}
		if n := countRows(t, db, &models.TextOverride{}, "1 = 1"); n != 0 {
			t.Fatalf("%d overrides saved from refused forms", n)
		}

		res := c.post("/admin/texts/de/footer.runby", url.Values{"text": {"Ein Angebot von {{.Organisation}}"}})
		wantStatus(t, res, http.StatusSeeOther)
		home := ts.visitorIn("de").get("/")
		wantContains(t, home, "<p>Ein Angebot von Nord &lt;e.V.&gt;</p>")

		// Unknown languages, spellings and ids have no page.
		for _, path := range []string{"/admin/texts/fr/nav.home", "/admin/texts/DE/nav.home", "/admin/texts/de/no.such.text"} {
			wantStatus(t, c.get(path), http.StatusNotFound)
			wantStatus(t, c.post(path, url.Values{"text": {"x"}}), http.StatusNotFound)
		}
	})
}

// TestAdminTextsRefuseOthers: members get 403 and visitors are sent to sign
// in, for every texts route; nothing is written.
func TestAdminTextsRefuseOthers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		if err := models.SetTextOverride(db, "en", "nav.home", "Start", nil, ts.clock.Now()); err != nil {
			t.Fatal(err)
		}
		member := ts.signedIn(ts.createMember("hanna", models.RoleMember))
		visitor := ts.client()
		visitor.get("/")
		for _, path := range []string{"/admin/texts", "/admin/texts/en/nav.home"} {
			wantStatus(t, member.get(path), http.StatusForbidden)
			res := visitor.get(path)
			wantStatus(t, res, http.StatusSeeOther)
			if !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("visitor GET %s sent to %q", path, res.Header.Get("Location"))
			}
		}
		wantStatus(t, member.post("/admin/texts/en/nav.home", url.Values{"text": {"Mine"}}), http.StatusForbidden)
		wantStatus(t, member.post("/admin/texts/en/nav.home/reset", nil), http.StatusForbidden)
		if texts, _ := models.TextOverrides(db, "en"); len(texts) != 1 || texts["nav.home"] != "Start" {
			t.Fatalf("overrides changed: %v", texts)
		}
		// Only the setup's own save is in the log.
		if n := countRows(t, db, &models.AuditEntry{}, "action LIKE ?", "text.%"); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
	})
}

// TestTextOverrideXSSPayloadsInert saves each public XSS payload as the
// site's tagline: it is refused with a message beside the field, or the home
// page shows it as exactly that text and nothing else. ASVS 1.2.1, 3.6.1.
func TestTextOverrideXSSPayloadsInert(t *testing.T) {
	payloads := loadPayloads(t)
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.signedIn(ts.createMember("greta", models.RoleAdmin))
		c.get("/admin/texts/en/site.tagline")
		visitor := ts.visitorIn("en")
		first, step := grpPayloadShare(t.Name())
		refused := 0
		for i := first; i < len(payloads); i += step {
			p := payloads[i]
			res := c.post("/admin/texts/en/site.tagline", url.Values{"text": {p}})
			switch res.StatusCode {
			case http.StatusUnprocessableEntity:
				refused++
				if got, ok := elementText(res.body, "textarea", "id", "text"); !ok || got != p || !strings.Contains(res.body, `id="text-error"`) {
					t.Errorf("payload %d %q refused: textarea %q, message shown %v", i, p, got, strings.Contains(res.body, `id="text-error"`))
				}
				continue
			case http.StatusSeeOther:
			default:
				t.Fatalf("payload %d %q: status %d", i, p, res.StatusCode)
			}
			home := visitor.get("/")
			if got, ok := elementText(home.body, "p", "class", "lead"); !ok || got != strings.TrimSpace(p) {
				t.Errorf("payload %d %q: tagline on / is %q (only text: %v)", i, p, got, ok)
			}
		}
		t.Logf("every %d. payload of %d from #%d; %d refused", step, len(payloads), first, refused)
	})
}

// elementText finds the first element named tag whose attribute key is val
// and returns its text; ok is false when it is missing or holds anything
// but text (an element inside it means the text was not inert).
func elementText(body, tag, key, val string) (string, bool) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return "", false
	}
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if found != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == tag {
			for _, a := range n.Attr {
				if a.Key == key && a.Val == val {
					found = n
					return
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	if found == nil {
		return "", false
	}
	var text strings.Builder
	for ch := found.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.TextNode {
			return text.String(), false
		}
		text.WriteString(ch.Data)
	}
	got := text.String()
	if tag == "textarea" {
		// HTML drops one line break right after <textarea>.
		got = strings.TrimPrefix(got, "\n")
	}
	return got, true
}
