package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestBlockingWorksBothWays: the blocker sees the blocked member's posts
// folded; the blocked member no longer sees the blocker's posts at all and
// cannot tell; neither can react to or notify the other by mention or reply;
// a moderator still sees everything.
func TestBlockingWorksBothWays(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		anna, bea, mod := ts.createMember("anna", models.RoleMember), ts.createMember("bea", models.RoleMember), ts.createMember("modi", models.RoleMember)
		g := ts.makeGroup("circle", true)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(g, bea, models.GroupRoleMember)
		ts.join(g, mod, models.GroupRoleModerator)
		ac, bc, mc := ts.signedIn(anna), ts.signedIn(bea), ts.signedIn(mod)

		topicID, annaPost := ac.newTopic("circle", url.Values{"title": {"Anna's topic"}, "body": {"words by anna"}})
		bc.get("/members/bea") // own profile: fine
		ac.get("/members/bea")
		wantStatus(t, ac.post("/members/bea/block", nil), http.StatusSeeOther)

		// Bea replies and mentions Anna: Anna is not notified either way.
		wantStatus(t, bc.reply("circle", topicID, url.Values{"body": {"words by bea, hello @anna"}}), http.StatusSeeOther)
		if n := countRows(t, db, &models.Notification{}, "account_id = ?", anna.acct.ID); n != 0 {
			t.Fatalf("blocker got %d notifications from the blocked member", n)
		}
		path := fmt.Sprintf("/groups/circle/topics/%d", topicID)
		annaView := ac.get(path)
		wantContains(t, annaView, "A post by a member you blocked", "words by bea")
		beaView := bc.get(path)
		wantLacks(t, beaView, "words by anna", "blocked")
		wantContains(t, beaView, "words by bea")
		// Bea cannot react to Anna's post; the answer is as for a missing post.
		wantStatus(t, bc.post(fmt.Sprintf("/posts/%d/react", annaPost), url.Values{"kind": {"support"}}), http.StatusNotFound)
		wantContains(t, mc.get(path), "words by anna", "words by bea")
		// Unblocking restores both views.
		wantStatus(t, ac.post(fmt.Sprintf("/account/blocks/%d/remove", bea.acct.ID), nil), http.StatusSeeOther)
		wantContains(t, bc.get(path), "words by anna")
	})
}
