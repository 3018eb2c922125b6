package models

import (
	"crypto/rand"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LoginChallenge is the state between the password step and the code step
// of a sign-in. It is created for every attempt, also for an unknown username
// or a wrong password (then AccountID is nil or PasswordOK false), so that the
// two steps reveal nothing until the code is checked.
type LoginChallenge struct {
	ID         int64
	TokenHash  []byte
	AccountID  *int64
	PasswordOK bool
	Attempts   int
	// ClientHash and AccountKey are the throttling keys of the attempt
	// (keyed hashes; see handlers/throttle.go).
	ClientHash []byte
	AccountKey []byte
	NextPath   string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// TableName pins the table name.
func (LoginChallenge) TableName() string { return "login_challenges" }

// MaxChallengeAttempts is how many codes one challenge accepts.
const MaxChallengeAttempts = 5

// ChallengeLifetime is how long the code step stays open.
const ChallengeLifetime = 5 * time.Minute

// CreateChallenge stores a challenge.
func CreateChallenge(db *gorm.DB, ch *LoginChallenge) error {
	if err := db.Create(ch).Error; err != nil {
		return fmt.Errorf("models: create sign-in challenge: %w", err)
	}
	return nil
}

// ChallengeByToken returns a live challenge; an expired or used-up one is
// ErrNotFound.
func ChallengeByToken(db *gorm.DB, tokenHash []byte, now time.Time) (*LoginChallenge, error) {
	var ch LoginChallenge
	if err := db.Where("token_hash = ?", tokenHash).First(&ch).Error; err != nil {
		return nil, notFound(err)
	}
	if !now.Before(ch.ExpiresAt) || ch.Attempts >= MaxChallengeAttempts {
		db.Delete(&LoginChallenge{}, ch.ID)
		return nil, ErrNotFound
	}
	return &ch, nil
}

// CountChallengeAttempt spends one of the challenge's attempts, atomically;
// false means none was left.
func CountChallengeAttempt(db *gorm.DB, id int64) (bool, error) {
	res := db.Model(&LoginChallenge{}).Where("id = ? AND attempts < ?", id, MaxChallengeAttempts).
		Update("attempts", gorm.Expr("attempts + 1"))
	return res.RowsAffected == 1, res.Error
}

// DeleteChallenge removes a challenge once it is used.
func DeleteChallenge(db *gorm.DB, id int64) error {
	return db.Delete(&LoginChallenge{}, id).Error
}

// throttle counts failures for one key: an account, or an account together
// with a client (a keyed hash of its address).
type throttle struct {
	Scope        string `gorm:"primaryKey"`
	KeyHash      []byte `gorm:"primaryKey"`
	Failures     int
	BlockedUntil *time.Time
	UpdatedAt    time.Time
}

func (throttle) TableName() string { return "throttles" }

// ThrottleRule says how many failures are free and how the delay grows.
type ThrottleRule struct {
	Scope string
	// Free failures before any delay.
	Free int
	// Base is the first delay; it doubles with each further failure up to Max.
	Base, Max time.Duration
}

// ThrottledUntil returns when the key may try again (zero when it may now).
func ThrottledUntil(db *gorm.DB, scope string, key []byte, now time.Time) (time.Time, error) {
	var t throttle
	err := db.Where("scope = ? AND key_hash = ?", scope, key).Limit(1).Find(&t).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("models: read throttle: %w", err)
	}
	if t.BlockedUntil != nil && now.Before(*t.BlockedUntil) {
		return *t.BlockedUntil, nil
	}
	return time.Time{}, nil
}

// RecordFailure counts one failure for the key and sets its next delay.
func RecordFailure(db *gorm.DB, rule ThrottleRule, key []byte, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		row := throttle{Scope: rule.Scope, KeyHash: key, Failures: 1, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "scope"}, {Name: "key_hash"}},
			DoUpdates: clause.Assignments(map[string]any{
				"failures":   gorm.Expr("throttles.failures + 1"),
				"updated_at": now,
			}),
		}).Create(&row).Error; err != nil {
			return fmt.Errorf("models: count failure: %w", err)
		}
		var failures int
		if err := tx.Model(&throttle{}).Where("scope = ? AND key_hash = ?", rule.Scope, key).
			Pluck("failures", &failures).Error; err != nil {
			return err
		}
		if failures <= rule.Free {
			return nil
		}
		delay := rule.Base
		for i := rule.Free + 1; i < failures && delay < rule.Max; i++ {
			delay *= 2
		}
		until := now.Add(min(delay, rule.Max))
		return tx.Model(&throttle{}).Where("scope = ? AND key_hash = ?", rule.Scope, key).
			Update("blocked_until", until).Error
	})
}

// ClearThrottle forgets the failures of a key after a success.
func ClearThrottle(db *gorm.DB, scope string, key []byte) error {
	return db.Where("scope = ? AND key_hash = ?", scope, key).Delete(&throttle{}).Error
}

// clientHashKey is the random key of one UTC day under which client
// addresses are hashed; it is deleted after 24 hours, so yesterday's hashes
// can no longer be linked to an address.
type clientHashKey struct {
	ID        int64
	Day       string
	HashKey   []byte
	CreatedAt time.Time
}

func (clientHashKey) TableName() string { return "client_hash_keys" }

// ClientHashKey returns today's key, creating it when this is the first
// request of the day (on every instance the same key: it lives in the
// database).
func ClientHashKey(db *gorm.DB, now time.Time) ([]byte, error) {
	day := now.UTC().Format("2006-01-02")
	var k clientHashKey
	if err := db.Where("day = ?", day).Limit(1).Find(&k).Error; err != nil {
		return nil, fmt.Errorf("models: read client hash key: %w", err)
	}
	if k.ID != 0 {
		return k.HashKey, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&clientHashKey{Day: day, HashKey: fresh, CreatedAt: now}).Error; err != nil {
		return nil, fmt.Errorf("models: create client hash key: %w", err)
	}
	if err := db.Where("day = ?", day).First(&k).Error; err != nil {
		return nil, fmt.Errorf("models: read client hash key: %w", err)
	}
	return k.HashKey, nil
}
