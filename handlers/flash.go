package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"
)

const flashCookie = "hearth_flash"

// flash stores a message key for the next page (after a 303). Only the key
// travels, never text, and only keys under "flash." are shown.
func (a *App) flash(c echo.Context, key string) {
	a.setCookie(c, flashCookie, key, 60)
}

func (a *App) popFlash(c echo.Context) string {
	ck, err := c.Cookie(a.cookieName(flashCookie))
	if err != nil || ck.Value == "" {
		return ""
	}
	a.clearCookie(c, flashCookie)
	if !strings.HasPrefix(ck.Value, "flash.") || !a.localizer(c).Has(ck.Value) {
		return ""
	}
	return a.localizer(c).T(ck.Value)
}
