package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Roles an account can hold.
const (
	RoleMember = "member"
	RoleAdmin  = "admin"
)

// ErrUsernameTaken is returned when the username or a look-alike of it exists.
var ErrUsernameTaken = errors.New("username taken")

// Account is a pseudonymous member: no e-mail, no real name.
type Account struct {
	ID               int64
	Username         string
	UsernameSkeleton string
	PasswordHash     string
	Role             string
	// TOTPSecret is sealed under the secret key (internal/secrets).
	TOTPSecret *string `gorm:"column:totp_secret"`
	// TOTPPending is a sealed secret being enrolled to replace TOTPSecret.
	TOTPPending *string `gorm:"column:totp_pending"`
	// TOTPLastStep is the last accepted time step; only a later one is
	// accepted, which is what prevents replay.
	TOTPLastStep    int64      `gorm:"column:totp_last_step"`
	TOTPConfirmedAt *time.Time `gorm:"column:totp_confirmed_at"`
	// RecoveryCodesPending holds freshly made recovery codes, sealed, until
	// the member confirms having saved them; then it is cleared.
	RecoveryCodesPending *string
	RecoveryCodesSeenAt  *time.Time
	Language             string
	TimeZone             string
	Discreet             bool
	// Bio is the optional short text on the member's profile.
	Bio string
	// ExpandWarnings opens every post behind a content warning at once.
	ExpandWarnings bool
	// SuspendedUntil and BannedAt are set by moderators (models/moderation.go);
	// SanctionNote is the moderator's note the member reads at sign-in.
	SuspendedUntil *time.Time
	BannedAt       *time.Time
	SanctionNote   string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName pins the table name.
func (Account) TableName() string { return "accounts" }

// HalfRegistered reports whether the account has not yet confirmed a second
// factor and saved its recovery codes: it may do nothing but enroll.
func (a *Account) HalfRegistered() bool {
	return a.TOTPConfirmedAt == nil || a.RecoveryCodesSeenAt == nil
}

// Barred reports whether the account may not sign in now: banned, or
// suspended until a later time.
func (a *Account) Barred(now time.Time) bool {
	return a.BannedAt != nil || (a.SuspendedUntil != nil && now.Before(*a.SuspendedUntil))
}

// IsAdmin reports whether the account administers the site.
func (a *Account) IsAdmin() bool { return a.Role == RoleAdmin }

// CreateAccount inserts a new account, refusing a username whose canonical
// form or confusables skeleton exists already.
func CreateAccount(db *gorm.DB, acct *Account) error {
	var taken int64
	if err := db.Model(&Account{}).
		Where("username = ? OR username_skeleton = ?", acct.Username, acct.UsernameSkeleton).
		Count(&taken).Error; err != nil {
		return fmt.Errorf("models: check username: %w", err)
	}
	if taken > 0 {
		return ErrUsernameTaken
	}
	if acct.Role == "" {
		acct.Role = RoleMember
	}
	if err := db.Create(acct).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrUsernameTaken
		}
		return fmt.Errorf("models: create account: %w", err)
	}
	return nil
}

// AccountByID loads an account.
func AccountByID(db *gorm.DB, id int64) (*Account, error) {
	var acct Account
	if err := db.First(&acct, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &acct, nil
}

// AccountByUsername loads an account by its canonical username.
func AccountByUsername(db *gorm.DB, canonical string) (*Account, error) {
	var acct Account
	if err := db.Where("username = ?", canonical).First(&acct).Error; err != nil {
		return nil, notFound(err)
	}
	return &acct, nil
}

// UsernameTaken reports whether the canonical name or its skeleton exists.
func UsernameTaken(db *gorm.DB, canonical, skeleton string) (bool, error) {
	var n int64
	err := db.Model(&Account{}).Where("username = ? OR username_skeleton = ?", canonical, skeleton).Count(&n).Error
	return n > 0, err
}

// AdminCount counts administrators with a confirmed second factor, or all
// administrators when confirmedOnly is false.
func AdminCount(db *gorm.DB, confirmedOnly bool) (int64, error) {
	q := db.Model(&Account{}).Where("role = ?", RoleAdmin)
	if confirmedOnly {
		q = q.Where("totp_confirmed_at IS NOT NULL")
	}
	var n int64
	err := q.Count(&n).Error
	return n, err
}

// AcceptTOTPStep records step as used if it is later than the last accepted
// one, atomically: of two simultaneous submissions of one code, only one
// updates a row. ASVS 6.5.1.
func AcceptTOTPStep(db *gorm.DB, accountID, step int64) (bool, error) {
	res := db.Model(&Account{}).
		Where("id = ? AND totp_last_step < ?", accountID, step).
		Update("totp_last_step", step)
	if res.Error != nil {
		return false, fmt.Errorf("models: accept TOTP step: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SetTOTPPending stores a sealed secret being enrolled.
func SetTOTPPending(db *gorm.DB, accountID int64, sealed *string) error {
	return db.Model(&Account{}).Where("id = ?", accountID).Update("totp_pending", sealed).Error
}

// ConfirmTOTP makes the sealed secret the account's authenticator, records
// the matched step (so the enrolling code cannot be replayed), and stores the
// sealed new recovery codes until the member confirms having saved them.
// Conditional on the step like AcceptTOTPStep: false means a replay.
func ConfirmTOTP(db *gorm.DB, accountID int64, sealedSecret string, step int64, sealedCodes string, now time.Time) (bool, error) {
	res := db.Model(&Account{}).Where("id = ? AND totp_last_step < ?", accountID, step).Updates(map[string]any{
		"totp_secret":            sealedSecret,
		"totp_pending":           nil,
		"totp_last_step":         step,
		"totp_confirmed_at":      now,
		"recovery_codes_pending": sealedCodes,
		"recovery_codes_seen_at": nil,
		"updated_at":             now,
	})
	if res.Error != nil {
		return false, fmt.Errorf("models: confirm TOTP: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SetRecoveryCodesPending stores new sealed codes to be shown once.
func SetRecoveryCodesPending(db *gorm.DB, accountID int64, sealedCodes string, now time.Time) error {
	return db.Model(&Account{}).Where("id = ?", accountID).Updates(map[string]any{
		"recovery_codes_pending": sealedCodes, "recovery_codes_seen_at": nil, "updated_at": now,
	}).Error
}

// ConfirmRecoveryCodesSaved forgets the shown codes (only their hashes stay).
func ConfirmRecoveryCodesSaved(db *gorm.DB, accountID int64, now time.Time) error {
	return db.Model(&Account{}).Where("id = ?", accountID).Updates(map[string]any{
		"recovery_codes_pending": nil, "recovery_codes_seen_at": now, "updated_at": now,
	}).Error
}

// SetPasswordHash replaces the password hash (change or rehash).
func SetPasswordHash(db *gorm.DB, accountID int64, hash string, now time.Time) error {
	return db.Model(&Account{}).Where("id = ?", accountID).
		Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error
}

// MemberSettings are the settings a member changes at /account/settings.
type MemberSettings struct {
	Language, TimeZone, Bio  string
	Discreet, ExpandWarnings bool
}

// SaveMemberSettings stores a member's own settings.
func SaveMemberSettings(db *gorm.DB, accountID int64, s MemberSettings, now time.Time) error {
	return db.Model(&Account{}).Where("id = ?", accountID).Updates(map[string]any{
		"language": s.Language, "time_zone": s.TimeZone, "discreet": s.Discreet,
		"expand_warnings": s.ExpandWarnings, "bio": s.Bio, "updated_at": now,
	}).Error
}
