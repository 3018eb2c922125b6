package handlers

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"hearth/internal/identify"
	"hearth/models"
)

// timeZones are the zones offered in the settings; a member of an
// organisation in a German-speaking country most likely needs the first few.
// Any zone in the embedded database would work; a short list is easier to
// use on a phone than four hundred entries.
func timeZones() []string {
	return []string{
		"Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "Europe/London", "Europe/Dublin", "Europe/Paris",
		"Europe/Amsterdam", "Europe/Brussels", "Europe/Luxembourg", "Europe/Rome", "Europe/Madrid", "Europe/Lisbon",
		"Europe/Copenhagen", "Europe/Stockholm", "Europe/Oslo", "Europe/Helsinki", "Europe/Warsaw", "Europe/Prague",
		"Europe/Budapest", "Europe/Athens", "Europe/Istanbul", "Europe/Kyiv", "America/New_York", "America/Chicago",
		"America/Denver", "America/Los_Angeles", "America/Toronto", "Australia/Sydney", "Asia/Tokyo", "UTC",
	}
}

// memberSettingsForm is the member's own settings.
type memberSettingsForm struct {
	Language       string `form:"language"`
	TimeZone       string `form:"time_zone"`
	Discreet       string `form:"discreet"`
	ExpandWarnings string `form:"expand_warnings"`
	Bio            string `form:"bio"`
}

// maxBio is the longest profile bio, in characters.
const maxBio = 500

func (a *App) memberSettingsGet(c echo.Context) error {
	acct := currentAccount(c)
	data := a.newPageData(c)
	data.Form["language"] = acct.Language
	data.Form["time_zone"] = acct.TimeZone
	data.Form["bio"] = acct.Bio
	if acct.Discreet {
		data.Form["discreet"] = "yes"
	}
	if acct.ExpandWarnings {
		data.Form["expand_warnings"] = "yes"
	}
	return a.memberSettingsPage(c, http.StatusOK, data)
}

func (a *App) memberSettingsPage(c echo.Context, status int, data *pageData, findings ...identify.Finding) error {
	blocked, err := models.BlockedList(a.db.WithContext(c.Request().Context()), currentAccount(c).ID)
	if err != nil {
		return err
	}
	data.Title = data.T("settings.title")
	data.Data = map[string]any{"Zones": timeZones(), "Blocked": blocked, "Findings": findings}
	return a.page(c, status, "account_settings", data)
}

// settingsPost saves language, time zone, discreet mode and content
// warnings. An empty language or time zone means "as the site".
func (a *App) memberSettingsPost(c echo.Context) error {
	acct := currentAccount(c)
	var f memberSettingsForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["language"], data.Form["time_zone"] = f.Language, f.TimeZone
	data.Form["discreet"], data.Form["expand_warnings"] = f.Discreet, f.ExpandWarnings
	f.Bio = strings.TrimSpace(strings.ReplaceAll(f.Bio, "\r\n", "\n"))
	data.Form["bio"] = f.Bio
	if utf8.RuneCountInString(f.Bio) > maxBio {
		data.Errors["bio"] = data.T("settings.bio_too_long", "Max", maxBio)
	}
	if f.Language != "" && a.catalog.Negotiate(f.Language).String() != f.Language {
		data.Errors["language"] = data.T("settings.language_invalid")
	}
	if f.TimeZone != "" {
		if _, err := time.LoadLocation(f.TimeZone); err != nil || !slices.Contains(timeZones(), f.TimeZone) {
			data.Errors["time_zone"] = data.T("settings.time_zone_invalid")
		}
	}
	if data.HasErrors() {
		return a.memberSettingsPage(c, http.StatusUnprocessableEntity, data)
	}
	// The protective hold looks at the bio too: details that may identify
	// someone are shown to the member, who may edit or save anyway.
	if f.Bio != "" && f.Bio != acct.Bio {
		findings, blocked, err := a.detailsIn(c, f.Bio)
		if err != nil {
			return err
		}
		switch {
		case blocked != "":
			data.Errors["bio"] = data.T("hold.blocked", "Word", blocked)
			return a.memberSettingsPage(c, http.StatusUnprocessableEntity, data)
		case len(findings) > 0 && c.FormValue("post_anyway") != "1":
			return a.memberSettingsPage(c, http.StatusUnprocessableEntity, data, findings...)
		case len(findings) > 0:
			if err := models.Audit(a.db.WithContext(c.Request().Context()), &acct.ID, "bio.saved_despite_warning", &acct.ID, "", a.now().UTC()); err != nil {
				return err
			}
		}
	}
	err := models.SaveMemberSettings(a.db.WithContext(c.Request().Context()), acct.ID, models.MemberSettings{
		Language: f.Language, TimeZone: f.TimeZone, Discreet: f.Discreet == "yes", ExpandWarnings: f.ExpandWarnings == "yes",
		Bio: f.Bio,
	}, a.now().UTC())
	if err != nil {
		return err
	}
	// The choice of language also applies before signing in next time.
	if f.Language != "" {
		a.setCookie(c, langCookie, f.Language, 365*24*3600)
	}
	a.flash(c, "flash.settings.saved")
	return c.Redirect(http.StatusSeeOther, "/account/settings")
}

// detailsIn runs the identifying-details check and the administrators'
// word list on a text (a bio, an edit); blocked is a blocked word found.
func (a *App) detailsIn(c echo.Context, text string) (findings []identify.Finding, blocked string, err error) {
	words, err := a.wordRules(c)
	if err != nil {
		return nil, "", err
	}
	for _, f := range a.detector.Find(text, words) {
		switch {
		case f.Kind == identify.KindWord && f.Action == identify.ActionBlock:
			return nil, f.Text, nil
		case f.Kind != identify.KindWord:
			findings = append(findings, f)
		}
	}
	return findings, "", nil
}
