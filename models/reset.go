package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ResetDelay is how long a requested reset waits for the member to cancel it.
const ResetDelay = 48 * time.Hour

// ResetLinkLifetime is how long the reset link works once made.
const ResetLinkLifetime = time.Hour

// Errors of the reset rules.
var (
	ErrResetPending      = errors.New("a reset is already pending for this account")
	ErrResetSelf         = errors.New("administrators cannot reset or approve a reset of their own account")
	ErrResetNotReady     = errors.New("the reset is not yet effective")
	ErrResetSameApprover = errors.New("a second administrator must approve")
)

// AccountReset is an administrator's request to reset a member's password
// and authenticator after verifying the person outside the forum. There is
// no e-mail reset: this delayed, cancellable, logged path is the only one.
type AccountReset struct {
	ID             int64
	AccountID      int64
	RequestedBy    *int64
	ApprovedBy     *int64
	CreatedAt      time.Time
	EffectiveAt    time.Time
	CancelledAt    *time.Time
	TokenHash      []byte
	TokenExpiresAt *time.Time
	UsedAt         *time.Time
}

// OpenReset is an open reset with its member's username, for the
// administrators' list.
type OpenReset struct {
	AccountReset
	Username string
}

// TableName pins the table name.
func (AccountReset) TableName() string { return "account_resets" }

// Effective reports whether the reset may yield its link at now.
func (r *AccountReset) Effective(now time.Time) bool {
	return r.CancelledAt == nil && r.UsedAt == nil && (r.ApprovedBy != nil || !now.Before(r.EffectiveAt))
}

// LinkLive reports whether a link was made and still works.
func (r *AccountReset) LinkLive(now time.Time) bool {
	return r.TokenExpiresAt != nil && now.Before(*r.TokenExpiresAt) && r.UsedAt == nil && r.CancelledAt == nil
}

// RequestReset records a request by an administrator; one open request per
// account at a time.
func RequestReset(db *gorm.DB, accountID, adminID int64, now time.Time) (*AccountReset, error) {
	if accountID == adminID {
		return nil, ErrResetSelf
	}
	if open, err := OpenResetFor(db, accountID); err != nil {
		return nil, err
	} else if open != nil {
		return nil, ErrResetPending
	}
	r := &AccountReset{AccountID: accountID, RequestedBy: &adminID, CreatedAt: now, EffectiveAt: now.Add(ResetDelay)}
	if err := db.Create(r).Error; err != nil {
		return nil, fmt.Errorf("models: request reset: %w", err)
	}
	return r, nil
}

// OpenResetFor returns the account's reset that is neither cancelled nor
// used, or nil.
func OpenResetFor(db *gorm.DB, accountID int64) (*AccountReset, error) {
	var list []AccountReset
	if err := db.Where("account_id = ? AND cancelled_at IS NULL AND used_at IS NULL", accountID).
		Order("id DESC").Limit(1).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: read resets: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// ResetByID loads a reset.
func ResetByID(db *gorm.DB, id int64) (*AccountReset, error) {
	var r AccountReset
	if err := db.First(&r, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// ResetsOpen lists every open reset with its member's username.
func ResetsOpen(db *gorm.DB) ([]OpenReset, error) {
	var list []OpenReset
	err := db.Table("account_resets").
		Select("account_resets.*, accounts.username AS username").
		Joins("JOIN accounts ON accounts.id = account_resets.account_id").
		Where("account_resets.cancelled_at IS NULL AND account_resets.used_at IS NULL").
		Order("account_resets.created_at DESC").Scan(&list).Error
	return list, err
}

// CancelReset cancels the account's open reset (by the member).
func CancelReset(db *gorm.DB, accountID int64, now time.Time) (bool, error) {
	res := db.Model(&AccountReset{}).Where("account_id = ? AND cancelled_at IS NULL AND used_at IS NULL", accountID).
		Update("cancelled_at", now)
	return res.RowsAffected > 0, res.Error
}

// ApproveReset makes a reset effective at once; the approver must be an
// administrator other than the requester and the member.
func ApproveReset(db *gorm.DB, r *AccountReset, approverID int64) error {
	if r.AccountID == approverID {
		return ErrResetSelf
	}
	if r.RequestedBy != nil && *r.RequestedBy == approverID {
		return ErrResetSameApprover
	}
	res := db.Model(&AccountReset{}).Where("id = ? AND cancelled_at IS NULL AND used_at IS NULL AND approved_by IS NULL", r.ID).
		Update("approved_by", approverID)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// SetResetLink stores the hash of a new one-hour link for an effective reset.
func SetResetLink(db *gorm.DB, r *AccountReset, tokenHash []byte, now time.Time) error {
	if !r.Effective(now) {
		return ErrResetNotReady
	}
	expires := now.Add(ResetLinkLifetime)
	return db.Model(&AccountReset{}).Where("id = ?", r.ID).
		Updates(map[string]any{"token_hash": tokenHash, "token_expires_at": expires}).Error
}

// ResetByToken finds the reset whose live link has this hash.
func ResetByToken(db *gorm.DB, tokenHash []byte, now time.Time) (*AccountReset, error) {
	var r AccountReset
	if err := db.Where("token_hash = ?", tokenHash).First(&r).Error; err != nil {
		return nil, notFound(err)
	}
	if !r.LinkLive(now) || !r.Effective(now) {
		return nil, ErrNotFound
	}
	return &r, nil
}

// CompleteReset sets the new password and removes the authenticator, the
// recovery codes and every session, in the caller's transaction: the member
// must enroll a new authenticator before anything else (a reset never
// bypasses the second factor; ASVS 6.4.3). False when the link was used
// meanwhile.
func CompleteReset(tx *gorm.DB, r *AccountReset, passwordHash string, now time.Time) (bool, error) {
	res := tx.Model(&AccountReset{}).Where("id = ? AND used_at IS NULL", r.ID).Update("used_at", now)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	if err := tx.Model(&Account{}).Where("id = ?", r.AccountID).Updates(map[string]any{
		"password_hash": passwordHash, "totp_secret": nil, "totp_pending": nil, "totp_last_step": 0,
		"totp_confirmed_at": nil, "recovery_codes_pending": nil, "recovery_codes_seen_at": nil, "updated_at": now,
	}).Error; err != nil {
		return false, err
	}
	if err := tx.Where("account_id = ?", r.AccountID).Delete(&RecoveryCode{}).Error; err != nil {
		return false, err
	}
	return true, tx.Where("account_id = ?", r.AccountID).Delete(&Session{}).Error
}
