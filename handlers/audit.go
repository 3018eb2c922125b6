package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// auditData is the audit log page: its rows and the filter as typed.
type auditData struct {
	Rows  []models.AuditRow
	Admin bool
}

// auditGet shows the audit log, newest first, filtered by member,
// moderator, action and dates. It only reads: the application has no way to
// change or delete an entry.
func (a *App) auditGet(c echo.Context) error {
	db := a.db.WithContext(c.Request().Context())
	data := a.newPageData(c)
	var f models.AuditFilter
	q := c.QueryParams()
	for _, k := range []string{"member", "moderator", "action", "from", "to"} {
		data.Form[k] = q.Get(k)
	}
	var err error
	if f.MemberID, err = models.AccountIDForFilter(db, q.Get("member")); err != nil {
		return err
	}
	if f.ModeratorID, err = models.AccountIDForFilter(db, q.Get("moderator")); err != nil {
		return err
	}
	f.Action = q.Get("action")
	for field, dst := range map[string]**time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(field); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				data.Errors[field] = data.T("audit.error.date")
				continue
			}
			if field == "to" {
				t = t.Add(24 * time.Hour)
			}
			*dst = &t
		}
	}
	status := http.StatusOK
	var rows []models.AuditRow
	if data.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else if rows, err = models.AuditLog(db, currentMod(c), f, 200); err != nil {
		return err
	}
	data.Title = data.T("audit.title")
	data.Data = auditData{Rows: rows, Admin: currentMod(c).Admin()}
	return a.page(c, status, "audit", data)
}

// auditPurgePost forgets the text a redaction removed: administrators
// only. The purge itself is a new entry.
func (a *App) auditPurgePost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	m, err := models.ModOf(db, currentAccount(c))
	if err != nil {
		return err
	}
	if err := models.PurgeRedaction(db, m, id, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.mod.purged")
	return c.Redirect(http.StatusSeeOther, "/mod/audit")
}
