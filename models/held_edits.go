package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Held edits and bios (issue 5): an edit or a bio saved despite the
// protective hold's warning, or with a word the administrators hold, waits
// for a moderator. Until one approves it, everyone else reads the earlier
// text (of the post, or the earlier bio); its author reads hers marked
// "waiting for review". A held edit is a HeldPost with PostID (its group's
// moderators review it); a bio has no group, so site moderators and
// administrators review it.

// Rejections of a held edit and of a held bio. Approving any held text is
// ModApprove (the member gets no notice of it); a rejection tells the member,
// and she reads the moderator's note where she wrote the text.
const (
	ModRejectEdit = "mod.reject_edit"
	ModRejectBio  = "mod.reject_bio"
)

// ErrHeldPostGone means a held edit's post was erased, removed or hidden
// since: its new text cannot be published (it can still be rejected).
var ErrHeldPostGone = errors.New("the post of the held edit is gone or hidden")

// heldDecisionShown is how long the author reads a rejection's note beside
// the text she wrote.
const heldDecisionShown = 14 * 24 * time.Hour

// heldDecision is what deciding any held text shares.
type heldDecision struct {
	authorID   int64
	groupID    *int64
	heldReason string
	reject     string
	// take deletes the held row; no row deleted means another moderator
	// (or a double click) decided it first.
	take func() *gorm.DB
	// publish makes the held text public.
	publish func() error
}

// decide checks the moderator may act on the author (never on herself, never
// on someone who outranks her), takes the item off the queue once, publishes
// it on approval, and records the decision with its reason: the hold's own
// reason when the moderator gave none.
func (d heldDecision) decide(tx *gorm.DB, m *Mod, approve bool, in *ActionInput, now time.Time) error {
	if err := m.MayActOn(tx, d.authorID, d.groupID); err != nil {
		return err
	}
	res := d.take()
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrAlreadyDecided
	}
	in.Action = d.reject
	if approve {
		in.Action = ModApprove
		if err := d.publish(); err != nil {
			return err
		}
	}
	in.GroupID, in.TargetID = d.groupID, &d.authorID
	if strings.TrimSpace(in.Reason) == "" {
		in.Reason = d.heldReason
	}
	_, err := recordAction(tx, m, *in, now)
	return err
}

// HoldEdit keeps a new text of a post for review, in place of any edit of
// the post still waiting, and audits the hold.
func HoldEdit(tx *gorm.DB, h *HeldPost) error {
	if h.PostID == nil {
		return fmt.Errorf("models: hold edit: no post")
	}
	if err := DiscardHeldEdit(tx, *h.PostID); err != nil {
		return err
	}
	return HoldPost(tx, h)
}

// DiscardHeldEdit forgets the edit of a post waiting for review: its author
// wrote a newer text, or erased the post.
func DiscardHeldEdit(tx *gorm.DB, postID int64) error {
	if err := tx.Where("post_id = ?", postID).Delete(&HeldPost{}).Error; err != nil {
		return fmt.Errorf("models: discard held edit of post %d: %w", postID, err)
	}
	return nil
}

// HeldEditOf returns the author's edit of a post waiting for review, or nil.
func HeldEditOf(db *gorm.DB, postID, authorID int64) (*HeldPost, error) {
	var list []HeldPost
	if err := db.Where("post_id = ? AND author_id = ?", postID, authorID).Limit(1).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: held edit of post %d: %w", postID, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// PublishableForEdit loads the post of a held edit for publishing its new
// text: ErrHeldPostGone when it was erased, removed or hidden since.
func PublishableForEdit(tx *gorm.DB, h *HeldPost) (*Post, error) {
	var p Post
	if h.PostID == nil {
		return nil, ErrHeldPostGone
	}
	if err := tx.First(&p, *h.PostID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrHeldPostGone
		}
		return nil, err
	}
	var flagged int64
	if err := tx.Model(&PostFlag{}).Where("post_id = ? AND (hidden_at IS NOT NULL OR deleted_at IS NOT NULL)", p.ID).
		Count(&flagged).Error; err != nil {
		return nil, err
	}
	if p.ErasedAt != nil || flagged > 0 {
		return nil, ErrHeldPostGone
	}
	return &p, nil
}

// HeldBio is a member's new bio waiting for review; her profile shows the
// earlier bio (or none) to everyone else meanwhile. One waits per member.
type HeldBio struct {
	ID        int64
	AccountID int64
	Bio       string
	Reason    string
	Findings  string
	CreatedAt time.Time
}

// TableName pins the table name.
func (HeldBio) TableName() string { return "held_bios" }

// HoldBio keeps a new bio for review, in place of any bio still waiting, and
// audits the hold (the kinds found, never the text).
func HoldBio(tx *gorm.DB, accountID int64, bio, reason, findings string, now time.Time) error {
	if err := DiscardPendingBio(tx, accountID); err != nil {
		return err
	}
	if err := tx.Create(&HeldBio{AccountID: accountID, Bio: bio, Reason: reason, Findings: findings, CreatedAt: now}).Error; err != nil {
		return fmt.Errorf("models: hold bio of account %d: %w", accountID, err)
	}
	return Audit(tx, nil, ModHold, &accountID, "bio "+reason+" "+findings, now)
}

// DiscardPendingBio forgets the member's bio waiting for review: she wrote
// another one, or took it back.
func DiscardPendingBio(tx *gorm.DB, accountID int64) error {
	if err := tx.Where("account_id = ?", accountID).Delete(&HeldBio{}).Error; err != nil {
		return fmt.Errorf("models: discard held bio of account %d: %w", accountID, err)
	}
	return nil
}

// PendingBio returns the member's bio waiting for review, or nil.
func PendingBio(db *gorm.DB, accountID int64) (*HeldBio, error) {
	var list []HeldBio
	if err := db.Where("account_id = ?", accountID).Limit(1).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: held bio of account %d: %w", accountID, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// HeldBioView is a bio waiting for review as a moderator sees it, beside
// the bio everyone reads now.
type HeldBioView struct {
	HeldBio
	Username   string
	CurrentBio string
}

// Ref is the held bio's address under /mod/held/ (held posts have plain
// numbers).
func (h HeldBioView) Ref() string { return fmt.Sprintf("bio-%d", h.ID) }

// HeldBiosFor lists the bios waiting for review the moderator may see
// (never her own; staff only), oldest first; where narrows the list.
func HeldBiosFor(db *gorm.DB, m *Mod, where string, args ...any) ([]HeldBioView, error) {
	reach, reachArgs := HeldBiosWhere(m.AccountID, m.Staff())
	q := db.Table("held_bios").
		Select("held_bios.*, accounts.username, accounts.bio AS current_bio").
		Joins("JOIN accounts ON accounts.id = held_bios.account_id").
		Where(reach, reachArgs...)
	if where != "" {
		q = q.Where(where, args...)
	}
	var rows []HeldBioView
	if err := q.Order("held_bios.created_at, held_bios.id").Limit(200).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: held bios: %w", err)
	}
	return rows, nil
}

// DecideHeldBio approves a held bio (it is the member's bio now) or rejects
// it (it is deleted; the earlier bio stays; the member is told), as a site
// moderator or administrator.
func DecideHeldBio(db *gorm.DB, m *Mod, heldID int64, approve bool, in ActionInput, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		list, err := HeldBiosFor(tx, m, "held_bios.id = ?", heldID)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return ErrNotFound
		}
		h := list[0].HeldBio
		d := heldDecision{authorID: h.AccountID, heldReason: h.Reason, reject: ModRejectBio,
			take:    func() *gorm.DB { return tx.Delete(&HeldBio{}, h.ID) },
			publish: func() error { return SetBio(tx, h.AccountID, h.Bio, now) }}
		return d.decide(tx, m, approve, &in, now)
	})
}

// HeldRejection is a moderator's "not published" on a text the member
// wrote, as she reads it beside that text: when, and the note to her.
type HeldRejection struct {
	CreatedAt time.Time
	Note      string
}

// LastBioRejection is the newest decision on the member's held bios when it
// was a rejection after since (her account's last change: saving her
// settings puts the note away) and within the last 14 days; nil otherwise.
// A decision on a bio is the only held decision without a group.
func LastBioRejection(db *gorm.DB, accountID int64, since, now time.Time) (*HeldRejection, error) {
	return lastRejection(db, since, now, ModRejectBio,
		"target_id = ? AND group_id IS NULL AND post_id IS NULL AND action IN ?", accountID, []string{ModApprove, ModRejectBio})
}

// LastEditRejection is the newest decision on the author's held edits of a
// post when it was a rejection after since (the post's last change) and
// within the last 14 days; nil otherwise.
func LastEditRejection(db *gorm.DB, postID, authorID int64, since, now time.Time) (*HeldRejection, error) {
	return lastRejection(db, since, now, ModRejectEdit,
		"target_id = ? AND post_id = ? AND action IN ?", authorID, postID, []string{ModApprove, ModRejectEdit})
}

func lastRejection(db *gorm.DB, since, now time.Time, reject, where string, args ...any) (*HeldRejection, error) {
	var list []ModAction
	if err := db.Where(where, args...).Order("created_at DESC, id DESC").Limit(1).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: last decision on a held text: %w", err)
	}
	if len(list) == 0 || list[0].Action != reject || !list[0].CreatedAt.After(since) || now.Sub(list[0].CreatedAt) > heldDecisionShown {
		return nil, nil
	}
	return &HeldRejection{CreatedAt: list[0].CreatedAt, Note: list[0].Note}, nil
}
