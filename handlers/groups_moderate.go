package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
	"hearth/models"
)

// groupModerateData is a group's moderation page: pending requests, the
// invitation form, and a new invite link (shown this once).
type groupModerateData struct {
	Access   *models.Access
	Requests []models.JoinRequestView
	NewLink  string
}

// moderatedGroup is the reader's access to a group they moderate; anyone
// else gets 404, so the page reveals nothing about groups one does not run.
func (a *App) moderatedGroup(c echo.Context) (*models.Access, error) {
	return models.ModerateGroup(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)),
		c.Param("slug"), a.now().UTC())
}

// groupModerateGet lists pending join requests and the invitation tools.
func (a *App) groupModerateGet(c echo.Context) error {
	access, err := a.moderatedGroup(c)
	if err != nil {
		return err
	}
	return a.groupModeratePage(c, http.StatusOK, a.newPageData(c), access, "")
}

func (a *App) groupModeratePage(c echo.Context, status int, data *pageData, access *models.Access, newLink string) error {
	requests, err := models.PendingJoinRequestViews(a.db.WithContext(c.Request().Context()), access.Group.ID)
	if err != nil {
		return err
	}
	data.Title = data.T("group.moderate.title", "Group", access.Group.Name)
	data.Data = groupModerateData{Access: access, Requests: requests, NewLink: newLink}
	return a.page(c, status, "group_moderate", data)
}

// groupRequestApprovePost approves a join request of this group.
func (a *App) groupRequestApprovePost(c echo.Context) error { return a.groupRequestDecide(c, true) }

// groupRequestDeclinePost declines a join request of this group.
func (a *App) groupRequestDeclinePost(c echo.Context) error { return a.groupRequestDecide(c, false) }

// groupRequestDecide decides a request; the applicant is notified and the
// decision audited in the same transaction (models.DecideGroupJoinRequest).
// A request id of another group is 404.
func (a *App) groupRequestDecide(c echo.Context, approve bool) error {
	access, err := a.moderatedGroup(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return models.ErrNotFound
	}
	err = models.DecideGroupJoinRequest(a.db.WithContext(c.Request().Context()), access, id, currentAccount(c).ID, approve, a.now().UTC())
	switch {
	case errors.Is(err, models.ErrAlreadyDecided):
		a.flash(c, "flash.groups.request_already_decided")
	case errors.Is(err, models.ErrSelf):
		return echo.NewHTTPError(http.StatusForbidden).SetInternal(err)
	case err != nil:
		return err
	case approve:
		a.flash(c, "flash.groups.request_approved")
	default:
		a.flash(c, "flash.groups.request_declined")
	}
	return c.Redirect(http.StatusSeeOther, "/groups/"+access.Group.Slug+"/moderate")
}

// groupInvitationForm invites a member by username.
type groupInvitationForm struct {
	Username string `form:"username"`
}

// groupInvitationPost invites an existing member by username. The answer is
// the same whether the username exists, is already in the group or was
// invited before: usernames are pseudonyms that members may want kept from
// a moderator of a group they are not in, so the page never confirms one.
func (a *App) groupInvitationPost(c echo.Context) error {
	access, err := a.moderatedGroup(c)
	if err != nil {
		return err
	}
	var f groupInvitationForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	data := a.newPageData(c)
	data.Form["username"] = f.Username
	if strings.TrimSpace(f.Username) == "" {
		data.Errors["username"] = data.T("group.moderate.username_required")
		return a.groupModeratePage(c, http.StatusUnprocessableEntity, data, access, "")
	}
	var invitee *models.Account
	if canonical, _, err := auth.NormalizeUsername(f.Username); err == nil {
		invitee, err = models.AccountByUsername(db, canonical)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	err = models.InviteMember(db, access, currentAccount(c).ID, invitee, a.now().UTC())
	if errors.Is(err, models.ErrSelf) {
		data.Errors["username"] = data.T("group.moderate.invite_self")
		return a.groupModeratePage(c, http.StatusUnprocessableEntity, data, access, "")
	}
	if err != nil {
		return err
	}
	a.flash(c, "flash.groups.invitation_sent")
	return c.Redirect(http.StatusSeeOther, "/groups/"+access.Group.Slug+"/moderate")
}

// groupInviteLinkCreatePost makes a one-time invite link and answers 200
// with it, shown this once: the code is in no redirect and no log.
func (a *App) groupInviteLinkCreatePost(c echo.Context) error {
	access, err := a.moderatedGroup(c)
	if err != nil {
		return err
	}
	code, err := models.NewGroupInviteLink(a.db.WithContext(c.Request().Context()), access, currentAccount(c).ID, a.now().UTC())
	if err != nil {
		return err
	}
	link := strings.TrimSuffix(a.siteBaseURL(), "/") + "/groups/" + access.Group.Slug + "/invite/" + code
	return a.groupModeratePage(c, http.StatusOK, a.newPageData(c), access, link)
}
