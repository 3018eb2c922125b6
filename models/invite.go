package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Invite lets people register while registration is by invitation. Only a
// hash of its code is stored; the code is shown once, when it is made.
type Invite struct {
	ID        int64
	CodeHash  []byte
	Hint      string
	MaxUses   int
	Uses      int
	CreatedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// TableName pins the table name.
func (Invite) TableName() string { return "invites" }

// Usable reports whether the invite can still be used at now.
func (i *Invite) Usable(now time.Time) bool {
	return i.RevokedAt == nil && i.Uses < i.MaxUses && now.Before(i.ExpiresAt)
}

// CreateInvite stores an invite.
func CreateInvite(db *gorm.DB, inv *Invite) error {
	if err := db.Create(inv).Error; err != nil {
		return fmt.Errorf("models: create invite: %w", err)
	}
	return nil
}

// InviteByCode finds a usable invite by its code hash.
func InviteByCode(db *gorm.DB, codeHash []byte, now time.Time) (*Invite, error) {
	var inv Invite
	if err := db.Where("code_hash = ?", codeHash).First(&inv).Error; err != nil {
		return nil, notFound(err)
	}
	if !inv.Usable(now) {
		return nil, ErrNotFound
	}
	return &inv, nil
}

// UseInvite spends one use of the invite atomically; false when it was used
// up, revoked or expired meanwhile. Call it in the sign-up transaction.
func UseInvite(db *gorm.DB, id int64, now time.Time) (bool, error) {
	res := db.Model(&Invite{}).
		Where("id = ? AND revoked_at IS NULL AND uses < max_uses AND expires_at > ?", id, now).
		Update("uses", gorm.Expr("uses + 1"))
	return res.RowsAffected == 1, res.Error
}

// Invites lists every invite, newest first.
func Invites(db *gorm.DB) ([]Invite, error) {
	var list []Invite
	err := db.Order("created_at DESC").Find(&list).Error
	return list, err
}

// RevokeInvite revokes an invite.
func RevokeInvite(db *gorm.DB, id int64, now time.Time) error {
	res := db.Model(&Invite{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
