package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// BarredPassLife is how long the appeal form at sign-in stays usable.
const BarredPassLife = 30 * time.Minute

// BarredPass lets a suspended or banned member, who has just passed both
// factors of sign-in but gets no session, appeal the suspension or ban in
// force (ActionID) — and nothing else. Only the SHA-256 of its token is
// stored; it is deleted once used and purged once expired.
type BarredPass struct {
	ID        int64
	TokenHash []byte
	AccountID int64
	ActionID  int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// TableName pins the table name.
func (BarredPass) TableName() string { return "barred_passes" }

// IssueBarredPass stores a pass to appeal the decision. An earlier pass of
// the account ends: one sign-in at a time may appeal.
func IssueBarredPass(db *gorm.DB, accountID, actionID int64, tokenHash []byte, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("account_id = ?", accountID).Delete(&BarredPass{}).Error; err != nil {
			return fmt.Errorf("models: end appeal passes of account %d: %w", accountID, err)
		}
		p := &BarredPass{TokenHash: tokenHash, AccountID: accountID, ActionID: actionID, CreatedAt: now, ExpiresAt: now.Add(BarredPassLife)}
		if err := tx.Create(p).Error; err != nil {
			return fmt.Errorf("models: issue appeal pass for account %d: %w", accountID, err)
		}
		return nil
	})
}

// BarredPassByToken returns a live pass; an unknown or expired one is
// ErrNotFound.
func BarredPassByToken(db *gorm.DB, tokenHash []byte, now time.Time) (*BarredPass, error) {
	var p BarredPass
	if err := db.Where("token_hash = ? AND expires_at > ?", tokenHash, now).First(&p).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// FileBarredAppeal files the appeal the pass allows and spends the pass, in
// one transaction. A pass used or expired meanwhile is ErrNotFound; a refused
// appeal (ErrAppealClosed, ErrAppealTaken) keeps it.
func FileBarredAppeal(db *gorm.DB, p *BarredPass, body string, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND expires_at > ?", p.ID, now).Delete(&BarredPass{})
		if res.Error != nil {
			return fmt.Errorf("models: spend appeal pass: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return FileAppeal(tx, p.AccountID, p.ActionID, body, now)
	})
}
