package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Join policies of a group.
const (
	JoinPolicyOpen    = "open"
	JoinPolicyRequest = "request"
	JoinPolicyInvite  = "invite"
)

// Roles inside a group.
const (
	GroupRoleMember    = "member"
	GroupRoleModerator = "moderator"
)

// Site roles beyond member and administrator (the moderation issue grants
// and removes them).
const RoleSiteModerator = "site_moderator"

// Errors of the group rules.
var (
	ErrSlugTaken      = errors.New("group address taken")
	ErrAlreadyMember  = errors.New("already a member")
	ErrRequestPending = errors.New("join request pending")
	ErrNotAllowed     = errors.New("not allowed")
)

// Group is a self-help group.
type Group struct {
	ID            int64
	Slug          string
	Name          string
	Description   string
	About         string
	AboutHTML     string `gorm:"column:about_html"`
	JoinPolicy    string
	Listed        bool
	EntryQuestion string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName pins the table name.
func (Group) TableName() string { return "groups" }

// GroupMember is a membership.
type GroupMember struct {
	GroupID   int64 `gorm:"primaryKey"`
	AccountID int64 `gorm:"primaryKey"`
	Role      string
	JoinedAt  time.Time
}

// TableName pins the table name.
func (GroupMember) TableName() string { return "group_members" }

// JoinRequest is a member's request to join a group by request.
type JoinRequest struct {
	ID        int64
	GroupID   int64
	AccountID int64
	Answer    string
	CreatedAt time.Time
	DecidedAt *time.Time
	DecidedBy *int64
	Approved  *bool
}

// TableName pins the table name.
func (JoinRequest) TableName() string { return "join_requests" }

// GroupInvite invites one member by username (InvitedAccountID) or anyone
// holding a one-time link (CodeHash).
type GroupInvite struct {
	ID               int64
	GroupID          int64
	CodeHash         []byte
	InvitedAccountID *int64
	CreatedBy        *int64
	CreatedAt        time.Time
	ExpiresAt        time.Time
	UsedAt           *time.Time
}

// TableName pins the table name.
func (GroupInvite) TableName() string { return "group_invites" }

// CreateGroup stores a group; a taken slug is ErrSlugTaken.
func CreateGroup(db *gorm.DB, g *Group) error {
	var n int64
	if err := db.Model(&Group{}).Where("slug = ?", g.Slug).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrSlugTaken
	}
	if err := db.Create(g).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrSlugTaken
		}
		return fmt.Errorf("models: create group: %w", err)
	}
	return nil
}

// UpdateGroup saves a group's editable fields.
func UpdateGroup(db *gorm.DB, g *Group, now time.Time) error {
	return db.Model(&Group{}).Where("id = ?", g.ID).Updates(map[string]any{
		"name": g.Name, "description": g.Description, "about": g.About, "about_html": g.AboutHTML,
		"join_policy": g.JoinPolicy, "listed": g.Listed, "entry_question": g.EntryQuestion, "updated_at": now,
	}).Error
}

// GroupBySlug loads a group with no access check: for administrators'
// pages and the gate itself only.
func GroupBySlug(db *gorm.DB, slug string) (*Group, error) {
	var g Group
	if err := db.Where("slug = ?", slug).First(&g).Error; err != nil {
		return nil, notFound(err)
	}
	return &g, nil
}

// Membership returns the member's membership of the group, or nil.
func Membership(db *gorm.DB, groupID, accountID int64) (*GroupMember, error) {
	var list []GroupMember
	if err := db.Where("group_id = ? AND account_id = ?", groupID, accountID).Limit(1).Find(&list).Error; err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// AddMember makes the account a member (or changes its role), idempotently.
func AddMember(db *gorm.DB, groupID, accountID int64, role string, now time.Time) error {
	return db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "group_id"}, {Name: "account_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"role"}),
	}).Create(&GroupMember{GroupID: groupID, AccountID: accountID, Role: role, JoinedAt: now}).Error
}

// RemoveMember ends a membership (leaving, or removal).
func RemoveMember(db *gorm.DB, groupID, accountID int64) error {
	return db.Where("group_id = ? AND account_id = ?", groupID, accountID).Delete(&GroupMember{}).Error
}

// GroupListing is a group with the reader's relation to it.
type GroupListing struct {
	Group
	Member  bool
	Members int64
	Pending bool
}

// GroupsForMember returns the member's groups and the directory of listed
// groups they are not in. Unlisted groups appear only to their members.
func GroupsForMember(db *gorm.DB, accountID int64) (mine, directory []GroupListing, err error) {
	var rows []GroupListing
	err = db.Table("groups").
		Select(`groups.*,
			EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = groups.id AND m.account_id = ?) AS member,
			(SELECT COUNT(*) FROM group_members c WHERE c.group_id = groups.id) AS members,
			EXISTS (SELECT 1 FROM join_requests r WHERE r.group_id = groups.id AND r.account_id = ? AND r.decided_at IS NULL) AS pending`,
			accountID, accountID).
		Order("groups.name").Scan(&rows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("models: list groups: %w", err)
	}
	for _, r := range rows {
		switch {
		case r.Member:
			mine = append(mine, r)
		case r.Listed:
			directory = append(directory, r)
		}
	}
	return mine, directory, nil
}

// RequestJoin records a join request with the applicant's answer.
func RequestJoin(db *gorm.DB, groupID, accountID int64, answer string, now time.Time) (*JoinRequest, error) {
	var pending int64
	if err := db.Model(&JoinRequest{}).Where("group_id = ? AND account_id = ? AND decided_at IS NULL", groupID, accountID).
		Count(&pending).Error; err != nil {
		return nil, err
	}
	if pending > 0 {
		return nil, ErrRequestPending
	}
	r := &JoinRequest{GroupID: groupID, AccountID: accountID, Answer: answer, CreatedAt: now}
	return r, db.Create(r).Error
}

// PendingJoinRequests lists a group's undecided requests, oldest first.
func PendingJoinRequests(db *gorm.DB, groupID int64) ([]JoinRequest, error) {
	var list []JoinRequest
	err := db.Where("group_id = ? AND decided_at IS NULL", groupID).Order("created_at").Find(&list).Error
	return list, err
}

// DecideJoinRequest approves (adding the member) or declines a request,
// once.
func DecideJoinRequest(db *gorm.DB, requestID, moderatorID int64, approve bool, now time.Time) (*JoinRequest, error) {
	var r JoinRequest
	if err := db.First(&r, requestID).Error; err != nil {
		return nil, notFound(err)
	}
	res := db.Model(&JoinRequest{}).Where("id = ? AND decided_at IS NULL", requestID).
		Updates(map[string]any{"decided_at": now, "decided_by": moderatorID, "approved": approve})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	if approve {
		if err := AddMember(db, r.GroupID, r.AccountID, GroupRoleMember, now); err != nil {
			return nil, err
		}
	}
	r.DecidedAt, r.DecidedBy, r.Approved = &now, &moderatorID, &approve
	return &r, nil
}

// CreateGroupInvite stores an invitation (by account or by code hash).
func CreateGroupInvite(db *gorm.DB, inv *GroupInvite) error {
	return db.Create(inv).Error
}

// AcceptGroupInvite spends an invitation for the account and makes it a
// member: either an invitation addressed to it, or a live link.
func AcceptGroupInvite(db *gorm.DB, groupID, accountID int64, codeHash []byte, now time.Time) error {
	q := db.Model(&GroupInvite{}).Where("group_id = ? AND used_at IS NULL AND expires_at > ?", groupID, now)
	if codeHash != nil {
		q = q.Where("code_hash = ?", codeHash)
	} else {
		q = q.Where("invited_account_id = ?", accountID)
	}
	var inv GroupInvite
	if err := q.Order("id").First(&inv).Error; err != nil {
		return notFound(err)
	}
	res := db.Model(&GroupInvite{}).Where("id = ? AND used_at IS NULL", inv.ID).Update("used_at", now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return AddMember(db, groupID, accountID, GroupRoleMember, now)
}

// GroupMembers lists a group's members with their usernames.
func GroupMembers(db *gorm.DB, groupID int64) ([]MemberName, error) {
	var list []MemberName
	err := db.Table("group_members").Select("accounts.id, accounts.username, group_members.role, group_members.joined_at").
		Joins("JOIN accounts ON accounts.id = group_members.account_id").
		Where("group_members.group_id = ?", groupID).Order("accounts.username").Scan(&list).Error
	return list, err
}

// MemberName is a member as a group's member list shows them.
type MemberName struct {
	ID       int64
	Username string
	Role     string
	JoinedAt time.Time
}
