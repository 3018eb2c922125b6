package models_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// heldTexts makes a group "circle" moderated by gale, with a post by anna
// that has an edit waiting, and a bio of anna waiting.
type heldTexts struct {
	f                  *fixture
	circle             *models.Group
	anna, gale, warden *models.Account
	ada                *models.Account
	post               *models.Post
	edit               *models.HeldPost
	bio                *models.HeldBio
	annaMod, galeMod   *models.Mod
	wardenMod, adaMod  *models.Mod
	approveAll         models.ActionInput
}

func newHeldTexts(t *testing.T, db *gorm.DB) *heldTexts {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	f := &fixture{t: t, db: db, now: now}
	h := &heldTexts{f: f, circle: f.group("circle", true)}
	h.anna, h.gale = f.account("anna", models.RoleMember), f.account("gale", models.RoleMember)
	h.warden, h.ada = f.account("warden", models.RoleSiteModerator), f.account("ada", models.RoleAdmin)
	if err := models.AddMember(db, h.circle.ID, h.anna.ID, models.GroupRoleMember, now); err != nil {
		t.Fatal(err)
	}
	if err := models.AddMember(db, h.circle.ID, h.gale.ID, models.GroupRoleModerator, now); err != nil {
		t.Fatal(err)
	}
	_, h.post = f.topic(h.circle, h.anna, "A hard week", "the earlier text")
	h.edit = &models.HeldPost{GroupID: h.circle.ID, TopicID: &h.post.TopicID, PostID: &h.post.ID, AuthorID: h.anna.ID,
		Body: "call 0171 2345678", BodyHTML: "<p>call 0171 2345678</p>", Reason: models.HoldIdentify, Findings: "phone", CreatedAt: now}
	if err := models.HoldEdit(db, h.edit); err != nil {
		t.Fatal(err)
	}
	if err := models.HoldBio(db, h.anna.ID, "text me 0171 2345678", models.HoldIdentify, "phone", now); err != nil {
		t.Fatal(err)
	}
	bio, err := models.PendingBio(db, h.anna.ID)
	if err != nil || bio == nil {
		t.Fatalf("pending bio = %v, %v", bio, err)
	}
	h.bio = bio
	for _, p := range []struct {
		acct *models.Account
		mod  **models.Mod
	}{{h.anna, &h.annaMod}, {h.gale, &h.galeMod}, {h.warden, &h.wardenMod}, {h.ada, &h.adaMod}} {
		m, err := models.ModOf(db, p.acct)
		if err != nil {
			t.Fatal(err)
		}
		*p.mod = m
	}
	h.approveAll = models.ActionInput{Reason: "fine"}
	return h
}

// TestHeldEditAndBioReach: a held edit is decided by the moderators of its
// group, a held bio by site moderators and administrators only; nobody
// decides their own; a second decision finds it gone.
func TestHeldEditAndBioReach(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newHeldTexts(t, db)
		now := h.f.now
		if list, _ := models.HeldBiosFor(db, h.galeMod, ""); len(list) != 0 {
			t.Fatal("a group moderator sees a bio")
		}
		if err := models.DecideHeldBio(db, h.galeMod, h.bio.ID, true, h.approveAll, now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("group moderator deciding a bio: %v", err)
		}
		if err := models.DecideHeldBio(db, h.annaMod, h.bio.ID, true, h.approveAll, now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("the author deciding her own bio: %v", err)
		}
		if list, _ := models.HeldBiosFor(db, h.wardenMod, ""); len(list) != 1 || list[0].Username != "anna" || list[0].Ref() == "" {
			t.Fatalf("site moderator's bios = %+v", list)
		}
		if err := models.DecideHeldBio(db, h.wardenMod, h.bio.ID, false, models.ActionInput{Reason: "address", Note: "Not this."}, now); err != nil {
			t.Fatal(err)
		}
		if err := models.DecideHeldBio(db, h.adaMod, h.bio.ID, true, h.approveAll, now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("second decision: %v", err)
		}
		if acct, _ := models.AccountByID(db, h.anna.ID); acct.Bio != "" {
			t.Fatalf("a rejected bio was published: %q", acct.Bio)
		}
		rejected, err := models.LastBioRejection(db, h.anna.ID, now.Add(-time.Second), now)
		if err != nil || rejected == nil || rejected.Note != "Not this." {
			t.Fatalf("rejection = %+v, %v", rejected, err)
		}

		if list, _ := models.HeldFor(db, h.annaMod, ""); len(list) != 0 {
			t.Fatal("the author sees her own edit in a queue")
		}
		list, err := models.HeldFor(db, h.galeMod, "")
		if err != nil || len(list) != 1 || list[0].Kind() != models.HeldEdit || list[0].CurrentHTML != "<p>the earlier text</p>" {
			t.Fatalf("group moderator's held = %+v, %v", list, err)
		}
		publish := func(tx *gorm.DB, held *models.HeldPost) (*models.Post, error) {
			p, err := models.PublishableForEdit(tx, held)
			if err != nil {
				return nil, err
			}
			return p, models.EditPost(tx, p, held.Body, held.BodyHTML, held.ContentWarning, now)
		}
		if _, err := models.DecideHeld(db, h.galeMod, h.edit.ID, true, h.approveAll, publish, now); err != nil {
			t.Fatal(err)
		}
		var p models.Post
		db.First(&p, h.post.ID)
		if p.Body != "call 0171 2345678" {
			t.Fatalf("post = %q", p.Body)
		}
		if _, err := models.DecideHeld(db, h.galeMod, h.edit.ID, true, h.approveAll, publish, now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("second decision: %v", err)
		}
	})
}

// TestHeldTextsGoWithTheAccount: erasing an account takes its held edits
// and its held bio along, whether its posts are kept or erased; the export
// carries the bio that waits.
func TestHeldTextsGoWithTheAccount(t *testing.T) {
	for _, erasePosts := range []bool{false, true} {
		t.Run(map[bool]string{false: "posts kept", true: "posts erased"}[erasePosts], func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *gorm.DB) {
				h := newHeldTexts(t, db)
				pd, err := models.PersonalDataOf(db, h.anna.ID)
				if err != nil || pd.PendingBio == nil || pd.PendingBio.Bio != "text me 0171 2345678" {
					t.Fatalf("export pending bio = %+v, %v", pd, err)
				}
				if err := models.EraseAccount(db, h.anna.ID, erasePosts, h.f.now); err != nil {
					t.Fatal(err)
				}
				if n := countRows(t, db, "held_posts", "author_id", h.anna.ID); n != 0 {
					t.Fatalf("erase posts %v: %d held edits left", erasePosts, n)
				}
				if n := countRows(t, db, "held_bios", "account_id", h.anna.ID); n != 0 {
					t.Fatalf("erase posts %v: the held bio is left", erasePosts)
				}
			})
		})
	}
}

// TestHeldEditOfErasedPost: an edit of a post erased since cannot be
// published, and the purge takes it within a day.
func TestHeldEditOfErasedPost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newHeldTexts(t, db)
		if err := models.ErasePost(db, h.post, h.f.now); err != nil {
			t.Fatal(err)
		}
		if _, err := models.PublishableForEdit(db, h.edit); !errors.Is(err, models.ErrHeldPostGone) {
			t.Fatalf("publishable after erasure: %v", err)
		}
		counts, err := models.Purge(db, h.f.now, models.DefaultSessionPolicy())
		if err != nil || counts.HeldEdits != 1 {
			t.Fatalf("purge = %+v, %v", counts, err)
		}
		if n := countRows(t, db, "held_posts", "post_id", h.post.ID); n != 0 {
			t.Fatal("the held edit of an erased post survived the purge")
		}
	})
}
