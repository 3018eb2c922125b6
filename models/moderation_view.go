package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// QueueRequest is a pending join request in the queue.
type QueueRequest struct {
	ID        int64
	GroupID   int64
	GroupName string
	GroupSlug string
	Username  string
	CreatedAt time.Time
}

// Queue is everything waiting for one moderator.
type Queue struct {
	Reports  []ReportView
	Held     []HeldView
	Requests []QueueRequest
	Appeals  []AppealView
	// Bios are members' new bios waiting for review (staff only).
	Bios []HeldBioView
}

// Len is the number of items waiting.
func (q *Queue) Len() int {
	return len(q.Reports) + len(q.Held) + len(q.Requests) + len(q.Appeals) + len(q.Bios)
}

// QueueFor collects the moderator's queue: open reports (urgent first),
// held posts, join requests of their groups and appeals — never an item
// about themselves. Each kind is one query whose where says who sees it
// (queueKinds), the same that the header counts (queueCountExpr).
func QueueFor(db *gorm.DB, m *Mod) (*Queue, error) {
	r := queueReach{accountID: m.AccountID, role: m.Role}
	q := &Queue{}
	var err error
	w := queueReports.where(r)
	if q.Reports, err = reportViews(db, m, w.String(), w.args...); err != nil {
		return nil, err
	}
	w = queueHeld.where(r)
	if q.Held, err = HeldFor(db, m, w.String(), w.args...); err != nil {
		return nil, err
	}
	if q.Bios, err = HeldBiosFor(db, m, ""); err != nil {
		return nil, err
	}
	w = queueRequests.where(r)
	err = db.Table(queueRequests.from).
		Select("join_requests.id, join_requests.group_id, groups.name AS group_name, groups.slug AS group_slug, accounts.username, join_requests.created_at").
		Joins("JOIN groups ON groups.id = join_requests.group_id").
		Joins("JOIN accounts ON accounts.id = join_requests.account_id").
		Where(w.String(), w.args...).
		Order("join_requests.created_at").Limit(queueRequests.limit).Scan(&q.Requests).Error
	if err != nil {
		return nil, fmt.Errorf("models: queue requests: %w", err)
	}
	// The appeals' own listing (appealViews) asks MayActOn appeal by
	// appeal; here the where decides, in the one query.
	w = queueAppeals.where(r)
	err = db.Table(queueAppeals.from).
		Select(`appeals.id, appeals.account_id, appeals.action_id, appeals.body, appeals.created_at, mod_actions.action,
			mod_actions.reason, mod_actions.note, mod_actions.group_id, mod_actions.actor_id, COALESCE(accounts.username, '') AS username`).
		Joins("LEFT JOIN accounts ON accounts.id = appeals.account_id").
		Where(w.String(), w.args...).
		Order("appeals.created_at, appeals.id").Limit(queueAppeals.limit).Scan(&q.Appeals).Error
	if err != nil {
		return nil, fmt.Errorf("models: queue appeals: %w", err)
	}
	return q, nil
}

// GroupPremod is a group the moderator runs, with the number of first posts
// of a new member it holds for review.
type GroupPremod struct {
	ID         int64
	Slug, Name string
	Premod     int
}

// PremodOfGroups lists the groups the moderator runs (every group for
// staff) by name, each with its number of held first posts — fallback (the
// site's default) where the group has no setting of its own — in one query.
func PremodOfGroups(db *gorm.DB, m *Mod, fallback int) ([]GroupPremod, error) {
	w := &sqlWhere{}
	queueReach{accountID: m.AccountID, role: m.Role}.inGroups(w, "groups.id")
	q := db.Table("groups").
		Select("groups.id, groups.slug, groups.name, COALESCE(group_premods.first_posts, ?) AS premod", fallback).
		Joins("LEFT JOIN group_premods ON group_premods.group_id = groups.id")
	if len(w.conds) > 0 {
		q = q.Where(w.String(), w.args...)
	}
	var list []GroupPremod
	if err := q.Order("groups.name, groups.id").Scan(&list).Error; err != nil {
		return nil, fmt.Errorf("models: premoderation of the groups of account %d: %w", m.AccountID, err)
	}
	return list, nil
}

// AuditFilter narrows the audit log view.
type AuditFilter struct {
	MemberID, ModeratorID int64
	Action                string
	From, To              *time.Time
}

// AuditRow is one audit entry as /mod/audit shows it. A name that is empty
// with an id belongs to an erased account: "former member #N".
type AuditRow struct {
	AuditEntry
	ActorName  string
	TargetName string
	GroupName  string
	Reason     string
	Note       string
	ActionID   *int64
	Removed    string
}

// AuditLog lists audit entries for the moderator, newest first:
// administrators see everything, site moderators every moderation entry,
// group moderators the entries of their groups.
func AuditLog(db *gorm.DB, m *Mod, f AuditFilter, limit int) ([]AuditRow, error) {
	q := db.Table("audit_log").
		Select(`audit_log.*, COALESCE(ac.username, '') AS actor_name, COALESCE(tg.username, '') AS target_name,
			COALESCE(g.name, '') AS group_name, COALESCE(mod_actions.reason, '') AS reason, COALESCE(mod_actions.note, '') AS note,
			mod_actions.id AS action_id, COALESCE(mod_actions.removed_text, '') AS removed`).
		Joins("LEFT JOIN mod_actions ON mod_actions.audit_id = audit_log.id").
		Joins("LEFT JOIN accounts ac ON ac.id = audit_log.actor_id").
		Joins("LEFT JOIN accounts tg ON tg.id = audit_log.target_account_id").
		Joins("LEFT JOIN groups g ON g.id = mod_actions.group_id")
	switch {
	case m.Admin():
	case m.Staff():
		q = q.Where("mod_actions.id IS NOT NULL")
	default:
		ids := make([]int64, 0, len(m.Groups))
		for id := range m.Groups {
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return nil, nil
		}
		q = q.Where("mod_actions.group_id IN ?", ids)
	}
	if f.MemberID != 0 {
		q = q.Where("audit_log.target_account_id = ?", f.MemberID)
	}
	if f.ModeratorID != 0 {
		q = q.Where("audit_log.actor_id = ?", f.ModeratorID)
	}
	if f.Action != "" {
		q = q.Where("audit_log.action = ?", f.Action)
	}
	if f.From != nil {
		q = q.Where("audit_log.created_at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("audit_log.created_at < ?", *f.To)
	}
	var rows []AuditRow
	if err := q.Order("audit_log.created_at DESC, audit_log.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: audit log: %w", err)
	}
	if !m.Admin() {
		for i := range rows {
			rows[i].Removed = ""
		}
	}
	return rows, nil
}

// AccountIDForFilter turns what a moderator typed into an account id: a
// username, or "#N" / N for a former member. 0 when nothing matches.
func AccountIDForFilter(db *gorm.DB, s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64); err == nil && n > 0 {
		return n, nil
	}
	var ids []int64
	if err := db.Model(&Account{}).Where("username = ?", strings.ToLower(s)).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return -1, nil
	}
	return ids[0], nil
}

// MemberForMod is a member seen by a moderator: reports about them,
// actions within the moderator's groups, moderators' notes, and only the
// memberships of the moderator's own groups. Never an IP address (none is
// stored).
type MemberForMod struct {
	Account *Account
	Groups  []GroupListing
	Reports []ReportView
	Actions []ModAction
	Notes   []ModNote
}

// MemberSeenBy loads a member for a moderator who may act on them; anyone
// else (themselves, someone outranking them, a member of none of their
// groups) is ErrNotFound.
func MemberSeenBy(db *gorm.DB, m *Mod, username string) (*MemberForMod, error) {
	acct, err := AccountByUsername(db, strings.ToLower(username))
	if err != nil {
		return nil, err
	}
	out := &MemberForMod{Account: acct}
	var gl []GroupListing
	if err := db.Table("groups").Select("groups.*").
		Joins("JOIN group_members gm ON gm.group_id = groups.id AND gm.account_id = ?", acct.ID).
		Order("groups.name").Scan(&gl).Error; err != nil {
		return nil, err
	}
	var reach []int64
	for _, g := range gl {
		if m.Groups[g.ID] || m.Staff() {
			if m.MayActOn(db, acct.ID, &g.ID) == nil {
				out.Groups = append(out.Groups, g)
				reach = append(reach, g.ID)
			}
		}
	}
	if !m.Staff() && len(out.Groups) == 0 || m.MayActOn(db, acct.ID, firstOrNil(reach)) != nil {
		return nil, ErrNotFound
	}
	if out.Reports, err = ReportsAbout(db, m, acct.ID); err != nil {
		return nil, err
	}
	aq := db.Where("target_id = ?", acct.ID)
	nq := db.Where("subject_id = ?", acct.ID)
	if !m.Staff() {
		aq = aq.Where("group_id IN ?", reach)
		nq = nq.Where("group_id IN ?", reach)
	}
	if err := aq.Order("created_at DESC, id DESC").Limit(100).Find(&out.Actions).Error; err != nil {
		return nil, err
	}
	if err := nq.Order("created_at DESC, id DESC").Limit(100).Find(&out.Notes).Error; err != nil {
		return nil, err
	}
	return out, nil
}

func firstOrNil(ids []int64) *int64 {
	if len(ids) == 0 {
		return nil
	}
	return &ids[0]
}

// SiteRoleMembers lists administrators and site moderators.
func SiteRoleMembers(db *gorm.DB) ([]MemberName, error) {
	var list []MemberName
	err := db.Table("accounts").Select("id, username, role").Where("role IN ?", []string{RoleAdmin, RoleSiteModerator}).
		Order("username").Scan(&list).Error
	return list, err
}

// SetSiteRole grants or removes a site role: administrators only, never on
// themselves. The member's sessions end, so the new role starts with a new
// sign-in. Audited with the old and new role.
func SetSiteRole(db *gorm.DB, m *Mod, username, role string, now time.Time) (*Account, error) {
	if !m.Admin() {
		return nil, ErrNotAllowed
	}
	if role != RoleAdmin && role != RoleSiteModerator && role != RoleMember {
		return nil, ErrModInput
	}
	var acct *Account
	err := db.Transaction(func(tx *gorm.DB) error {
		var err error
		if acct, err = AccountByUsername(tx, strings.ToLower(strings.TrimSpace(username))); err != nil {
			return err
		}
		if acct.ID == m.AccountID {
			return ErrSelf
		}
		if acct.Role == role {
			return nil
		}
		if err := tx.Model(&Account{}).Where("id = ?", acct.ID).Updates(map[string]any{"role": role, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := DeleteOtherSessions(tx, acct.ID, 0); err != nil {
			return err
		}
		old := acct.Role
		acct.Role = role
		return Audit(tx, &m.AccountID, ModRoleGrant, &acct.ID, old+" → "+role, now)
	})
	return acct, err
}

// Names of the urgent-alert settings (rows of the settings table that the
// site settings page does not show).
const (
	SettingAlertWebhook = "mod.alert_webhook"
	SettingAlertSMTP    = "mod.alert_smtp"
	SettingAlertFrom    = "mod.alert_from"
	SettingAlertTo      = "mod.alert_to"
)

// AlertSettings is where a content-free "an urgent report is waiting" goes:
// a webhook URL, an SMTP server (host:port, no authentication: a relay the
// organisation runs), or both, or neither.
type AlertSettings struct {
	Webhook, SMTP, From, To string
}

// LoadAlertSettings reads the alert settings.
func LoadAlertSettings(db *gorm.DB) (AlertSettings, error) {
	var rows []setting
	var s AlertSettings
	if err := db.Where("name IN ?", []string{SettingAlertWebhook, SettingAlertSMTP, SettingAlertFrom, SettingAlertTo}).Find(&rows).Error; err != nil {
		return s, err
	}
	for _, r := range rows {
		switch r.Name {
		case SettingAlertWebhook:
			s.Webhook = r.Value
		case SettingAlertSMTP:
			s.SMTP = r.Value
		case SettingAlertFrom:
			s.From = r.Value
		case SettingAlertTo:
			s.To = r.Value
		}
	}
	return s, nil
}

// SaveAlertSettings stores the alert settings, audited.
func SaveAlertSettings(db *gorm.DB, actorID int64, s AlertSettings, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		for name, value := range map[string]string{SettingAlertWebhook: s.Webhook, SettingAlertSMTP: s.SMTP, SettingAlertFrom: s.From, SettingAlertTo: s.To} {
			if err := tx.Save(&setting{Name: name, Value: value, UpdatedAt: now}).Error; err != nil {
				return err
			}
		}
		return Audit(tx, &actorID, AuditSettingsChanged, nil, "urgent alerts", now)
	})
}
