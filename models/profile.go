package models

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Profile is what members see of another member: the pseudonym, the month
// joined and an optional short bio — no avatar, no online status, no "last
// seen", no list of groups.
type Profile struct {
	ID        int64
	Username  string
	Bio       string
	CreatedAt time.Time
	Blocked   bool // the reader has blocked this member
	// PendingBio is the member's own new bio waiting for review: only she
	// reads it here (everyone else reads Bio, the earlier one).
	PendingBio string
}

// ProfileFor returns the profile of username for the reader, only when the
// two share a group (or the reader is staff, or it is the reader's own).
// Everyone else gets ErrNotFound, so that a profile page cannot confirm that
// someone is a member.
func ProfileFor(db *gorm.DB, r Reader, username string) (*Profile, error) {
	var p Profile
	if err := db.Model(&Account{}).Select("id, username, bio, created_at").
		Where("username = ?", username).First(&p).Error; err != nil {
		return nil, notFound(err)
	}
	if p.ID != r.AccountID && !r.Staff() {
		shared, err := ShareAGroup(db, r.AccountID, p.ID)
		if err != nil {
			return nil, err
		}
		if !shared {
			return nil, ErrNotFound
		}
	}
	blocked, err := HasBlocked(db, r.AccountID, p.ID)
	if err != nil {
		return nil, err
	}
	p.Blocked = blocked
	if p.ID == r.AccountID {
		pending, err := PendingBio(db, p.ID)
		if err != nil {
			return nil, err
		}
		if pending != nil {
			p.PendingBio = pending.Bio
		}
	}
	return &p, nil
}

// ShareAGroup reports whether two accounts are members of a common group.
func ShareAGroup(db *gorm.DB, a, b int64) (bool, error) {
	var n int64
	err := db.Table("group_members AS x").
		Joins("JOIN group_members AS y ON y.group_id = x.group_id AND y.account_id = ?", b).
		Where("x.account_id = ?", a).Count(&n).Error
	return n > 0, err
}

// SetBio saves the member's short bio.
func SetBio(db *gorm.DB, accountID int64, bio string, now time.Time) error {
	return db.Model(&Account{}).Where("id = ?", accountID).Updates(map[string]any{"bio": bio, "updated_at": now}).Error
}

// Block is one member blocking another. Blocking works both ways: the
// blocker sees the other's posts folded; the blocked member no longer sees
// the blocker's posts and is never told; neither can mention or react to the
// other.
type Block struct {
	BlockerID int64 `gorm:"primaryKey"`
	BlockedID int64 `gorm:"primaryKey"`
	CreatedAt time.Time
}

// TableName pins the table name.
func (Block) TableName() string { return "blocks" }

// AddBlock records a block (idempotent).
func AddBlock(db *gorm.DB, blocker, blocked int64, now time.Time) error {
	if blocker == blocked {
		return ErrNotAllowed
	}
	return db.Clauses(clause.OnConflict{DoNothing: true}).Create(&Block{BlockerID: blocker, BlockedID: blocked, CreatedAt: now}).Error
}

// RemoveBlock lifts a block.
func RemoveBlock(db *gorm.DB, blocker, blocked int64) error {
	return db.Where("blocker_id = ? AND blocked_id = ?", blocker, blocked).Delete(&Block{}).Error
}

// HasBlocked reports whether blocker has blocked blocked.
func HasBlocked(db *gorm.DB, blocker, blocked int64) (bool, error) {
	var n int64
	err := db.Model(&Block{}).Where("blocker_id = ? AND blocked_id = ?", blocker, blocked).Count(&n).Error
	return n > 0, err
}

// BlockedEitherWay reports whether either account blocked the other: then
// neither can mention or react to the other.
func BlockedEitherWay(db *gorm.DB, a, b int64) (bool, error) {
	var n int64
	err := db.Model(&Block{}).Where("(blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?)", a, b, b, a).
		Count(&n).Error
	return n > 0, err
}

// BlockRelations returns, for the reader, the accounts they blocked and the
// accounts that blocked them, in one query: a topic page folds the first and
// hides the second.
func BlockRelations(db *gorm.DB, readerID int64) (blocked, blockedBy map[int64]bool, err error) {
	var rows []Block
	if err := db.Where("blocker_id = ? OR blocked_id = ?", readerID, readerID).Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	blocked, blockedBy = map[int64]bool{}, map[int64]bool{}
	for _, b := range rows {
		if b.BlockerID == readerID {
			blocked[b.BlockedID] = true
		} else {
			blockedBy[b.BlockerID] = true
		}
	}
	return blocked, blockedBy, nil
}

// BlockedList lists the members the reader blocked, with their names.
func BlockedList(db *gorm.DB, readerID int64) ([]MemberName, error) {
	var list []MemberName
	err := db.Table("blocks").Select("accounts.id, accounts.username").
		Joins("JOIN accounts ON accounts.id = blocks.blocked_id").
		Where("blocks.blocker_id = ?", readerID).Order("accounts.username").Scan(&list).Error
	return list, err
}
