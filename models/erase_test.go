package models_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// newAccount stores a fully enrolled account with one of everything that
// hangs on it: a session, recovery codes, an event, a notice, a sign-in
// challenge and an invite it made.
func newAccount(t *testing.T, db *gorm.DB, name, role string, now time.Time) *models.Account {
	t.Helper()
	secret := "sealed-" + name
	acct := &models.Account{Username: name, UsernameSkeleton: name, PasswordHash: "$argon2id$" + name, Role: role,
		TOTPSecret: &secret, TOTPConfirmedAt: &now, RecoveryCodesSeenAt: &now}
	if err := models.CreateAccount(db, acct); err != nil {
		t.Fatal(err)
	}
	if _, err := models.CreateSession(db, acct.ID, []byte("token-"+name), "Test browser", now, models.DefaultSessionPolicy()); err != nil {
		t.Fatal(err)
	}
	if err := models.ReplaceRecoveryCodes(db, acct.ID, []string{"aaaa-bbbb-" + name}, now); err != nil {
		t.Fatal(err)
	}
	if err := models.RecordEvent(db, acct.ID, models.EventSignIn, "Test browser", now); err != nil {
		t.Fatal(err)
	}
	if err := models.Notify(db, acct.ID, models.NoticeNewDevice, now); err != nil {
		t.Fatal(err)
	}
	if err := models.CreateChallenge(db, &models.LoginChallenge{TokenHash: []byte("challenge-" + name), AccountID: &acct.ID,
		ClientHash: []byte("c"), AccountKey: []byte("a"), CreatedAt: now, ExpiresAt: now.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.NewInvite(db, 1, time.Hour, &acct.ID, now); err != nil {
		t.Fatal(err)
	}
	return acct
}

func countRows(t *testing.T, db *gorm.DB, table, column string, id int64) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Where(column+" = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEraseAccountRemovesDependentRowsAndKeepsAuditID: with either choice,
// the account and every row hanging on it go (sessions too: ASVS 7.4.2),
// its invites stay without a creator, the audit log keeps "former member
// #N" — the old id, actor nil — and other accounts are untouched.
func TestEraseAccountRemovesDependentRowsAndKeepsAuditID(t *testing.T) {
	for _, erasePosts := range []bool{true, false} {
		name := "keep posts"
		if erasePosts {
			name = "erase posts"
		}
		t.Run(name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *gorm.DB) {
				now := time.Now().UTC().Truncate(time.Second)
				acct := newAccount(t, db, "anna", models.RoleMember, now)
				other := newAccount(t, db, "bea", models.RoleMember, now)

				if err := models.EraseAccount(db, acct.ID, erasePosts, now); err != nil {
					t.Fatalf("erasePosts=%v: %v", erasePosts, err)
				}
				for _, table := range []string{"sessions", "recovery_codes", "auth_events", "notices", "login_challenges"} {
					if n := countRows(t, db, table, "account_id", acct.ID); n != 0 {
						t.Errorf("%s: %d rows left", table, n)
					}
					if n := countRows(t, db, table, "account_id", other.ID); n != 1 {
						t.Errorf("%s of another account: %d rows, want 1", table, n)
					}
				}
				if _, err := models.AccountByID(db, acct.ID); !errors.Is(err, models.ErrNotFound) {
					t.Errorf("account still there: %v", err)
				}
				if n := countRows(t, db, "invites", "created_by", acct.ID); n != 0 {
					t.Errorf("invites still name the account: %d", n)
				}
				var invites int64
				db.Table("invites").Count(&invites)
				if invites != 2 {
					t.Errorf("invites = %d, want 2 (kept, creator forgotten)", invites)
				}
				var deleted models.AuditEntry
				if err := db.Where("action = ?", models.AuditAccountDeleted).First(&deleted).Error; err != nil {
					t.Fatal(err)
				}
				if deleted.ActorID != nil || deleted.TargetAccountID == nil || *deleted.TargetAccountID != acct.ID {
					t.Errorf("audit entry = %+v", deleted)
				}
				// NewInvite wrote an entry with the member as actor; it stays.
				if n := countRows(t, db, "audit_log", "actor_id", acct.ID); n != 1 {
					t.Errorf("audit entries by the member = %d, want 1", n)
				}
			})
		})
	}
}

// TestEraseAccountRefusesLastAdministrator: the only administrator with a
// confirmed second factor stays; an unconfirmed one does not count; with a
// second confirmed administrator, one may go.
func TestEraseAccountRefusesLastAdministrator(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		ada := newAccount(t, db, "ada", models.RoleAdmin, now)
		unconfirmed := &models.Account{Username: "ida", UsernameSkeleton: "ida", PasswordHash: "x", Role: models.RoleAdmin}
		if err := models.CreateAccount(db, unconfirmed); err != nil {
			t.Fatal(err)
		}
		if last, err := models.IsLastAdministrator(db, ada); err != nil || !last {
			t.Fatalf("IsLastAdministrator = %v, %v", last, err)
		}
		if err := models.EraseAccount(db, ada.ID, true, now); !errors.Is(err, models.ErrLastAdministrator) {
			t.Fatalf("err = %v, want ErrLastAdministrator", err)
		}
		if n := countRows(t, db, "sessions", "account_id", ada.ID); n != 1 {
			t.Fatal("the refusal deleted something")
		}
		// An unconfirmed administrator may always go.
		if err := models.EraseAccount(db, unconfirmed.ID, true, now); err != nil {
			t.Fatal(err)
		}
		grace := newAccount(t, db, "grace", models.RoleAdmin, now)
		if err := models.EraseAccount(db, ada.ID, false, now); err != nil {
			t.Fatal(err)
		}
		if err := models.EraseAccount(db, grace.ID, false, now); !errors.Is(err, models.ErrLastAdministrator) {
			t.Fatalf("err = %v, want ErrLastAdministrator", err)
		}
	})
}

// TestEraseAccountUnknownIsNotFound: erasing twice is ErrNotFound, and
// writes no second audit entry.
func TestEraseAccountUnknownIsNotFound(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		acct := newAccount(t, db, "anna", models.RoleMember, now)
		if err := models.EraseAccount(db, acct.ID, true, now); err != nil {
			t.Fatal(err)
		}
		if err := models.EraseAccount(db, acct.ID, true, now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
		if n := countRows(t, db, "audit_log", "target_account_id", acct.ID); n != 1 {
			t.Fatalf("audit entries = %d, want 1", n)
		}
	})
}
