package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

const ctxMod = "hearth.mod"

// modPresets are the one-click reasons; the reason stored is their text in
// the moderator's language.
var modPresets = []string{"rules", "harassment", "identifying", "spam", "off_topic", "safety"}

// modDurations are the choices of days for a mute or a suspension.
var modDurations = []int{1, 3, 7, 30, 90}

// requireModerator lets through anyone who moderates something (a group, or
// the site) and puts their reach in the context; anyone else gets 403.
func (a *App) requireModerator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		m, err := models.ModOf(a.db.WithContext(c.Request().Context()), currentAccount(c))
		if err != nil {
			return err
		}
		if !m.Any() {
			return echo.NewHTTPError(http.StatusForbidden)
		}
		c.Set(ctxMod, m)
		return next(c)
	}
}

func currentMod(c echo.Context) *models.Mod {
	m, _ := c.Get(ctxMod).(*models.Mod)
	return m
}

// modForm is every moderation action's form: a preset or written reason
// (internal), an optional note to the member, the report it answers, and
// the action's own fields.
type modForm struct {
	Preset string `form:"preset"`
	Reason string `form:"reason"`
	Note   string `form:"note"`
	Report string `form:"report"`
	Remove string `form:"remove"`
	Group  string `form:"group"`
	Days   string `form:"days"`
	Body   string `form:"body"`
}

// keep puts the typed text back into the page.
func (f *modForm) keep(data *pageData) {
	for k, v := range map[string]string{"preset": f.Preset, "reason": f.Reason, "note": f.Note, "report": f.Report,
		"remove": f.Remove, "group": f.Group, "days": f.Days, "body": f.Body} {
		data.Form[k] = v
	}
}

// input checks the reason and note and builds the action input; errors go
// beside their fields.
func (a *App) modInput(c echo.Context, f *modForm, data *pageData) models.ActionInput {
	reason := strings.TrimSpace(f.Reason)
	if reason == "" && f.Preset != "" {
		for _, p := range modPresets {
			if p == f.Preset {
				reason = data.T("mod.preset." + p)
			}
		}
	}
	reason, note, errs := models.CheckReason(reason, f.Note)
	for field, why := range errs {
		data.Errors[field] = data.T("mod.error." + field + "_" + why)
	}
	in := models.ActionInput{Reason: reason, Note: note}
	if f.Report != "" {
		id, err := strconv.ParseInt(f.Report, 10, 64)
		if err != nil {
			data.Errors[""] = data.T("mod.error.report_closed")
			return in
		}
		rid, err := models.UsableReport(a.db.WithContext(c.Request().Context()), currentMod(c), id)
		if err != nil {
			data.Errors[""] = data.T("mod.error.report_closed")
			return in
		}
		in.ReportID = rid
	}
	return in
}

// until reads the duration in days; errors go beside the field.
func (a *App) modUntil(f *modForm, data *pageData) *time.Time {
	days, err := strconv.Atoi(f.Days)
	ok := false
	for _, d := range modDurations {
		ok = ok || (err == nil && d == days)
	}
	if !ok {
		data.Errors["days"] = data.T("mod.error.days")
		return nil
	}
	t := a.now().UTC().Add(time.Duration(days) * 24 * time.Hour)
	return &t
}

// modRefused maps the models' refusals: acting on oneself or on someone who
// outranks the moderator is 403; anything outside their reach stays 404.
func modRefused(err error) error {
	if errors.Is(err, models.ErrSelf) || errors.Is(err, models.ErrNotAllowed) {
		return echo.NewHTTPError(http.StatusForbidden).SetInternal(err)
	}
	return err
}

// modQueueData is the queue page.
type modQueueData struct {
	Queue *models.Queue
	// Groups are the moderated groups with their review of first posts.
	Groups []models.GroupPremod
}

// modQueueGet shows everything waiting for the moderator.
func (a *App) modQueueGet(c echo.Context) error {
	db := a.db.WithContext(c.Request().Context())
	m := currentMod(c)
	q, err := models.QueueFor(db, m)
	if err != nil {
		return err
	}
	d := modQueueData{Queue: q}
	if d.Groups, err = models.PremodOfGroups(db, m, a.premodDefault); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("mod.queue.title")
	data.Data = d
	return a.page(c, http.StatusOK, "mod", data)
}

// modReportData is one report with its actions.
type modReportData struct {
	Report  *models.ReportView
	Presets []string
}

func (a *App) modReportGet(c echo.Context) error {
	return a.modReportPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) modReportPage(c echo.Context, status int, data *pageData) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := models.OpenReport(a.db.WithContext(c.Request().Context()), currentMod(c), id)
	if err != nil {
		return err
	}
	data.Title = data.T("mod.report.title")
	data.Data = modReportData{Report: r, Presets: modPresets}
	return a.page(c, status, "mod_report", data)
}

// modReportDismissPost closes a report with no other action.
func (a *App) modReportDismissPost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
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
		return a.modReportPage(c, http.StatusUnprocessableEntity, data)
	}
	if err := models.DismissReport(a.db.WithContext(c.Request().Context()), currentMod(c), id, in, a.now().UTC()); err != nil {
		return modRefused(err)
	}
	a.flash(c, "flash.mod.dismissed")
	return c.Redirect(http.StatusSeeOther, "/mod")
}
