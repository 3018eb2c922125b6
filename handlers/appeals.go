package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// appealsData is the member's page of decisions about them.
type appealsData struct {
	Decisions []models.Decision
	Held      []models.HeldPost
	Window    int
}

// appealsGet lists the decisions about the reader, each with its note and,
// within 14 days, a form to appeal it once.
func (a *App) appealsGet(c echo.Context) error {
	return a.appealsPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) appealsPage(c echo.Context, status int, data *pageData) error {
	list, err := models.DecisionsAbout(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)), a.now().UTC())
	if err != nil {
		return err
	}
	held, err := models.HeldOf(a.db.WithContext(c.Request().Context()), currentAccount(c).ID)
	if err != nil {
		return err
	}
	data.Title = data.T("appeal.title")
	data.Data = appealsData{Decisions: list, Held: held, Window: int(models.AppealWindow.Hours() / 24)}
	return a.page(c, status, "appeals", data)
}

// appealPost files an appeal of one decision about the reader.
func (a *App) appealPost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	field := "body-" + strconv.FormatInt(id, 10)
	data, body, err := a.appealText(c, field)
	if err != nil {
		return err
	}
	if !data.HasErrors() {
		err = models.FileAppeal(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, id, body, a.now().UTC())
		if !appealRefused(data, field, err) {
			if err != nil {
				return err
			}
			a.flash(c, "flash.mod.appealed")
			return c.Redirect(http.StatusSeeOther, "/appeals")
		}
	}
	return a.appealsPage(c, http.StatusUnprocessableEntity, data)
}

// appealText binds and checks the text of an appeal. The page data keeps
// the text under field, with the message beside it when it is refused.
func (a *App) appealText(c echo.Context, field string) (*pageData, string, error) {
	var f struct {
		Body string `form:"body"`
	}
	if err := bindForm(c, &f); err != nil {
		return nil, "", err
	}
	data := a.newPageData(c)
	data.Form[field] = f.Body
	body, why := models.CheckAppeal(f.Body)
	if why != "" {
		data.Errors[field] = data.T("appeal.error." + why)
	}
	return data, body, nil
}

// appealRefused puts the message for an appeal refused as too late or as a
// second one beside the field; false for any other outcome.
func appealRefused(data *pageData, field string, err error) bool {
	switch {
	case errors.Is(err, models.ErrAppealClosed):
		data.Errors[field] = data.T("appeal.error.closed")
	case errors.Is(err, models.ErrAppealTaken):
		data.Errors[field] = data.T("appeal.error.taken")
	default:
		return false
	}
	return true
}

// modAppealData is one appeal for a moderator to decide.
type modAppealData struct {
	Appeal  models.AppealView
	Presets []string
}

func (a *App) modAppealGet(c echo.Context) error {
	return a.modAppealPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) modAppealPage(c echo.Context, status int, data *pageData) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := models.OpenAppeals(a.db.WithContext(c.Request().Context()), currentMod(c))
	if err != nil {
		return err
	}
	for _, ap := range list {
		if ap.ID == id {
			data.Title = data.T("appeal.mod.title")
			data.Data = modAppealData{Appeal: ap, Presets: modPresets}
			return a.page(c, status, "appeal_mod", data)
		}
	}
	return models.ErrNotFound
}

// modAppealDecidePost upholds or overturns an appeal; the moderator who
// acted never decides it (models.OpenAppeals leaves it out).
func (a *App) modAppealDecidePost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	action := c.Param("action")
	if action != "uphold" && action != "overturn" {
		return models.ErrNotFound
	}
	var f modForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data)
	f.Report = ""
	in := a.modInput(c, &f, data)
	if data.HasErrors() {
		return a.modAppealPage(c, http.StatusUnprocessableEntity, data)
	}
	err = models.DecideAppeal(a.db.WithContext(c.Request().Context()), currentMod(c), id, action == "overturn", in, a.now().UTC())
	if err != nil {
		return modRefused(err)
	}
	a.flash(c, "flash.mod.done")
	return c.Redirect(http.StatusSeeOther, "/mod")
}
