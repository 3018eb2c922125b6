package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ResetSecondFactor gives the account a new sealed TOTP secret and makes it
// half-registered again, in one transaction: the secret is unconfirmed, the
// last accepted step and any pending enrollment are cleared, its recovery
// codes are deleted, its sign-ins in progress and all its sessions end
// (ASVS 7.4.3), it gets an in-app notice (ASVS 6.3.7) and the audit log an
// entry. The password stays. The next sign-in must confirm a code from the
// new secret and save new recovery codes. actorID nil means the command line.
func ResetSecondFactor(db *gorm.DB, accountID int64, sealedSecret string, actorID *int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Account{}).Where("id = ?", accountID).Updates(map[string]any{
			"totp_secret":            sealedSecret,
			"totp_pending":           nil,
			"totp_last_step":         0,
			"totp_confirmed_at":      nil,
			"recovery_codes_seen_at": nil,
			"updated_at":             now,
		})
		if res.Error != nil {
			return fmt.Errorf("models: reset second factor of account %d: %w", accountID, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.Where("account_id = ?", accountID).Delete(&RecoveryCode{}).Error; err != nil {
			return fmt.Errorf("models: delete recovery codes of account %d: %w", accountID, err)
		}
		if err := tx.Where("account_id = ?", accountID).Delete(&LoginChallenge{}).Error; err != nil {
			return fmt.Errorf("models: delete sign-in challenges of account %d: %w", accountID, err)
		}
		if err := DeleteOtherSessions(tx, accountID, 0); err != nil {
			return fmt.Errorf("models: end sessions of account %d: %w", accountID, err)
		}
		if err := Notify(tx, accountID, NoticeSecurityChange, now); err != nil {
			return fmt.Errorf("models: notify account %d: %w", accountID, err)
		}
		return Audit(tx, actorID, AuditAdminReset2FA, &accountID, "", now)
	})
}
