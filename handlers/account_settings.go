package handlers

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

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

// memberSettingsPage shows the settings; a fresh form (200) holds the
// member's latest bio: one waiting for review, if any.
func (a *App) memberSettingsPage(c echo.Context, status int, data *pageData, findings ...identify.Finding) error {
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	blocked, err := models.BlockedList(db, acct.ID)
	if err != nil {
		return err
	}
	pending, err := models.PendingBio(db, acct.ID)
	if err != nil {
		return err
	}
	if pending != nil && status == http.StatusOK {
		data.Form["bio"] = pending.Bio
	}
	rejected, err := models.LastBioRejection(db, acct.ID, acct.UpdatedAt, a.now().UTC())
	if err != nil {
		return err
	}
	data.Title = data.T("settings.title")
	data.Data = map[string]any{"Zones": timeZones(), "Blocked": blocked, "Findings": findings,
		"PendingBio": pending, "CurrentBio": acct.Bio, "BioRejected": rejected}
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
	db := a.db.WithContext(c.Request().Context())
	plan, err := a.planBio(c, data, f.Bio)
	if err != nil {
		return err
	}
	if plan.refused != nil {
		return a.memberSettingsPage(c, http.StatusUnprocessableEntity, data, plan.refused.Warn...)
	}
	now := a.now().UTC()
	err = db.Transaction(func(tx *gorm.DB) error {
		err := models.SaveMemberSettings(tx, acct.ID, models.MemberSettings{
			Language: f.Language, TimeZone: f.TimeZone, Discreet: f.Discreet == "yes", ExpandWarnings: f.ExpandWarnings == "yes",
			Bio: plan.publish,
		}, now)
		switch {
		case err != nil:
			return err
		case plan.hold != nil:
			return models.HoldBio(tx, acct.ID, f.Bio, plan.hold.Reason, plan.hold.Findings, now)
		case plan.keepWaiting:
			return nil
		}
		return models.DiscardPendingBio(tx, acct.ID)
	})
	if err != nil {
		return err
	}
	// The choice of language also applies before signing in next time.
	if f.Language != "" {
		a.setCookie(c, langCookie, f.Language, 365*24*3600)
	}
	if plan.hold != nil || plan.keepWaiting {
		a.flash(c, "flash.hold.bio_waiting")
	} else {
		a.flash(c, "flash.settings.saved")
	}
	return c.Redirect(http.StatusSeeOther, "/account/settings")
}

// bioPlan is what saving the settings does to the bio.
type bioPlan struct {
	// publish is the bio everyone reads after saving.
	publish string
	// hold is set when the new bio waits for review instead.
	hold *holdCheck
	// keepWaiting: the bio sent is the one already waiting.
	keepWaiting bool
	// refused is set when the bio comes back to the member: a blocked word,
	// or details to warn about.
	refused *holdCheck
}

// planBio runs the protective hold on a new bio. A bio with identifying
// details warns the member, who may edit or save anyway; saved anyway, or
// with a word the administrators hold, it waits for a site moderator while
// her profile keeps showing the earlier bio. Sending the bio that already
// waits keeps it waiting; sending the published bio or none takes a waiting
// one back.
func (a *App) planBio(c echo.Context, data *pageData, bio string) (bioPlan, error) {
	acct := currentAccount(c)
	pending, err := models.PendingBio(a.db.WithContext(c.Request().Context()), acct.ID)
	switch {
	case err != nil:
		return bioPlan{}, err
	case pending != nil && bio == pending.Bio:
		return bioPlan{publish: acct.Bio, keepWaiting: true}, nil
	case bio == "" || bio == acct.Bio:
		return bioPlan{publish: bio}, nil
	}
	hold, err := a.checkHold(c, data, "bio", bio)
	switch {
	case err != nil:
		return bioPlan{}, err
	case hold.Blocked || len(hold.Warn) > 0:
		return bioPlan{refused: &hold}, nil
	case hold.Reason != "":
		return bioPlan{publish: acct.Bio, hold: &hold}, nil
	}
	return bioPlan{publish: bio}, nil
}
