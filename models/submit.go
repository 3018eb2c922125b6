package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// submitToken makes a double submit of one form create one post: each form
// carries a one-time token; the first submit claims it and records the post,
// a second submit finds the post and goes to it.
type submitToken struct {
	TokenHash []byte `gorm:"primaryKey"`
	AccountID int64
	PostID    *int64
	CreatedAt time.Time
}

func (submitToken) TableName() string { return "submit_tokens" }

// ClaimSubmitToken claims the token for the account in the caller's
// transaction. It returns (0, true) for a first submit, and (postID, false)
// when the token was used before (postID 0 if that submit is still running
// or failed).
func ClaimSubmitToken(tx *gorm.DB, tokenHash []byte, accountID int64, now time.Time) (int64, bool, error) {
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&submitToken{TokenHash: tokenHash, AccountID: accountID, CreatedAt: now})
	if res.Error != nil {
		return 0, false, res.Error
	}
	if res.RowsAffected == 1 {
		return 0, true, nil
	}
	var t submitToken
	if err := tx.Where("token_hash = ? AND account_id = ?", tokenHash, accountID).Limit(1).Find(&t).Error; err != nil {
		return 0, false, err
	}
	if t.PostID == nil {
		return 0, false, nil
	}
	return *t.PostID, false, nil
}

// RecordSubmitToken stores which post the token made.
func RecordSubmitToken(tx *gorm.DB, tokenHash []byte, postID int64) error {
	return tx.Model(&submitToken{}).Where("token_hash = ?", tokenHash).Update("post_id", postID).Error
}
