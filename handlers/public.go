package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// siteSettings loads the administrators' settings once per request.
func (a *App) siteSettings(c echo.Context) models.SiteSettings {
	const key = "hearth.site"
	if s, ok := c.Get(key).(models.SiteSettings); ok {
		return s
	}
	s, err := models.LoadSiteSettings(a.db.WithContext(c.Request().Context()))
	if err != nil {
		a.log.Error("load site settings", "request_id", requestID(c), "error", err.Error())
	}
	c.Set(key, s)
	return s
}

func pingDB(c echo.Context, a *App) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	return models.Ping(ctx, a.db)
}

// home says what this forum is, who runs it and how to join.
func (a *App) home(c echo.Context) error {
	data := a.newPageData(c)
	data.Title = data.T("home.title")
	return a.page(c, http.StatusOK, "home", data)
}

// privacy states what Hearth stores, for how long, who can see it and who
// is responsible — made from the running configuration, so that it stays
// true when a setting changes.
func (a *App) privacy(c echo.Context) error {
	data := a.newPageData(c)
	data.Title = data.T("privacy.title")
	p := a.sessionPolicy(c)
	data.Data = map[string]int{
		"IdleMinutes":   int(p.Idle / time.Minute),
		"AbsoluteHours": int(p.Absolute / time.Hour),
		"ChallengeMins": int(models.ChallengeLifetime / time.Minute),
		"ResetDelayHrs": int(models.ResetDelay / time.Hour),
	}
	return a.page(c, http.StatusOK, "privacy", data)
}

func (a *App) legal(c echo.Context) error {
	data := a.newPageData(c)
	data.Title = data.T("legal.title")
	return a.page(c, http.StatusOK, "legal", data)
}

// languageSet remembers a visitor's choice of language in a cookie and goes
// back to the page they were on.
func (a *App) languageSet(c echo.Context) error {
	choice := a.catalog.Negotiate(c.FormValue("lang"))
	a.setCookie(c, langCookie, choice.String(), 365*24*3600)
	return c.Redirect(http.StatusSeeOther, localPath(c.FormValue("next")))
}

// localPath returns p when it is a path on this site, otherwise "/": a next
// parameter can never send someone to another host.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.IsAbs() || u.Host != "" || strings.ContainsAny(p, "\r\n\t") {
		return "/"
	}
	return u.RequestURI()
}
