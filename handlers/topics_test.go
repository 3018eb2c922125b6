package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// makeGroup creates a group directly in the database.
func (ts *testServer) makeGroup(slug string, listed bool) *models.Group {
	ts.t.Helper()
	now := ts.clock.Now()
	g := &models.Group{Slug: slug, Name: "Group " + slug, JoinPolicy: models.JoinPolicyRequest, Listed: listed,
		CreatedAt: now, UpdatedAt: now}
	if err := models.CreateGroup(ts.db, g); err != nil {
		ts.t.Fatal(err)
	}
	return g
}

// join makes the member a member (or moderator) of the group.
func (ts *testServer) join(g *models.Group, m *testMember, role string) {
	ts.t.Helper()
	if err := models.AddMember(ts.db, g.ID, m.acct.ID, role, ts.clock.Now()); err != nil {
		ts.t.Fatal(err)
	}
}

// seedTopic makes a topic with n posts directly in the database.
func (ts *testServer) seedTopic(g *models.Group, m *testMember, title string, n int) (*models.Topic, []*models.Post) {
	ts.t.Helper()
	now := ts.clock.Now()
	var t *models.Topic
	var posts []*models.Post
	err := ts.db.Transaction(func(tx *gorm.DB) error {
		var err error
		var p *models.Post
		body := func(i int) models.NewPost {
			text := fmt.Sprintf("post number %d of %s", i, title)
			return models.NewPost{AuthorID: m.acct.ID, Body: text, BodyHTML: "<p>" + text + "</p>", SearchLanguage: "english"}
		}
		if t, p, err = models.CreateTopic(tx, g.ID, title, body(1), now); err != nil {
			return err
		}
		posts = append(posts, p)
		for i := 2; i <= n; i++ {
			if p, err = models.Reply(tx, t, body(i), now); err != nil {
				return err
			}
			posts = append(posts, p)
		}
		return nil
	})
	if err != nil {
		ts.t.Fatal(err)
	}
	return t, posts
}

var (
	submitTokenPattern = regexp.MustCompile(`name="submit_token" value="([^"]*)"`)
	topicPathPattern   = regexp.MustCompile(`^/groups/[^/]+/topics/(\d+)\?page=(\d+)#post-(\d+)$`)
)

// submitToken returns the one-time token of the form on a page.
func submitToken(t testing.TB, res *response) string {
	t.Helper()
	m := submitTokenPattern.FindStringSubmatch(res.body)
	if m == nil || m[1] == "" {
		t.Fatalf("%s: no submit token\n%s", res.Request.URL.Path, excerpt(res.body))
	}
	return m[1]
}

// postIDFrom reads the post id from a redirect to a post's anchor.
func postIDFrom(t testing.TB, res *response) (topicID, postID int64) {
	t.Helper()
	m := topicPathPattern.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("%s: redirect %q is not a post anchor (status %d)\n%s", res.Request.URL.Path, res.Header.Get("Location"), res.StatusCode, excerpt(res.body))
	}
	topicID, _ = strconv.ParseInt(m[1], 10, 64)
	postID, _ = strconv.ParseInt(m[3], 10, 64)
	return topicID, postID
}

// newTopic starts a topic through the form and returns its ids.
func (c *testClient) newTopic(slug string, form url.Values) (topicID, postID int64) {
	t := c.ts.t
	t.Helper()
	page := c.get("/groups/" + slug + "/new")
	wantStatus(t, page, http.StatusOK)
	form.Set("submit_token", submitToken(t, page))
	res := c.post("/groups/"+slug+"/new", form)
	wantStatus(t, res, http.StatusSeeOther)
	return postIDFrom(t, res)
}

// reply answers a topic through the form on its page.
func (c *testClient) reply(slug string, topicID int64, form url.Values) *response {
	t := c.ts.t
	t.Helper()
	page := c.get(fmt.Sprintf("/groups/%s/topics/%d", slug, topicID))
	wantStatus(t, page, http.StatusOK)
	form.Set("submit_token", submitToken(t, page))
	return c.post(fmt.Sprintf("/groups/%s/topics/%d/reply", slug, topicID), form)
}

func countRows(t testing.TB, db *gorm.DB, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTopicCreateAndReply: a member starts a topic and another replies; the
// page shows both posts as articles with author and time, and the topic's
// author is told. A bad form keeps the text. ASVS 1.2.1.
func TestTopicCreateAndReply(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna, ben := ts.createMember("anna", models.RoleMember), ts.createMember("ben", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(g, ben, models.GroupRoleMember)
		ca, cb := ts.signedIn(anna), ts.signedIn(ben)

		page := ca.get("/groups/circle/new")
		wantContains(t, page, `name="title"`, `autocomplete="off"`, `<textarea id="body" name="body"`, `name="content_warning"`)
		topicID, firstID := ca.newTopic("circle", url.Values{"title": {"Where to start"}, "body": {"It began **last year**."}})
		res := cb.reply("circle", topicID, url.Values{"body": {"You are not alone."}})
		wantStatus(t, res, http.StatusSeeOther)
		_, replyID := postIDFrom(t, res)

		view := cb.follow(res)
		wantStatus(t, view, http.StatusOK)
		wantContains(t, view, "<h1>Where to start</h1>", fmt.Sprintf(`<article id="post-%d"`, firstID),
			fmt.Sprintf(`<article id="post-%d"`, replyID), "<strong>last year</strong>", "You are not alone.", "anna", "ben",
			`action="/groups/circle/topics/`+strconv.FormatInt(topicID, 10)+`/reply"`)

		// Bad input: 422, the error beside the field, the text kept.
		res = ca.post("/groups/circle/new", url.Values{"title": {"Hi"}, "body": {"my words stay"}, "content_warning": {strings.Repeat("w", 101)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="title-error"`, `id="content_warning-error"`, "my words stay", `value="Hi"`)
		res = ca.post("/groups/circle/new", url.Values{"title": {"Long body"}, "body": {strings.Repeat("x", 20001)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="body-error"`, "20001 characters")
		res = cb.post(fmt.Sprintf("/groups/circle/topics/%d/reply", topicID), url.Values{"body": {"   "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="body-error"`)
		if n := countRows(t, db, &models.Post{}, "topic_id = ?", topicID); n != 2 {
			t.Fatalf("%d posts, want 2: a refused form wrote something", n)
		}

		// A former member's posts show "former member".
		db.Model(&models.Post{}).Where("id = ?", replyID).Update("author_id", nil)
		wantContains(t, ca.get(fmt.Sprintf("/posts/%d", replyID)), "") // redirect works
		wantContains(t, ca.get(fmt.Sprintf("/groups/circle/topics/%d", topicID)), "former member")
	})
}

// TestTopicGate: every route that reads or changes group content, for a
// member, a member of another group, a visitor, an unlisted group, another
// group's ids through my group's slug, and staff from outside (audited).
// ASVS 16.3.3 (reads from outside the group are recorded).
func TestTopicGate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		secret := ts.makeGroup("hidden", false)
		other := ts.makeGroup("other", true)
		anna := ts.createMember("anna", models.RoleMember)
		eve := ts.createMember("eve", models.RoleMember)
		admin := ts.createMember("coordinator", models.RoleAdmin)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(secret, anna, models.GroupRoleMember)
		ts.join(other, eve, models.GroupRoleMember)
		topic, posts := ts.seedTopic(g, anna, "mine", 2)
		hiddenTopic, hiddenPosts := ts.seedTopic(secret, anna, "secret", 1)
		otherTopic, otherPosts := ts.seedTopic(other, eve, "theirs", 1)
		ca, ce, cadmin, visitor := ts.signedIn(anna), ts.signedIn(eve), ts.signedIn(admin), ts.client()
		visitor.get("/")

		reads := func(slug string, tp *models.Topic, p *models.Post) []string {
			return []string{
				"/groups/" + slug + "/new",
				fmt.Sprintf("/groups/%s/topics/%d", slug, tp.ID),
				fmt.Sprintf("/posts/%d", p.ID),
				fmt.Sprintf("/posts/%d/versions", p.ID),
				fmt.Sprintf("/posts/%d/edit", p.ID),
				fmt.Sprintf("/posts/%d/erase", p.ID),
			}
		}
		actions := func(slug string, tp *models.Topic, p *models.Post) []string {
			return []string{
				fmt.Sprintf("/groups/%s/topics/%d/reply", slug, tp.ID),
				fmt.Sprintf("/posts/%d/edit", p.ID),
				fmt.Sprintf("/posts/%d/erase", p.ID),
				fmt.Sprintf("/posts/%d/react", p.ID),
			}
		}
		// A fresh form each time: post adds the client's own CSRF token.
		form := func() url.Values { return url.Values{"body": {"attempt"}, "title": {"attempt"}, "kind": {"support"}} }

		// The member reads everything of her own post.
		for _, path := range reads("circle", topic, posts[0]) {
			res := ca.get(path)
			if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
				t.Errorf("member GET %s: %d", path, res.StatusCode)
			}
		}
		// A member of another group: 404 for reading and for every action.
		for _, path := range append(reads("circle", topic, posts[0]), reads("hidden", hiddenTopic, hiddenPosts[0])...) {
			if res := ce.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("outsider GET %s: %d, want 404", path, res.StatusCode)
			}
		}
		ce.get("/notifications")
		for _, path := range append(actions("circle", topic, posts[0]), actions("hidden", hiddenTopic, hiddenPosts[0])...) {
			if res := ce.post(path, form()); res.StatusCode != http.StatusNotFound {
				t.Errorf("outsider POST %s: %d, want 404", path, res.StatusCode)
			}
		}
		// Another group's topic through my group's slug: 404.
		ca.get("/notifications")
		for _, path := range []string{
			fmt.Sprintf("/groups/circle/topics/%d", otherTopic.ID),
			fmt.Sprintf("/posts/%d", otherPosts[0].ID),
			fmt.Sprintf("/posts/%d/versions", otherPosts[0].ID),
		} {
			if res := ca.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("guessed id GET %s: %d, want 404", path, res.StatusCode)
			}
		}
		for _, path := range actions("circle", otherTopic, otherPosts[0]) {
			if res := ca.post(path, form()); res.StatusCode != http.StatusNotFound {
				t.Errorf("guessed id POST %s: %d, want 404", path, res.StatusCode)
			}
		}
		// A member who is not the author: edit and erase are 404.
		ts.join(g, eve, models.GroupRoleMember)
		for _, path := range []string{fmt.Sprintf("/posts/%d/edit", posts[0].ID), fmt.Sprintf("/posts/%d/erase", posts[0].ID)} {
			if res := ce.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("other member GET %s: %d, want 404", path, res.StatusCode)
			}
			if res := ce.post(path, form()); res.StatusCode != http.StatusNotFound {
				t.Errorf("other member POST %s: %d, want 404", path, res.StatusCode)
			}
		}
		// A visitor is sent to sign in.
		for _, path := range reads("circle", topic, posts[0]) {
			res := visitor.get(path)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("visitor GET %s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
			}
		}
		if n := countRows(t, db, &models.Post{}, "body = ?", "attempt"); n != 0 {
			t.Fatalf("%d posts written through refused actions", n)
		}
		// Staff from outside read, and every read is audited; they do not
		// write as if they were members.
		before := len(auditEntries(t, db, "group.read_by_non_member"))
		wantStatus(t, cadmin.get(fmt.Sprintf("/groups/hidden/topics/%d", hiddenTopic.ID)), http.StatusOK)
		wantStatus(t, cadmin.get(fmt.Sprintf("/posts/%d/versions", hiddenPosts[0].ID)), http.StatusOK)
		if after := len(auditEntries(t, db, "group.read_by_non_member")); after != before+2 {
			t.Fatalf("staff reads audited %d times, want 2", after-before)
		}
		wantStatus(t, cadmin.post(fmt.Sprintf("/groups/hidden/topics/%d/reply", hiddenTopic.ID), form()), http.StatusForbidden)
	})
}

// TestTopicPagination: 25 posts a page found by position; posts 25 and 26
// on both sides of the boundary, a deep page, rel links, and /posts/{id}
// answering 303 to the right page and anchor.
func TestTopicPagination(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna := ts.createMember("anna", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		topic, posts := ts.seedTopic(g, anna, "long", 260)
		c := ts.signedIn(anna)
		base := fmt.Sprintf("/groups/circle/topics/%d", topic.ID)

		first := c.get(base)
		wantStatus(t, first, http.StatusOK)
		wantContains(t, first, "post number 25 of long<", `rel="next" href="`+base+`?page=2"`)
		if strings.Contains(first.body, "post number 26 of") || strings.Contains(first.body, `rel="prev"`) {
			t.Fatal("page 1 shows post 26 or a previous page")
		}
		second := c.get(base + "?page=2")
		wantContains(t, second, "post number 26 of long<", "post number 50 of long<", `rel="prev" href="`+base+`"`, `rel="next" href="`+base+`?page=3"`)
		if strings.Contains(second.body, "post number 25 of") || strings.Contains(second.body, "post number 51 of") {
			t.Fatal("page 2 shows a post of another page")
		}
		deep := c.get(base + "?page=11")
		wantContains(t, deep, "post number 251 of long<", "post number 260 of long<", `rel="prev" href="`+base+`?page=10"`)
		if strings.Contains(deep.body, `rel="next"`) {
			t.Fatal("last page links to a next page")
		}
		wantStatus(t, c.get(base+"?page=12"), http.StatusNotFound)
		wantStatus(t, c.get(base+"?page=abc"), http.StatusNotFound)

		for _, i := range []int{25, 26, 260} {
			res := c.get(fmt.Sprintf("/posts/%d", posts[i-1].ID))
			wantStatus(t, res, http.StatusSeeOther)
			want := fmt.Sprintf("%s?page=%d#post-%d", base, (i-1)/25+1, posts[i-1].ID)
			if got := res.Header.Get("Location"); got != want {
				t.Errorf("post %d: redirect %q, want %q", i, got, want)
			}
		}
		// Reading the deep page marks the topic read up to its last post.
		var last int
		db.Table("topic_reads").Select("last_position").Where("account_id = ? AND topic_id = ?", anna.acct.ID, topic.ID).Scan(&last)
		if last != 260 {
			t.Fatalf("read up to %d, want 260", last)
		}
	})
}

// TestContentWarnings: a post with a warning shows only the warning until
// opened (<details>, no script), unless the reader always expands them.
func TestContentWarnings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna, ben := ts.createMember("anna", models.RoleMember), ts.createMember("ben", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(g, ben, models.GroupRoleMember)
		topicID, _ := ts.signedIn(anna).newTopic("circle", url.Values{"title": {"Hard day"}, "body": {"what he did"}, "content_warning": {"violence"}})
		path := fmt.Sprintf("/groups/circle/topics/%d", topicID)

		res := ts.signedIn(ben).get(path)
		wantContains(t, res, `<details class="content-warning">`, "<summary>Content warning: violence</summary>")
		db.Model(&models.Account{}).Where("id = ?", ben.acct.ID).Update("expand_warnings", true)
		res = ts.signedIn(ben).get(path)
		wantContains(t, res, `<details class="content-warning" open>`)
	})
}

// TestDoubleSubmitMakesOnePost: the same form sent twice makes one post;
// the second answer goes to it.
func TestDoubleSubmitMakesOnePost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna := ts.createMember("anna", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		c := ts.signedIn(anna)
		page := c.get("/groups/circle/new")
		form := url.Values{"title": {"Only once"}, "body": {"sent twice"}, "submit_token": {submitToken(t, page)}}
		first := c.post("/groups/circle/new", form)
		_, postID := postIDFrom(t, first)
		second := c.post("/groups/circle/new", form)
		wantStatus(t, second, http.StatusSeeOther)
		if loc := second.Header.Get("Location"); loc != fmt.Sprintf("/posts/%d", postID) {
			t.Fatalf("second submit went to %q", loc)
		}
		if n := countRows(t, db, &models.Topic{}, "title = ?", "Only once"); n != 1 {
			t.Fatalf("%d topics, want 1", n)
		}
		topic, _ := ts.seedTopic(g, anna, "replies", 1)
		page = c.get(fmt.Sprintf("/groups/circle/topics/%d", topic.ID))
		form = url.Values{"body": {"a reply sent twice"}, "submit_token": {submitToken(t, page)}}
		c.post(fmt.Sprintf("/groups/circle/topics/%d/reply", topic.ID), form)
		c.post(fmt.Sprintf("/groups/circle/topics/%d/reply", topic.ID), form)
		if n := countRows(t, db, &models.Post{}, "body = ?", "a reply sent twice"); n != 1 {
			t.Fatalf("%d replies, want 1", n)
		}
	})
}

// TestPostingRateLimit: the eleventh post in a minute answers 429 with a
// clear message and the text kept; a minute later it goes through.
// ASVS 2.4.1.
func TestPostingRateLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna := ts.createMember("anna", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		c := ts.signedIn(anna)
		topic, _ := ts.seedTopic(g, anna, "busy", 1)
		ts.clock.Advance(2 * time.Minute)
		for i := range 10 {
			wantStatus(t, c.reply("circle", topic.ID, url.Values{"body": {fmt.Sprintf("reply %d", i)}}), http.StatusSeeOther)
		}
		res := c.reply("circle", topic.ID, url.Values{"body": {"the eleventh, kept"}})
		wantStatus(t, res, http.StatusTooManyRequests)
		wantContains(t, res, "the eleventh, kept", `id="body-error"`, "wait a minute")
		ts.clock.Advance(61 * time.Second)
		c = ts.signedIn(anna)
		wantStatus(t, c.reply("circle", topic.ID, url.Values{"body": {"the eleventh, kept"}}), http.StatusSeeOther)
	})
}

// TestExpiredSessionKeepsThePost: a reply and a new topic sent after the
// session expired are kept; after signing in, the form comes back filled
// in, to be sent again. A visitor who never signed in stores nothing, and
// every other form with a dead session's token is still refused.
// ASVS 3.5.1.
func TestExpiredSessionKeepsThePost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna := ts.createMember("anna", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		topic, _ := ts.seedTopic(g, anna, "waiting", 1)

		cases := []struct {
			name, form, action string
			values             url.Values
		}{
			{"reply", fmt.Sprintf("/groups/circle/topics/%d", topic.ID), fmt.Sprintf("/groups/circle/topics/%d/reply", topic.ID),
				url.Values{"body": {"a long reply <typed> slowly"}, "content_warning": {"grief"}}},
			{"new topic", "/groups/circle/new", "/groups/circle/new",
				url.Values{"title": {"Typed slowly"}, "body": {"the whole story"}}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := ts.signedIn(anna)
				page := c.get(tc.form)
				tc.values.Set("submit_token", submitToken(t, page))
				ts.clock.Advance(31 * time.Minute) // idle timeout
				res := c.post(tc.action, tc.values)
				wantStatus(t, res, http.StatusSeeOther)
				wantLoc := "/login?next=" + url.QueryEscape(tc.form)
				if loc := res.Header.Get("Location"); loc != wantLoc {
					t.Fatalf("redirect %q, want %q", loc, wantLoc)
				}
				if n := countRows(t, db, &models.Draft{}, "1 = 1"); n != 1 {
					t.Fatalf("%d drafts stored", n)
				}
				login := c.follow(res)
				wantContains(t, login, "your text was kept", `name="next" value="`+tc.form+`"`)
				res = c.post("/login", url.Values{"username": {"anna"}, "password": {anna.password}, "next": {tc.form}})
				wantStatus(t, res, http.StatusSeeOther)
				c.get("/login/code")
				res = c.post("/login/code", url.Values{"code": {anna.code(ts)}})
				if loc := res.Header.Get("Location"); loc != tc.form {
					t.Fatalf("after sign-in: %d to %q, want %q", res.StatusCode, loc, tc.form)
				}
				back := c.follow(res)
				wantStatus(t, back, http.StatusOK)
				wantContains(t, back, "was kept while you signed in")
				for _, field := range []string{"title", "body", "content_warning"} {
					if v := tc.values.Get(field); v != "" {
						wantContains(t, back, strings.ReplaceAll(v, "<typed>", "&lt;typed&gt;"))
					}
				}
				if n := countRows(t, db, &models.Draft{}, "1 = 1"); n != 0 {
					t.Fatalf("draft kept after it filled the form")
				}
				// Sent again, it is posted once.
				values := url.Values{"title": {tc.values.Get("title")}, "body": {tc.values.Get("body")},
					"content_warning": {tc.values.Get("content_warning")}, "submit_token": {submitToken(t, back)}}
				wantStatus(t, c.post(tc.action, values), http.StatusSeeOther)
			})
		}
		// A visitor without any session cookie stores nothing.
		visitor := ts.client()
		res0 := visitor.post("/groups/circle/new", url.Values{"title": {"spam"}, "body": {"spam"}})
		if res0.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res0.Header.Get("Location"), "/login") {
			t.Fatalf("visitor post: %d %s", res0.StatusCode, res0.Header.Get("Location"))
		}
		if n := countRows(t, db, &models.Draft{}, "1 = 1"); n != 0 {
			t.Fatalf("a visitor's post stored a draft")
		}
		// Anything else posted with a dead session's token is still
		// refused as a forgery.
		c := ts.signedIn(anna)
		c.get("/account/security")
		ts.clock.Advance(31 * time.Minute)
		res := c.post("/notifications/read", nil)
		wantStatus(t, res, http.StatusForbidden)
	})
}

// TestLockedTopicRefusesReplies: no form on a locked topic; a reply sent
// anyway is refused with the text shown to copy.
func TestLockedTopicRefusesReplies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna := ts.createMember("anna", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		topic, _ := ts.seedTopic(g, anna, "closed", 1)
		c := ts.signedIn(anna)
		page := c.get(fmt.Sprintf("/groups/circle/topics/%d", topic.ID))
		db.Model(&models.Topic{}).Where("id = ?", topic.ID).Update("locked", true)
		res := c.get(fmt.Sprintf("/groups/circle/topics/%d", topic.ID))
		if strings.Contains(res.body, "/reply\"") {
			t.Fatal("locked topic shows a reply form")
		}
		res = c.post(fmt.Sprintf("/groups/circle/topics/%d/reply", topic.ID), url.Values{"body": {"too late"}, "submit_token": {submitToken(t, page)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "too late", "was closed")
		if n := countRows(t, db, &models.Post{}, "topic_id = ?", topic.ID); n != 1 {
			t.Fatalf("%d posts in a locked topic", n)
		}
	})
}
