package handlers

import (
	"bufio"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/internal/markup"
	"hearth/models"
	"hearth/models/testdb"
)

// loadPayloads reads the 300 public XSS payloads, one a line.
func loadPayloads(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../shared/testdata/xss/payloads.txt")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("payload list not available in CI: %v", err)
		}
		t.Skipf("payload list not available (clone beside ../shared): %v", err)
	}
	defer f.Close()
	var list []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			list = append(list, sc.Text())
		}
	}
	if len(list) < 250 {
		t.Fatalf("only %d payloads", len(list))
	}
	return list
}

func withPostsPerMinute(n int) serverOption {
	return func(o *Options) { o.PostsPerMinute = n }
}

var (
	postBodyPattern   = regexp.MustCompile(`(?s)<div class="post-body">(.*?)</div>`)
	h1Pattern         = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)
	summaryPattern    = regexp.MustCompile(`(?s)<summary>Content warning: (.*?)</summary>`)
	searchListPattern = regexp.MustCompile(`(?s)<ol class="search-results">(.*?)</ol>`)
	searchOwnTags     = regexp.MustCompile(`</?(li|h3|p)>|<a href="/posts/\d+">|</a>`)
)

// TestXSSPayloadsInTopicsAndPosts sends every public payload through the
// title, the body and the content warning. Each is refused with a clear
// message, or comes out inert: the post bodies (Markdown) pass
// markup.CheckInert, and the plain-text fields contain no markup at all, on
// the topic page, the group page and the search page. ASVS 1.2.1, 1.2.2,
// 1.3.5, 3.6.1.
func TestXSSPayloadsInTopicsAndPosts(t *testing.T) {
	payloads := loadPayloads(t)
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db, withPostsPerMinute(100000))
		g := ts.makeGroup("circle", true)
		anna := ts.createMember("anna", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		c := ts.signedIn(anna)
		c.get("/groups/circle/new")
		refused := 0
		for i, payload := range payloads {
			form := url.Values{"title": {payload}, "body": {payload + "\n\nxssmarker"}, "content_warning": {payload}}
			res := c.post("/groups/circle/new", form)
			if res.StatusCode == http.StatusUnprocessableEntity {
				refused++
				// Refused with a message beside the field, and the text
				// given back escaped.
				for _, field := range []string{"title", "content_warning"} {
					if strings.Contains(res.body, `id="`+field+`-error"`) {
						form.Set(field, "")
					}
				}
				if strings.Contains(res.body, `id="body-error"`) {
					t.Fatalf("payload %d: body refused: %s", i, excerpt(res.body))
				}
				if form.Get("title") == "" {
					form.Set("title", fmt.Sprintf("Payload %d", i))
				}
				res = c.post("/groups/circle/new", form)
			}
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("payload %d %q: status %d\n%s", i, payload, res.StatusCode, excerpt(res.body))
			}
			page := c.follow(res)
			wantStatus(t, page, http.StatusOK)
			bodies := postBodyPattern.FindAllStringSubmatch(page.body, -1)
			if len(bodies) != 1 {
				t.Fatalf("payload %d: %d post bodies on the page", i, len(bodies))
			}
			if err := markup.CheckInert(bodies[0][1]); err != nil {
				t.Errorf("payload %d %q: body not inert: %v\n%s", i, payload, err, bodies[0][1])
			}
			if m := h1Pattern.FindStringSubmatch(page.body); m == nil || strings.Contains(m[1], "<") {
				t.Errorf("payload %d %q: title carries markup: %v", i, payload, m)
			} else if form.Get("title") == payload && html.UnescapeString(m[1]) != strings.ToValidUTF8(strings.TrimSpace(payload), "\uFFFD") {
				t.Errorf("payload %d: title shown as %q", i, m[1])
			}
			if form.Get("content_warning") != "" && strings.TrimSpace(payload) != "" {
				if m := summaryPattern.FindStringSubmatch(page.body); m == nil || strings.Contains(m[1], "<") {
					t.Errorf("payload %d %q: content warning carries markup: %v", i, payload, m)
				}
			}
		}
		t.Logf("%d of %d payloads had a field refused with a message", refused, len(payloads))

		// The search page: excerpts are plain text.
		res := c.get("/search?q=xssmarker")
		wantStatus(t, res, http.StatusOK)
		m := searchListPattern.FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("no search results\n%s", excerpt(res.body))
		}
		if rest := searchOwnTags.ReplaceAllString(m[1], ""); strings.Contains(rest, "<") {
			t.Errorf("search results carry markup: %s", rest)
		}
		// The group page (the groups routes) lists the titles.
		if hasRoute(ts, "/groups/:slug") {
			for page := 1; page <= (len(payloads)+24)/25; page++ {
				res := c.get(fmt.Sprintf("/groups/circle?page=%d", page))
				wantStatus(t, res, http.StatusOK)
				for i, payload := range payloads {
					if strings.Contains(payload, "<") && strings.Contains(res.body, strings.TrimSpace(payload)) {
						t.Errorf("group page %d shows payload %d unescaped", page, i)
					}
				}
			}
		}
	})
}

func hasRoute(ts *testServer, path string) bool {
	for _, r := range ts.app.Router().Routes() {
		if r.Method == http.MethodGet && r.Path == path {
			return true
		}
	}
	return false
}
