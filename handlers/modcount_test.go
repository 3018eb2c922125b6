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

// queueItemsListed counts the items /mod lists: reports, held posts, join
// requests (a link to their group's moderation page) and appeals.
func queueItemsListed(body string) int {
	n := 0
	for _, link := range []string{`<a href="/mod/reports/`, `<a href="/mod/held/`, `/moderate">`, `<a href="/mod/appeals/`} {
		n += strings.Count(body, link)
	}
	return n
}

// headerCount is the header's link to /mod with n (> 0) items waiting.
func headerCount(n int) string {
	return fmt.Sprintf(`href="/mod">Moderation <span class="count">(%d)</span>`, n)
}

// TestModHeaderCountMatchesQueuePage: for every reader the count in the
// header is the number of items /mod lists — an administrator, the other
// administrator, a site moderator, and the moderator of one group, who is
// also the subject of a report, and the moderator who acted on an appealed
// decision — with items about oneself, outside one's groups, about someone
// who outranks one, or acted on by oneself left out of both. A member sees
// no link.
func TestModHeaderCountMatchesQueuePage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db, withPremod(1))
		ts := f.ts
		cato := ts.createMember("cato", models.RoleMember)
		anna, bodhi, gale := ts.signedIn(f.anna), ts.signedIn(f.bodhi), ts.signedIn(f.gmod)
		warden, coordinator, steward := ts.signedIn(f.site), ts.signedIn(f.admin), ts.signedIn(f.admin2)

		report := func(c *testClient, path, why string) {
			t.Helper()
			c.get(path)
			wantStatus(t, c.post(path, url.Values{"reason": {why}, "note": {why + " " + path}}), http.StatusSeeOther)
		}
		postReport := func(p *models.Post) string { return fmt.Sprintf("/posts/%d/report", p.ID) }
		report(bodhi, postReport(f.annaPost), models.ReasonSpam)       // circle, about a member: everyone
		report(anna, postReport(f.bodhiPo), models.ReasonSpam)         // other: staff
		report(bodhi, postReport(f.gmodPost), models.ReasonHarassment) // about gale, who moderates circle: administrators
		report(gale, "/members/anna/report", models.ReasonOther)       // site-wide: staff
		report(gale, postReport(f.annaPost), models.ReasonIdentifying) // filed by gale: listed for her too
		report(bodhi, postReport(f.annaPost), models.ReasonOther)      // dismissed below: nobody
		for _, subject := range []*testMember{f.site, f.admin} {       // site-wide, about staff
			if err := db.Create(&models.Report{ReporterID: &f.bodhi.acct.ID, SubjectID: &subject.acct.ID, Reason: models.ReasonOther,
				CreatedAt: ts.clock.Now()}).Error; err != nil {
				t.Fatal(err)
			}
		}
		var dismissed models.Report
		db.Where("note = ?", models.ReasonOther+" "+postReport(f.annaPost)).First(&dismissed)
		coordinator.get(fmt.Sprintf("/mod/reports/%d", dismissed.ID))
		wantStatus(t, coordinator.post(fmt.Sprintf("/mod/reports/%d/dismiss", dismissed.ID), reason()), http.StatusSeeOther)

		reply := func(c *testClient, g *models.Group, topicID int64, body, anyway string) {
			t.Helper()
			path := fmt.Sprintf("/groups/%s/topics/%d", g.Slug, topicID)
			page := c.get(path)
			form := url.Values{"body": {body}, "post_anyway": {anyway}, "submit_token": {submitToken(t, page)}}
			wantStatus(t, c.post(path+"/reply", form), http.StatusSeeOther)
		}
		reply(bodhi, f.circle, f.topic.ID, "a first word in circle", "")             // premod in circle
		reply(anna, f.other, f.bodhiPo.TopicID, "a first word in other", "")         // premod in other: staff
		reply(gale, f.circle, f.topic.ID, "Call me on +49 30 12345678 tonight", "1") // gale's own, protective hold
		if n := countRows(t, db, &models.HeldPost{}, "1 = 1"); n != 3 {
			t.Fatalf("held posts = %d, want 3", n)
		}

		for _, author := range []*testMember{f.anna, f.site} { // held bios: staff, never her own
			if err := db.Create(&models.HeldBio{AccountID: author.acct.ID, Bio: "a bio", Reason: models.HoldIdentify,
				CreatedAt: ts.clock.Now()}).Error; err != nil {
				t.Fatal(err)
			}
		}

		cc := ts.signedIn(cato)
		for _, g := range []*models.Group{f.circle, f.other} {
			cc.get("/groups/" + g.Slug)
			wantStatus(t, cc.post("/groups/"+g.Slug+"/join", url.Values{"answer": {"hello"}}), http.StatusSeeOther)
		}
		warden.get("/groups/circle")
		wantStatus(t, warden.post("/groups/circle/join", url.Values{"answer": {"hello"}}), http.StatusSeeOther)

		// Decisions, each appealed by the member they were about.
		appeal := func(moderator *testClient, member *testMember, group string) int64 {
			t.Helper()
			moderator.get("/mod/members/" + member.acct.Username)
			wantStatus(t, moderator.post("/mod/members/"+member.acct.Username+"/warn", reason("group", group)), http.StatusSeeOther)
			var action models.ModAction
			db.Where("target_id = ?", member.acct.ID).Order("id DESC").First(&action)
			c := ts.signedIn(member)
			c.get("/appeals")
			wantStatus(t, c.post(fmt.Sprintf("/appeals/%d", action.ID), url.Values{"body": {"Please look again."}}), http.StatusSeeOther)
			var ap models.Appeal
			db.Where("action_id = ?", action.ID).First(&ap)
			return ap.ID
		}
		appeal(gale, f.anna, "circle")           // gale acted: staff
		appeal(warden, f.bodhi, "other")         // warden acted: administrators
		appeal(coordinator, f.gmod, "circle")    // about a moderator, coordinator acted: steward
		appeal(steward, f.anna, "")              // site-wide, steward acted: warden and coordinator
		upheld := appeal(gale, f.anna, "circle") // decided below: nobody
		steward.get(fmt.Sprintf("/mod/appeals/%d", upheld))
		wantStatus(t, steward.post(fmt.Sprintf("/mod/appeals/%d/uphold", upheld), reason()), http.StatusSeeOther)

		cases := []struct {
			name   string
			client *testClient
			want   int
		}{
			// 2 reports (one hers to read, not to act on), 1 held post, no bio, 2 requests, no appeal.
			{"group moderator, subject of a report and acting on appeals", gale, 5},
			// 4 reports, 3 held posts, 1 bio (not her own), 2 requests (not her own), 2 appeals.
			{"site moderator", warden, 12},
			// 6 reports (not about himself), 3 held posts, 2 bios, 3 requests, 3 appeals (not his own decision).
			{"administrator", coordinator, 17},
			// 7 reports, 3 held posts, 2 bios, 3 requests, 3 appeals.
			{"other administrator", steward, 18},
		}
		for _, c := range cases {
			queue := c.client.get("/mod")
			wantStatus(t, queue, http.StatusOK)
			if got := queueItemsListed(queue.body); got != c.want {
				t.Errorf("%s: /mod lists %d items, want %d", c.name, got, c.want)
			}
			wantContains(t, queue, headerCount(c.want))
			wantContains(t, c.client.get("/groups"), headerCount(c.want))
		}
		wantLacks(t, anna.get("/groups"), `href="/mod"`)
	})
}
