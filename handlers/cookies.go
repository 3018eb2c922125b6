package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// cookieName adds the __Host- prefix on https, which pins a cookie to this
// host, path / and Secure (ASVS 3.3.1).
func (a *App) cookieName(base string) string {
	if a.cfg.HTTPS() {
		return "__Host-" + base
	}
	return base
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site. maxAge
// 0 makes a session cookie (no Expires/Max-Age: closing the browser ends it);
// a negative maxAge deletes it.
func (a *App) setCookie(c echo.Context, base, value string, maxAge int) {
	// Secure follows HEARTH_BASE_URL: on https every cookie is Secure and
	// __Host- prefixed; plain http is only for loopback and development (a
	// warning is logged otherwise).
	c.SetCookie(&http.Cookie{ // #nosec G124 -- Secure is set whenever the site is served over https
		Name:     a.cookieName(base),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   a.cfg.HTTPS(),
		SameSite: http.SameSiteLaxMode,
	})
}

// clearCookie deletes a cookie set by setCookie.
func (a *App) clearCookie(c echo.Context, base string) {
	a.setCookie(c, base, "", -1)
}
