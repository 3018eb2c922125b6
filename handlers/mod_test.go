package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// modFixture is a site with two groups and every role: two administrators,
// a site moderator, a moderator of "circle" only, and two members.
type modFixture struct {
	ts                          *testServer
	circle, other               *models.Group
	admin, admin2, site, gmod   *testMember
	anna, bodhi                 *testMember
	topic                       *models.Topic
	annaPost, gmodPost, bodhiPo *models.Post
}

func newModFixture(t *testing.T, db *gorm.DB, opts ...serverOption) *modFixture {
	t.Helper()
	ts := newTestServer(t, db, opts...)
	f := &modFixture{ts: ts, circle: ts.makeGroup("circle", true), other: ts.makeGroup("other", true)}
	f.admin = ts.createMember("coordinator", models.RoleAdmin)
	f.admin2 = ts.createMember("steward", models.RoleAdmin)
	f.site = ts.createMember("warden", models.RoleSiteModerator)
	f.gmod = ts.createMember("gale", models.RoleMember)
	f.anna = ts.createMember("anna", models.RoleMember)
	f.bodhi = ts.createMember("bodhi", models.RoleMember)
	ts.join(f.circle, f.gmod, models.GroupRoleModerator)
	ts.join(f.other, f.gmod, models.GroupRoleMember)
	for _, m := range []*testMember{f.anna, f.bodhi} {
		ts.join(f.circle, m, models.GroupRoleMember)
		ts.join(f.other, m, models.GroupRoleMember)
	}
	var posts []*models.Post
	f.topic, posts = ts.seedTopic(f.circle, f.anna, "A hard week", 1)
	f.annaPost = posts[0]
	_, posts = ts.seedTopic(f.circle, f.gmod, "From the moderator", 1)
	f.gmodPost = posts[0]
	_, posts = ts.seedTopic(f.other, f.bodhi, "Elsewhere", 1)
	f.bodhiPo = posts[0]
	return f
}

// reason is a moderation form with a preset reason and a note to the member.
func reason(extra ...string) url.Values {
	v := url.Values{"preset": {"rules"}, "note": {"Please keep to the house rules."}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func postPath(p *models.Post) string { return fmt.Sprintf("/mod/posts/%d", p.ID) }

// TestModPermissionMatrix: members get 403 on every moderation page; a group
// moderator acts in their group only (404 in another), never on themselves
// (403), never on a moderator; site moderators act everywhere except on
// moderators and administrators; an administrator never on themselves.
// ASVS 8.2.1 (function-level access), 16.3.3.
func TestModPermissionMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		member := ts.signedIn(f.anna)
		for _, path := range []string{"/mod", "/mod/audit", postPath(f.gmodPost), "/mod/members/bodhi", "/mod/topics/1"} {
			wantStatus(t, member.get(path), http.StatusForbidden)
		}
		wantStatus(t, member.get("/admin/roles"), http.StatusForbidden)
		wantStatus(t, member.get("/admin/words"), http.StatusForbidden)

		gm := ts.signedIn(f.gmod)
		wantStatus(t, gm.get("/mod"), http.StatusOK)
		wantStatus(t, gm.get(postPath(f.annaPost)), http.StatusOK)
		// Another group's post: not found, for reading and acting.
		wantStatus(t, gm.get(postPath(f.bodhiPo)), http.StatusNotFound)
		wantStatus(t, gm.post(postPath(f.bodhiPo)+"/hide", reason()), http.StatusNotFound)
		wantStatus(t, gm.post(fmt.Sprintf("/mod/topics/%d/lock", f.bodhiPo.TopicID), reason()), http.StatusNotFound)
		// Their own post and themselves: refused.
		wantStatus(t, gm.get(postPath(f.gmodPost)), http.StatusForbidden)
		wantStatus(t, gm.post(postPath(f.gmodPost)+"/hide", reason()), http.StatusForbidden)
		wantStatus(t, gm.get("/mod/members/gale"), http.StatusNotFound)
		wantStatus(t, gm.post("/mod/members/gale/warn", reason()), http.StatusNotFound)
		// Site-wide actions are for staff.
		gm.get("/mod/members/anna")
		wantStatus(t, gm.post("/mod/members/anna/suspend", reason("days", "3")), http.StatusForbidden)
		wantStatus(t, gm.post("/mod/members/anna/ban", reason()), http.StatusForbidden)

		site := ts.signedIn(f.site)
		wantStatus(t, site.get(postPath(f.bodhiPo)), http.StatusOK)
		// A moderator's post goes to administrators only.
		wantStatus(t, site.get(postPath(f.gmodPost)), http.StatusForbidden)
		wantStatus(t, site.post("/mod/members/coordinator/warn", reason()), http.StatusNotFound)

		admin := ts.signedIn(f.admin)
		wantStatus(t, admin.get(postPath(f.gmodPost)), http.StatusOK)
		wantStatus(t, admin.get("/mod/members/coordinator"), http.StatusNotFound)
		wantStatus(t, admin.get("/mod/members/steward"), http.StatusOK)
		if n := countRows(t, db, &models.ModAction{}, "1 = 1"); n != 0 {
			t.Fatalf("refused actions left %d records", n)
		}
	})
}

// TestModReportsReachTheRightPeople: a report of a member's post reaches
// the group's moderator, urgent first; a report about the group moderator
// reaches administrators only; a report about an administrator reaches the
// other administrator only; nobody sees a report about themselves, and the
// reporter is never shown.
func TestModReportsReachTheRightPeople(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		bodhi := ts.signedIn(f.bodhi)
		bodhi.get(fmt.Sprintf("/posts/%d/report", f.annaPost.ID))
		res := bodhi.post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"spam"}, "note": {"first note"}})
		wantStatus(t, res, http.StatusSeeOther)
		bodhi.post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"at_risk"}, "note": {"urgent note"}})
		bodhi.post(fmt.Sprintf("/posts/%d/report", f.gmodPost.ID), url.Values{"reason": {"harassment"}, "note": {"about the moderator"}})
		// A bad reason: 422, the note kept.
		res = bodhi.post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"nonsense"}, "note": {"kept text"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "kept text", `id="reason-error"`)

		gm := ts.signedIn(f.gmod)
		q := gm.get("/mod")
		wantContains(t, q, "Someone is at risk of harm", "Spam")
		wantLacks(t, q, "Harassment")
		if strings.Index(q.body, "Someone is at risk") > strings.Index(q.body, "Spam") {
			t.Fatal("the urgent report is not first")
		}
		wantContains(t, gm.get("/groups"), `href="/mod">Moderation <span class="count">(2)</span>`)
		admin := ts.signedIn(f.admin)
		wantContains(t, admin.get("/mod"), "Harassment")
		var rep models.Report
		db.Where("reason = ?", "harassment").First(&rep)
		page := admin.get(fmt.Sprintf("/mod/reports/%d", rep.ID))
		wantContains(t, page, "about the moderator")
		wantLacks(t, page, "bodhi")
		wantStatus(t, gm.get(fmt.Sprintf("/mod/reports/%d", rep.ID)), http.StatusNotFound)

		// The member at risk is told gently, with the help page.
		if n := countRows(t, db, &models.Notice{}, "account_id = ? AND kind = ?", f.anna.acct.ID, models.NoticeModAtRisk); n != 1 {
			t.Fatalf("at-risk notices = %d, want 1", n)
		}

		// A report about an administrator: the other administrator only.
		if err := ts.db.Create(&models.Report{ReporterID: &f.bodhi.acct.ID, SubjectID: &f.admin.acct.ID, Reason: "other",
			Note: "about coordinator", CreatedAt: ts.clock.Now()}).Error; err != nil {
			t.Fatal(err)
		}
		wantLacks(t, admin.get("/mod"), "Something else")
		wantContains(t, ts.signedIn(f.admin2).get("/mod"), "Something else")
		wantLacks(t, ts.signedIn(f.site).get("/mod"), "Something else")
	})
}

// TestModPostActions: hide (the author still sees it, marked hidden; others
// see only the mark), redact (marked, removed text only in the moderation
// history, purgeable by an administrator), delete, lock and pin — each with
// its audit entry, and each closing the report it answers.
func TestModPostActions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		gm := ts.signedIn(f.gmod)
		anna := ts.signedIn(f.anna)
		bodhi := ts.signedIn(f.bodhi)
		topicPath := topicURL("circle", f.topic.ID, 1)
		bodhi.post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"harassment"}})
		var rep models.Report
		db.First(&rep)

		// A reason is required: 422 with the note kept.
		gm.get(postPath(f.annaPost))
		res := gm.post(postPath(f.annaPost)+"/hide", url.Values{"note": {"my note stays"}, "report": {fmt.Sprint(rep.ID)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "my note stays", "Choose a reason or write one.")

		wantStatus(t, gm.post(postPath(f.annaPost)+"/hide", reason("report", fmt.Sprint(rep.ID))), http.StatusSeeOther)
		wantContains(t, anna.get(topicPath), "Hidden by a moderator.", "post number 1 of A hard week")
		page := bodhi.get(topicPath)
		wantContains(t, page, "Hidden by a moderator.")
		wantLacks(t, page, "post number 1 of A hard week")
		if n := countRows(t, db, &models.Report{}, "id = ? AND closed_at IS NOT NULL AND post_copy = ''", rep.ID); n != 1 {
			t.Fatal("the report was not closed with its copy forgotten")
		}
		if got := auditEntries(t, db, models.ModHide); len(got) != 1 || *got[0].ActorID != f.gmod.acct.ID || *got[0].TargetAccountID != f.anna.acct.ID {
			t.Fatalf("hide audit = %+v", got)
		}
		// The author cannot edit a hidden post back into view.
		wantStatus(t, anna.get(fmt.Sprintf("/posts/%d/edit", f.annaPost.ID)), http.StatusForbidden)

		// Redact part of another post.
		_, posts := ts.seedTopic(f.circle, f.bodhi, "Streets", 1)
		p := posts[0]
		res = gm.post(postPath(p)+"/redact", reason("remove", "not in the post"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "This passage is not in the post.")
		wantStatus(t, gm.post(postPath(p)+"/redact", reason("remove", "number 1")), http.StatusSeeOther)
		page = anna.get(topicURL("circle", p.TopicID, 1))
		wantContains(t, page, "Edited by a moderator", "post […] of Streets")
		wantLacks(t, page, "number 1 of Streets")
		var act models.ModAction
		db.Where("action = ?", models.ModRedact).First(&act)
		if act.RemovedText != "number 1" {
			t.Fatalf("removed text = %q", act.RemovedText)
		}
		wantLacks(t, gm.get("/mod/audit"), "Removed text:")
		admin := ts.signedIn(f.admin)
		wantContains(t, admin.get("/mod/audit"), "Removed text:")
		wantStatus(t, gm.post(fmt.Sprintf("/mod/audit/%d/purge", act.ID), nil), http.StatusForbidden)
		wantStatus(t, admin.post(fmt.Sprintf("/mod/audit/%d/purge", act.ID), nil), http.StatusSeeOther)
		db.First(&act, act.ID)
		if act.RemovedText != "" {
			t.Fatal("purge kept the removed text")
		}

		// Delete.
		wantStatus(t, gm.post(postPath(p)+"/delete", reason()), http.StatusSeeOther)
		wantContains(t, anna.get(topicURL("circle", p.TopicID, 1)), "Removed by a moderator.")

		// Lock and pin.
		tp := fmt.Sprintf("/mod/topics/%d", f.topic.ID)
		gm.get(tp)
		wantStatus(t, gm.post(tp+"/lock", reason()), http.StatusSeeOther)
		wantStatus(t, gm.post(tp+"/pin", reason()), http.StatusSeeOther)
		var topic models.Topic
		db.First(&topic, f.topic.ID)
		if !topic.Locked || !topic.Pinned {
			t.Fatalf("topic locked=%v pinned=%v", topic.Locked, topic.Pinned)
		}
		for _, action := range []string{models.ModRedact, models.ModDelete, models.ModLock, models.ModPin, models.ModPurge} {
			if len(auditEntries(t, db, action)) != 1 {
				t.Errorf("no audit entry for %s", action)
			}
		}
	})
}

// TestModMemberActions: warn (an in-app notice), mute (no writing in the
// group until the time), remove from the group, suspend (signed out at once;
// told why and until when at sign-in, with the help directory) and ban.
// ASVS 7.4.2.
func TestModMemberActions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		gm := ts.signedIn(f.gmod)
		gm.get("/mod/members/anna")
		wantStatus(t, gm.post("/mod/members/anna/warn", reason("group", "circle")), http.StatusSeeOther)
		if n := countRows(t, db, &models.Notice{}, "account_id = ? AND kind = ?", f.anna.acct.ID, models.NoticeModDecision); n != 1 {
			t.Fatalf("warn notices = %d", n)
		}
		res := gm.post("/mod/members/anna/mute", reason("days", "1"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Choose a group you moderate.")
		wantStatus(t, gm.post("/mod/members/anna/mute", reason("group", "circle", "days", "1")), http.StatusSeeOther)
		anna := ts.signedIn(f.anna)
		page := anna.get(topicURL("circle", f.topic.ID, 1))
		res = anna.post(fmt.Sprintf("/groups/circle/topics/%d/reply", f.topic.ID), url.Values{"body": {"my muted words"}, "submit_token": {submitToken(t, page)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "my muted words", "paused your writing")
		// A moderator of circle cannot mute in "other".
		wantStatus(t, gm.post("/mod/members/anna/mute", reason("group", "other", "days", "1")), http.StatusUnprocessableEntity)

		wantStatus(t, gm.post("/mod/members/bodhi/remove", reason("group", "circle")), http.StatusSeeOther)
		if grpIsMember(ts, f.circle, f.bodhi) || !grpIsMember(ts, f.other, f.bodhi) {
			t.Fatal("removal did not end exactly the circle membership")
		}

		// Suspend: signed out at once, told at sign-in.
		site := ts.signedIn(f.site)
		site.get("/mod/members/anna")
		note := "Take a week off, please."
		wantStatus(t, site.post("/mod/members/anna/suspend", reason("days", "7", "note", note)), http.StatusSeeOther)
		if n := countRows(t, db, &models.Session{}, "account_id = ?", f.anna.acct.ID); n != 0 {
			t.Fatalf("%d sessions left after suspension", n)
		}
		wantStatus(t, anna.get("/groups"), http.StatusSeeOther)
		fresh := ts.client()
		res = fresh.signIn("anna", f.anna.password, f.anna.code(ts))
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "suspended your account until", note)
		if n := countRows(t, db, &models.Session{}, "account_id = ?", f.anna.acct.ID); n != 0 {
			t.Fatal("a suspended member got a session")
		}
		// After the suspension ends, sign-in works again.
		ts.clock.Advance(8 * 24 * time.Hour)
		wantStatus(t, ts.client().signIn("anna", f.anna.password, f.anna.code(ts)), http.StatusSeeOther)

		// Ban.
		admin := ts.signedIn(f.admin)
		admin.get("/mod/members/bodhi")
		wantStatus(t, admin.post("/mod/members/bodhi/ban", reason()), http.StatusSeeOther)
		res = ts.client().signIn("bodhi", f.bodhi.password, f.bodhi.code(ts))
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "closed your access")
		for _, action := range []string{models.ModWarn, models.ModMute, models.ModRemove, models.ModSuspend, models.ModBan} {
			if len(auditEntries(t, db, action)) != 1 {
				t.Errorf("audit entries for %s: want 1", action)
			}
		}
		// The audit log: the group moderator sees their group's entries, not
		// the site-wide ones.
		gm = ts.signedIn(f.gmod)
		log := gm.get("/mod/audit")
		wantContains(t, log, "mod.warn", "mod.mute")
		wantLacks(t, log, "mod.suspend", "mod.ban")
		wantContains(t, admin.get("/mod/audit?action=mod.ban"), "mod.ban")
		wantLacks(t, admin.get("/mod/audit?action=mod.ban"), "mod.warn")
	})
}

// TestModReportedCopySurvivesErasure: a reported post's copy stays for
// moderators after its author erases the post and the whole account, until
// the report is closed; the account then shows as "former member #N".
func TestModReportedCopySurvivesErasure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		ts.signedIn(f.bodhi).post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"identifying"}})
		if err := models.EraseAccount(db, f.anna.acct.ID, true, ts.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var rep models.Report
		db.First(&rep)
		gm := ts.signedIn(f.gmod)
		page := gm.get(fmt.Sprintf("/mod/reports/%d", rep.ID))
		wantContains(t, page, "post number 1 of A hard week")
		wantStatus(t, gm.post(fmt.Sprintf("/mod/reports/%d/dismiss", rep.ID), reason()), http.StatusSeeOther)
		db.First(&rep, rep.ID)
		if rep.PostCopy != "" || rep.ClosedAt == nil {
			t.Fatal("closing the report kept the copy")
		}
		wantContains(t, ts.signedIn(f.admin).get("/mod/audit"), fmt.Sprintf("former member #%d", f.anna.acct.ID))
	})
}

func withPremod(n int) serverOption {
	return func(o *Options) { o.PremodFirstPosts = n }
}

// TestModPremoderation: the first posts of a new member wait for review,
// visible to the author ("waiting for review") and moderators only; a
// moderator approves one (published) and rejects another; 0 turns it off.
func TestModPremoderation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db, withPremod(1))
		ts := f.ts
		cleo := ts.createMember("cleo", models.RoleMember)
		ts.join(f.circle, cleo, models.GroupRoleMember)
		c := ts.signedIn(cleo)
		page := c.get(topicURL("circle", f.topic.ID, 1))
		res := c.post(fmt.Sprintf("/groups/circle/topics/%d/reply", f.topic.ID), url.Values{"body": {"my first words here"}, "submit_token": {submitToken(t, page)}})
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, c.get(topicURL("circle", f.topic.ID, 1)), "Waiting for review", "my first words here")
		wantLacks(t, ts.signedIn(f.bodhi).get(topicURL("circle", f.topic.ID, 1)), "my first words here")
		if n := countRows(t, db, &models.Post{}, "author_id = ?", cleo.acct.ID); n != 0 {
			t.Fatal("a held post was published")
		}
		if len(auditEntries(t, db, models.ModHold)) != 1 {
			t.Fatal("the automatic hold was not audited")
		}
		gm := ts.signedIn(f.gmod)
		wantContains(t, gm.get("/mod"), "Posts waiting for review")
		var h models.HeldPost
		db.First(&h)
		gm.get(fmt.Sprintf("/mod/held/%d", h.ID))
		wantStatus(t, gm.post(fmt.Sprintf("/mod/held/%d/approve", h.ID), url.Values{}), http.StatusSeeOther)
		wantContains(t, ts.signedIn(f.bodhi).get(topicURL("circle", f.topic.ID, 1)), "my first words here")
		// Now past the first post: published at once.
		page = c.get(topicURL("circle", f.topic.ID, 1))
		wantStatus(t, c.post(fmt.Sprintf("/groups/circle/topics/%d/reply", f.topic.ID), url.Values{"body": {"second"}, "submit_token": {submitToken(t, page)}}), http.StatusSeeOther)
		if n := countRows(t, db, &models.Post{}, "author_id = ?", cleo.acct.ID); n != 2 {
			t.Fatalf("posts = %d, want 2", n)
		}
		// Turned off for "other": a new member's first post goes straight out.
		ts.join(f.other, cleo, models.GroupRoleMember)
		gm.get("/mod")
		wantStatus(t, ts.signedIn(f.site).post("/mod/groups/other/premod", url.Values{"premod_posts": {"0"}}), http.StatusSeeOther)
		if n, _ := models.PremodPosts(db, f.other.ID, 1); n != 0 {
			t.Fatalf("premod for other = %d", n)
		}
	})
}

// TestModProtectiveHold: a post with a phone number shows the warning with
// the text kept; posting anyway holds it; a moderator approves it. A blocked
// word is refused beside the field.
func TestModProtectiveHold(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		anna := ts.signedIn(f.anna)
		body := "Call me on +49 30 12345678 tonight"
		page := anna.get("/groups/circle/new")
		form := url.Values{"title": {"Need to talk"}, "body": {body}, "submit_token": {submitToken(t, page)}}
		res := anna.post("/groups/circle/new", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "This may identify you or someone else", "Phone number", "12345678 tonight", `name="post_anyway"`)
		form.Set("post_anyway", "1")
		wantStatus(t, anna.post("/groups/circle/new", form), http.StatusSeeOther)
		if n := countRows(t, db, &models.Topic{}, "title = ?", "Need to talk"); n != 0 {
			t.Fatal("a held topic was published")
		}
		var h models.HeldPost
		db.First(&h)
		if h.Reason != models.HoldIdentify || strings.Contains(auditEntries(t, db, models.ModHold)[0].Detail, "12345678") {
			t.Fatalf("held reason %q; the audit must not copy the number", h.Reason)
		}
		wantContains(t, anna.get("/appeals"), "Need to talk")
		gm := ts.signedIn(f.gmod)
		gm.get(fmt.Sprintf("/mod/held/%d", h.ID))
		wantStatus(t, gm.post(fmt.Sprintf("/mod/held/%d/approve", h.ID), reason()), http.StatusSeeOther)
		if n := countRows(t, db, &models.Topic{}, "title = ?", "Need to talk"); n != 1 {
			t.Fatal("the approved topic is missing")
		}

		admin := ts.signedIn(f.admin)
		admin.get("/admin/words")
		wantStatus(t, admin.post("/admin/words", url.Values{"phrase": {"Forbidden Phrase"}, "action": {"block"}}), http.StatusSeeOther)
		page = anna.get("/groups/circle/new")
		res = anna.post("/groups/circle/new", url.Values{"title": {"Words"}, "body": {"this has a forbidden phrase in it"}, "submit_token": {submitToken(t, page)}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="body-error"`, "this has a forbidden phrase in it")
	})
}

// TestModAppeals: a member appeals a decision once, within 14 days; the
// moderator who acted does not see it, another does and overturns it (the
// hidden post comes back).
func TestModAppeals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		gm := ts.signedIn(f.gmod)
		gm.get(postPath(f.annaPost))
		wantStatus(t, gm.post(postPath(f.annaPost)+"/hide", reason()), http.StatusSeeOther)
		gm.post("/mod/members/anna/warn", reason("group", "circle"))
		var acts []models.ModAction
		db.Order("id").Find(&acts)
		anna := ts.signedIn(f.anna)
		page := anna.get("/appeals")
		wantContains(t, page, "Post hidden", "Please keep to the house rules.")
		res := anna.post(fmt.Sprintf("/appeals/%d", acts[0].ID), url.Values{"body": {"   "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantStatus(t, anna.post(fmt.Sprintf("/appeals/%d", acts[0].ID), url.Values{"body": {"It was about me, not anyone else."}}), http.StatusSeeOther)
		res = anna.post(fmt.Sprintf("/appeals/%d", acts[0].ID), url.Values{"body": {"again"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "already appealed")
		// Another member's decision: not found.
		wantStatus(t, ts.signedIn(f.bodhi).post(fmt.Sprintf("/appeals/%d", acts[0].ID), url.Values{"body": {"x"}}), http.StatusNotFound)
		// After 14 days: too late.
		ts.clock.Advance(15 * 24 * time.Hour)
		anna = ts.signedIn(f.anna)
		anna.get("/appeals")
		res = anna.post(fmt.Sprintf("/appeals/%d", acts[1].ID), url.Values{"body": {"late"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "has ended")

		var ap models.Appeal
		db.First(&ap)
		gm = ts.signedIn(f.gmod)
		wantLacks(t, gm.get("/mod"), "Appeal by anna")
		wantStatus(t, gm.get(fmt.Sprintf("/mod/appeals/%d", ap.ID)), http.StatusNotFound)
		site := ts.signedIn(f.site)
		wantContains(t, site.get("/mod"), "Appeal by anna")
		site.get(fmt.Sprintf("/mod/appeals/%d", ap.ID))
		wantStatus(t, site.post(fmt.Sprintf("/mod/appeals/%d/overturn", ap.ID), reason()), http.StatusSeeOther)
		wantContains(t, anna.get(topicURL("circle", f.topic.ID, 1)), "post number 1 of A hard week")
		wantLacks(t, anna.get(topicURL("circle", f.topic.ID, 1)), "Hidden by a moderator.")
		wantContains(t, anna.get("/appeals"), "The decision was undone.")
	})
}

// TestModRoles: administrators grant and remove site roles at /admin/roles;
// each change is audited and ends the member's sessions; nobody changes
// their own role.
func TestModRoles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		bodhi := ts.signedIn(f.bodhi)
		admin := ts.signedIn(f.admin)
		admin.get("/admin/roles")
		wantStatus(t, admin.post("/admin/roles", url.Values{"username": {"bodhi"}, "role": {models.RoleSiteModerator}}), http.StatusSeeOther)
		wantStatus(t, bodhi.get("/groups"), http.StatusSeeOther)
		acct, _ := models.AccountByID(db, f.bodhi.acct.ID)
		if acct.Role != models.RoleSiteModerator || len(auditEntries(t, db, models.ModRoleGrant)) != 1 {
			t.Fatalf("role %q", acct.Role)
		}
		res := admin.post("/admin/roles", url.Values{"username": {"coordinator"}, "role": {models.RoleMember}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "cannot change your own role")
		res = admin.post("/admin/roles", url.Values{"username": {"nobody-here"}, "role": {models.RoleMember}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "nobody-here")
	})
}
