package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

// Lost authenticator and recovery codes: there is no e-mail reset. An
// administrator who has verified the person outside the forum requests a
// reset; it takes effect after 48 hours unless cancelled from the account,
// or at once when a second administrator approves it. Its link lives one
// hour; following it, the member sets a new password and must enroll a new
// authenticator. Every step is in the audit log.

func (a *App) resetsGet(c echo.Context) error {
	return a.resetsPage(c, http.StatusOK, a.newPageData(c), "")
}

func (a *App) resetsPage(c echo.Context, status int, data *pageData, link string) error {
	list, err := models.ResetsOpen(a.db.WithContext(c.Request().Context()))
	if err != nil {
		return err
	}
	data.Title = data.T("resets.title")
	data.Data = map[string]any{"Resets": list, "Link": link, "Now": a.now().UTC(), "Me": currentAccount(c).ID}
	return a.page(c, status, "admin_resets", data)
}

// resetRequestPost records a reset request for a username.
func (a *App) resetRequestPost(c echo.Context) error {
	admin := currentAccount(c)
	data := a.newPageData(c)
	username := c.FormValue("username")
	data.Form["username"] = username
	if c.FormValue("verified") != "yes" {
		data.Errors["verified"] = data.T("resets.verified_missing")
	}
	db := a.db.WithContext(c.Request().Context())
	canonical, _, err := auth.NormalizeUsername(username)
	var target *models.Account
	if err == nil {
		target, err = models.AccountByUsername(db, canonical)
	}
	if err != nil {
		if !errors.Is(err, models.ErrNotFound) && !isUsernameError(err) {
			return err
		}
		data.Errors["username"] = data.T("resets.unknown_member")
	}
	if data.HasErrors() {
		return a.resetsPage(c, http.StatusUnprocessableEntity, data, "")
	}
	now := a.now().UTC()
	err = db.Transaction(func(tx *gorm.DB) error {
		if _, err := models.RequestReset(tx, target.ID, admin.ID, now); err != nil {
			return err
		}
		return models.Audit(tx, &admin.ID, "reset.requested", &target.ID, "", now)
	})
	switch {
	case errors.Is(err, models.ErrResetSelf):
		data.Errors["username"] = data.T("resets.not_yourself")
		return a.resetsPage(c, http.StatusUnprocessableEntity, data, "")
	case errors.Is(err, models.ErrResetPending):
		data.Errors["username"] = data.T("resets.already_pending")
		return a.resetsPage(c, http.StatusUnprocessableEntity, data, "")
	case err != nil:
		return err
	}
	a.flash(c, "flash.reset.requested")
	return c.Redirect(http.StatusSeeOther, "/admin/resets")
}

func isUsernameError(err error) bool {
	var ue *auth.UsernameError
	return errors.As(err, &ue)
}

func (a *App) resetFromParam(c echo.Context) (*models.AccountReset, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, models.ErrNotFound
	}
	return models.ResetByID(a.db.WithContext(c.Request().Context()), id)
}

// resetApprovePost lets a second administrator make a reset effective now.
func (a *App) resetApprovePost(c echo.Context) error {
	admin := currentAccount(c)
	r, err := a.resetFromParam(c)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if err := models.ApproveReset(tx, r, admin.ID); err != nil {
			return err
		}
		return models.Audit(tx, &admin.ID, "reset.approved", &r.AccountID, "", now)
	})
	if errors.Is(err, models.ErrResetSelf) || errors.Is(err, models.ErrResetSameApprover) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if err != nil {
		return err
	}
	a.flash(c, "flash.reset.approved")
	return c.Redirect(http.StatusSeeOther, "/admin/resets")
}

// resetLinkPost makes the one-hour link of an effective reset and shows it
// once; only its hash is stored.
func (a *App) resetLinkPost(c echo.Context) error {
	admin := currentAccount(c)
	r, err := a.resetFromParam(c)
	if err != nil {
		return err
	}
	if r.AccountID == admin.ID {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	now := a.now().UTC()
	if !r.Effective(now) {
		return echo.NewHTTPError(http.StatusConflict)
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if err := models.SetResetLink(tx, r, hash, now); err != nil {
			return err
		}
		return models.Audit(tx, &admin.ID, "reset.link_created", &r.AccountID, "", now)
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.resetsPage(c, http.StatusOK, a.newPageData(c), a.cfg.BaseURL.String()+"/reset?token="+token)
}

// resetCancelPost cancels a pending reset from any signed-in session of the
// account.
func (a *App) resetCancelPost(c echo.Context) error {
	acct := currentAccount(c)
	now := a.now().UTC()
	err := a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		cancelled, err := models.CancelReset(tx, acct.ID, now)
		if err != nil || !cancelled {
			return err
		}
		return models.Audit(tx, &acct.ID, "reset.cancelled", &acct.ID, "", now)
	})
	if err != nil {
		return err
	}
	a.flash(c, "flash.reset.cancelled")
	return c.Redirect(http.StatusSeeOther, "/account/security")
}

// resetGet shows the new-password form of a live reset link.
func (a *App) resetGet(c echo.Context) error {
	token := c.QueryParam("token")
	if _, err := models.ResetByToken(a.db.WithContext(c.Request().Context()), auth.HashToken(token), a.now().UTC()); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["token"] = token
	return a.resetPage(c, http.StatusOK, data)
}

func (a *App) resetPage(c echo.Context, status int, data *pageData) error {
	data.Title = data.T("reset.title")
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.page(c, status, "reset", data)
}

// resetPost sets the new password, removes the old authenticator, recovery
// codes and every session, and signs the member in to enroll a new
// authenticator.
func (a *App) resetPost(c echo.Context) error {
	token := c.FormValue("token")
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	r, err := models.ResetByToken(db, auth.HashToken(token), now)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["token"] = token
	password, err := auth.CheckPassword(c.FormValue("password"))
	if err != nil {
		data.Errors["password"] = data.T(passwordMessage(err), "Min", auth.MinPasswordLen, "Max", auth.MaxPasswordLen)
		return a.resetPage(c, http.StatusUnprocessableEntity, data)
	}
	hash, err := a.hashPassword(c, password)
	if err != nil {
		return err
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		done, err := models.CompleteReset(tx, r, hash, now)
		if err != nil {
			return err
		}
		if !done {
			return models.ErrNotFound
		}
		return models.Audit(tx, &r.AccountID, "reset.completed", &r.AccountID, "", now)
	})
	if err != nil {
		return err
	}
	acct, err := models.AccountByID(db, r.AccountID)
	if err != nil {
		return err
	}
	if err := a.startSession(c, acct); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/totp")
}
