package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// requireAccount lets only signed-in, fully enrolled accounts through. A
// visitor is sent to sign in (and brought back afterwards); an account that
// has not yet confirmed its authenticator and saved its recovery codes is
// sent to finish that first. Private pages are never cached.
func (a *App) requireAccount(next echo.HandlerFunc) echo.HandlerFunc {
	return a.requireSignedIn(func(c echo.Context) error {
		if currentAccount(c).HalfRegistered() {
			return c.Redirect(http.StatusSeeOther, "/account/totp")
		}
		return next(c)
	})
}

// requireSignedIn lets any signed-in account through, also a half-registered
// one: only the enrollment pages use it directly.
func (a *App) requireSignedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return noStore(func(c echo.Context) error {
		if currentAccount(c) == nil {
			target := "/login"
			if c.Request().Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
			}
			return c.Redirect(http.StatusSeeOther, target)
		}
		return next(c)
	})
}

// requireAdmin lets only administrators through; anyone else signed in gets
// 403 (an administrator page is no secret, its content is).
func (a *App) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return a.requireAccount(func(c echo.Context) error {
		if !currentAccount(c).IsAdmin() {
			return echo.NewHTTPError(http.StatusForbidden)
		}
		return next(c)
	})
}
