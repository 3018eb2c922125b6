package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// reportForm is the report of a post or a member; field names are the
// public interface.
type reportForm struct {
	Reason string `form:"reason"`
	Note   string `form:"note"`
}

// reportData is the report page: what is reported, and the reasons.
type reportData struct {
	Action  string
	Subject string
	Reasons []string
}

func (a *App) reportPage(c echo.Context, status int, data *pageData, action, subject string) error {
	data.Title = data.T("report.title")
	data.Data = reportData{Action: action, Subject: subject, Reasons: models.ReportReasons}
	return a.page(c, status, "report", data)
}

// reportPostGet shows the report form for a post the reader may read.
func (a *App) reportPostGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, _, _, err := models.ReadPost(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)), id, a.now().UTC()); err != nil {
		return err
	}
	return a.reportPage(c, http.StatusOK, a.newPageData(c), c.Request().URL.Path, "")
}

// reportPostPost files the report. The author is never told who reported.
func (a *App) reportPostPost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return a.fileReport(c, "", func(reason, note string) (*models.Report, error) {
		return models.ReportPost(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)), id, reason, note, a.now().UTC())
	})
}

// reportMemberGet shows the report form for a member whose profile the
// reader may see.
func (a *App) reportMemberGet(c echo.Context) error {
	p, err := models.ProfileFor(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)), c.Param("username"))
	if err != nil {
		return err
	}
	return a.reportPage(c, http.StatusOK, a.newPageData(c), c.Request().URL.Path, p.Username)
}

// reportMemberPost files a report of a member, for staff.
func (a *App) reportMemberPost(c echo.Context) error {
	return a.fileReport(c, c.Param("username"), func(reason, note string) (*models.Report, error) {
		return models.ReportMember(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)), c.Param("username"), reason, note, a.now().UTC())
	})
}

func (a *App) fileReport(c echo.Context, subject string, file func(reason, note string) (*models.Report, error)) error {
	var f reportForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["reason"], data.Form["note"] = f.Reason, f.Note
	note, errs := models.CheckReport(f.Reason, f.Note)
	for field, why := range errs {
		data.Errors[field] = data.T("report.error." + field + "_" + why)
	}
	if data.HasErrors() {
		return a.reportPage(c, http.StatusUnprocessableEntity, data, c.Request().URL.Path, subject)
	}
	rep, err := file(f.Reason, note)
	switch {
	case errors.Is(err, models.ErrTooManyReports):
		data.Errors[""] = data.T("report.error.too_many")
		return a.reportPage(c, http.StatusTooManyRequests, data, c.Request().URL.Path, subject)
	case errors.Is(err, models.ErrSelf):
		data.Errors[""] = data.T("report.error.self")
		return a.reportPage(c, http.StatusUnprocessableEntity, data, c.Request().URL.Path, subject)
	case err != nil:
		return err
	}
	if rep.Urgent {
		a.alertUrgent(c)
	}
	a.flash(c, "flash.mod.reported")
	return c.Redirect(http.StatusSeeOther, "/groups")
}
