package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RecoveryCode is one single-use recovery code, stored hashed with a salt.
type RecoveryCode struct {
	ID        int64
	AccountID int64
	CodeHash  string
	UsedAt    *time.Time
	CreatedAt time.Time
}

// TableName pins the table name.
func (RecoveryCode) TableName() string { return "recovery_codes" }

// Kinds of authentication event shown at /account/security.
const (
	EventSignIn          = "signin"
	EventSignInRecovery  = "signin_recovery"
	EventCodeFailed      = "code_failed"
	EventPasswordChanged = "password_changed"
	EventTOTPChanged     = "totp_changed"
	EventCodesRenewed    = "codes_renewed"
)

// AuthEvent is a sign-in or a failed attempt, with a coarse device label
// and never an address.
type AuthEvent struct {
	ID        int64
	AccountID int64
	Kind      string
	Device    string
	CreatedAt time.Time
}

// TableName pins the table name.
func (AuthEvent) TableName() string { return "auth_events" }

// Kinds of in-app notice.
const (
	NoticeCodeFailed     = "code_failed"
	NoticeNewDevice      = "new_device"
	NoticeRecoveryUsed   = "recovery_used"
	NoticeSecurityChange = "security_changed"
)

// Notice is an in-app message to a member (there is no e-mail).
type Notice struct {
	ID        int64
	AccountID int64
	Kind      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// TableName pins the table name.
func (Notice) TableName() string { return "notices" }

// AuditEntry is one line of the append-only audit log. The application
// offers no way to change or delete entries.
type AuditEntry struct {
	ID              int64
	ActorID         *int64
	Action          string
	TargetAccountID *int64
	Detail          string
	CreatedAt       time.Time
}

// TableName pins the table name.
func (AuditEntry) TableName() string { return "audit_log" }

// Audit appends an entry.
func Audit(db *gorm.DB, actorID *int64, action string, targetID *int64, detail string, now time.Time) error {
	if err := db.Create(&AuditEntry{ActorID: actorID, Action: action, TargetAccountID: targetID, Detail: detail, CreatedAt: now}).Error; err != nil {
		return fmt.Errorf("models: audit %s: %w", action, err)
	}
	return nil
}

// RecordEvent appends an authentication event for the member to review.
func RecordEvent(db *gorm.DB, accountID int64, kind, device string, now time.Time) error {
	return db.Create(&AuthEvent{AccountID: accountID, Kind: kind, Device: device, CreatedAt: now}).Error
}

// Notify leaves an in-app notice.
func Notify(db *gorm.DB, accountID int64, kind string, now time.Time) error {
	return db.Create(&Notice{AccountID: accountID, Kind: kind, CreatedAt: now}).Error
}

// RecentEvents lists the account's latest authentication events.
func RecentEvents(db *gorm.DB, accountID int64, limit int) ([]AuthEvent, error) {
	var list []AuthEvent
	err := db.Where("account_id = ?", accountID).Order("created_at DESC, id DESC").Limit(limit).Find(&list).Error
	return list, err
}

// UnreadNotices lists the account's unread notices, newest first.
func UnreadNotices(db *gorm.DB, accountID int64) ([]Notice, error) {
	var list []Notice
	err := db.Where("account_id = ? AND read_at IS NULL", accountID).Order("created_at DESC, id DESC").Find(&list).Error
	return list, err
}

// MarkNoticesRead marks every notice of the account read.
func MarkNoticesRead(db *gorm.DB, accountID int64, now time.Time) error {
	return db.Model(&Notice{}).Where("account_id = ? AND read_at IS NULL", accountID).Update("read_at", now).Error
}
