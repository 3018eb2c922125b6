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

// adminGroupsData is the list of every group, listed or not.
type adminGroupsData struct {
	adminNav
	Groups []models.GroupListing
}

// adminGroupsGet lists every group with links to edit them.
func (a *App) adminGroupsGet(c echo.Context) error {
	groups, err := models.AllGroups(a.db.WithContext(c.Request().Context()))
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("admin.groups.title")
	data.Data = adminGroupsData{adminNav: adminNav{Current: "groups"}, Groups: groups}
	return a.page(c, http.StatusOK, "admin_groups", data)
}

// groupForm is the administrators' group form. Listed is a checkbox:
// present means listed.
type groupForm struct {
	Name          string `form:"name"`
	Slug          string `form:"slug"`
	Description   string `form:"description"`
	About         string `form:"about"`
	JoinPolicy    string `form:"join_policy"`
	Listed        string `form:"listed"`
	EntryQuestion string `form:"entry_question"`
}

// adminGroupEditData is the new-group and edit-group page; Group is nil for
// a new group.
type adminGroupEditData struct {
	adminNav
	Group      *models.Group
	Moderators []models.MemberName
}

// adminGroupNewGet shows an empty group form (by request, listed: the safe
// defaults).
func (a *App) adminGroupNewGet(c echo.Context) error {
	data := a.newPageData(c)
	data.Form["join_policy"], data.Form["listed"] = models.JoinPolicyRequest, "yes"
	return a.adminGroupEditPage(c, http.StatusOK, data, nil)
}

func (a *App) adminGroupEditPage(c echo.Context, status int, data *pageData, g *models.Group) error {
	ed := adminGroupEditData{adminNav: adminNav{Current: "groups"}, Group: g}
	data.Title = data.T("admin.groups.new_title")
	if g != nil {
		var err error
		if ed.Moderators, err = models.GroupModerators(a.db.WithContext(c.Request().Context()), g.ID); err != nil {
			return err
		}
		data.Title = data.T("admin.groups.edit_title", "Group", g.Name)
	}
	data.Data = ed
	return a.page(c, status, "admin_group_edit", data)
}

// keep puts what the administrator typed back into the form.
func (f *groupForm) keep(data *pageData) {
	data.Form["name"], data.Form["slug"], data.Form["description"] = f.Name, f.Slug, f.Description
	data.Form["about"], data.Form["join_policy"], data.Form["entry_question"] = f.About, f.JoinPolicy, f.EntryQuestion
	if f.Listed != "" {
		data.Form["listed"] = "yes"
	}
}

// apply checks the form into g (the slug only when creating) and renders
// the about text; it fills data.Errors for every refused field.
func (a *App) applyGroupForm(f *groupForm, g *models.Group, creating bool, data *pageData) error {
	g.Name, g.Description, g.About, g.EntryQuestion = f.Name, f.Description, f.About, f.EntryQuestion
	g.JoinPolicy, g.Listed = f.JoinPolicy, f.Listed != ""
	if creating {
		g.Slug = strings.TrimSpace(f.Slug)
	}
	for field, problem := range models.CheckGroup(g, creating) {
		data.Errors[field] = groupProblemMessage(data, field, problem)
	}
	if data.HasErrors() {
		return nil
	}
	html, err := a.markup.Render(g.About)
	if err != nil {
		return err
	}
	g.AboutHTML = string(html)
	return nil
}

// groupProblemMessage words a refused group field.
func groupProblemMessage(data *pageData, field, problem string) string {
	switch problem {
	case models.ProblemRequired:
		return data.T("admin.groups.error.name_required")
	case models.ProblemSlugFormat:
		return data.T("admin.groups.error.slug_format", "Min", models.GroupSlugMin, "Max", models.GroupSlugMax)
	case models.ProblemPolicy:
		return data.T("admin.groups.error.policy")
	case models.ProblemCharacters:
		return data.T("admin.groups.error.characters")
	}
	limits := map[string]int{"name": models.GroupNameMax, "description": models.GroupDescriptionMax,
		"about": models.GroupAboutMax, "entry_question": models.GroupQuestionMax}
	return data.T("admin.groups.error.too_long", "Max", limits[field])
}

// adminGroupNewPost creates a group; every refused field comes back with
// its message and the text kept, and nothing is saved.
func (a *App) adminGroupNewPost(c echo.Context) error {
	var f groupForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data)
	g := &models.Group{}
	if err := a.applyGroupForm(&f, g, true, data); err != nil {
		return err
	}
	if data.HasErrors() {
		return a.adminGroupEditPage(c, http.StatusUnprocessableEntity, data, nil)
	}
	actor := currentAccount(c).ID
	err := models.CreateGroupAudited(a.db.WithContext(c.Request().Context()), g, &actor, a.now().UTC())
	if errors.Is(err, models.ErrSlugTaken) {
		data.Errors["slug"] = data.T("admin.groups.error.slug_taken")
		return a.adminGroupEditPage(c, http.StatusUnprocessableEntity, data, nil)
	}
	if err != nil {
		return err
	}
	a.flash(c, "flash.groups.created")
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+g.Slug+"/edit")
}

// adminGroup loads the group named in the path, for administrators.
func (a *App) adminGroup(c echo.Context) (*models.Group, error) {
	return models.GroupBySlug(a.db.WithContext(c.Request().Context()), c.Param("slug"))
}

// adminGroupEditGet shows a group's form filled in, and its moderators.
func (a *App) adminGroupEditGet(c echo.Context) error {
	g, err := a.adminGroup(c)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	fillGroupForm(data, g)
	return a.adminGroupEditPage(c, http.StatusOK, data, g)
}

func fillGroupForm(data *pageData, g *models.Group) {
	data.Form["name"], data.Form["slug"], data.Form["description"] = g.Name, g.Slug, g.Description
	data.Form["about"], data.Form["join_policy"], data.Form["entry_question"] = g.About, g.JoinPolicy, g.EntryQuestion
	if g.Listed {
		data.Form["listed"] = "yes"
	}
}

// adminGroupEditPost saves a group's fields; the slug never changes.
func (a *App) adminGroupEditPost(c echo.Context) error {
	g, err := a.adminGroup(c)
	if err != nil {
		return err
	}
	var f groupForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.Slug = g.Slug
	f.keep(data)
	stored := *g
	if err := a.applyGroupForm(&f, g, false, data); err != nil {
		return err
	}
	if data.HasErrors() {
		return a.adminGroupEditPage(c, http.StatusUnprocessableEntity, data, &stored)
	}
	if err := models.UpdateGroupAudited(a.db.WithContext(c.Request().Context()), g, currentAccount(c).ID, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.groups.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+g.Slug+"/edit")
}

// adminGroupModeratorPost appoints a moderator by username, adding them to
// the group when they are not in it yet. Administrators may see every
// username, so an unknown one is said plainly.
func (a *App) adminGroupModeratorPost(c echo.Context) error {
	g, err := a.adminGroup(c)
	if err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	username := c.FormValue("username")
	var acct *models.Account
	if canonical, _, nerr := auth.NormalizeUsername(username); nerr == nil {
		acct, err = models.AccountByUsername(db, canonical)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	if acct == nil {
		data := a.newPageData(c)
		fillGroupForm(data, g)
		data.Form["username"] = username
		data.Errors["username"] = data.T("admin.groups.error.username_unknown")
		return a.adminGroupEditPage(c, http.StatusUnprocessableEntity, data, g)
	}
	if err := models.AppointModerator(db, g.ID, acct.ID, currentAccount(c).ID, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.groups.moderator_added")
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+g.Slug+"/edit")
}

// adminGroupModeratorRemovePost makes a moderator a plain member again; an
// account that is not a moderator of this group is 404.
func (a *App) adminGroupModeratorRemovePost(c echo.Context) error {
	g, err := a.adminGroup(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return models.ErrNotFound
	}
	if err := models.RemoveModerator(a.db.WithContext(c.Request().Context()), g.ID, id, currentAccount(c).ID, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.groups.moderator_removed")
	return c.Redirect(http.StatusSeeOther, "/admin/groups/"+g.Slug+"/edit")
}
