package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AuditAccountDeleted is written when a member deletes their own account.
// Its ActorID is nil and its TargetAccountID names an account that no longer
// exists: the audit view shows it as "former member #N".
const AuditAccountDeleted = "account.deleted"

// ErrLastAdministrator refuses to erase the only administrator with a
// confirmed second factor: the site would be left without anyone able to
// run it in the browser.
var ErrLastAdministrator = errors.New("models: the last administrator cannot be erased")

// EraseAccount deletes the account for good, in one transaction, and writes
// the audit entry AuditAccountDeleted (actor nil, target the old id).
//
// Deleting the account row takes everything that belongs to it along by
// foreign key (ON DELETE CASCADE in the migrations): recovery codes, sessions
// — so every signed-in device is refused at its next request (ASVS 7.4.2) —
// sign-in challenges, authentication events and notices. Invites the account
// made stay, with their creator set to NULL. Audit log rows have no foreign
// key: they stay, and their actor or target id then names no account, which
// is how the log keeps only "former member #N" and nothing else about the
// person. Throttling counters are keyed hashes that name no account; they
// expire within 24 hours.
//
// erasePosts is the member's choice for what they wrote:
//   - true: every post is erased as ErasePost does (text, earlier versions,
//     reactions and search entries go at once; the threads keep their places,
//     shown as removed by their author).
//   - false: the current text stays, detached from the account (author_id is
//     set to NULL by the foreign key), and earlier versions are deleted;
//     pages show a NULL author as "former member", without a number, so that
//     kept posts cannot be linked to each other or to the audit log.
//
// Texts waiting for review go with the account by foreign key too (ON
// DELETE CASCADE): held topics, replies and edits (held_posts) and a held bio
// (held_bios), whatever the member chose for her posts — a held text was
// never published, so there is nothing to keep.
//
// Reports (models/report.go) keep their own copy of a reported post until
// the report is closed, as the moderation issue asks: erasing the post or
// the account leaves that copy for moderators, and the report's reporter
// and subject become NULL with the account (ON DELETE SET NULL).
//
// Every table the groups issue adds that references accounts (memberships,
// join requests, blocks, mutes, reports) must declare ON DELETE CASCADE or
// SET NULL; a plain reference would make this delete fail, which is the safe
// way to notice a forgotten table. models/erase_test.go is the place to
// prove both choices once posts exist.
func EraseAccount(db *gorm.DB, accountID int64, erasePosts bool, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		acct, err := AccountByID(tx, accountID)
		if err != nil {
			return err
		}
		if acct.IsAdmin() && acct.TOTPConfirmedAt != nil {
			last, err := lastConfirmedAdmin(tx)
			if err != nil {
				return err
			}
			if last {
				return ErrLastAdministrator
			}
		}
		if err := detachAuthorPosts(tx, accountID, erasePosts, now); err != nil {
			return err
		}
		// Kept posts and topics stay, their author_id set to NULL by the
		// foreign key: pages show them as by a former member.
		res := tx.Delete(&Account{}, accountID)
		if res.Error != nil {
			return fmt.Errorf("models: erase account %d: %w", accountID, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		detail := "posts kept as former member"
		if erasePosts {
			detail = "posts erased"
		}
		return Audit(tx, nil, AuditAccountDeleted, &accountID, detail, now)
	})
}

// lastConfirmedAdmin reports whether at most one administrator with a
// confirmed second factor exists. It locks their rows in id order (on
// PostgreSQL; SQLite serialises writers anyway), so that two administrators
// deleting themselves at the same moment cannot both pass the check.
func lastConfirmedAdmin(tx *gorm.DB) (bool, error) {
	var ids []int64
	err := tx.Model(&Account{}).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("role = ? AND totp_confirmed_at IS NOT NULL", RoleAdmin).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("models: count administrators: %w", err)
	}
	return len(ids) <= 1, nil
}

// IsLastAdministrator reports whether the account is the only administrator
// with a confirmed second factor, so that the delete page can say so before
// anyone types a code. EraseAccount checks it again, under lock.
func IsLastAdministrator(db *gorm.DB, acct *Account) (bool, error) {
	if !acct.IsAdmin() || acct.TOTPConfirmedAt == nil {
		return false, nil
	}
	n, err := AdminCount(db, true)
	if err != nil {
		return false, fmt.Errorf("models: count administrators: %w", err)
	}
	return n <= 1, nil
}

// PersonalData is everything Hearth keeps about an account that its owner
// may take away (the JSON export). Secrets — password hash, TOTP secret,
// recovery code hashes, session token hashes — are loaded with the rows but
// the export names its fields one by one and leaves them out.
type PersonalData struct {
	Account  *Account
	Sessions []Session
	Events   []AuthEvent
	Notices  []Notice
	// PendingBio is the member's new bio waiting for review, or nil.
	PendingBio *HeldBio
}

// PersonalDataOf loads the account's data for the export: its sessions, its
// authentication events and all its notices, read or not, newest first, and
// its bio waiting for review.
func PersonalDataOf(db *gorm.DB, accountID int64) (*PersonalData, error) {
	acct, err := AccountByID(db, accountID)
	if err != nil {
		return nil, err
	}
	pd := &PersonalData{Account: acct}
	if pd.Sessions, err = SessionsOf(db, accountID); err != nil {
		return nil, fmt.Errorf("models: export sessions of account %d: %w", accountID, err)
	}
	if err := db.Where("account_id = ?", accountID).Order("created_at DESC, id DESC").Find(&pd.Events).Error; err != nil {
		return nil, fmt.Errorf("models: export events of account %d: %w", accountID, err)
	}
	if err := db.Where("account_id = ?", accountID).Order("created_at DESC, id DESC").Find(&pd.Notices).Error; err != nil {
		return nil, fmt.Errorf("models: export notices of account %d: %w", accountID, err)
	}
	if pd.PendingBio, err = PendingBio(db, accountID); err != nil {
		return nil, fmt.Errorf("models: export held bio of account %d: %w", accountID, err)
	}
	return pd, nil
}

// detachAuthorPosts deletes the earlier versions of every post of the
// account and, when erase is true, erases the posts as ErasePost does.
func detachAuthorPosts(tx *gorm.DB, accountID int64, erase bool, now time.Time) error {
	sub := tx.Model(&Post{}).Select("id").Where("author_id = ?", accountID)
	if err := tx.Where("post_id IN (?)", sub).Delete(&PostVersion{}).Error; err != nil {
		return fmt.Errorf("models: erase versions: %w", err)
	}
	if !erase {
		return nil
	}
	if err := tx.Where("post_id IN (?)", sub).Delete(&Reaction{}).Error; err != nil {
		return fmt.Errorf("models: erase reactions: %w", err)
	}
	return tx.Model(&Post{}).Where("author_id = ? AND erased_at IS NULL", accountID).Updates(map[string]any{
		"body": "", "body_html": "", "content_warning": "", "erased_at": now,
	}).Error
}
