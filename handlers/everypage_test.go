package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// resourceAttrs are the attributes through which a page makes the browser
// fetch something by itself (as opposed to a link a person may follow).
var resourceAttrs = map[string][]string{
	"script": {"src"}, "img": {"src", "srcset"}, "iframe": {"src"}, "frame": {"src"}, "object": {"data"},
	"embed": {"src"}, "source": {"src", "srcset"}, "video": {"src", "poster"}, "audio": {"src"}, "track": {"src"},
	"input": {"src"}, "form": {"action"}, "base": {"href"}, "link": {"href"}, "meta": {"content"},
}

// foreignResources lists every reference in a page that would make the
// browser contact another host, and every inline script, style or event
// handler (which the CSP would block anyway).
func foreignResources(page string) []string {
	var found []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return found
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			attrs[a.Key] = a.Val
			if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
				found = append(found, tok.Data+" "+a.Key)
			}
		}
		if tok.Data == "style" || (tok.Data == "script" && attrs["src"] == "") {
			found = append(found, "inline "+tok.Data)
		}
		if tok.Data == "meta" && !strings.EqualFold(attrs["http-equiv"], "refresh") {
			continue
		}
		for _, key := range resourceAttrs[tok.Data] {
			v, ok := attrs[key]
			if !ok {
				continue
			}
			if tok.Data == "meta" {
				if _, after, cut := strings.Cut(strings.ToLower(v), "url="); cut {
					v = after
				} else {
					continue
				}
			}
			for _, ref := range strings.Split(v, ",") {
				ref = strings.TrimSpace(strings.Fields(ref + " x")[0])
				u, err := url.Parse(ref)
				if err != nil || u.Host != "" || u.Scheme != "" || strings.HasPrefix(ref, "//") {
					found = append(found, tok.Data+" "+key+"="+ref)
				}
			}
		}
	}
}

// TestEveryPageIsSelfContained walks every GET route as an administrator
// with fixture data, and the public ones as a visitor: every response
// carries the security headers; no page makes the browser contact another
// host or runs inline code; every page offers the quick exit.
// ASVS 3.4.3, 3.4.4, 3.4.5, 3.4.6, 3.4.8, 3.6.1, 14.2.3.
func TestEveryPageIsSelfContained(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin := ts.createMember("greta", models.RoleAdmin)
		fixture := newI18nFixture(t, ts, admin)
		signedIn, visitor := ts.signedIn(admin), ts.client()
		pages := 0
		for _, r := range ts.app.Router().Routes() {
			if r.Method != http.MethodGet || r.Path == "/static/*" {
				continue
			}
			path := fixture.path(r.Path, "en")
			clients := []*testClient{signedIn, visitor}
			for _, c := range clients {
				res := c.get(path)
				h := res.Header
				if h.Get("Content-Security-Policy") != contentSecurityPolicy || h.Get("X-Content-Type-Options") != "nosniff" ||
					h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cross-Origin-Opener-Policy") != "same-origin" {
					t.Errorf("GET %s: security headers missing: %v", path, h)
				}
				if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
					continue
				}
				pages++
				if bad := foreignResources(res.body); len(bad) > 0 {
					t.Errorf("GET %s: %v", path, bad)
				}
				if !strings.Contains(res.body, `data-quick-exit`) {
					t.Errorf("GET %s (status %d): no quick exit", path, res.StatusCode)
				}
			}
		}
		if pages < 40 {
			t.Fatalf("only %d HTML pages checked: the walk is broken", pages)
		}
	})
}

// TestForeignResourcesFinds proves the checker itself finds what it must.
func TestForeignResourcesFinds(t *testing.T) {
	bad := `<img src="https://evil.example/x.png"><link rel="stylesheet" href="//cdn.example/a.css">
<script src="https://cdn.example/x.js"></script><script>alert(1)</script><p style="color:red" onclick="x()">
<meta http-equiv="refresh" content="0;url=https://evil.example/"><img srcset="/a.png 1x, https://e.example/b.png 2x">`
	if got := foreignResources(bad); len(got) != 8 {
		t.Fatalf("found %d: %v", len(got), got)
	}
	good := `<img src="/account/totp/qr.png"><link rel="stylesheet" href="/static/css/a.css"><script src="/static/js/a.js" defer></script>
<a href="https://www.bbc.co.uk/weather">leave</a><form action="/login" method="post"></form>`
	if got := foreignResources(good); len(got) != 0 {
		t.Fatalf("false alarm: %v", got)
	}
}
