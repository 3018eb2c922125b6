package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

// challenge returns the live challenge named by the challenge cookie.
func (a *App) challenge(c echo.Context) (*models.LoginChallenge, error) {
	ck, err := c.Cookie(a.cookieName(challengeCookie))
	if err != nil || ck.Value == "" {
		return nil, models.ErrNotFound
	}
	return models.ChallengeByToken(a.db.WithContext(c.Request().Context()), auth.HashToken(ck.Value), a.now().UTC())
}

// restartSignIn sends the person back to the first step with a calm message.
func (a *App) restartSignIn(c echo.Context, flashKey string) error {
	a.clearCookie(c, challengeCookie)
	a.flash(c, flashKey)
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (a *App) loginCodeGet(c echo.Context) error {
	if _, err := a.challenge(c); err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return a.restartSignIn(c, "flash.signin_expired")
		}
		return err
	}
	return a.loginCodePage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) loginCodePage(c echo.Context, status int, data *pageData) error {
	data.Title = data.T("login.code_title")
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.page(c, status, "login_code", data)
}

// loginCodePost checks the TOTP or recovery code. Every failure — unknown
// user, wrong password, wrong or replayed code — gets the same message. At
// most five codes per challenge; a challenge lives five minutes.
func (a *App) loginCodePost(c echo.Context) error {
	ch, err := a.challenge(c)
	if errors.Is(err, models.ErrNotFound) {
		return a.restartSignIn(c, "flash.signin_expired")
	}
	if err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	data := a.newPageData(c)
	keys := throttleKeys{clientAccount: ch.ClientHash, account: ch.AccountKey}

	var acct *models.Account
	if ch.AccountID != nil {
		if acct, err = models.AccountByID(db, *ch.AccountID); err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	known := acct != nil && a.knownDevice(c, acct.ID)
	if until, err := a.throttledUntil(c, keys, known); err != nil {
		return err
	} else if !until.IsZero() {
		a.clearCookie(c, challengeCookie)
		return a.throttledPage(c, data, until)
	}
	spent, err := models.CountChallengeAttempt(db, ch.ID)
	if err != nil {
		return err
	}
	if !spent {
		return a.restartSignIn(c, "flash.signin_expired")
	}

	code := c.FormValue("code")
	usedRecovery := false
	ok := false
	if acct != nil && ch.PasswordOK {
		ok, usedRecovery, err = a.checkSecondFactor(c, acct, code, now)
		if err != nil {
			return err
		}
	}
	if !ok {
		if err := a.recordSignInFailure(c, keys); err != nil {
			return err
		}
		if acct != nil && ch.PasswordOK {
			// Someone knows this member's password: tell her. ASVS 6.3.5.
			device := auth.DeviceLabel(c.Request().UserAgent())
			if err := models.RecordEvent(db, acct.ID, models.EventCodeFailed, device, now); err != nil {
				return err
			}
			if err := models.Notify(db, acct.ID, models.NoticeCodeFailed, now); err != nil {
				return err
			}
		}
		a.log.Info("sign-in failed")
		if ch.Attempts+1 >= models.MaxChallengeAttempts {
			return a.restartSignIn(c, "flash.signin_failed")
		}
		data.Errors["code"] = data.T("login.failed")
		return a.loginCodePage(c, http.StatusUnprocessableEntity, data)
	}

	// A suspended or banned member learns why, and until when, only now
	// that both factors proved it is her: nobody else learns it. She gets
	// no session, only a pass to appeal the decision (appeals_barred.go).
	if acct.Barred(now) {
		if err := models.DeleteChallenge(db, ch.ID); err != nil {
			return err
		}
		a.clearCookie(c, challengeCookie)
		return a.barredSignIn(c, data, acct)
	}

	newDevice := !known
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := models.DeleteChallenge(tx, ch.ID); err != nil {
			return err
		}
		kind := models.EventSignIn
		if usedRecovery {
			kind = models.EventSignInRecovery
			if err := models.Notify(tx, acct.ID, models.NoticeRecoveryUsed, now); err != nil {
				return err
			}
		}
		if newDevice {
			if err := models.Notify(tx, acct.ID, models.NoticeNewDevice, now); err != nil {
				return err
			}
		}
		return models.RecordEvent(tx, acct.ID, kind, auth.DeviceLabel(c.Request().UserAgent()), now)
	})
	if err != nil {
		return err
	}
	if err := a.clearSignInFailures(c, keys); err != nil {
		return err
	}
	a.clearCookie(c, challengeCookie)
	if err := a.startSession(c, acct); err != nil {
		return err
	}
	a.rememberDevice(c, acct.ID)
	a.log.Info("signed in", "account_id", acct.ID, "recovery_code", usedRecovery)
	if acct.HalfRegistered() {
		return c.Redirect(http.StatusSeeOther, "/account/totp")
	}
	return c.Redirect(http.StatusSeeOther, localPath(ch.NextPath))
}

// checkSecondFactor accepts a TOTP code from the account's authenticator for
// a time step later than any accepted before, or an unused recovery code.
// An administrator made with "hearth admin create" confirms the
// authenticator with this first code.
func (a *App) checkSecondFactor(c echo.Context, acct *models.Account, code string, now time.Time) (ok, recovery bool, err error) {
	db := a.db.WithContext(c.Request().Context())
	if auth.LooksLikeRecoveryCode(code) {
		if acct.TOTPConfirmedAt == nil {
			return false, false, nil
		}
		ok, err := models.UseRecoveryCode(db, acct.ID, code, now)
		return ok, ok, err
	}
	secret, err := a.accountSecret(acct)
	if err != nil || secret == nil {
		return false, false, err
	}
	step, matched := auth.MatchTOTP(secret, code, now)
	if !matched {
		return false, false, nil
	}
	if acct.TOTPConfirmedAt != nil {
		ok, err := models.AcceptTOTPStep(db, acct.ID, step)
		return ok, false, err
	}
	// First sign-in of a CLI-made administrator: confirm the authenticator
	// and make recovery codes, shown next.
	codes, err := auth.NewRecoveryCodes(recoveryCodeCount)
	if err != nil {
		return false, false, err
	}
	sealedCodes, err := a.box.Seal([]byte(strings.Join(codes, "\n")), adRecoveryCodes)
	if err != nil {
		return false, false, err
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		confirmed, err := models.ConfirmTOTP(tx, acct.ID, *acct.TOTPSecret, step, sealedCodes, now)
		if err != nil || !confirmed {
			ok = false
			return err
		}
		ok = true
		return models.ReplaceRecoveryCodes(tx, acct.ID, codes, now)
	})
	if ok {
		acct.TOTPConfirmedAt = &now
		acct.RecoveryCodesPending = &sealedCodes
		acct.RecoveryCodesSeenAt = nil
	}
	return ok, false, err
}
