package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestEditHistoryVisibility: an edit keeps the earlier version and marks
// the post "edited"; the versions are visible to the author and the group's
// moderators, and 404 to every other member.
func TestEditHistoryVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna, ben, mod := ts.createMember("anna", models.RoleMember), ts.createMember("ben", models.RoleMember), ts.createMember("moira", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(g, ben, models.GroupRoleMember)
		ts.join(g, mod, models.GroupRoleModerator)
		ca := ts.signedIn(anna)
		topicID, postID := ca.newTopic("circle", url.Values{"title": {"Edits"}, "body": {"first words"}})

		edit := ca.get(fmt.Sprintf("/posts/%d/edit", postID))
		wantContains(t, edit, "first words", `autocomplete="off"`)
		res := ca.post(fmt.Sprintf("/posts/%d/edit", postID), url.Values{"body": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="body-error"`)
		res = ca.post(fmt.Sprintf("/posts/%d/edit", postID), url.Values{"body": {"second words"}, "content_warning": {"loss"}})
		wantStatus(t, res, http.StatusSeeOther)
		view := ca.follow(res)
		wantContains(t, view, "second words", `class="edited"`, "1 earlier version")
		if strings.Contains(view.body, "first words") {
			t.Fatal("the topic page shows the earlier version")
		}

		versions := fmt.Sprintf("/posts/%d/versions", postID)
		wantContains(t, ca.get(versions), "first words")
		wantContains(t, ts.signedIn(mod).get(versions), "first words")
		wantStatus(t, ts.signedIn(ben).get(versions), http.StatusNotFound)
		topicPage := ts.signedIn(ben).get(fmt.Sprintf("/groups/circle/topics/%d", topicID))
		if strings.Contains(topicPage.body, versions) {
			t.Fatal("another member sees the link to the versions")
		}
	})
}

// TestErasePost: erasing removes the text, every version and the search
// entry; the thread shows "removed by its author"; erasing the first post
// keeps the topic and its replies.
func TestErasePost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna, ben := ts.createMember("anna", models.RoleMember), ts.createMember("ben", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(g, ben, models.GroupRoleMember)
		ca, cb := ts.signedIn(anna), ts.signedIn(ben)
		topicID, postID := ca.newTopic("circle", url.Values{"title": {"Erasable"}, "body": {"zebracrossing confession"}})
		wantStatus(t, cb.reply("circle", topicID, url.Values{"body": {"a kind reply"}}), http.StatusSeeOther)
		ca.post(fmt.Sprintf("/posts/%d/edit", postID), url.Values{"body": {"zebracrossing confession, edited"}})
		wantContains(t, cb.get("/search?q=zebracrossing"), "Erasable")

		confirm := ca.get(fmt.Sprintf("/posts/%d/erase", postID))
		wantContains(t, confirm, "opens the topic", "zebracrossing")
		res := ca.post(fmt.Sprintf("/posts/%d/erase", postID), nil)
		wantStatus(t, res, http.StatusSeeOther)
		view := cb.follow(res)
		wantStatus(t, view, http.StatusOK)
		wantContains(t, view, "Removed by its author.", "a kind reply", "<h1>Erasable</h1>")
		if strings.Contains(view.body, "zebracrossing") {
			t.Fatal("erased text still shown")
		}
		if n := countRows(t, db, &models.PostVersion{}, "post_id = ?", postID); n != 0 {
			t.Fatalf("%d versions left after erasure", n)
		}
		res = cb.get("/search?q=zebracrossing")
		if strings.Contains(res.body, "Erasable") {
			t.Fatal("erased post still found by search")
		}
		wantStatus(t, ca.get(fmt.Sprintf("/posts/%d/edit", postID)), http.StatusNotFound)
		wantStatus(t, cb.post(fmt.Sprintf("/posts/%d/react", postID), url.Values{"kind": {"support"}}), http.StatusNotFound)
	})
}

// TestReactions: a reaction toggles, shows its count and aria-pressed for
// the reader only, never who reacted; an unknown kind is refused.
func TestReactions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna, ben := ts.createMember("anna", models.RoleMember), ts.createMember("benedikt", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(g, ben, models.GroupRoleMember)
		topic, posts := ts.seedTopic(g, anna, "support", 1)
		cb := ts.signedIn(ben)
		cb.get(fmt.Sprintf("/groups/circle/topics/%d", topic.ID))
		react := fmt.Sprintf("/posts/%d/react", posts[0].ID)
		wantStatus(t, cb.post(react, url.Values{"kind": {"support"}}), http.StatusSeeOther)
		page := cb.get(fmt.Sprintf("/groups/circle/topics/%d", topic.ID))
		wantContains(t, page, `value="support" class="secondary" aria-pressed="true">Sending support <span class="count">1</span>`)
		annaPage := ts.signedIn(anna).get(fmt.Sprintf("/groups/circle/topics/%d", topic.ID))
		wantContains(t, annaPage, `value="support" class="secondary" aria-pressed="false">Sending support <span class="count">1</span>`)
		if strings.Contains(annaPage.body, "benedikt") {
			t.Fatal("the page shows who reacted")
		}
		cb.post(react, url.Values{"kind": {"support"}})
		if n := countRows(t, db, &models.Reaction{}, "post_id = ?", posts[0].ID); n != 0 {
			t.Fatal("second click did not take the reaction back")
		}
		wantStatus(t, cb.post(react, url.Values{"kind": {"hate"}}), http.StatusBadRequest)
	})
}

// TestOutPage: a signed /out link shows where it leads (escaped, host in
// bold) with a plain link to continue and never redirects; a bad signature
// is 404. ASVS 1.2.2, 14.2.3.
func TestOutPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		anna := ts.createMember("anna", models.RoleMember)
		c := ts.signedIn(anna)
		target := `https://example.org/a?b=1&c="x"`
		signed := ts.app.markup.OutURL(target)
		res := c.get(signed)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "<strong>example.org</strong>", "https://example.org/a?b=1&amp;c=&#34;x&#34;",
			`rel="noreferrer noopener nofollow"`, "internet address")
		if res.Header.Get("Location") != "" || strings.Contains(res.body, `http-equiv="refresh"`) {
			t.Fatal("the out page redirects by itself")
		}
		u, _ := url.Parse(signed)
		q := u.Query()
		q.Set("to", "https://evil.example/")
		wantStatus(t, c.get("/out?"+q.Encode()), http.StatusNotFound)
		wantStatus(t, c.get("/out?to=https%3A%2F%2Fexample.org%2F"), http.StatusNotFound)
		visitor := ts.client()
		if res := visitor.get(signed); !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatal("the out page is open to visitors")
		}
	})
}
