package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// setupToken is the one-time link that creates the first administrator.
type setupToken struct {
	ID        int64
	TokenHash []byte
	CreatedAt time.Time
	UsedAt    *time.Time
}

func (setupToken) TableName() string { return "setup_tokens" }

// ReplaceSetupToken drops every unused setup token and stores a new one: only
// the link printed at the latest start works.
func ReplaceSetupToken(db *gorm.DB, tokenHash []byte, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("used_at IS NULL").Delete(&setupToken{}).Error; err != nil {
			return fmt.Errorf("models: drop old setup tokens: %w", err)
		}
		return tx.Create(&setupToken{TokenHash: tokenHash, CreatedAt: now}).Error
	})
}

// SetupTokenValid reports whether the token is an unused setup token and no
// administrator exists yet.
func SetupTokenValid(db *gorm.DB, tokenHash []byte) (bool, error) {
	admins, err := AdminCount(db, false)
	if err != nil || admins > 0 {
		return false, err
	}
	var n int64
	err = db.Model(&setupToken{}).Where("token_hash = ? AND used_at IS NULL", tokenHash).Count(&n).Error
	return n == 1, err
}

// UseSetupToken marks the token used, atomically: of two simultaneous uses,
// only one succeeds. Call it inside the transaction that creates the admin.
func UseSetupToken(db *gorm.DB, tokenHash []byte, now time.Time) (bool, error) {
	res := db.Model(&setupToken{}).Where("token_hash = ? AND used_at IS NULL", tokenHash).Update("used_at", now)
	return res.RowsAffected == 1, res.Error
}
