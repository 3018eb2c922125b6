package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/markup"
	"hearth/models"
	"hearth/models/testdb"
)

// heldEditOf finds the edit of a post waiting for review.
func heldEditOf(t *testing.T, db *gorm.DB, p *models.Post) models.HeldPost {
	t.Helper()
	var h models.HeldPost
	if err := db.Where("post_id = ?", p.ID).First(&h).Error; err != nil {
		t.Fatalf("no held edit of post %d: %v", p.ID, err)
	}
	return h
}

// heldBioOf finds the member's bio waiting for review.
func heldBioOf(t *testing.T, db *gorm.DB, m *testMember) models.HeldBio {
	t.Helper()
	var h models.HeldBio
	if err := db.Where("account_id = ?", m.acct.ID).First(&h).Error; err != nil {
		t.Fatalf("no held bio of %s: %v", m.acct.Username, err)
	}
	return h
}

// editAnyway edits a post through its form, past the protective hold's
// warning.
func editAnyway(t *testing.T, c *testClient, p *models.Post, body string) {
	t.Helper()
	path := fmt.Sprintf("/posts/%d/edit", p.ID)
	c.get(path)
	res := c.post(path, url.Values{"body": {body}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res, "This may identify you or someone else", `name="post_anyway"`)
	wantStatus(t, c.post(path, url.Values{"body": {body}, "post_anyway": {"1"}}), http.StatusSeeOther)
}

// noticesOf counts the member's in-app notices of decisions about them.
func noticesOf(t *testing.T, db *gorm.DB, m *testMember) int64 {
	t.Helper()
	return countRows(t, db, &models.Notice{}, "account_id = ? AND kind = ?", m.acct.ID, models.NoticeModDecision)
}

// TestHeldEditApproved: an edit with a phone number, saved anyway, is not
// published: another member still reads the earlier text, the author reads
// hers marked "waiting for review", and the group's moderator finds it in
// /mod. Approved, it becomes the post's text for everyone (the earlier text
// kept as a version), audited, without a notice to the author.
func TestHeldEditApproved(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		anna, bodhi, gale := ts.signedIn(f.anna), ts.signedIn(f.bodhi), ts.signedIn(f.gmod)
		topic := topicURL("circle", f.topic.ID, 1)
		newText := "Better now. Call me on 030 12345678 tonight"
		editAnyway(t, anna, f.annaPost, newText)

		wantContains(t, bodhi.get(topic), "post number 1 of A hard week")
		wantLacks(t, bodhi.get(topic), "12345678", "Waiting for review")
		if p := postByID(t, db, f.annaPost.ID); p.Body != f.annaPost.Body || p.EditedAt != nil {
			t.Fatalf("the held edit was published: %q", p.Body)
		}
		page := anna.get(topic)
		wantContains(t, page, "post number 1 of A hard week", "Waiting for review", "Your edit of this post waits for a moderator", newText)
		wantContains(t, anna.get(fmt.Sprintf("/posts/%d/edit", f.annaPost.ID)), "Your last edit is waiting for a moderator", newText)
		hold := auditEntries(t, db, models.ModHold)
		if len(hold) != 1 || !strings.Contains(hold[0].Detail, "phone") || strings.Contains(hold[0].Detail, "12345678") {
			t.Fatalf("hold audit = %+v; kinds only, never the number", hold)
		}

		h := heldEditOf(t, db, f.annaPost)
		queue := gale.get("/mod")
		wantContains(t, queue, fmt.Sprintf(`href="/mod/held/%d"`, h.ID), "Edit in “A hard week”")
		review := gale.get(fmt.Sprintf("/mod/held/%d", h.ID))
		wantStatus(t, review, http.StatusOK)
		wantContains(t, review, "Edit waiting for review", "What everyone reads now", "post number 1 of A hard week", "12345678 tonight")
		before := noticesOf(t, db, f.anna)
		wantStatus(t, gale.post(fmt.Sprintf("/mod/held/%d/approve", h.ID), url.Values{}), http.StatusSeeOther)

		wantContains(t, bodhi.get(topic), "12345678 tonight")
		wantLacks(t, anna.get(topic), "Waiting for review")
		if n := countRows(t, db, &models.HeldPost{}, "1 = 1"); n != 0 {
			t.Fatalf("%d held posts left", n)
		}
		if n := countRows(t, db, &models.PostVersion{}, "post_id = ? AND body = ?", f.annaPost.ID, f.annaPost.Body); n != 1 {
			t.Fatal("the earlier text was not kept as a version")
		}
		var act models.ModAction
		db.Where("action = ?", models.ModApprove).First(&act)
		if act.ActorID != f.gmod.acct.ID || act.TargetID == nil || *act.TargetID != f.anna.acct.ID || act.PostID == nil || *act.PostID != f.annaPost.ID {
			t.Fatalf("approval recorded as %+v", act)
		}
		if noticesOf(t, db, f.anna) != before {
			t.Fatal("an approval sent a notice")
		}
	})
}

// TestHeldEditRejected: rejected with a note, the edit goes, the earlier
// text stays for everyone, and the author is told — a notice, and the note
// beside the post's edit form. A newer edit replaces one that waits; the
// same text sent again keeps its place.
func TestHeldEditRejected(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		anna, bodhi, gale := ts.signedIn(f.anna), ts.signedIn(f.bodhi), ts.signedIn(f.gmod)
		topic := topicURL("circle", f.topic.ID, 1)
		editAnyway(t, anna, f.annaPost, "first try: 0171 2345678")
		first := heldEditOf(t, db, f.annaPost)
		editAnyway(t, anna, f.annaPost, "second try: 0171 2345679")
		second := heldEditOf(t, db, f.annaPost)
		if second.ID == first.ID || countRows(t, db, &models.HeldPost{}, "1 = 1") != 1 {
			t.Fatal("a newer edit did not replace the one waiting")
		}
		path := fmt.Sprintf("/posts/%d/edit", f.annaPost.ID)
		wantStatus(t, anna.post(path, url.Values{"body": {second.Body}}), http.StatusSeeOther)
		if again := heldEditOf(t, db, f.annaPost); again.ID != second.ID {
			t.Fatal("sending the waiting text again replaced it")
		}
		wantStatus(t, gale.get(fmt.Sprintf("/mod/held/%d", first.ID)), http.StatusNotFound)

		gale.get(fmt.Sprintf("/mod/held/%d", second.ID))
		res := gale.post(fmt.Sprintf("/mod/held/%d/reject", second.ID), url.Values{"note": {"Please leave out the number."}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="reason-error"`, "Please leave out the number.")
		before := noticesOf(t, db, f.anna)
		ts.clock.Advance(time.Minute)
		wantStatus(t, gale.post(fmt.Sprintf("/mod/held/%d/reject", second.ID), reason("note", "Please leave out the number.")), http.StatusSeeOther)

		wantContains(t, bodhi.get(topic), "post number 1 of A hard week")
		wantLacks(t, bodhi.get(topic), "2345679")
		wantLacks(t, anna.get(topic), "2345679", "Waiting for review")
		if p := postByID(t, db, f.annaPost.ID); p.Body != f.annaPost.Body {
			t.Fatalf("the rejected edit changed the post: %q", p.Body)
		}
		if noticesOf(t, db, f.anna) != before+1 {
			t.Fatal("the author was not told")
		}
		form := anna.get(path)
		wantContains(t, form, "a moderator did not publish your last edit", "Please leave out the number.")
		if len(auditEntries(t, db, models.ModRejectEdit)) != 1 {
			t.Fatal("the rejection was not audited")
		}
		// The notice sends her to her decisions: the rejection is there,
		// with its note, and says why there is nothing to appeal.
		decisions := anna.get("/appeals")
		wantContains(t, decisions, "Edit not published", "Please leave out the number.", "nothing to appeal")
		wantLacks(t, decisions, `action="/appeals/`)
		// A clean edit publishes at once, and the note goes.
		ts.clock.Advance(time.Minute)
		wantStatus(t, anna.post(path, url.Values{"body": {"all good now"}}), http.StatusSeeOther)
		wantContains(t, bodhi.get(topic), "all good now")
		wantLacks(t, anna.get(path), "did not publish")
	})
}

// TestHeldEditReach: a moderator of another group sees nothing of a held
// edit and cannot act on it; a moderator never sees or decides her own; a
// site moderator cannot decide a group moderator's, an administrator can.
// A word the administrators hold holds an edit without a warning; a blocked
// word refuses it on the same page with the text kept; erasing the post
// takes a waiting edit with it.
func TestHeldEditReach(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		otto := ts.createMember("otto", models.RoleMember)
		ts.join(f.other, otto, models.GroupRoleModerator)
		anna, gale, ottoC := ts.signedIn(f.anna), ts.signedIn(f.gmod), ts.signedIn(otto)
		warden, admin := ts.signedIn(f.site), ts.signedIn(f.admin)

		editAnyway(t, anna, f.annaPost, "write to anna.example@mailbox.example")
		h := heldEditOf(t, db, f.annaPost)
		wantLacks(t, ottoC.get("/mod"), "mailbox", "Edit in")
		wantStatus(t, ottoC.get(fmt.Sprintf("/mod/held/%d", h.ID)), http.StatusNotFound)
		wantStatus(t, ottoC.post(fmt.Sprintf("/mod/held/%d/approve", h.ID), reason()), http.StatusNotFound)
		if p := postByID(t, db, f.annaPost.ID); strings.Contains(p.Body, "mailbox") {
			t.Fatal("a moderator of another group published the edit")
		}

		// Gale moderates circle and edits her own post there.
		editAnyway(t, gale, f.gmodPost, "my number is 0171 2345678")
		own := heldEditOf(t, db, f.gmodPost)
		wantLacks(t, gale.get("/mod"), fmt.Sprintf(`href="/mod/held/%d"`, own.ID))
		wantStatus(t, gale.get(fmt.Sprintf("/mod/held/%d", own.ID)), http.StatusNotFound)
		wantStatus(t, gale.post(fmt.Sprintf("/mod/held/%d/approve", own.ID), reason()), http.StatusNotFound)
		warden.get(fmt.Sprintf("/mod/held/%d", own.ID))
		wantStatus(t, warden.post(fmt.Sprintf("/mod/held/%d/approve", own.ID), reason()), http.StatusForbidden)
		if p := postByID(t, db, f.gmodPost.ID); strings.Contains(p.Body, "2345678") {
			t.Fatal("the edit was published without an administrator")
		}
		admin.get(fmt.Sprintf("/mod/held/%d", own.ID))
		wantStatus(t, admin.post(fmt.Sprintf("/mod/held/%d/approve", own.ID), reason()), http.StatusSeeOther)
		if p := postByID(t, db, f.gmodPost.ID); !strings.Contains(p.Body, "2345678") {
			t.Fatal("the administrator's approval did not publish the edit")
		}

		admin.get("/admin/words")
		wantStatus(t, admin.post("/admin/words", url.Values{"phrase": {"Meeting Point"}, "action": {"hold"}}), http.StatusSeeOther)
		wantStatus(t, admin.post("/admin/words", url.Values{"phrase": {"Forbidden Phrase"}, "action": {"block"}}), http.StatusSeeOther)
		path := fmt.Sprintf("/posts/%d/edit", f.annaPost.ID)
		anna.get(path)
		res := anna.post(path, url.Values{"body": {"see you at the forbidden phrase"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="body-error"`, "see you at the forbidden phrase")
		wantStatus(t, anna.post(path, url.Values{"body": {"see you at the meeting point"}}), http.StatusSeeOther)
		if h := heldEditOf(t, db, f.annaPost); h.Reason != models.HoldWord || h.Body != "see you at the meeting point" {
			t.Fatalf("held %q for %q", h.Body, h.Reason)
		}

		anna.get(fmt.Sprintf("/posts/%d/erase", f.annaPost.ID))
		wantStatus(t, anna.post(fmt.Sprintf("/posts/%d/erase", f.annaPost.ID), url.Values{}), http.StatusSeeOther)
		if n := countRows(t, db, &models.HeldPost{}, "post_id = ?", f.annaPost.ID); n != 0 {
			t.Fatal("erasing the post left its waiting edit")
		}
	})
}

// TestHeldEditOfRemovedPost: an edit cannot be published once a moderator
// removed its post: the page says so (422), and it can still be rejected.
func TestHeldEditOfRemovedPost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		anna, warden := ts.signedIn(f.anna), ts.signedIn(f.site)
		editAnyway(t, anna, f.annaPost, "call 0171 2345678")
		h := heldEditOf(t, db, f.annaPost)
		warden.get(postPath(f.annaPost))
		wantStatus(t, warden.post(postPath(f.annaPost)+"/hide", reason()), http.StatusSeeOther)
		warden.get(fmt.Sprintf("/mod/held/%d", h.ID))
		res := warden.post(fmt.Sprintf("/mod/held/%d/approve", h.ID), reason())
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "cannot be published")
		if n := countRows(t, db, &models.HeldPost{}, "id = ?", h.ID); n != 1 {
			t.Fatal("a refused approval took the edit off the queue")
		}
		wantStatus(t, warden.post(fmt.Sprintf("/mod/held/%d/reject", h.ID), reason()), http.StatusSeeOther)
	})
}

// TestHeldBio: a bio with a phone number, saved anyway, waits: her profile
// keeps the earlier bio for another member; she reads the new one marked
// "waiting for review" on her settings and profile. A group moderator can
// neither see nor decide it; a site moderator approves one (published,
// audited) and rejects another with a note (the earlier bio stays; the
// member is told, and reads the note in her settings). Nobody decides their
// own bio.
func TestHeldBio(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		anna, bodhi, gale, warden := ts.signedIn(f.anna), ts.signedIn(f.bodhi), ts.signedIn(f.gmod), ts.signedIn(f.site)
		settings := func(bio string, anyway bool) *response {
			t.Helper()
			anna.get("/account/settings")
			form := url.Values{"bio": {bio}}
			if anyway {
				form.Set("post_anyway", "1")
			}
			return anna.post("/account/settings", form)
		}
		wantStatus(t, settings("I like long walks.", false), http.StatusSeeOther)
		bio := "Text me: 0171 2345678"
		res := settings(bio, false)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "0171 2345678", `name="post_anyway"`)
		wantStatus(t, settings(bio, true), http.StatusSeeOther)

		if acct, _ := models.AccountByID(db, f.anna.acct.ID); acct.Bio != "I like long walks." {
			t.Fatalf("bio = %q: the held bio was published", acct.Bio)
		}
		wantContains(t, bodhi.get("/members/anna"), "I like long walks.")
		wantLacks(t, bodhi.get("/members/anna"), "2345678")
		wantContains(t, anna.get("/members/anna"), "I like long walks.", "Waiting for review", bio)
		wantContains(t, anna.get("/account/settings"), "Your new bio is waiting for a moderator", "I like long walks.", bio)
		// Saving the settings again keeps the waiting bio as it is.
		held := heldBioOf(t, db, f.anna)
		wantStatus(t, settings(bio, false), http.StatusSeeOther)
		if again := heldBioOf(t, db, f.anna); again.ID != held.ID {
			t.Fatal("saving the settings again replaced the waiting bio")
		}
		if hold := auditEntries(t, db, models.ModHold); len(hold) != 1 || strings.Contains(hold[0].Detail, "2345678") {
			t.Fatalf("hold audit = %+v", hold)
		}
		var export struct {
			Profile struct {
				Bio        string
				BioWaiting string `json:"bio_waiting_for_review"`
			}
		}
		if err := json.Unmarshal([]byte(anna.get("/account/export").body), &export); err != nil ||
			export.Profile.Bio != "I like long walks." || export.Profile.BioWaiting != bio {
			t.Fatalf("export profile = %+v, %v", export.Profile, err)
		}

		ref := fmt.Sprintf("/mod/held/bio-%d", held.ID)
		wantLacks(t, gale.get("/mod"), "2345678", "bio-")
		wantStatus(t, gale.get(ref), http.StatusNotFound)
		wantStatus(t, gale.post(ref+"/approve", reason()), http.StatusNotFound)
		review := warden.get(ref)
		wantStatus(t, review, http.StatusOK)
		wantContains(t, review, "Bio waiting for review", bio, "I like long walks.")
		wantStatus(t, warden.post(ref+"/approve", url.Values{}), http.StatusSeeOther)
		wantContains(t, bodhi.get("/members/anna"), bio)
		var act models.ModAction
		db.Where("action = ? AND target_id = ?", models.ModApprove, f.anna.acct.ID).First(&act)
		if act.ActorID != f.site.acct.ID || act.GroupID != nil {
			t.Fatalf("approval recorded as %+v", act)
		}

		wantStatus(t, settings("Find me at 12 Harbour Street, Leeds. Or 0171 7654321", true), http.StatusSeeOther)
		held = heldBioOf(t, db, f.anna)
		before := noticesOf(t, db, f.anna)
		ts.clock.Advance(time.Minute)
		warden.get(fmt.Sprintf("/mod/held/bio-%d", held.ID))
		wantStatus(t, warden.post(fmt.Sprintf("/mod/held/bio-%d/reject", held.ID), reason("note", "Better without the address.")), http.StatusSeeOther)
		wantContains(t, bodhi.get("/members/anna"), bio)
		wantLacks(t, bodhi.get("/members/anna"), "7654321")
		if noticesOf(t, db, f.anna) != before+1 || len(auditEntries(t, db, models.ModRejectBio)) != 1 {
			t.Fatal("the rejection was not told or not audited")
		}
		page := anna.get("/account/settings")
		wantContains(t, page, "a moderator did not publish the new bio you wrote", "Better without the address.")
		wantLacks(t, page, "7654321")
		// Saving her settings puts the note away.
		ts.clock.Advance(time.Minute)
		wantStatus(t, anna.post("/account/settings", url.Values{"bio": {bio}}), http.StatusSeeOther)
		wantLacks(t, anna.get("/account/settings"), "did not publish")

		// The site moderator's own bio: not hers to decide; an administrator's.
		warden.get("/account/settings")
		wantStatus(t, warden.post("/account/settings", url.Values{"bio": {"ring 0171 2345670"}, "post_anyway": {"1"}}), http.StatusSeeOther)
		own := heldBioOf(t, db, f.site)
		wantStatus(t, warden.get(fmt.Sprintf("/mod/held/bio-%d", own.ID)), http.StatusNotFound)
		wantStatus(t, warden.post(fmt.Sprintf("/mod/held/bio-%d/approve", own.ID), reason()), http.StatusNotFound)
		admin := ts.signedIn(f.admin)
		wantContains(t, admin.get("/mod"), fmt.Sprintf(`href="/mod/held/bio-%d"`, own.ID), "Bio of warden")
		wantStatus(t, admin.post(fmt.Sprintf("/mod/held/bio-%d/approve", own.ID), reason()), http.StatusSeeOther)
		if acct, _ := models.AccountByID(db, f.site.acct.ID); acct.Bio != "ring 0171 2345670" {
			t.Fatalf("bio = %q", acct.Bio)
		}
	})
}

// TestHeldBioTakenBack: clearing the bio, or sending the published one,
// takes a waiting bio back; a word the administrators hold holds a bio
// without a warning, and a blocked word refuses it with the text kept.
func TestHeldBioTakenBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		anna, admin := ts.signedIn(f.anna), ts.signedIn(f.admin)
		admin.get("/admin/words")
		wantStatus(t, admin.post("/admin/words", url.Values{"phrase": {"Meeting Point"}, "action": {"hold"}}), http.StatusSeeOther)
		wantStatus(t, admin.post("/admin/words", url.Values{"phrase": {"Forbidden Phrase"}, "action": {"block"}}), http.StatusSeeOther)
		anna.get("/account/settings")
		res := anna.post("/account/settings", url.Values{"bio": {"a forbidden phrase here"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, `id="bio-error"`, "a forbidden phrase here")
		wantStatus(t, anna.post("/account/settings", url.Values{"bio": {"at the meeting point"}}), http.StatusSeeOther)
		if h := heldBioOf(t, db, f.anna); h.Reason != models.HoldWord {
			t.Fatalf("held for %q", h.Reason)
		}
		wantStatus(t, anna.post("/account/settings", url.Values{"bio": {""}}), http.StatusSeeOther)
		if n := countRows(t, db, &models.HeldBio{}, "1 = 1"); n != 0 {
			t.Fatal("clearing the bio left the waiting one")
		}
	})
}

var heldPanelPattern = regexp.MustCompile(`(?s)<div class="panel post-body">(.*?)</div>`)

// TestHeldXSSPayloads sends every public payload through a held edit and a
// held bio (held by a word the administrators hold, so that each is one
// request): the author's topic page, settings and profile, the queue and
// the review pages show them inert — the edit's HTML only as the markup's
// output, the bio and the plain text escaped. ASVS 1.2.1.
func TestHeldXSSPayloads(t *testing.T) {
	payloads := loadPayloads(t)
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		anna, gale, warden, admin := ts.signedIn(f.anna), ts.signedIn(f.gmod), ts.signedIn(f.site), ts.signedIn(f.admin)
		admin.get("/admin/words")
		wantStatus(t, admin.post("/admin/words", url.Values{"phrase": {"xsshold"}, "action": {"hold"}}), http.StatusSeeOther)
		edit := fmt.Sprintf("/posts/%d/edit", f.annaPost.ID)
		topic := topicURL("circle", f.topic.ID, 1)
		anna.get(edit)
		for i, p := range payloads {
			one := []string{p}
			res := anna.post(edit, url.Values{"body": {p + "\n\nxsshold"}, "content_warning": {"cw xsshold"}, "post_anyway": {"1"}})
			if res.StatusCode != http.StatusSeeOther {
				wantInert(t, res, one)
				continue
			}
			wantInert(t, anna.get(topic), one)
			wantInert(t, anna.get(edit), one)
			h := heldEditOf(t, db, f.annaPost)
			review := gale.get(fmt.Sprintf("/mod/held/%d", h.ID))
			wantStatus(t, review, http.StatusOK)
			for _, m := range heldPanelPattern.FindAllStringSubmatch(review.body, -1) {
				if err := markup.CheckInert(m[1]); err != nil {
					t.Errorf("payload %d %q: review not inert: %v", i, p, err)
				}
			}
			if i%25 == 0 {
				wantInert(t, gale.get("/mod"), one)
			}

			anna.get("/account/settings")
			res = anna.post("/account/settings", url.Values{"bio": {p + " xsshold"}, "post_anyway": {"1"}})
			if res.StatusCode != http.StatusSeeOther {
				wantInert(t, res, one)
				continue
			}
			wantInert(t, anna.get("/account/settings"), one)
			wantInert(t, anna.get("/members/anna"), one)
			b := heldBioOf(t, db, f.anna)
			wantInert(t, warden.get(fmt.Sprintf("/mod/held/bio-%d", b.ID)), one)
			if i%25 == 0 {
				wantInert(t, warden.get("/mod"), one)
			}
		}
	})
}

func postByID(t *testing.T, db *gorm.DB, id int64) models.Post {
	t.Helper()
	var p models.Post
	if err := db.First(&p, id).Error; err != nil {
		t.Fatal(err)
	}
	return p
}
