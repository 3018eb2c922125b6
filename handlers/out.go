package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// outData is what the outbound link page shows.
type outData struct {
	Target string
	Host   string
}

// outGet shows where a link in a post leads before the member follows it:
// the full address, the host in bold, and that the other site will see the
// reader's address. It never redirects by itself. Only links signed by
// internal/markup are shown; anything else is 404, so the page cannot be
// used to dress up a link someone made elsewhere.
func (a *App) outGet(c echo.Context) error {
	target, sig := c.QueryParam("to"), c.QueryParam("sig")
	if target == "" || sig == "" || !a.markup.VerifyOut(target, sig) {
		return models.ErrNotFound
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return models.ErrNotFound
	}
	data := a.newPageData(c)
	data.Title = data.T("out.title")
	data.Data = outData{Target: target, Host: u.Hostname()}
	return a.page(c, http.StatusOK, "out", data)
}
