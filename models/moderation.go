package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Moderation actions, as the audit log and the moderation record name them.
const (
	ModDismiss   = "mod.dismiss"
	ModHide      = "mod.hide"
	ModDelete    = "mod.delete"
	ModRedact    = "mod.redact"
	ModPurge     = "mod.purge_redaction"
	ModLock      = "mod.lock"
	ModUnlock    = "mod.unlock"
	ModPin       = "mod.pin"
	ModUnpin     = "mod.unpin"
	ModMove      = "mod.move"
	ModWarn      = "mod.warn"
	ModMute      = "mod.mute"
	ModRemove    = "mod.remove"
	ModSuspend   = "mod.suspend"
	ModBan       = "mod.ban"
	ModApprove   = "mod.approve_held"
	ModReject    = "mod.reject_held"
	ModHold      = "mod.hold"
	ModNoted     = "mod.note"
	ModAppealed  = "mod.appeal_decided"
	ModRoleGrant = "role.changed"
)

// Kinds of in-app notice the moderation tools leave; they render as
// notice.mod.*.
const (
	NoticeModDecision = "mod.decision"
	NoticeModAtRisk   = "mod.at_risk"
	NoticeModAppeal   = "mod.appeal_decided"
)

// Limits of moderation text, in characters.
const (
	ModReasonMax = 300
	ModNoteMax   = 1000
)

// ErrModInput is a moderation form the handler must send back (an empty
// reason, a bad duration, text that is not in the post).
var ErrModInput = errors.New("moderation input refused")

// ModAction is the moderation record behind one audit entry: the group it
// happened in, what it touched, the internal reason and the note the member
// reads. Actor and target ids are plain integers, like the audit log's.
type ModAction struct {
	ID          int64
	AuditID     int64
	GroupID     *int64
	ActorID     int64
	TargetID    *int64
	PostID      *int64
	TopicID     *int64
	ReportID    *int64
	Action      string
	Reason      string
	Note        string
	RemovedText string
	Until       *time.Time
	CreatedAt   time.Time
}

// TableName pins the table name.
func (ModAction) TableName() string { return "mod_actions" }

// PostFlag marks a post hidden, deleted or redacted by a moderator. A hidden
// post's text lives here while the post itself is empty, so that no page,
// search or notification can show it.
type PostFlag struct {
	PostID     int64 `gorm:"primaryKey"`
	HiddenAt   *time.Time
	HiddenBody string
	HiddenHTML string `gorm:"column:hidden_html"`
	DeletedAt  *time.Time
	RedactedAt *time.Time
}

// TableName pins the table name.
func (PostFlag) TableName() string { return "post_flags" }

// GroupMute stops a member writing in a group until a time.
type GroupMute struct {
	GroupID   int64 `gorm:"primaryKey"`
	AccountID int64 `gorm:"primaryKey"`
	Until     time.Time
}

// TableName pins the table name.
func (GroupMute) TableName() string { return "group_mutes" }

// ModNote is a moderator's note about a member, for moderators only.
type ModNote struct {
	ID        int64
	SubjectID int64
	AuthorID  *int64
	GroupID   *int64
	Body      string
	CreatedAt time.Time
}

// TableName pins the table name.
func (ModNote) TableName() string { return "mod_notes" }

func moderationModels() []any {
	return []any{&Report{}, &ModAction{}, &Appeal{}, &PostFlag{}, &GroupMute{}, &ModNote{}, &HeldPost{}, &HeldBio{}, &groupPremod{}, &WordRule{}}
}

// Mod is a reader's reach as a moderator: the site role and the groups the
// account moderates. Every moderation rule asks it.
type Mod struct {
	AccountID int64
	Role      string
	Groups    map[int64]bool
}

// ModOf loads the account's reach.
func ModOf(db *gorm.DB, acct *Account) (*Mod, error) {
	m := &Mod{AccountID: acct.ID, Role: acct.Role, Groups: map[int64]bool{}}
	var ids []int64
	if err := db.Model(&GroupMember{}).Where("account_id = ? AND role = ?", acct.ID, GroupRoleModerator).
		Pluck("group_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("models: moderated groups: %w", err)
	}
	for _, id := range ids {
		m.Groups[id] = true
	}
	return m, nil
}

// Admin reports whether the moderator administers the site.
func (m *Mod) Admin() bool { return m.Role == RoleAdmin }

// Staff reports whether the moderator acts in every group.
func (m *Mod) Staff() bool { return m.Role == RoleAdmin || m.Role == RoleSiteModerator }

// Any reports whether the account moderates anything at all.
func (m *Mod) Any() bool { return m.Staff() || len(m.Groups) > 0 }

// InGroup reports whether the moderator may act in the group.
func (m *Mod) InGroup(groupID int64) bool { return m.Staff() || m.Groups[groupID] }

// inGroupPtr is InGroup for an optional group: no group means a site-wide
// matter, for staff only.
func (m *Mod) inGroupPtr(groupID *int64) bool {
	if groupID == nil {
		return m.Staff()
	}
	return m.InGroup(*groupID)
}

// rank says who may act on an account: another administrator for an
// administrator, an administrator for any moderator (site-wide or of the
// group in question), any moderator with reach for a member.
func rankOf(db *gorm.DB, targetID int64, groupID *int64) (string, error) {
	var acct Account
	if err := db.Select("id", "role").First(&acct, targetID).Error; err != nil {
		return "", notFound(err)
	}
	if acct.Role == RoleAdmin || acct.Role == RoleSiteModerator {
		return acct.Role, nil
	}
	if groupID != nil {
		gm, err := Membership(db, *groupID, targetID)
		if err != nil {
			return "", err
		}
		if gm != nil && gm.Role == GroupRoleModerator {
			return GroupRoleModerator, nil
		}
	}
	return RoleMember, nil
}

// MayActOn returns nil when the moderator may act on the account in the
// group (nil: site-wide): ErrSelf for oneself, ErrNotAllowed when the
// account outranks the moderator.
func (m *Mod) MayActOn(db *gorm.DB, targetID int64, groupID *int64) error {
	if targetID == m.AccountID {
		return ErrSelf
	}
	if !m.inGroupPtr(groupID) {
		return ErrNotAllowed
	}
	rank, err := rankOf(db, targetID, groupID)
	if err != nil {
		return err
	}
	if rank != RoleMember && !m.Admin() {
		return ErrNotAllowed
	}
	return nil
}

// ActionInput is one moderation action to record.
type ActionInput struct {
	Action      string
	Reason      string
	Note        string
	GroupID     *int64
	TargetID    *int64
	PostID      *int64
	TopicID     *int64
	ReportID    *int64
	Until       *time.Time
	RemovedText string
}

// CheckReason trims and checks a reason and a note to the member.
func CheckReason(reason, note string) (string, string, map[string]string) {
	errs := map[string]string{}
	reason, note = strings.TrimSpace(reason), strings.TrimSpace(note)
	switch {
	case reason == "":
		errs["reason"] = "missing"
	case len([]rune(reason)) > ModReasonMax || !PrintableText(reason):
		errs["reason"] = "long"
	}
	if len([]rune(note)) > ModNoteMax || !PrintableText(note) {
		errs["note"] = "long"
	}
	return reason, note, errs
}

// recordAction appends the audit entry and its moderation record, closes
// the report it answers (if any), and tells the member when there is one.
func recordAction(tx *gorm.DB, m *Mod, in ActionInput, now time.Time) (*ModAction, error) {
	entry := &AuditEntry{ActorID: &m.AccountID, Action: in.Action, TargetAccountID: in.TargetID, Detail: in.Reason, CreatedAt: now}
	if err := tx.Create(entry).Error; err != nil {
		return nil, fmt.Errorf("models: audit %s: %w", in.Action, err)
	}
	a := &ModAction{AuditID: entry.ID, GroupID: in.GroupID, ActorID: m.AccountID, TargetID: in.TargetID, PostID: in.PostID,
		TopicID: in.TopicID, ReportID: in.ReportID, Action: in.Action, Reason: in.Reason, Note: in.Note,
		RemovedText: in.RemovedText, Until: in.Until, CreatedAt: now}
	if err := tx.Create(a).Error; err != nil {
		return nil, fmt.Errorf("models: record %s: %w", in.Action, err)
	}
	if in.ReportID != nil {
		if err := closeReport(tx, *in.ReportID, m.AccountID, in.Action, now); err != nil {
			return nil, err
		}
	}
	kind := NoticeModDecision
	switch in.Action {
	case ModNoted, ModDismiss, ModPurge, ModApprove, "mod.premod_set":
		kind = ""
	case ModAppealed:
		kind = NoticeModAppeal
	}
	if in.TargetID != nil && kind != "" {
		if err := Notify(tx, *in.TargetID, kind, now); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// MemberAction warns, mutes, removes, suspends or bans a member. Warning,
// muting and removing happen in a group the moderator runs (groupID);
// suspending and banning are site-wide, for staff only, and end every session
// of the member at once.
func MemberAction(db *gorm.DB, m *Mod, targetID int64, groupID *int64, in ActionInput, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		switch in.Action {
		case ModSuspend, ModBan:
			groupID = nil
		case ModMute, ModRemove:
			if groupID == nil {
				return ErrModInput
			}
		}
		if err := m.MayActOn(tx, targetID, groupID); err != nil {
			return err
		}
		if groupID != nil {
			gm, err := Membership(tx, *groupID, targetID)
			if err != nil {
				return err
			}
			if gm == nil {
				return ErrNotFound
			}
		}
		switch in.Action {
		case ModWarn:
		case ModMute:
			if in.Until == nil {
				return ErrModInput
			}
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "group_id"}, {Name: "account_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"until"})}).
				Create(&GroupMute{GroupID: *groupID, AccountID: targetID, Until: *in.Until}).Error; err != nil {
				return err
			}
		case ModRemove:
			if err := RemoveMember(tx, *groupID, targetID); err != nil {
				return err
			}
		case ModSuspend, ModBan:
			update := map[string]any{"sanction_note": in.Note, "updated_at": now}
			if in.Action == ModBan {
				update["banned_at"] = now
			} else {
				if in.Until == nil {
					return ErrModInput
				}
				update["suspended_until"] = *in.Until
			}
			if err := tx.Model(&Account{}).Where("id = ?", targetID).Updates(update).Error; err != nil {
				return err
			}
			if err := DeleteOtherSessions(tx, targetID, 0); err != nil {
				return err
			}
		default:
			return ErrModInput
		}
		in.GroupID, in.TargetID = groupID, &targetID
		_, err := recordAction(tx, m, in, now)
		return err
	})
}

// MutedUntil returns when the member's mute in the group ends, or nil.
func MutedUntil(db *gorm.DB, groupID, accountID int64, now time.Time) (*time.Time, error) {
	var list []GroupMute
	if err := db.Where("group_id = ? AND account_id = ? AND until > ?", groupID, accountID, now).Limit(1).Find(&list).Error; err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0].Until, nil
}

// AddModNote stores a moderator's note about a member, for moderators only.
func AddModNote(db *gorm.DB, m *Mod, subjectID int64, groupID *int64, body string, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := m.MayActOn(tx, subjectID, groupID); err != nil {
			return err
		}
		if err := tx.Create(&ModNote{SubjectID: subjectID, AuthorID: &m.AccountID, GroupID: groupID, Body: body, CreatedAt: now}).Error; err != nil {
			return err
		}
		_, err := recordAction(tx, m, ActionInput{Action: ModNoted, Reason: "note", GroupID: groupID, TargetID: &subjectID}, now)
		return err
	})
}

// PostFlagsFor loads the moderation marks of the given posts.
func PostFlagsFor(db *gorm.DB, postIDs []int64) (map[int64]PostFlag, error) {
	out := map[int64]PostFlag{}
	if len(postIDs) == 0 {
		return out, nil
	}
	var list []PostFlag
	if err := db.Where("post_id IN ?", postIDs).Find(&list).Error; err != nil {
		return nil, err
	}
	for _, f := range list {
		out[f.PostID] = f
	}
	return out, nil
}

// PostHidden reports whether a moderator has hidden the post (its author may
// then not edit it back into view).
func PostHidden(db *gorm.DB, postID int64) (bool, error) {
	var n int64
	err := db.Model(&PostFlag{}).Where("post_id = ? AND hidden_at IS NOT NULL", postID).Count(&n).Error
	return n > 0, err
}
