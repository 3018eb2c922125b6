package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/models"
)

// groupsData is /groups: the reader's groups and the directory of listed
// groups they are not in.
type groupsData struct {
	Mine, Directory []models.GroupListing
}

// groupsGet lists the reader's groups and the directory.
func (a *App) groupsGet(c echo.Context) error {
	mine, directory, err := models.GroupsForMember(a.db.WithContext(c.Request().Context()), currentAccount(c).ID)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("groups.title")
	data.Data = groupsData{Mine: mine, Directory: directory}
	return a.page(c, http.StatusOK, "groups", data)
}

// groupData is a group page. Readers who may read the group (members,
// staff) get the topics; everyone else only the public face and the join
// control.
type groupData struct {
	Access  *models.Access
	Invited bool
	Pending bool
	Topics  []topicItem
	Page    int
	Pages   int
	// Prev and Next are the neighbouring pages, 0 when there is none.
	Prev, Next int
	// About is the group's about text, rendered and sanitized by
	// internal/markup when an administrator saved it.
	About template.HTML
}

// topicItem is one topic of a group page, its texts finished in Go (a
// page lists 25, and each text with a count or a time is a message
// template to execute).
type topicItem struct {
	ID             int64
	Title          string
	Pinned, Unread bool
	// Replies and Activity are the reader's wording of the reply count
	// and of the last post's time.
	Replies, Activity string
}

// groupJoinForm is the join control; field names are the public interface.
type groupJoinForm struct {
	Answer string `form:"answer"`
}

// groupGet shows a group: its content through the gate for members and
// staff, the public description and the join control for other members; an
// unlisted group is 404 to everyone outside it (unless it invited them).
func (a *App) groupGet(c echo.Context) error {
	return a.groupPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) groupPage(c echo.Context, status int, data *pageData) error {
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	reader := models.ReaderOf(acct)
	access, invited, err := models.GroupAccessInvited(db, reader, c.Param("slug"), now)
	if err != nil {
		return err
	}
	gd := groupData{Access: access, Invited: invited, Page: 1, Pages: 1}
	if access.CanRead() {
		// The gate records a staff read from outside.
		if err := models.NoteRead(db, reader, access, now); err != nil {
			return err
		}
		if gd.Page, err = pageParam(c); err != nil {
			return err
		}
		topics, total, err := models.GroupTopics(db, access.Group.ID, acct.ID, gd.Page)
		if err != nil {
			return err
		}
		gd.Topics = make([]topicItem, len(topics))
		for i, t := range topics {
			gd.Topics[i] = topicItem{ID: t.ID, Title: t.Title, Pinned: t.Pinned, Unread: t.Unread(),
				Replies:  data.T("group.replies", "Count", t.Replies()),
				Activity: data.T("group.last_activity", "When", data.When(t.LastPostAt))}
		}
		gd.Pages = max(1, int((total+models.TopicsPerPage-1)/models.TopicsPerPage))
		if gd.Page > gd.Pages {
			return models.ErrNotFound
		}
		if gd.Page > 1 {
			gd.Prev = gd.Page - 1
		}
		if gd.Page < gd.Pages {
			gd.Next = gd.Page + 1
		}
		// #nosec G203 -- about_html is only ever written from a.markup.Render.
		gd.About = storedHTML(access.Group.AboutHTML)
	} else if access.Group.JoinPolicy == models.JoinPolicyRequest {
		if gd.Pending, err = models.HasPendingRequest(db, access.Group.ID, acct.ID); err != nil {
			return err
		}
	}
	data.Title = access.Group.Name
	data.Data = gd
	return a.page(c, status, "group", data)
}

// pageParam reads ?page=N (1 when absent); anything else is 404.
func pageParam(c echo.Context) (int, error) {
	raw := c.QueryParam("page")
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, models.ErrNotFound
	}
	return n, nil
}

// groupJoinPost joins a group by its policy: an open group at once; a group
// by request with the answer to its entry question; an invitation addressed
// to the reader is accepted whatever the policy (a moderator chose them).
func (a *App) groupJoinPost(c echo.Context) error {
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	access, invited, err := models.GroupAccessInvited(db, models.ReaderOf(acct), c.Param("slug"), now)
	if err != nil {
		return err
	}
	g := access.Group
	target := "/groups/" + g.Slug
	if access.Member {
		a.flash(c, "flash.groups.already_member")
		return c.Redirect(http.StatusSeeOther, target)
	}
	var f groupJoinForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	switch {
	case invited:
		err = models.AcceptInvitation(db, g.ID, acct.ID, "", now)
		if errors.Is(err, models.ErrNotFound) { // expired between page and click
			a.flash(c, "flash.groups.invitation_gone")
			return c.Redirect(http.StatusSeeOther, "/groups")
		}
		a.flash(c, "flash.groups.joined")
	case g.JoinPolicy == models.JoinPolicyOpen:
		err = models.JoinOpenGroup(db, access, acct.ID, now)
		a.flash(c, "flash.groups.joined")
	case g.JoinPolicy == models.JoinPolicyRequest:
		data := a.newPageData(c)
		data.Form["answer"] = f.Answer
		answer := strings.TrimSpace(f.Answer)
		switch {
		case g.EntryQuestion != "" && answer == "":
			data.Errors["answer"] = data.T("group.join.answer_required")
		case utf8.RuneCountInString(answer) > models.JoinAnswerMax:
			data.Errors["answer"] = data.T("group.join.answer_too_long", "Max", models.JoinAnswerMax)
		case !models.PrintableText(answer):
			data.Errors["answer"] = data.T("group.join.answer_characters")
		}
		if data.HasErrors() {
			return a.groupPage(c, http.StatusUnprocessableEntity, data)
		}
		err = models.RequestToJoin(db, access, acct.ID, answer, now)
		if errors.Is(err, models.ErrRequestPending) {
			a.flash(c, "flash.groups.request_already_pending")
			return c.Redirect(http.StatusSeeOther, target)
		}
		a.flash(c, "flash.groups.request_sent")
	default:
		data := a.newPageData(c)
		data.Errors[""] = data.T("group.join.invite_only")
		return a.groupPage(c, http.StatusUnprocessableEntity, data)
	}
	if errors.Is(err, models.ErrAlreadyMember) {
		a.flash(c, "flash.groups.already_member")
		return c.Redirect(http.StatusSeeOther, target)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// groupInviteData is the page of a one-time invite link.
type groupInviteData struct {
	Group *models.Group
	Code  string
}

// groupInviteLinkGet shows the group a one-time link invites to, with an
// accept button. A wrong, used or expired link gets a calm 404 that names
// no group.
func (a *App) groupInviteLinkGet(c echo.Context) error {
	return a.groupInviteLinkPage(c, func(g *models.Group) error {
		data := a.newPageData(c)
		data.Title = g.Name
		data.Data = groupInviteData{Group: g, Code: c.Param("code")}
		return a.page(c, http.StatusOK, "group_invite", data)
	})
}

// groupInviteLinkPost spends the link and makes the reader a member.
func (a *App) groupInviteLinkPost(c echo.Context) error {
	return a.groupInviteLinkPage(c, func(g *models.Group) error {
		err := models.AcceptInvitation(a.db.WithContext(c.Request().Context()), g.ID, currentAccount(c).ID, c.Param("code"), a.now().UTC())
		switch {
		case errors.Is(err, models.ErrNotFound): // spent by someone else a moment ago
			return a.groupInviteGone(c)
		case errors.Is(err, models.ErrAlreadyMember):
			a.flash(c, "flash.groups.already_member")
		case err != nil:
			return err
		default:
			a.flash(c, "flash.groups.joined")
		}
		return c.Redirect(http.StatusSeeOther, "/groups/"+g.Slug)
	})
}

// groupInviteLinkPage checks the link, sends a member who already belongs
// to the group, and otherwise runs next.
func (a *App) groupInviteLinkPage(c echo.Context, next func(*models.Group) error) error {
	db := a.db.WithContext(c.Request().Context())
	g, err := models.GroupByInviteLink(db, c.Param("slug"), c.Param("code"), a.now().UTC())
	if errors.Is(err, models.ErrNotFound) {
		return a.groupInviteGone(c)
	}
	if err != nil {
		return err
	}
	m, err := models.Membership(db, g.ID, currentAccount(c).ID)
	if err != nil {
		return err
	}
	if m != nil {
		a.flash(c, "flash.groups.already_member")
		return c.Redirect(http.StatusSeeOther, "/groups/"+g.Slug)
	}
	return next(g)
}

func (a *App) groupInviteGone(c echo.Context) error {
	data := a.newPageData(c)
	data.Title = data.T("group.invite.gone_title")
	data.Data = groupInviteData{}
	return a.page(c, http.StatusNotFound, "group_invite", data)
}

// groupLeaveGet asks the member to confirm leaving.
func (a *App) groupLeaveGet(c echo.Context) error {
	access, err := a.memberAccess(c)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("group.leave.title", "Group", access.Group.Name)
	data.Data = access
	return a.page(c, http.StatusOK, "group_leave", data)
}

// groupLeavePost ends the reader's membership.
func (a *App) groupLeavePost(c echo.Context) error {
	access, err := a.memberAccess(c)
	if err != nil {
		return err
	}
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		return models.LeaveGroup(tx, access.Group.ID, currentAccount(c).ID)
	})
	if err != nil {
		return err
	}
	a.flash(c, "flash.groups.left")
	return c.Redirect(http.StatusSeeOther, "/groups")
}

// memberAccess is the reader's access to a group they belong to; anyone
// else gets 404 (there is nothing for them to leave).
func (a *App) memberAccess(c echo.Context) (*models.Access, error) {
	access, err := models.GroupAccess(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)), c.Param("slug"))
	if err != nil {
		return nil, err
	}
	if !access.Member {
		return nil, models.ErrNotFound
	}
	return access, nil
}

// groupMembersData is the member list of a group.
type groupMembersData struct {
	Access  *models.Access
	Members []models.MemberName
}

// groupMembersGet lists a group's members, through the gate.
func (a *App) groupMembersGet(c echo.Context) error {
	db := a.db.WithContext(c.Request().Context())
	access, err := models.ReadGroup(db, models.ReaderOf(currentAccount(c)), c.Param("slug"), a.now().UTC())
	if err != nil {
		return err
	}
	members, err := models.GroupMembers(db, access.Group.ID)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("group.members.title", "Group", access.Group.Name)
	data.Data = groupMembersData{Access: access, Members: members}
	return a.page(c, http.StatusOK, "group_members", data)
}
