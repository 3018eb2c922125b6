package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ReactionKinds is the small fixed set of support reactions, in display
// order.
func ReactionKinds() []string { return []string{"support", "metoo", "thanks"} }

// ValidReaction reports whether kind is one of ReactionKinds.
func ValidReaction(kind string) bool {
	for _, k := range ReactionKinds() {
		if k == kind {
			return true
		}
	}
	return false
}

// Reaction is one member's support reaction to a post. Who reacted is never
// shown to other members: only counts leave this package.
type Reaction struct {
	PostID    int64  `gorm:"primaryKey"`
	AccountID int64  `gorm:"primaryKey"`
	Kind      string `gorm:"primaryKey"`
	CreatedAt time.Time
}

// TableName pins the table name.
func (Reaction) TableName() string { return "reactions" }

// ToggleReaction adds the reaction, or removes it when it exists.
func ToggleReaction(db *gorm.DB, postID, accountID int64, kind string, now time.Time) (added bool, err error) {
	res := db.Where("post_id = ? AND account_id = ? AND kind = ?", postID, accountID, kind).Delete(&Reaction{})
	if res.Error != nil || res.RowsAffected > 0 {
		return false, res.Error
	}
	err = db.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Reaction{PostID: postID, AccountID: accountID, Kind: kind, CreatedAt: now}).Error
	return err == nil, err
}

// ReactionCounts are the counts per kind for each post, and which kinds the
// reader gave.
type ReactionCounts struct {
	Counts map[string]int
	Mine   map[string]bool
}

// ReactionsFor returns the counts for the posts in one query.
func ReactionsFor(db *gorm.DB, postIDs []int64, readerID int64) (map[int64]*ReactionCounts, error) {
	out := make(map[int64]*ReactionCounts, len(postIDs))
	if len(postIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PostID int64
		Kind   string
		N      int
		Mine   int
	}
	err := db.Table("reactions").
		Select("post_id, kind, COUNT(*) AS n, SUM(CASE WHEN account_id = ? THEN 1 ELSE 0 END) AS mine", readerID).
		Where("post_id IN ?", postIDs).Group("post_id, kind").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		rc := out[r.PostID]
		if rc == nil {
			rc = &ReactionCounts{Counts: map[string]int{}, Mine: map[string]bool{}}
			out[r.PostID] = rc
		}
		rc.Counts[r.Kind] = r.N
		rc.Mine[r.Kind] = r.Mine > 0
	}
	return out, nil
}
