package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
)

// ReplaceRecoveryCodes stores a new set of codes (hashed), discarding the
// old set, in one transaction.
func ReplaceRecoveryCodes(db *gorm.DB, accountID int64, codes []string, now time.Time) error {
	rows := make([]RecoveryCode, 0, len(codes))
	for _, code := range codes {
		hash, err := auth.HashRecoveryCode(code)
		if err != nil {
			return err
		}
		rows = append(rows, RecoveryCode{AccountID: accountID, CodeHash: hash, CreatedAt: now})
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("account_id = ?", accountID).Delete(&RecoveryCode{}).Error; err != nil {
			return fmt.Errorf("models: drop old recovery codes: %w", err)
		}
		if err := tx.Create(&rows).Error; err != nil {
			return fmt.Errorf("models: store recovery codes: %w", err)
		}
		return nil
	})
}

// UseRecoveryCode spends a matching unused code, atomically: a code works
// once, also when submitted twice at the same moment. ASVS 6.5.1.
func UseRecoveryCode(db *gorm.DB, accountID int64, code string, now time.Time) (bool, error) {
	var unused []RecoveryCode
	if err := db.Where("account_id = ? AND used_at IS NULL", accountID).Find(&unused).Error; err != nil {
		return false, fmt.Errorf("models: read recovery codes: %w", err)
	}
	for _, rc := range unused {
		if !auth.VerifyRecoveryCode(code, rc.CodeHash) {
			continue
		}
		res := db.Model(&RecoveryCode{}).Where("id = ? AND used_at IS NULL", rc.ID).Update("used_at", now)
		if res.Error != nil {
			return false, fmt.Errorf("models: spend recovery code: %w", res.Error)
		}
		return res.RowsAffected == 1, nil
	}
	return false, nil
}

// RecoveryCodesRemaining counts the account's unused codes.
func RecoveryCodesRemaining(db *gorm.DB, accountID int64) (int64, error) {
	var n int64
	err := db.Model(&RecoveryCode{}).Where("account_id = ? AND used_at IS NULL", accountID).Count(&n).Error
	return n, err
}
