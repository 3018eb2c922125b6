package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// help is the public help page: the help directory administrators keep,
// how to leave quickly, and private browsing.
func (a *App) help(c echo.Context) error {
	list, err := models.HelpResources(a.db.WithContext(c.Request().Context()))
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("help.title")
	data.Data = list
	return a.page(c, http.StatusOK, "help", data)
}

// helpForm is one entry of the help directory.
type helpForm struct {
	Name         string `form:"name"`
	Description  string `form:"description"`
	Phone        string `form:"phone"`
	Website      string `form:"website"`
	Region       string `form:"region"`
	OpeningHours string `form:"opening_hours"`
}

func (f *helpForm) values() map[string]string {
	return map[string]string{"name": f.Name, "description": f.Description, "phone": f.Phone, "website": f.Website,
		"region": f.Region, "opening_hours": f.OpeningHours}
}

// validate checks the lengths and formats and returns message keys by field.
func (f *helpForm) validate() map[string]string {
	errs := map[string]string{}
	f.Name, f.Phone, f.Website = strings.TrimSpace(f.Name), strings.TrimSpace(f.Phone), strings.TrimSpace(f.Website)
	f.Region, f.OpeningHours = strings.TrimSpace(f.Region), strings.TrimSpace(f.OpeningHours)
	f.Description = strings.TrimSpace(strings.ReplaceAll(f.Description, "\r\n", "\n"))
	limits := []struct {
		field, value string
		max          int
	}{
		{"name", f.Name, 120}, {"description", f.Description, 1000}, {"phone", f.Phone, 40},
		{"website", f.Website, 300}, {"region", f.Region, 80}, {"opening_hours", f.OpeningHours, 200},
	}
	for _, l := range limits {
		if utf8.RuneCountInString(l.value) > l.max {
			errs[l.field] = "helpdir.error.too_long"
		}
	}
	if f.Name == "" {
		errs["name"] = "helpdir.error.name_missing"
	}
	if f.Phone != "" && strings.Trim(f.Phone, "+0123456789 -/()") != "" {
		errs["phone"] = "helpdir.error.phone"
	}
	if f.Website != "" {
		u, err := url.Parse(f.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			errs["website"] = "helpdir.error.website"
		}
	}
	return errs
}

func (a *App) adminHelpGet(c echo.Context) error {
	return a.adminHelpPage(c, http.StatusOK, a.newPageData(c), 0)
}

func (a *App) adminHelpPage(c echo.Context, status int, data *pageData, editing int64) error {
	list, err := models.HelpResources(a.db.WithContext(c.Request().Context()))
	if err != nil {
		return err
	}
	if editing != 0 && len(data.Form) == 0 {
		for _, r := range list {
			if r.ID == editing {
				f := helpForm{r.Name, r.Description, r.Phone, r.Website, r.Region, r.OpeningHours}
				data.Form = f.values()
			}
		}
	}
	data.Title = data.T("helpdir.admin_title")
	data.Data = map[string]any{"Resources": list, "Editing": editing}
	return a.page(c, status, "admin_help", data)
}

// adminHelpEditGet shows the form filled with one entry.
func (a *App) adminHelpEditGet(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	if _, err := models.HelpResourceByID(a.db.WithContext(c.Request().Context()), id); err != nil {
		return err
	}
	return a.adminHelpPage(c, http.StatusOK, a.newPageData(c), id)
}

// adminHelpSavePost creates (no id) or updates an entry.
func (a *App) adminHelpSavePost(c echo.Context) error {
	var id int64
	if p := c.Param("id"); p != "" {
		var err error
		if id, err = strconv.ParseInt(p, 10, 64); err != nil {
			return echo.ErrNotFound
		}
	}
	var f helpForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	errs := f.validate()
	data.Form = f.values()
	if len(errs) > 0 {
		for field, key := range errs {
			data.Errors[field] = data.T(key)
		}
		return a.adminHelpPage(c, http.StatusUnprocessableEntity, data, id)
	}
	admin := currentAccount(c)
	r := &models.HelpResource{ID: id, Name: f.Name, Description: f.Description, Phone: f.Phone, Website: f.Website,
		Region: f.Region, OpeningHours: f.OpeningHours}
	now := a.now().UTC()
	db := a.db.WithContext(c.Request().Context())
	if err := models.SaveHelpResource(db, r, now); err != nil {
		return err
	}
	if err := models.Audit(db, &admin.ID, "help.saved", nil, "help:"+strconv.FormatInt(r.ID, 10), now); err != nil {
		return err
	}
	a.flash(c, "flash.help.saved")
	return c.Redirect(http.StatusSeeOther, "/admin/help")
}

// adminHelpDeletePost removes an entry.
func (a *App) adminHelpDeletePost(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	db := a.db.WithContext(c.Request().Context())
	if err := models.DeleteHelpResource(db, id); err != nil {
		return err
	}
	admin := currentAccount(c)
	if err := models.Audit(db, &admin.ID, "help.deleted", nil, "help:"+strconv.FormatInt(id, 10), a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.help.deleted")
	return c.Redirect(http.StatusSeeOther, "/admin/help")
}
