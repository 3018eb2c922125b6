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

// TestNotificationsForRepliesAndMentions: the topic's author hears of a
// reply (not of her own), mentioned members of the group hear of the
// mention, and a mentioned name outside the group gets nothing; the header
// counts unread notifications until they are marked read.
func TestNotificationsForRepliesAndMentions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := ts.makeGroup("circle", true)
		anna, ben, cara := ts.createMember("anna", models.RoleMember), ts.createMember("ben", models.RoleMember), ts.createMember("cara", models.RoleMember)
		outsider := ts.createMember("olga", models.RoleMember)
		ts.join(g, anna, models.GroupRoleMember)
		ts.join(g, ben, models.GroupRoleMember)
		ts.join(g, cara, models.GroupRoleMember)
		ca, cb := ts.signedIn(anna), ts.signedIn(ben)
		topicID, _ := ca.newTopic("circle", url.Values{"title": {"Hello all"}, "body": {"hi @ben"}})
		wantStatus(t, ca.reply("circle", topicID, url.Values{"body": {"my own reply"}}), http.StatusSeeOther)
		res := cb.reply("circle", topicID, url.Values{"body": {"Thanks! @Cara and @olga, and @nobody-here."}})
		wantStatus(t, res, http.StatusSeeOther)
		_, replyID := postIDFrom(t, res)

		count := func(m *testMember, kind string) int64 {
			return countRows(t, db, &models.Notification{}, "account_id = ? AND kind = ?", m.acct.ID, kind)
		}
		if got := count(anna, models.NotifyReply); got != 1 {
			t.Errorf("anna has %d reply notifications, want 1 (not for her own reply)", got)
		}
		if got := count(ben, models.NotifyMention); got != 1 {
			t.Errorf("ben has %d mention notifications, want 1", got)
		}
		if got := count(cara, models.NotifyMention); got != 1 {
			t.Errorf("cara has %d mention notifications, want 1", got)
		}
		if got := countRows(t, db, &models.Notification{}, "account_id = ?", outsider.acct.ID); got != 0 {
			t.Errorf("a member outside the group was notified")
		}

		page := ca.get("/notifications")
		wantContains(t, page, `href="/notifications">Notifications <span class="count">(1)</span>`,
			`ben replied to your topic &#34;Hello all&#34; in Group circle`, fmt.Sprintf(`href="/posts/%d"`, replyID))
		thread := ca.get(fmt.Sprintf("/groups/circle/topics/%d", topicID))
		if strings.Contains(thread.body, `href="/account/olga"`) || strings.Contains(thread.body, "<a>@olga") {
			t.Fatal("a mention became a link")
		}
		wantStatus(t, ca.post("/notifications/read", nil), http.StatusSeeOther)
		page = ca.get("/notifications")
		if strings.Contains(page.body, `<span class="count">(1)</span>`) {
			t.Fatal("notifications still unread after marking them read")
		}
	})
}
