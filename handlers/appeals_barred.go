package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
	"hearth/models"
)

// A suspended or banned member gets no session, so she could never reach
// /appeals. Passing both factors of sign-in earns her instead a short-lived
// pass (a SameSite=Strict cookie, its hash in barred_passes) that does one
// thing: appeal the suspension or ban in force, from the page that tells her
// about it. Every other route ignores it.
const barredPassCookie = "hearth_appeal_pass"

// barredData is what a suspended or banned member reads at sign-in: why,
// until when, and the decision with where its appeal stands.
type barredData struct {
	Banned   bool
	Until    *time.Time
	Note     string
	Help     []models.HelpResource
	Decision *models.Decision
	// Window is the days to appeal; PassMinutes how long the form works.
	Window      int
	PassMinutes int
}

// barredSignIn answers a suspended or banned member who has just passed both
// factors: no session; the reasons; and, while the decision may still be
// appealed, a pass for the appeal form on the page.
func (a *App) barredSignIn(c echo.Context, data *pageData, acct *models.Account) error {
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	d, err := models.SanctionInForce(db, acct, now)
	if err != nil {
		return err
	}
	if d != nil && d.CanAppeal {
		token, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		if err := models.IssueBarredPass(db, acct.ID, d.ID, hash, now); err != nil {
			return err
		}
		a.setStrictCookie(c, barredPassCookie, token, int(models.BarredPassLife.Seconds()))
	}
	return a.barredPage(c, http.StatusForbidden, data, acct, d)
}

// barredPage tells a suspended or banned member why (the moderator's note)
// and until when, with the appeal of the decision; a suspension also shows
// the help directory.
func (a *App) barredPage(c echo.Context, status int, data *pageData, acct *models.Account, d *models.Decision) error {
	bd := barredData{Banned: acct.BannedAt != nil, Until: acct.SuspendedUntil, Note: acct.SanctionNote,
		Decision: d, Window: int(models.AppealWindow.Hours() / 24), PassMinutes: int(models.BarredPassLife.Minutes())}
	if !bd.Banned {
		help, err := models.HelpResources(a.db.WithContext(c.Request().Context()))
		if err != nil {
			return err
		}
		bd.Help = help
	}
	data.Title = data.T("suspended.title")
	data.Data = bd
	// Neither /login/code nor /login/appeal can be opened again: changing
	// the language leads back to sign-in, which shows this page anew.
	data.Path = "/login"
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.page(c, status, "mod_suspended", data)
}

// barredAppealPost files the appeal of a suspension or ban from the page
// shown at sign-in, on the strength of the pass alone. A missing, forged,
// used or expired pass sends the person back to sign in.
func (a *App) barredAppealPost(c echo.Context) error {
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	pass, err := a.barredPass(c, now)
	if errors.Is(err, models.ErrNotFound) {
		return a.restartBarred(c)
	}
	if err != nil {
		return err
	}
	data, body, err := a.appealText(c, "body")
	if err != nil {
		return err
	}
	if !data.HasErrors() {
		err = models.FileBarredAppeal(db, pass, body, now)
		switch {
		case errors.Is(err, models.ErrNotFound):
			return a.restartBarred(c)
		case appealRefused(data, "body", err):
			// Too late, or appealed already: the page below says so.
		case err != nil:
			return err
		default:
			a.clearCookie(c, barredPassCookie)
			a.log.Info("appeal filed at sign-in", "account_id", pass.AccountID)
			return a.restartSignIn(c, "flash.barred.appealed")
		}
	}
	acct, err := models.AccountByID(db, pass.AccountID)
	if err != nil {
		return err
	}
	d, err := models.SanctionInForce(db, acct, now)
	if err != nil {
		return err
	}
	return a.barredPage(c, http.StatusUnprocessableEntity, data, acct, d)
}

// barredPass returns the live pass named by the pass cookie.
func (a *App) barredPass(c echo.Context, now time.Time) (*models.BarredPass, error) {
	ck, err := c.Cookie(a.cookieName(barredPassCookie))
	if err != nil || ck.Value == "" {
		return nil, models.ErrNotFound
	}
	return models.BarredPassByToken(a.db.WithContext(c.Request().Context()), auth.HashToken(ck.Value), now)
}

// restartBarred drops a pass that no longer works and asks the person to
// sign in again, which shows the page (and a fresh pass) once more.
func (a *App) restartBarred(c echo.Context) error {
	a.clearCookie(c, barredPassCookie)
	return a.restartSignIn(c, "flash.barred.expired")
}

// setStrictCookie is setCookie with SameSite=Strict, for the appeal pass:
// only the form on the page that set it ever sends it back.
func (a *App) setStrictCookie(c echo.Context, base, value string, maxAge int) {
	c.SetCookie(&http.Cookie{ // #nosec G124 -- Secure whenever the site is served over https, as in setCookie
		Name: a.cookieName(base), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.HTTPS(), SameSite: http.SameSiteStrictMode,
	})
}
