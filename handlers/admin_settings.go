package handlers

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// settingsForm is the /admin/settings form; its field names are the
// setting names (models.Setting*).
type settingsForm struct {
	SiteName         string `form:"site_name"`
	OrganisationName string `form:"organisation_name"`
	Contact          string `form:"contact"`
	LegalNotice      string `form:"legal_notice"`
	HouseRules       string `form:"house_rules"`
	MinimumAge       string `form:"minimum_age"`
	RegistrationMode string `form:"registration_mode"`
	QuickExitURL     string `form:"quick_exit_url"`
	TimeZone         string `form:"time_zone"`
	SessionIdle      string `form:"session_idle_minutes"`
	SessionAbsolute  string `form:"session_absolute_hours"`
}

func (f settingsForm) fields() map[string]string {
	return map[string]string{
		models.SettingSiteName:         f.SiteName,
		models.SettingOrganisationName: f.OrganisationName,
		models.SettingContact:          f.Contact,
		models.SettingLegalNotice:      f.LegalNotice,
		models.SettingHouseRules:       f.HouseRules,
		models.SettingMinimumAge:       f.MinimumAge,
		models.SettingRegistrationMode: f.RegistrationMode,
		models.SettingQuickExitURL:     f.QuickExitURL,
		models.SettingTimeZone:         f.TimeZone,
		models.SettingSessionIdle:      f.SessionIdle,
		models.SettingSessionAbsolute:  f.SessionAbsolute,
	}
}

// settingLimits are the maximum lengths the messages name.
var settingLimits = map[string]int{
	models.SettingSiteName:         models.MaxSiteNameLen,
	models.SettingOrganisationName: models.MaxOrganisationNameLen,
	models.SettingContact:          models.MaxContactLen,
	models.SettingLegalNotice:      models.MaxLegalNoticeLen,
	models.SettingHouseRules:       models.MaxHouseRulesLen,
	models.SettingQuickExitURL:     models.MaxQuickExitURLLen,
}

// adminSettingsGet shows the site settings form, filled with what is saved.
func (a *App) adminSettingsGet(c echo.Context) error {
	data := a.newPageData(c)
	s := data.Site
	data.Form = settingsForm{
		SiteName: s.SiteName, OrganisationName: s.OrganisationName, Contact: s.Contact,
		LegalNotice: s.LegalNotice, HouseRules: s.HouseRules, MinimumAge: strconv.Itoa(s.MinimumAge),
		RegistrationMode: s.RegistrationMode, QuickExitURL: s.QuickExitURL, TimeZone: s.TimeZone,
		SessionIdle: strconv.Itoa(s.SessionIdleMinutes), SessionAbsolute: strconv.Itoa(s.SessionAbsoluteHours),
	}.fields()
	return a.adminSettingsPage(c, http.StatusOK, data)
}

func (a *App) adminSettingsPage(c echo.Context, status int, data *pageData) error {
	data.Title = data.T("admin.settings.title")
	// The site's zone is offered from the same list as a member's own, so
	// that both settings read alike.
	zones := timeZones()
	if zone := data.Form[models.SettingTimeZone]; zone != "" && !slices.Contains(zones, zone) {
		zones = append(zones, zone)
	}
	data.Data = map[string]any{"Zones": zones}
	return a.page(c, status, "admin_settings", data)
}

// adminSettingsPost saves the settings. A refused field comes back with 422,
// its message beside it and everything typed kept; nothing is saved unless
// every field is right. Each save is audited with the names of the settings
// that changed, never their values.
func (a *App) adminSettingsPost(c echo.Context) error {
	var f settingsForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	settings, problems := models.ParseSiteSettings(f.fields())
	if len(problems) > 0 {
		data := a.newPageData(c)
		data.Form = f.fields()
		for field, reason := range problems {
			data.Errors[field] = settingMessage(data, field, reason)
		}
		return a.adminSettingsPage(c, http.StatusUnprocessableEntity, data)
	}
	actor := currentAccount(c).ID
	db := a.db.WithContext(c.Request().Context())
	if _, err := models.UpdateSiteSettings(db, settings, &actor, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.admin.settings_saved")
	return c.Redirect(http.StatusSeeOther, "/admin/settings")
}

// settingMessage translates why a setting was refused.
func settingMessage(data *pageData, field, reason string) string {
	switch reason {
	case models.SettingRequired:
		return data.T("admin.settings.error.required")
	case models.SettingTooLong:
		return data.T("admin.settings.error.too_long", "Max", settingLimits[field])
	case models.SettingInvalidCharacters:
		return data.T("admin.settings.error.invalid_characters")
	case models.SettingNotANumber:
		return data.T("admin.settings.error.not_a_number")
	case models.SettingOutOfRange:
		switch field {
		case models.SettingSessionIdle:
			return data.T("admin.session.range", "Min", models.MinSessionIdle, "Max", models.MaxSessionIdle)
		case models.SettingSessionAbsolute:
			return data.T("admin.session.range", "Min", models.MinSessionAbsolute, "Max", models.MaxSessionAbsolute)
		}
		return data.T("admin.settings.error.age_range", "Min", models.MinMinimumAge, "Max", models.MaxMinimumAge)
	case models.SettingUnknownChoice:
		return data.T("admin.settings.error.choice")
	case models.SettingNotHTTPS:
		return data.T("admin.settings.error.https")
	case models.SettingUnknownTimeZone:
		return data.T("texts.settings.time_zone_invalid")
	}
	return data.T("admin.settings.error.invalid_characters")
}

// adminNav marks the current administration page in the page's sub-menu.
type adminNav struct {
	Current string
}
