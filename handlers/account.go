package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

// logout ends this session on the server and asks the browser to drop its
// cache of private pages. ASVS 7.4.1.
func (a *App) logout(c echo.Context) error {
	if err := a.endSession(c); err != nil {
		return err
	}
	c.Response().Header().Set("Clear-Site-Data", `"cache"`)
	a.flash(c, "flash.signed_out")
	return c.Redirect(http.StatusSeeOther, "/")
}

// securityData is what /account/security shows.
type securityData struct {
	CodesRemaining int64
	Events         []models.AuthEvent
	Notices        []models.Notice
	Sessions       int
	Blocked        int
}

func (a *App) securityGet(c echo.Context) error {
	return a.securityPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) securityPage(c echo.Context, status int, data *pageData) error {
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	var sd securityData
	var err error
	if sd.CodesRemaining, err = models.RecoveryCodesRemaining(db, acct.ID); err != nil {
		return err
	}
	if sd.Events, err = models.RecentEvents(db, acct.ID, 20); err != nil {
		return err
	}
	if sd.Notices, err = models.UnreadNotices(db, acct.ID); err != nil {
		return err
	}
	sessions, err := models.SessionsOf(db, acct.ID)
	if err != nil {
		return err
	}
	sd.Sessions = len(sessions)
	blocked, err := models.BlockedList(db, acct.ID)
	if err != nil {
		return err
	}
	sd.Blocked = len(blocked)
	data.Title = data.T("security.title")
	data.Data = sd
	return a.page(c, status, "security", data)
}

// checkFreshFactor re-authenticates a signed-in member for a sensitive
// change with a TOTP code (a later step than any used) or a recovery code.
// Failures count towards the sign-in throttle. ASVS 7.5.1.
func (a *App) checkFreshFactor(c echo.Context, acct *models.Account, code string) (bool, error) {
	keys, err := a.throttleKeys(c, acct.Username)
	if err != nil {
		return false, err
	}
	if until, err := a.throttledUntil(c, keys, a.knownDevice(c, acct.ID)); err != nil || !until.IsZero() {
		return false, err
	}
	ok, _, err := a.checkSecondFactor(c, acct, code, a.now().UTC())
	if err != nil {
		return false, err
	}
	if !ok {
		return false, a.recordSignInFailure(c, keys)
	}
	return true, nil
}

// passwordForm changes the password: the current one plus a code.
type passwordForm struct {
	Current string `form:"current_password"`
	Code    string `form:"code"`
	New     string `form:"new_password"`
}

// passwordPost changes the password and ends every other session.
// ASVS 6.3.7, 7.4.3, 7.5.1.
func (a *App) passwordPost(c echo.Context) error {
	acct := currentAccount(c)
	var f passwordForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["form"] = "password"
	newPassword, err := auth.CheckPassword(f.New)
	if err != nil {
		data.Errors["new_password"] = data.T(passwordMessage(err), "Min", auth.MinPasswordLen, "Max", auth.MaxPasswordLen)
	}
	current, _ := auth.PreparePassword(f.Current)
	ok, _, err := a.verifyPassword(c, current, acct.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		data.Errors["current_password"] = data.T("security.current_password_wrong")
	}
	if data.HasErrors() {
		return a.securityPage(c, http.StatusUnprocessableEntity, data)
	}
	if ok, err := a.checkFreshFactor(c, acct, f.Code); err != nil {
		return err
	} else if !ok {
		data.Errors["code"] = data.T("security.code_wrong")
		return a.securityPage(c, http.StatusUnprocessableEntity, data)
	}
	hash, err := a.hashPassword(c, newPassword)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if err := models.SetPasswordHash(tx, acct.ID, hash, now); err != nil {
			return err
		}
		if err := models.DeleteOtherSessions(tx, acct.ID, currentSession(c).ID); err != nil {
			return err
		}
		if err := models.RecordEvent(tx, acct.ID, models.EventPasswordChanged, auth.DeviceLabel(c.Request().UserAgent()), now); err != nil {
			return err
		}
		return models.Notify(tx, acct.ID, models.NoticeSecurityChange, now)
	})
	if err != nil {
		return err
	}
	// Privileges are unchanged, but the credential changed: a new token.
	if err := a.startSession(c, acct); err != nil {
		return err
	}
	a.flash(c, "flash.password_changed")
	return c.Redirect(http.StatusSeeOther, "/account/security")
}

// newAuthenticatorPost starts enrolling a new authenticator after a code or
// a recovery code from the current one.
func (a *App) newAuthenticatorPost(c echo.Context) error {
	acct := currentAccount(c)
	data := a.newPageData(c)
	data.Form["form"] = "totp"
	if ok, err := a.checkFreshFactor(c, acct, c.FormValue("code")); err != nil {
		return err
	} else if !ok {
		data.Errors["totp_code"] = data.T("security.code_wrong")
		return a.securityPage(c, http.StatusUnprocessableEntity, data)
	}
	if _, err := a.newPendingSecret(c, acct); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/totp")
}

// newRecoveryCodesPost replaces every recovery code after a code.
func (a *App) newRecoveryCodesPost(c echo.Context) error {
	acct := currentAccount(c)
	data := a.newPageData(c)
	data.Form["form"] = "codes"
	if ok, err := a.checkFreshFactor(c, acct, c.FormValue("code")); err != nil {
		return err
	} else if !ok {
		data.Errors["codes_code"] = data.T("security.code_wrong")
		return a.securityPage(c, http.StatusUnprocessableEntity, data)
	}
	codes, err := auth.NewRecoveryCodes(recoveryCodeCount)
	if err != nil {
		return err
	}
	sealed, err := a.box.Seal([]byte(strings.Join(codes, "\n")), adRecoveryCodes)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if err := models.ReplaceRecoveryCodes(tx, acct.ID, codes, now); err != nil {
			return err
		}
		if err := models.SetRecoveryCodesPending(tx, acct.ID, sealed, now); err != nil {
			return err
		}
		return models.RecordEvent(tx, acct.ID, models.EventCodesRenewed, auth.DeviceLabel(c.Request().UserAgent()), now)
	})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/recovery-codes")
}

// noticesReadPost marks every notice read.
func (a *App) noticesReadPost(c echo.Context) error {
	if err := models.MarkNoticesRead(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, a.now().UTC()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/security")
}

// sessionsGet lists the member's sessions. ASVS 7.5.2.
func (a *App) sessionsGet(c echo.Context) error {
	sessions, err := models.SessionsOf(a.db.WithContext(c.Request().Context()), currentAccount(c).ID)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("sessions.title")
	data.Data = map[string]any{"Sessions": sessions, "Current": currentSession(c).ID}
	return a.page(c, http.StatusOK, "sessions", data)
}

// sessionEndPost ends one of the member's other sessions.
func (a *App) sessionEndPost(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	if id == currentSession(c).ID {
		return a.logout(c)
	}
	if err := models.DeleteSessionOf(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, id); err != nil {
		return err
	}
	a.flash(c, "flash.session_ended")
	return c.Redirect(http.StatusSeeOther, "/account/sessions")
}

// sessionsEndOthersPost signs out every other browser.
func (a *App) sessionsEndOthersPost(c echo.Context) error {
	if err := models.DeleteOtherSessions(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, currentSession(c).ID); err != nil {
		return err
	}
	a.flash(c, "flash.sessions_ended")
	return c.Redirect(http.StatusSeeOther, "/account/sessions")
}

// signOutEverywherePost ends every session, this one too.
func (a *App) signOutEverywherePost(c echo.Context) error {
	acct := currentAccount(c)
	if err := models.DeleteOtherSessions(a.db.WithContext(c.Request().Context()), acct.ID, 0); err != nil {
		return err
	}
	return a.logout(c)
}
