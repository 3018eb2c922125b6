package models

import (
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// The gate: every read of group content goes through these functions, which
// take the reader. Nothing inside a group is visible to anyone but its
// members, site moderators and administrators; a guessed id of a topic or
// post in another group is ErrNotFound, for reading and for every action;
// an unlisted group is ErrNotFound to everyone outside it; and every read by
// staff who are not members is appended to the audit log.

// Reader is who is reading: an account and its site role.
type Reader struct {
	AccountID int64
	SiteRole  string
}

// ReaderOf makes the Reader for an account.
func ReaderOf(acct *Account) Reader { return Reader{AccountID: acct.ID, SiteRole: acct.Role} }

// Staff reports whether the reader may see every group (administrators and
// site moderators).
func (r Reader) Staff() bool { return r.SiteRole == RoleAdmin || r.SiteRole == RoleSiteModerator }

// Access is a reader's relation to one group.
type Access struct {
	Group     *Group
	Member    bool
	Moderator bool // moderator of this group (or staff)
	Staff     bool
}

// CanRead reports whether the reader may see the group's content.
func (a *Access) CanRead() bool { return a.Member || a.Staff }

// GroupAccess returns the reader's access to a group by slug. A group the
// reader may not even know of (unlisted, not a member, not staff) is
// ErrNotFound. It records nothing: it may be used to show the public
// description.
//
// The group and the reader's membership come in one statement: every page
// of a group asks.
func GroupAccess(db *gorm.DB, r Reader, slug string) (*Access, error) {
	var row struct {
		Group
		MemberRole *string
	}
	err := db.Table("groups").Select("groups.*, group_members.role AS member_role").
		Joins("LEFT JOIN group_members ON group_members.group_id = groups.id AND group_members.account_id = ?", r.AccountID).
		Where("groups.slug = ?", slug).Limit(1).Scan(&row).Error
	if err != nil {
		return nil, fmt.Errorf("models: group access: %w", err)
	}
	if row.ID == 0 {
		return nil, ErrNotFound
	}
	g := row.Group
	return accessFor(r, &g, row.MemberRole)
}

func accessTo(db *gorm.DB, r Reader, g *Group) (*Access, error) {
	m, err := Membership(db, g.ID, r.AccountID)
	if err != nil {
		return nil, fmt.Errorf("models: membership: %w", err)
	}
	var role *string
	if m != nil {
		role = &m.Role
	}
	return accessFor(r, g, role)
}

// accessFor decides the reader's access from the group and her role in it
// (nil: not a member).
func accessFor(r Reader, g *Group, memberRole *string) (*Access, error) {
	a := &Access{Group: g, Member: memberRole != nil, Staff: r.Staff()}
	a.Moderator = a.Staff || (memberRole != nil && *memberRole == GroupRoleModerator)
	if !g.Listed && !a.Member && !a.Staff {
		return nil, ErrNotFound
	}
	return a, nil
}

// ReadGroup returns access for reading the group's content: ErrNotFound
// unless the reader may read it; a staff read by a non-member is audited.
func ReadGroup(db *gorm.DB, r Reader, slug string, now time.Time) (*Access, error) {
	a, err := GroupAccess(db, r, slug)
	if err != nil {
		return nil, err
	}
	if !a.CanRead() {
		return nil, ErrNotFound
	}
	if err := recordOutsideRead(db, r, a, now); err != nil {
		return nil, err
	}
	return a, nil
}

// NoteRead records, for access found by GroupAccess, that the reader now
// reads the group's content: a staff read by a non-member is audited. A
// page that first looked the group up with GroupAccess calls it instead of
// ReadGroup, so as not to look it up twice.
func NoteRead(db *gorm.DB, r Reader, a *Access, now time.Time) error {
	if !a.CanRead() {
		return ErrNotFound
	}
	return recordOutsideRead(db, r, a, now)
}

func recordOutsideRead(db *gorm.DB, r Reader, a *Access, now time.Time) error {
	if a.Member {
		return nil
	}
	return Audit(db, &r.AccountID, "group.read_by_non_member", nil, "group:"+strconv.FormatInt(a.Group.ID, 10), now)
}

// ReadTopic returns a topic of the group named by slug, for a reader who may
// read it; a topic of another group is ErrNotFound.
func ReadTopic(db *gorm.DB, r Reader, slug string, topicID int64, now time.Time) (*Topic, *Access, error) {
	a, err := ReadGroup(db, r, slug, now)
	if err != nil {
		return nil, nil, err
	}
	var t Topic
	if err := db.Where("id = ? AND group_id = ?", topicID, a.Group.ID).First(&t).Error; err != nil {
		return nil, nil, notFound(err)
	}
	return &t, a, nil
}

// ReadPost returns a post, its topic and the reader's access, for a reader
// who may read its group.
func ReadPost(db *gorm.DB, r Reader, postID int64, now time.Time) (*Post, *Topic, *Access, error) {
	var p Post
	if err := db.First(&p, postID).Error; err != nil {
		return nil, nil, nil, notFound(err)
	}
	var g Group
	if err := db.First(&g, p.GroupID).Error; err != nil {
		return nil, nil, nil, notFound(err)
	}
	a, err := accessTo(db, r, &g)
	if err != nil {
		return nil, nil, nil, err
	}
	if !a.CanRead() {
		return nil, nil, nil, ErrNotFound
	}
	if err := recordOutsideRead(db, r, a, now); err != nil {
		return nil, nil, nil, err
	}
	var t Topic
	if err := db.First(&t, p.TopicID).Error; err != nil {
		return nil, nil, nil, notFound(err)
	}
	return &p, &t, a, nil
}
