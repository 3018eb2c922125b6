package models_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestBarredPassLifecycle: a pass is found by its token hash while it lives;
// a new one ends the old; filing the appeal spends it, so it works once; an
// expired one is refused and purged, a live one kept.
func TestBarredPassLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		admin := modAccount(t, db, "coordinator", models.RoleAdmin)
		anna := modAccount(t, db, "anna", models.RoleMember)
		m, err := models.ModOf(db, admin)
		if err != nil {
			t.Fatal(err)
		}
		until := now.Add(7 * 24 * time.Hour)
		in := models.ActionInput{Action: models.ModSuspend, Reason: "rules", Note: "A week off.", Until: &until}
		if err := models.MemberAction(db, m, anna.ID, nil, in, now); err != nil {
			t.Fatal(err)
		}
		anna, _ = models.AccountByID(db, anna.ID)
		d, err := models.SanctionInForce(db, anna, now)
		if err != nil || d == nil || !d.CanAppeal || d.Note != "A week off." {
			t.Fatalf("sanction in force = %+v, %v", d, err)
		}

		if err := models.IssueBarredPass(db, anna.ID, d.ID, []byte("first"), now); err != nil {
			t.Fatal(err)
		}
		if err := models.IssueBarredPass(db, anna.ID, d.ID, []byte("second"), now); err != nil {
			t.Fatal(err)
		}
		if _, err := models.BarredPassByToken(db, []byte("first"), now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an earlier pass still works: %v", err)
		}
		if _, err := models.BarredPassByToken(db, []byte("second"), now.Add(models.BarredPassLife)); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an expired pass works: %v", err)
		}
		p, err := models.BarredPassByToken(db, []byte("second"), now)
		if err != nil {
			t.Fatal(err)
		}
		if err := models.FileBarredAppeal(db, p, "It was not me.", now); err != nil {
			t.Fatal(err)
		}
		if err := models.FileBarredAppeal(db, p, "Again.", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a spent pass filed again: %v", err)
		}
		d, _ = models.SanctionInForce(db, anna, now)
		if d.AppealID == nil || d.CanAppeal || d.AppealBody != "It was not me." {
			t.Fatalf("after the appeal: %+v", d)
		}

		// Retention: an expired pass goes, a live one stays.
		for _, hash := range []string{"old", "live"} {
			if err := db.Create(&models.BarredPass{TokenHash: []byte(hash), AccountID: anna.ID, ActionID: d.ID,
				CreatedAt: now, ExpiresAt: now.Add(models.BarredPassLife)}).Error; err != nil {
				t.Fatal(err)
			}
		}
		db.Model(&models.BarredPass{}).Where("token_hash = ?", []byte("old")).Update("expires_at", now.Add(-time.Second))
		counts, err := models.Purge(db, now, models.DefaultSessionPolicy())
		if err != nil || counts.BarredPasses != 1 {
			t.Fatalf("purged %d passes (%v), want 1", counts.BarredPasses, err)
		}
		if _, err := models.BarredPassByToken(db, []byte("live"), now); err != nil {
			t.Fatalf("the live pass was purged: %v", err)
		}
	})
}

// TestOverturnLiftsTheSanctionInForce: overturning a suspension that a ban
// followed leaves the ban standing; overturning the ban then opens the
// account; the note goes with it.
func TestOverturnLiftsTheSanctionInForce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		admin := modAccount(t, db, "coordinator", models.RoleAdmin)
		admin2 := modAccount(t, db, "steward", models.RoleAdmin)
		anna := modAccount(t, db, "anna", models.RoleMember)
		actor, _ := models.ModOf(db, admin)
		decider, _ := models.ModOf(db, admin2)
		until := now.Add(7 * 24 * time.Hour)
		suspend := models.ActionInput{Action: models.ModSuspend, Reason: "rules", Note: "A week off.", Until: &until}
		ban := models.ActionInput{Action: models.ModBan, Reason: "rules", Note: "Closed."}
		if err := models.MemberAction(db, actor, anna.ID, nil, suspend, now); err != nil {
			t.Fatal(err)
		}
		if err := models.MemberAction(db, actor, anna.ID, nil, ban, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		overturn := func(action string) *models.Account {
			t.Helper()
			var act models.ModAction
			if err := db.Where("target_id = ? AND action = ?", anna.ID, action).First(&act).Error; err != nil {
				t.Fatal(err)
			}
			if err := models.FileAppeal(db, anna.ID, act.ID, "Please look again.", now.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			var ap models.Appeal
			db.Where("action_id = ?", act.ID).First(&ap)
			in := models.ActionInput{Reason: "mistake"}
			if err := models.DecideAppeal(db, decider, ap.ID, true, in, now.Add(3*time.Minute)); err != nil {
				t.Fatal(err)
			}
			acct, _ := models.AccountByID(db, anna.ID)
			return acct
		}
		acct := overturn(models.ModSuspend)
		if !acct.Barred(now) || acct.BannedAt == nil || acct.SanctionNote != "Closed." {
			t.Fatalf("after overturning the suspension: banned_at %v, note %q", acct.BannedAt, acct.SanctionNote)
		}
		if d, err := models.SanctionInForce(db, acct, now); err != nil || d == nil || d.Action != models.ModBan || !d.CanAppeal {
			t.Fatalf("sanction in force after overturning the suspension: %+v, %v", d, err)
		}
		acct = overturn(models.ModBan)
		if acct.Barred(now) || acct.SuspendedUntil != nil || acct.SanctionNote != "" {
			t.Fatalf("after overturning the ban: suspended_until %v, banned_at %v, note %q", acct.SuspendedUntil, acct.BannedAt, acct.SanctionNote)
		}
	})
}

// TestOverturnRestoresTheEarlierSuspension: a longer suspension overturned
// leaves the shorter one before it in force, and that one is what the page
// at sign-in offers to appeal.
func TestOverturnRestoresTheEarlierSuspension(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		admin := modAccount(t, db, "coordinator", models.RoleAdmin)
		admin2 := modAccount(t, db, "steward", models.RoleAdmin)
		anna := modAccount(t, db, "anna", models.RoleMember)
		actor, _ := models.ModOf(db, admin)
		decider, _ := models.ModOf(db, admin2)
		week, month := now.Add(7*24*time.Hour), now.Add(30*24*time.Hour)
		for i, until := range []*time.Time{&week, &month} {
			in := models.ActionInput{Action: models.ModSuspend, Reason: "rules", Note: fmt.Sprint("note ", i), Until: until}
			if err := models.MemberAction(db, actor, anna.ID, nil, in, now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		acct, _ := models.AccountByID(db, anna.ID)
		longer, err := models.SanctionInForce(db, acct, now)
		if err != nil || longer.Note != "note 1" {
			t.Fatalf("sanction in force = %+v, %v", longer, err)
		}
		if err := models.FileAppeal(db, anna.ID, longer.ID, "Too long.", now); err != nil {
			t.Fatal(err)
		}
		var ap models.Appeal
		db.Where("action_id = ?", longer.ID).First(&ap)
		if err := models.DecideAppeal(db, decider, ap.ID, true, models.ActionInput{Reason: "too long"}, now); err != nil {
			t.Fatal(err)
		}
		acct, _ = models.AccountByID(db, anna.ID)
		if acct.SuspendedUntil == nil || acct.SuspendedUntil.Sub(week).Abs() > time.Second || acct.SanctionNote != "note 0" {
			t.Fatalf("after the overturn: suspended until %v, note %q", acct.SuspendedUntil, acct.SanctionNote)
		}
		d, err := models.SanctionInForce(db, acct, now)
		if err != nil || d == nil || d.Note != "note 0" || !d.CanAppeal {
			t.Fatalf("sanction in force after the overturn: %+v, %v", d, err)
		}
	})
}
