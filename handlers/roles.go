package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// rolesData is the site roles page.
type rolesData struct {
	Staff []models.MemberName
	Roles []string
}

func (a *App) rolesGet(c echo.Context) error {
	return a.rolesPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) rolesPage(c echo.Context, status int, data *pageData) error {
	list, err := models.SiteRoleMembers(a.db.WithContext(c.Request().Context()))
	if err != nil {
		return err
	}
	data.Title = data.T("roles.title")
	data.Data = rolesData{Staff: list, Roles: []string{models.RoleMember, models.RoleSiteModerator, models.RoleAdmin}}
	return a.page(c, status, "admin_roles", data)
}

// rolesPost grants or removes a site role. The member's sessions end: the
// new role starts with their next sign-in. Never one's own role.
func (a *App) rolesPost(c echo.Context) error {
	var f struct {
		Username string `form:"username"`
		Role     string `form:"role"`
	}
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["username"], data.Form["role"] = f.Username, f.Role
	db := a.db.WithContext(c.Request().Context())
	m, err := models.ModOf(db, currentAccount(c))
	if err != nil {
		return err
	}
	_, err = models.SetSiteRole(db, m, f.Username, f.Role, a.now().UTC())
	switch {
	case errors.Is(err, models.ErrNotFound):
		data.Errors["username"] = data.T("roles.error.unknown")
	case errors.Is(err, models.ErrSelf):
		data.Errors["username"] = data.T("roles.error.self")
	case errors.Is(err, models.ErrModInput):
		data.Errors["role"] = data.T("roles.error.role")
	case err != nil:
		return err
	}
	if data.HasErrors() {
		return a.rolesPage(c, http.StatusUnprocessableEntity, data)
	}
	a.flash(c, "flash.mod.role_changed")
	return c.Redirect(http.StatusSeeOther, "/admin/roles")
}

// wordsData is the word list page, with the urgent-alert settings.
type wordsData struct {
	Words []models.WordRule
}

func (a *App) wordsGet(c echo.Context) error {
	return a.wordsPage(c, http.StatusOK, a.newPageData(c), true)
}

func (a *App) wordsPage(c echo.Context, status int, data *pageData, loadAlerts bool) error {
	db := a.db.WithContext(c.Request().Context())
	list, err := models.WordRules(db)
	if err != nil {
		return err
	}
	if loadAlerts {
		s, err := models.LoadAlertSettings(db)
		if err != nil {
			return err
		}
		data.Form["webhook"], data.Form["smtp"], data.Form["from"], data.Form["to"] = s.Webhook, s.SMTP, s.From, s.To
	}
	data.Title = data.T("words.title")
	data.Data = wordsData{Words: list}
	return a.page(c, status, "admin_words", data)
}

// wordsPost adds a word or phrase with the action block or hold.
func (a *App) wordsPost(c echo.Context) error {
	var f struct {
		Phrase string `form:"phrase"`
		Action string `form:"action"`
	}
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["phrase"], data.Form["action"] = f.Phrase, f.Action
	phrase := strings.TrimSpace(f.Phrase)
	if phrase == "" || len([]rune(phrase)) > 100 || !models.PrintableText(phrase) || strings.ContainsAny(phrase, "\n\r") {
		data.Errors["phrase"] = data.T("words.error.phrase")
	}
	if f.Action != models.WordBlock && f.Action != models.WordHold {
		data.Errors["action"] = data.T("words.error.action")
	}
	if data.HasErrors() {
		return a.wordsPage(c, http.StatusUnprocessableEntity, data, true)
	}
	if err := models.SaveWordRule(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, strings.ToLower(phrase), f.Action, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.mod.word_saved")
	return c.Redirect(http.StatusSeeOther, "/admin/words")
}

// wordsDeletePost removes a word from the list.
func (a *App) wordsDeletePost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeleteWordRule(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, id, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.mod.word_deleted")
	return c.Redirect(http.StatusSeeOther, "/admin/words")
}
