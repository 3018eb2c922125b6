package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	qrcode "github.com/skip2/go-qrcode"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

// recoveryCodeCount is how many single-use recovery codes a member gets.
const recoveryCodeCount = 10

var (
	adTOTPSecret    = models.SealedAD("accounts", "totp_secret")
	adTOTPPending   = models.SealedAD("accounts", "totp_pending")
	adRecoveryCodes = models.SealedAD("accounts", "recovery_codes_pending")
)

// enrollingSecret returns the secret being enrolled: the one an
// administrator got from "hearth admin create" (sealed in TOTPSecret, not yet
// confirmed), or a pending one. nil when nothing is being enrolled.
func (a *App) enrollingSecret(acct *models.Account) ([]byte, error) {
	switch {
	case acct.TOTPConfirmedAt == nil && acct.TOTPSecret != nil:
		return a.box.Open(*acct.TOTPSecret, adTOTPSecret)
	case acct.TOTPPending != nil:
		return a.box.Open(*acct.TOTPPending, adTOTPPending)
	}
	return nil, nil
}

// accountSecret opens the confirmed authenticator's secret.
func (a *App) accountSecret(acct *models.Account) ([]byte, error) {
	if acct.TOTPSecret == nil {
		return nil, nil
	}
	return a.box.Open(*acct.TOTPSecret, adTOTPSecret)
}

// totpGet shows the enrollment page: a QR image, the secret in groups of
// four for typing, an otpauth:// link for a phone, and the code field.
func (a *App) totpGet(c echo.Context) error {
	acct := currentAccount(c)
	if acct.TOTPConfirmedAt != nil && acct.RecoveryCodesPending != nil {
		return c.Redirect(http.StatusSeeOther, "/account/recovery-codes")
	}
	secret, err := a.enrollingSecret(acct)
	if err != nil {
		return err
	}
	if secret == nil {
		if acct.TOTPConfirmedAt != nil {
			return c.Redirect(http.StatusSeeOther, "/account/security")
		}
		if secret, err = a.newPendingSecret(c, acct); err != nil {
			return err
		}
	}
	return a.totpPage(c, http.StatusOK, a.newPageData(c), secret)
}

func (a *App) newPendingSecret(c echo.Context, acct *models.Account) ([]byte, error) {
	secret, err := auth.NewTOTPSecret()
	if err != nil {
		return nil, err
	}
	sealed, err := a.box.Seal(secret, adTOTPPending)
	if err != nil {
		return nil, err
	}
	if err := models.SetTOTPPending(a.db.WithContext(c.Request().Context()), acct.ID, &sealed); err != nil {
		return nil, err
	}
	acct.TOTPPending = &sealed
	return secret, nil
}

func (a *App) totpPage(c echo.Context, status int, data *pageData, secret []byte) error {
	acct := currentAccount(c)
	data.Title = data.T("totp.title")
	data.Data = map[string]any{
		"Secret":    auth.FormatSecret(secret),
		"URI":       auth.TOTPURI(secret, data.Site.SiteName, acct.Username),
		"Replacing": acct.TOTPConfirmedAt != nil,
	}
	return a.page(c, status, "totp", data)
}

// totpQR serves the QR image of the otpauth:// URI as a PNG from the
// server (the CSP allows no data: URLs); never cached.
func (a *App) totpQR(c echo.Context) error {
	acct := currentAccount(c)
	secret, err := a.enrollingSecret(acct)
	if err != nil {
		return err
	}
	if secret == nil {
		return echo.ErrNotFound
	}
	png, err := qrcode.Encode(auth.TOTPURI(secret, a.siteSettings(c).SiteName, acct.Username), qrcode.Medium, 256)
	if err != nil {
		return fmt.Errorf("handlers: QR code: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/png", png)
}

// totpPost confirms the authenticator with a code, then makes recovery
// codes. Replacing an authenticator ends every other session.
func (a *App) totpPost(c echo.Context) error {
	acct := currentAccount(c)
	secret, err := a.enrollingSecret(acct)
	if err != nil {
		return err
	}
	if secret == nil {
		return c.Redirect(http.StatusSeeOther, "/account/totp")
	}
	data := a.newPageData(c)
	now := a.now().UTC()
	step, ok := auth.MatchTOTP(secret, c.FormValue("code"), now)
	if !ok {
		data.Errors["code"] = data.T("totp.code_wrong")
		return a.totpPage(c, http.StatusUnprocessableEntity, data, secret)
	}
	codes, err := auth.NewRecoveryCodes(recoveryCodeCount)
	if err != nil {
		return err
	}
	sealedSecret, err := a.box.Seal(secret, adTOTPSecret)
	if err != nil {
		return err
	}
	sealedCodes, err := a.box.Seal([]byte(strings.Join(codes, "\n")), adRecoveryCodes)
	if err != nil {
		return err
	}
	replacing := acct.TOTPConfirmedAt != nil
	db := a.db.WithContext(c.Request().Context())
	errReplay := fmt.Errorf("replay")
	err = db.Transaction(func(tx *gorm.DB) error {
		ok, err := models.ConfirmTOTP(tx, acct.ID, sealedSecret, step, sealedCodes, now)
		if err != nil {
			return err
		}
		if !ok {
			return errReplay
		}
		if err := models.ReplaceRecoveryCodes(tx, acct.ID, codes, now); err != nil {
			return err
		}
		if !replacing {
			return nil
		}
		if err := models.DeleteOtherSessions(tx, acct.ID, currentSession(c).ID); err != nil {
			return err
		}
		if err := models.RecordEvent(tx, acct.ID, models.EventTOTPChanged, auth.DeviceLabel(c.Request().UserAgent()), now); err != nil {
			return err
		}
		return models.Notify(tx, acct.ID, models.NoticeSecurityChange, now)
	})
	if err == errReplay {
		data.Errors["code"] = data.T("totp.code_wrong")
		return a.totpPage(c, http.StatusUnprocessableEntity, data, secret)
	}
	if err != nil {
		return err
	}
	a.log.Info("authenticator confirmed", "account_id", acct.ID, "replaced", replacing)
	return c.Redirect(http.StatusSeeOther, "/account/recovery-codes")
}

// pendingCodes opens the codes waiting to be shown, or nil.
func (a *App) pendingCodes(acct *models.Account) ([]string, error) {
	if acct.RecoveryCodesPending == nil {
		return nil, nil
	}
	plain, err := a.box.Open(*acct.RecoveryCodesPending, adRecoveryCodes)
	if err != nil {
		return nil, err
	}
	return strings.Split(string(plain), "\n"), nil
}

// recoveryCodesGet shows new recovery codes once, until the member confirms
// having saved them.
func (a *App) recoveryCodesGet(c echo.Context) error {
	codes, err := a.pendingCodes(currentAccount(c))
	if err != nil {
		return err
	}
	if codes == nil {
		return c.Redirect(http.StatusSeeOther, "/account/security")
	}
	data := a.newPageData(c)
	return a.recoveryCodesPage(c, http.StatusOK, data, codes)
}

func (a *App) recoveryCodesPage(c echo.Context, status int, data *pageData, codes []string) error {
	data.Title = data.T("recovery.title")
	data.Data = codes
	return a.page(c, status, "recovery_codes", data)
}

// recoveryCodesDownload offers the codes as a text file under a neutral
// name, so that a shared device's downloads folder does not name the forum.
func (a *App) recoveryCodesDownload(c echo.Context) error {
	codes, err := a.pendingCodes(currentAccount(c))
	if err != nil {
		return err
	}
	if codes == nil {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="notes.txt"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(strings.Join(codes, "\r\n")+"\r\n"))
}

// recoveryCodesPost records that the codes were saved: from now on only
// their hashes exist.
func (a *App) recoveryCodesPost(c echo.Context) error {
	acct := currentAccount(c)
	codes, err := a.pendingCodes(acct)
	if err != nil {
		return err
	}
	if codes == nil {
		return c.Redirect(http.StatusSeeOther, "/account/security")
	}
	if c.FormValue("saved") != "yes" {
		data := a.newPageData(c)
		data.Errors["saved"] = data.T("recovery.saved_missing")
		return a.recoveryCodesPage(c, http.StatusUnprocessableEntity, data, codes)
	}
	if err := models.ConfirmRecoveryCodesSaved(a.db.WithContext(c.Request().Context()), acct.ID, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.account_ready")
	return c.Redirect(http.StatusSeeOther, "/")
}
