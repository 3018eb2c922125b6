package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

func seedRetention(t *testing.T, db *gorm.DB, now time.Time) {
	t.Helper()
	acct := &models.Account{Username: "keeper", UsernameSkeleton: "keeper", PasswordHash: "x", Role: models.RoleMember}
	if err := models.CreateAccount(db, acct); err != nil {
		t.Fatal(err)
	}
	old, fresh := now.Add(-25*time.Hour), now.Add(-time.Minute)
	p := models.DefaultSessionPolicy()
	rows := []any{
		&models.Session{AccountID: acct.ID, TokenHash: []byte("expired"), CreatedAt: old, LastActiveAt: now.Add(-time.Minute), ExpiresAt: now.Add(-time.Second)},
		&models.Session{AccountID: acct.ID, TokenHash: []byte("idle"), CreatedAt: fresh, LastActiveAt: now.Add(-p.Idle - time.Second), ExpiresAt: now.Add(time.Hour)},
		&models.Session{AccountID: acct.ID, TokenHash: []byte("live"), CreatedAt: fresh, LastActiveAt: fresh, ExpiresAt: now.Add(time.Hour)},
		&models.LoginChallenge{TokenHash: []byte("old"), ClientHash: []byte("c"), AccountKey: []byte("a"), CreatedAt: old, ExpiresAt: old.Add(5 * time.Minute)},
		&models.LoginChallenge{TokenHash: []byte("live"), ClientHash: []byte("c"), AccountKey: []byte("a"), CreatedAt: fresh, ExpiresAt: now.Add(4 * time.Minute)},
		&models.ThrottleRow{Scope: "account", KeyHash: []byte("old"), Failures: 3, UpdatedAt: old},
		&models.ThrottleRow{Scope: "account", KeyHash: []byte("live"), Failures: 3, UpdatedAt: fresh},
		&models.ClientHashKeyRow{Day: "2000-01-01", HashKey: []byte("k"), CreatedAt: old},
		&models.ClientHashKeyRow{Day: now.Format("2006-01-02"), HashKey: []byte("k"), CreatedAt: fresh},
		&models.SetupTokenRow{TokenHash: []byte("used"), CreatedAt: old, UsedAt: &fresh},
		&models.SetupTokenRow{TokenHash: []byte("unused"), CreatedAt: fresh},
		&models.SubmitTokenRow{TokenHash: []byte("old"), AccountID: acct.ID, CreatedAt: old},
		&models.SubmitTokenRow{TokenHash: []byte("live"), AccountID: acct.ID, CreatedAt: fresh},
		&models.Draft{IDHash: []byte("old"), Sealed: "x", CreatedAt: old},
		&models.Draft{IDHash: []byte("live"), Sealed: "x", CreatedAt: fresh},
	}
	for _, r := range rows {
		if err := db.Create(r).Error; err != nil {
			t.Fatalf("seed %T: %v", r, err)
		}
	}
}

// TestPurgeEnforcesRetention: the retention table in PRODUCT.md — sessions
// until expiry, challenges and throttling counters and client-hash keys 24
// hours at most, one-time tokens once used or stale — and nothing fresh is
// touched.
func TestPurgeEnforcesRetention(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) { testPurge(t, db) })
}

func testPurge(t *testing.T, db *gorm.DB) {
	now := time.Now().UTC()
	seedRetention(t, db, now)
	counts, err := models.Purge(db, now, models.DefaultSessionPolicy())
	if err != nil {
		t.Fatal(err)
	}
	want := models.PurgeCounts{Sessions: 2, Challenges: 1, Throttles: 1, ClientKeys: 1, SetupTokens: 1, SubmitTokens: 1, Drafts: 1}
	if counts != want {
		t.Fatalf("purged %+v, want %+v", counts, want)
	}
	for model, left := range map[any]int64{&models.Session{}: 1, &models.LoginChallenge{}: 1, &models.ThrottleRow{}: 1, &models.ClientHashKeyRow{}: 1, &models.SetupTokenRow{}: 1, &models.SubmitTokenRow{}: 1, &models.Draft{}: 1} {
		var n int64
		db.Model(model).Count(&n)
		if n != left {
			t.Errorf("%T: %d rows left, want %d", model, n, left)
		}
	}
	again, _ := models.Purge(db, now, models.DefaultSessionPolicy())
	if again != (models.PurgeCounts{}) {
		t.Fatalf("a second purge removed %+v", again)
	}
}
