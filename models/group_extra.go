package models

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"hearth/internal/auth"
)

// Limits of a group's fields, in characters.
const (
	GroupNameMax        = 80
	GroupSlugMin        = 2
	GroupSlugMax        = 40
	GroupDescriptionMax = 300
	GroupAboutMax       = 20000
	GroupQuestionMax    = 300
	JoinAnswerMax       = 1000
	// GroupInviteTTL is how long an invitation (by username or by link)
	// stays valid.
	GroupInviteTTL = 7 * 24 * time.Hour
)

// Audit actions about groups. Detail is "group:ID" (plus a request id where
// one exists); TargetAccountID is the member acted on.
const (
	AuditGroupCreated          = "group.created"
	AuditGroupUpdated          = "group.updated"
	AuditGroupModeratorAdded   = "group.moderator_added"
	AuditGroupModeratorRemoved = "group.moderator_removed"
	AuditGroupJoinApproved     = "group.join_approved"
	AuditGroupJoinDeclined     = "group.join_declined"
	AuditGroupMemberInvited    = "group.member_invited"
	AuditGroupLinkCreated      = "group.invite_link_created"
)

// Errors of joining and moderating.
var (
	// ErrAlreadyDecided means another moderator (or a double click) decided
	// the join request first.
	ErrAlreadyDecided = errors.New("join request already decided")
	// ErrWrongPolicy means the group does not take members this way.
	ErrWrongPolicy = errors.New("group does not take members this way")
	// ErrSelf means a moderator tried to act on themselves.
	ErrSelf = errors.New("moderators never act on themselves")
)

// Reasons a group field is refused; handlers and the CLI turn them into
// words.
const (
	ProblemRequired   = "required"
	ProblemTooLong    = "too_long"
	ProblemCharacters = "characters"
	ProblemSlugFormat = "slug_format"
	ProblemPolicy     = "policy"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9-]+$`)

// ValidJoinPolicy reports whether p is one of the three join policies.
func ValidJoinPolicy(p string) bool {
	return p == JoinPolicyOpen || p == JoinPolicyRequest || p == JoinPolicyInvite
}

// CheckGroup checks a group's fields (trimming name, description and
// question in place) and returns one reason per refused field, keyed by
// form field name. checkSlug is false when editing: the slug never changes
// after creation, because links, bookmarks and notifications point at it.
func CheckGroup(g *Group, checkSlug bool) map[string]string {
	problems := map[string]string{}
	g.Name = strings.TrimSpace(g.Name)
	g.Description = strings.TrimSpace(g.Description)
	g.EntryQuestion = strings.TrimSpace(g.EntryQuestion)
	switch n := utf8.RuneCountInString(g.Name); {
	case n == 0:
		problems["name"] = ProblemRequired
	case n > GroupNameMax:
		problems["name"] = ProblemTooLong
	case !printableLine(g.Name):
		problems["name"] = ProblemCharacters
	}
	if checkSlug {
		if n := len(g.Slug); n < GroupSlugMin || n > GroupSlugMax || !slugPattern.MatchString(g.Slug) {
			problems["slug"] = ProblemSlugFormat
		}
	}
	if utf8.RuneCountInString(g.Description) > GroupDescriptionMax {
		problems["description"] = ProblemTooLong
	} else if !printableLine(g.Description) {
		problems["description"] = ProblemCharacters
	}
	if utf8.RuneCountInString(g.About) > GroupAboutMax {
		problems["about"] = ProblemTooLong
	} else if !PrintableText(g.About) {
		problems["about"] = ProblemCharacters
	}
	if utf8.RuneCountInString(g.EntryQuestion) > GroupQuestionMax {
		problems["entry_question"] = ProblemTooLong
	} else if !printableLine(g.EntryQuestion) {
		problems["entry_question"] = ProblemCharacters
	}
	if !ValidJoinPolicy(g.JoinPolicy) {
		problems["join_policy"] = ProblemPolicy
	}
	return problems
}

// printableLine refuses control characters (line breaks included) and
// invalid UTF-8 in one-line fields, which would only confuse the pages and
// the audit log.
func printableLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func groupDetail(groupID int64) string { return "group:" + strconv.FormatInt(groupID, 10) }

// CreateGroupAudited stores a checked group and its audit entry in one
// transaction; actorID is nil for the command line.
func CreateGroupAudited(db *gorm.DB, g *Group, actorID *int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		g.CreatedAt, g.UpdatedAt = now, now
		if err := CreateGroup(tx, g); err != nil {
			return err
		}
		return Audit(tx, actorID, AuditGroupCreated, nil, groupDetail(g.ID)+" "+g.Slug, now)
	})
}

// UpdateGroupAudited saves a group's editable fields and its audit entry.
func UpdateGroupAudited(db *gorm.DB, g *Group, actorID int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := UpdateGroup(tx, g, now); err != nil {
			return fmt.Errorf("models: update group %d: %w", g.ID, err)
		}
		return Audit(tx, &actorID, AuditGroupUpdated, nil, groupDetail(g.ID), now)
	})
}

// AllGroups lists every group, listed or not, with member counts: for
// administrators only.
func AllGroups(db *gorm.DB) ([]GroupListing, error) {
	var rows []GroupListing
	err := db.Table("groups").
		Select("groups.*, (SELECT COUNT(*) FROM group_members c WHERE c.group_id = groups.id) AS members").
		Order("groups.name, groups.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: list all groups: %w", err)
	}
	return rows, nil
}

// GroupAccessInvited is GroupAccess for a group page that must also open to
// a member holding an invitation addressed to them: an unlisted group is
// ErrNotFound to outsiders, except to the member it invites. Invited says
// whether such a live invitation exists.
func GroupAccessInvited(db *gorm.DB, r Reader, slug string, now time.Time) (a *Access, invited bool, err error) {
	a, err = GroupAccess(db, r, slug)
	switch {
	case err == nil:
		if a.Member {
			return a, false, nil
		}
		inv, err := PendingGroupInvite(db, a.Group.ID, r.AccountID, now)
		return a, inv != nil, err
	case !errors.Is(err, ErrNotFound):
		return nil, false, err
	}
	g, err := GroupBySlug(db, slug)
	if err != nil {
		return nil, false, err
	}
	inv, err := PendingGroupInvite(db, g.ID, r.AccountID, now)
	if err != nil {
		return nil, false, err
	}
	if inv == nil {
		return nil, false, ErrNotFound
	}
	return &Access{Group: g}, true, nil
}

// PendingGroupInvite returns a live invitation of the group addressed to
// the account, or nil.
func PendingGroupInvite(db *gorm.DB, groupID, accountID int64, now time.Time) (*GroupInvite, error) {
	var list []GroupInvite
	err := db.Where("group_id = ? AND invited_account_id = ? AND used_at IS NULL AND expires_at > ?", groupID, accountID, now).
		Order("id").Limit(1).Find(&list).Error
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// GroupByInviteLink returns the group a live one-time link opens; a wrong,
// used or expired code, or the code of another group, is ErrNotFound. The
// link shows the group even when it is unlisted: holding it is the proof.
func GroupByInviteLink(db *gorm.DB, slug, code string, now time.Time) (*Group, error) {
	g, err := GroupBySlug(db, slug)
	if err != nil {
		return nil, err
	}
	var n int64
	err = db.Model(&GroupInvite{}).
		Where("group_id = ? AND code_hash = ? AND used_at IS NULL AND expires_at > ?", g.ID, auth.HashToken(code), now).
		Count(&n).Error
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	return g, nil
}

// JoinOpenGroup makes the account a member of an open group at once.
func JoinOpenGroup(db *gorm.DB, a *Access, accountID int64, now time.Time) error {
	if a.Member {
		return ErrAlreadyMember
	}
	if a.Group.JoinPolicy != JoinPolicyOpen {
		return ErrWrongPolicy
	}
	return AddMember(db, a.Group.ID, accountID, GroupRoleMember, now)
}

// RequestToJoin records a join request to a group that takes requests; a
// second request while one is pending is ErrRequestPending.
func RequestToJoin(db *gorm.DB, a *Access, accountID int64, answer string, now time.Time) error {
	if a.Member {
		return ErrAlreadyMember
	}
	if a.Group.JoinPolicy != JoinPolicyRequest {
		return ErrWrongPolicy
	}
	return db.Transaction(func(tx *gorm.DB) error {
		_, err := RequestJoin(tx, a.Group.ID, accountID, answer, now)
		return err
	})
}

// AcceptInvitation spends an invitation — addressed to the account (code
// "") or a one-time link — and makes the account a member, in one
// transaction. A member who already belongs keeps their role and the
// invitation is left unspent (ErrAlreadyMember).
func AcceptInvitation(db *gorm.DB, groupID, accountID int64, code string, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		m, err := Membership(tx, groupID, accountID)
		if err != nil {
			return err
		}
		if m != nil {
			return ErrAlreadyMember
		}
		var hash []byte
		if code != "" {
			hash = auth.HashToken(code)
		}
		return AcceptGroupInvite(tx, groupID, accountID, hash, now)
	})
}

// LeaveGroup ends the account's membership; a moderator may leave too.
func LeaveGroup(db *gorm.DB, groupID, accountID int64) error {
	return RemoveMember(db, groupID, accountID)
}

// ModerateGroup returns the reader's access for moderating the group:
// ErrNotFound unless the reader moderates it (its group moderators, site
// moderators and administrators). A read by staff outside the group is
// audited by ReadGroup.
func ModerateGroup(db *gorm.DB, r Reader, slug string, now time.Time) (*Access, error) {
	a, err := ReadGroup(db, r, slug, now)
	if err != nil {
		return nil, err
	}
	if !a.Moderator {
		return nil, ErrNotFound
	}
	return a, nil
}

// JoinRequestView is a pending request as the moderation page shows it.
type JoinRequestView struct {
	JoinRequest
	Username string
}

// PendingJoinRequestViews lists a group's undecided requests with the
// applicants' usernames, oldest first.
func PendingJoinRequestViews(db *gorm.DB, groupID int64) ([]JoinRequestView, error) {
	var list []JoinRequestView
	err := db.Table("join_requests").Select("join_requests.*, accounts.username").
		Joins("JOIN accounts ON accounts.id = join_requests.account_id").
		Where("join_requests.group_id = ? AND join_requests.decided_at IS NULL", groupID).
		Order("join_requests.created_at, join_requests.id").Scan(&list).Error
	return list, err
}

// DecideGroupJoinRequest approves or declines a pending request of the
// moderated group, notifies the applicant and writes the audit entry, all
// in one transaction. A request of another group is ErrNotFound; one
// decided before is ErrAlreadyDecided; the moderator's own request is
// ErrSelf. The notification names no moderator: a declined applicant
// should not learn whom to blame.
func DecideGroupJoinRequest(db *gorm.DB, a *Access, requestID, moderatorID int64, approve bool, now time.Time) error {
	if !a.Moderator {
		return ErrNotFound
	}
	return db.Transaction(func(tx *gorm.DB) error {
		var r JoinRequest
		if err := tx.Where("id = ? AND group_id = ?", requestID, a.Group.ID).First(&r).Error; err != nil {
			return notFound(err)
		}
		if r.DecidedAt != nil {
			return ErrAlreadyDecided
		}
		if r.AccountID == moderatorID {
			return ErrSelf
		}
		m, err := Membership(tx, r.GroupID, r.AccountID)
		if err != nil {
			return err
		}
		if m != nil {
			// Joined meanwhile (an invitation): record the decision without
			// touching the membership, which may carry a moderator role.
			err = tx.Model(&JoinRequest{}).Where("id = ? AND decided_at IS NULL", r.ID).
				Updates(map[string]any{"decided_at": now, "decided_by": moderatorID, "approved": approve}).Error
		} else {
			_, err = DecideJoinRequest(tx, r.ID, moderatorID, approve, now)
		}
		if errors.Is(err, ErrNotFound) {
			return ErrAlreadyDecided
		}
		if err != nil {
			return err
		}
		kind, action := NotifyJoinDeclined, AuditGroupJoinDeclined
		if approve {
			kind, action = NotifyJoinApproved, AuditGroupJoinApproved
		}
		groupID := a.Group.ID
		if err := AddNotifications(tx, []Notification{{AccountID: r.AccountID, Kind: kind, GroupID: &groupID, CreatedAt: now}}); err != nil {
			return err
		}
		return Audit(tx, &moderatorID, action, &r.AccountID, groupDetail(groupID)+" request:"+strconv.FormatInt(r.ID, 10), now)
	})
}

// InviteMember invites an existing account to the moderated group: an
// invitation addressed to it, a notification and an audit entry, in one
// transaction. It reports nothing about the invitee: an unknown account
// (nil), one already in the group or already invited changes nothing and
// returns nil, so that the moderator's page says the same in every case.
// Inviting oneself is ErrSelf.
func InviteMember(db *gorm.DB, a *Access, moderatorID int64, invitee *Account, now time.Time) error {
	if !a.Moderator {
		return ErrNotFound
	}
	if invitee == nil {
		return nil
	}
	if invitee.ID == moderatorID {
		return ErrSelf
	}
	return db.Transaction(func(tx *gorm.DB) error {
		m, err := Membership(tx, a.Group.ID, invitee.ID)
		if err != nil || m != nil {
			return err
		}
		if inv, err := PendingGroupInvite(tx, a.Group.ID, invitee.ID, now); err != nil || inv != nil {
			return err
		}
		inviteeID, groupID := invitee.ID, a.Group.ID
		inv := &GroupInvite{GroupID: groupID, InvitedAccountID: &inviteeID, CreatedBy: &moderatorID, CreatedAt: now,
			ExpiresAt: now.Add(GroupInviteTTL)}
		if err := CreateGroupInvite(tx, inv); err != nil {
			return fmt.Errorf("models: invite to group %d: %w", groupID, err)
		}
		n := Notification{AccountID: inviteeID, Kind: NotifyGroupInvite, GroupID: &groupID, ActorID: &moderatorID, CreatedAt: now}
		if err := AddNotifications(tx, []Notification{n}); err != nil {
			return err
		}
		return Audit(tx, &moderatorID, AuditGroupMemberInvited, &inviteeID, groupDetail(groupID), now)
	})
}

// NewGroupInviteLink makes a one-time invite link's code for the moderated
// group: 128 random bits, of which only the SHA-256 is stored; the code is
// returned this once.
func NewGroupInviteLink(db *gorm.DB, a *Access, moderatorID int64, now time.Time) (string, error) {
	if !a.Moderator {
		return "", ErrNotFound
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	code := base64.RawURLEncoding.EncodeToString(raw)
	err := db.Transaction(func(tx *gorm.DB) error {
		inv := &GroupInvite{GroupID: a.Group.ID, CodeHash: auth.HashToken(code), CreatedBy: &moderatorID, CreatedAt: now,
			ExpiresAt: now.Add(GroupInviteTTL)}
		if err := CreateGroupInvite(tx, inv); err != nil {
			return fmt.Errorf("models: invite link for group %d: %w", a.Group.ID, err)
		}
		return Audit(tx, &moderatorID, AuditGroupLinkCreated, nil, groupDetail(a.Group.ID), now)
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// GroupModerators lists a group's moderators.
func GroupModerators(db *gorm.DB, groupID int64) ([]MemberName, error) {
	all, err := GroupMembers(db, groupID)
	if err != nil {
		return nil, err
	}
	var mods []MemberName
	for _, m := range all {
		if m.Role == GroupRoleModerator {
			mods = append(mods, m)
		}
	}
	return mods, nil
}

// AppointModerator makes the account a moderator of the group, adding it as
// a member first when needed, with an audit entry.
func AppointModerator(db *gorm.DB, groupID, accountID, actorID int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := AddMember(tx, groupID, accountID, GroupRoleModerator, now); err != nil {
			return fmt.Errorf("models: appoint moderator in group %d: %w", groupID, err)
		}
		return Audit(tx, &actorID, AuditGroupModeratorAdded, &accountID, groupDetail(groupID), now)
	})
}

// RemoveModerator makes a moderator of the group a plain member again (they
// stay in the group); an account that is not its moderator is ErrNotFound.
func RemoveModerator(db *gorm.DB, groupID, accountID, actorID int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&GroupMember{}).Where("group_id = ? AND account_id = ? AND role = ?", groupID, accountID, GroupRoleModerator).
			Update("role", GroupRoleMember)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(tx, &actorID, AuditGroupModeratorRemoved, &accountID, groupDetail(groupID), now)
	})
}

// HasPendingRequest reports whether the account waits for a decision on a
// join request to the group.
func HasPendingRequest(db *gorm.DB, groupID, accountID int64) (bool, error) {
	var n int64
	err := db.Model(&JoinRequest{}).Where("group_id = ? AND account_id = ? AND decided_at IS NULL", groupID, accountID).
		Count(&n).Error
	return n > 0, err
}

// PrintableText refuses invalid UTF-8 and control characters other than
// line breaks and tabs in multi-line text (PostgreSQL refuses NUL bytes,
// and nothing a person types needs the others).
func PrintableText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}
