package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	ID           int64
	AccountID    int64
	TokenHash    []byte
	Device       string
	CreatedAt    time.Time
	LastActiveAt time.Time
	ExpiresAt    time.Time
	// Account is filled only by SessionByToken, which reads both in one
	// statement on every signed-in request.
	Account *Account `gorm:"foreignKey:AccountID" json:"-"`
}

// TableName pins the table name.
func (Session) TableName() string { return "sessions" }

// SessionPolicy holds the idle timeout and absolute lifetime.
type SessionPolicy struct {
	Idle, Absolute time.Duration
}

// DefaultSessionPolicy is 30 minutes idle, 12 hours absolute.
func DefaultSessionPolicy() SessionPolicy {
	return SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}
}

// CreateSession stores a new session for the account.
func CreateSession(db *gorm.DB, accountID int64, tokenHash []byte, device string, now time.Time, p SessionPolicy) (*Session, error) {
	s := &Session{
		AccountID:    accountID,
		TokenHash:    tokenHash,
		Device:       device,
		CreatedAt:    now,
		LastActiveAt: now,
		ExpiresAt:    now.Add(p.Absolute),
	}
	if err := db.Create(s).Error; err != nil {
		return nil, fmt.Errorf("models: create session: %w", err)
	}
	return s, nil
}

// SessionByToken returns the live session and its account for a token hash.
// An idle or expired session is deleted and reported as ErrNotFound (ASVS
// 7.3.1, 7.3.2). LastActiveAt is written at most once a minute.
func SessionByToken(db *gorm.DB, tokenHash []byte, now time.Time, p SessionPolicy) (*Session, *Account, error) {
	var s Session
	if err := db.Joins("Account").Where("sessions.token_hash = ?", tokenHash).First(&s).Error; err != nil {
		return nil, nil, notFound(err)
	}
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastActiveAt) >= p.Idle {
		db.Delete(&Session{}, s.ID)
		return nil, nil, ErrNotFound
	}
	acct := s.Account
	if acct == nil {
		return nil, nil, ErrNotFound
	}
	s.Account = nil
	if now.Sub(s.LastActiveAt) >= time.Minute {
		if err := db.Model(&Session{}).Where("id = ?", s.ID).Update("last_active_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("models: touch session: %w", err)
		}
		s.LastActiveAt = now
	}
	return &s, acct, nil
}

// DeleteSession ends one session (sign-out). ASVS 7.4.1.
func DeleteSession(db *gorm.DB, id int64) error {
	return db.Delete(&Session{}, id).Error
}

// DeleteSessionOf ends one of the account's sessions; another account's
// session id is ErrNotFound.
func DeleteSessionOf(db *gorm.DB, accountID, sessionID int64) error {
	res := db.Where("account_id = ? AND id = ?", accountID, sessionID).Delete(&Session{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteOtherSessions ends every session of the account but keepID (0 ends
// them all). ASVS 7.4.3.
func DeleteOtherSessions(db *gorm.DB, accountID, keepID int64) error {
	return db.Where("account_id = ? AND id <> ?", accountID, keepID).Delete(&Session{}).Error
}

// SessionsOf lists the account's sessions, newest activity first.
func SessionsOf(db *gorm.DB, accountID int64) ([]Session, error) {
	var list []Session
	err := db.Where("account_id = ?", accountID).Order("last_active_at DESC").Find(&list).Error
	return list, err
}
