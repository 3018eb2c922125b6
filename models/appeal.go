package models

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Appeals: a member may appeal a decision about them once, within
// AppealWindow, with a short text; a moderator or administrator other than
// the one who acted decides.
const (
	AppealWindow  = 14 * 24 * time.Hour
	AppealBodyMax = 1000
)

// Errors of appeals.
var (
	ErrAppealClosed = errors.New("appeal no longer possible")
	ErrAppealTaken  = errors.New("decision already appealed")
)

// Appeal is a member's appeal of one moderation action.
type Appeal struct {
	ID         int64
	ActionID   int64
	AccountID  int64
	Body       string
	CreatedAt  time.Time
	DecidedAt  *time.Time
	DecidedBy  *int64
	Overturned *bool
}

// TableName pins the table name.
func (Appeal) TableName() string { return "appeals" }

// appealable are the actions a member may appeal.
var appealable = map[string]bool{ModHide: true, ModDelete: true, ModRedact: true, ModWarn: true, ModMute: true,
	ModRemove: true, ModSuspend: true, ModBan: true, ModLock: true, ModMove: true}

// shownNotAppealable are decisions a member reads among hers but cannot
// appeal: a text that was not published is gone with the decision, so an
// appeal could not bring it back; she may write it again, changed.
var shownNotAppealable = []string{ModReject, ModRejectEdit, ModRejectBio}

// Subject names what a decision was about, for the person reading it: the
// group it happened in, and for a post its topic's title and whether the
// reader may still open it (PostState "open"), may not ("closed": not in its
// group) or nobody can ("gone": removed). The title appears only to a reader
// who may read the topic's group.
type Subject struct {
	PostID     *int64
	GroupName  string
	TopicTitle string
	PostState  string
}

// PostOpen reports whether the reader may still open the post.
func (s Subject) PostOpen() bool { return s.PostState == "open" }

// subjectColumns select a Subject; the reader may read a group when a member
// of it, or when staff. Its two placeholders both take the staff flag.
const subjectColumns = `mod_actions.post_id, COALESCE(groups.name, '') AS group_name,
	CASE WHEN reader_groups.account_id IS NOT NULL OR ? THEN COALESCE(topics.title, '') ELSE '' END AS topic_title,
	CASE WHEN mod_actions.post_id IS NULL THEN ''
		WHEN posts.id IS NULL OR posts.erased_at IS NOT NULL THEN 'gone'
		WHEN reader_groups.account_id IS NOT NULL OR ? THEN 'open' ELSE 'closed' END AS post_state`

// joinSubject adds the joins subjectColumns read, for the reader.
func joinSubject(q *gorm.DB, readerID int64) *gorm.DB {
	return q.Joins("LEFT JOIN groups ON groups.id = mod_actions.group_id").
		Joins("LEFT JOIN topics ON topics.id = mod_actions.topic_id").
		Joins("LEFT JOIN posts ON posts.id = mod_actions.post_id").
		Joins("LEFT JOIN group_members reader_groups ON reader_groups.group_id = topics.group_id AND reader_groups.account_id = ?", readerID)
}

// Decision is a moderation action about the reader, as their decisions page
// shows it: the action, the note to them, and where the appeal stands. The
// internal reason and the moderator are never shown.
type Decision struct {
	Subject
	ID         int64
	Action     string
	Note       string
	Until      *time.Time
	CreatedAt  time.Time
	AppealID   *int64
	AppealBody string
	DecidedAt  *time.Time
	Overturned *bool
	// Appealable: a decision of a kind that can be appealed; CanAppeal:
	// and it still can be (not yet, and within the window).
	Appealable, CanAppeal bool
}

// WasOverturned reports whether an appeal overturned the decision.
func (d Decision) WasOverturned() bool { return d.Overturned != nil && *d.Overturned }

// DecisionsAbout lists the moderation actions about the reader, newest
// first, each naming its post or group (one query).
func DecisionsAbout(db *gorm.DB, r Reader, now time.Time) ([]Decision, error) {
	return decisions(db, r, now, 100, "mod_actions.action IN ?", append(appealableList(), shownNotAppealable...))
}

// SanctionInForce is the decision behind the account's suspension or ban
// (the newest of its kind that no appeal overturned, as restoreSanction
// picks it), as DecisionsAbout shows it; nil when none is on record.
func SanctionInForce(db *gorm.DB, acct *Account, now time.Time) (*Decision, error) {
	action := ModSuspend
	if acct.BannedAt != nil {
		action = ModBan
	}
	list, err := decisions(db, ReaderOf(acct), now, 1,
		"mod_actions.action = ? AND (appeals.overturned IS NULL OR appeals.overturned = ?)", action, false)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

func decisions(db *gorm.DB, r Reader, now time.Time, limit int, where string, args ...any) ([]Decision, error) {
	var list []Decision
	q := db.Table("mod_actions").
		Select(`mod_actions.id, mod_actions.action, mod_actions.note, mod_actions.until, mod_actions.created_at,
			appeals.id AS appeal_id, COALESCE(appeals.body, '') AS appeal_body, appeals.decided_at, appeals.overturned, `+subjectColumns,
			r.Staff(), r.Staff()).
		Joins("LEFT JOIN appeals ON appeals.action_id = mod_actions.id")
	err := joinSubject(q, r.AccountID).
		Where("mod_actions.target_id = ?", r.AccountID).Where(where, args...).
		Order("mod_actions.created_at DESC, mod_actions.id DESC").Limit(limit).Scan(&list).Error
	if err != nil {
		return nil, fmt.Errorf("models: decisions: %w", err)
	}
	for i := range list {
		list[i].Appealable = appealable[list[i].Action]
		list[i].CanAppeal = list[i].Appealable && list[i].AppealID == nil && now.Sub(list[i].CreatedAt) <= AppealWindow
	}
	return list, nil
}

func appealableList() []string {
	out := make([]string, 0, len(appealable))
	for k := range appealable {
		out = append(out, k)
	}
	return out
}

// FileAppeal appeals an action about the member: once, within the window.
func FileAppeal(db *gorm.DB, accountID, actionID int64, body string, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var a ModAction
		if err := tx.Where("id = ? AND target_id = ?", actionID, accountID).First(&a).Error; err != nil {
			return notFound(err)
		}
		if !appealable[a.Action] {
			return ErrNotFound
		}
		if now.Sub(a.CreatedAt) > AppealWindow {
			return ErrAppealClosed
		}
		var n int64
		if err := tx.Model(&Appeal{}).Where("action_id = ?", actionID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrAppealTaken
		}
		if err := tx.Create(&Appeal{ActionID: actionID, AccountID: accountID, Body: body, CreatedAt: now}).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrAppealTaken
			}
			return err
		}
		return Audit(tx, &accountID, "appeal.filed", &accountID, "action:"+fmt.Sprint(actionID), now)
	})
}

// CheckAppeal trims and checks an appeal's text; "" means it is fine.
func CheckAppeal(body string) (string, string) {
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return body, "missing"
	case len([]rune(body)) > AppealBodyMax || !PrintableText(body):
		return body, "long"
	}
	return body, ""
}

// AppealView is an open appeal as the queue shows it.
type AppealView struct {
	Subject
	ID        int64
	AccountID int64
	ActionID  int64
	Body      string
	CreatedAt time.Time
	Action    string
	Reason    string
	Note      string
	GroupID   *int64
	ActorID   int64
	Username  string
}

// OpenAppeals lists the undecided appeals the moderator may decide: in
// their reach, about someone they may act on, and never their own action.
func OpenAppeals(db *gorm.DB, m *Mod) ([]AppealView, error) {
	return appealViews(db, m, "appeals.decided_at IS NULL")
}

func appealViews(db *gorm.DB, m *Mod, where string, args ...any) ([]AppealView, error) {
	var rows []AppealView
	q := db.Table("appeals").
		Select(`appeals.id, appeals.account_id, appeals.action_id, appeals.body, appeals.created_at, mod_actions.action,
			mod_actions.reason, mod_actions.note, mod_actions.group_id, mod_actions.actor_id,
			COALESCE(accounts.username, '') AS username, `+subjectColumns, m.Staff(), m.Staff()).
		Joins("JOIN mod_actions ON mod_actions.id = appeals.action_id").
		Joins("LEFT JOIN accounts ON accounts.id = appeals.account_id")
	err := joinSubject(q, m.AccountID).
		Where(where, args...).Order("appeals.created_at, appeals.id").Limit(200).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: appeals: %w", err)
	}
	var out []AppealView
	for _, r := range rows {
		if r.ActorID == m.AccountID {
			continue
		}
		if m.MayActOn(db, r.AccountID, r.GroupID) != nil {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// DecideAppeal upholds or overturns an appeal. Overturning undoes what can
// be undone: a hidden post comes back, a mute, suspension or ban ends.
func DecideAppeal(db *gorm.DB, m *Mod, appealID int64, overturn bool, in ActionInput, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		list, err := appealViews(tx, m, "appeals.decided_at IS NULL AND appeals.id = ?", appealID)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return ErrNotFound
		}
		av := list[0]
		var ap Appeal
		if err := tx.First(&ap, appealID).Error; err != nil {
			return notFound(err)
		}
		res := tx.Model(&Appeal{}).Where("id = ? AND decided_at IS NULL", appealID).
			Updates(map[string]any{"decided_at": now, "decided_by": m.AccountID, "overturned": overturn})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyDecided
		}
		if overturn {
			if err := undoAction(tx, av.ActionID, ap.AccountID, now); err != nil {
				return err
			}
		}
		in.Action, in.GroupID, in.TargetID = ModAppealed, av.GroupID, &ap.AccountID
		if overturn {
			in.Reason = strings.TrimSpace("overturned: " + in.Reason)
		} else {
			in.Reason = strings.TrimSpace("upheld: " + in.Reason)
		}
		_, err = recordAction(tx, m, in, now)
		return err
	})
}

func undoAction(tx *gorm.DB, actionID, accountID int64, now time.Time) error {
	var a ModAction
	if err := tx.First(&a, actionID).Error; err != nil {
		return notFound(err)
	}
	switch a.Action {
	case ModHide:
		if a.PostID != nil {
			if err := restorePost(tx, *a.PostID); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
	case ModMute:
		if a.GroupID != nil {
			return tx.Where("group_id = ? AND account_id = ?", *a.GroupID, accountID).Delete(&GroupMute{}).Error
		}
	case ModSuspend, ModBan:
		return restoreSanction(tx, accountID, now)
	case ModLock:
		if a.TopicID != nil {
			return tx.Model(&Topic{}).Where("id = ?", *a.TopicID).Update("locked", false).Error
		}
	}
	return nil
}

// restoreSanction sets the account's suspension or ban from the newest
// suspend or ban decision about it that no appeal overturned and that is
// still in force; with none, the account is open again. It runs after an
// overturn, so overturning an older decision leaves a newer one standing.
func restoreSanction(tx *gorm.DB, accountID int64, now time.Time) error {
	var standing []ModAction
	err := tx.Model(&ModAction{}).Select("mod_actions.*").
		Joins("LEFT JOIN appeals ON appeals.action_id = mod_actions.id").
		Where("mod_actions.target_id = ? AND mod_actions.action IN ?", accountID, []string{ModSuspend, ModBan}).
		Where("appeals.overturned IS NULL OR appeals.overturned = ?", false).
		Order("mod_actions.created_at DESC, mod_actions.id DESC").Limit(1).Find(&standing).Error
	if err != nil {
		return fmt.Errorf("models: sanction of account %d: %w", accountID, err)
	}
	update := map[string]any{"suspended_until": nil, "banned_at": nil, "sanction_note": "", "updated_at": now}
	if len(standing) == 1 {
		s := standing[0]
		switch {
		case s.Action == ModBan:
			update["banned_at"], update["sanction_note"] = s.CreatedAt, s.Note
		case s.Until != nil && s.Until.After(now):
			update["suspended_until"], update["sanction_note"] = *s.Until, s.Note
		}
	}
	return tx.Model(&Account{}).Where("id = ?", accountID).Updates(update).Error
}
