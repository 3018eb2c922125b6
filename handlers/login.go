package handlers

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
	"hearth/models"
)

// challengeCookie carries the sign-in challenge from /login to /login/code.
const challengeCookie = "hearth_challenge"

// loginForm is the first sign-in step; field names are the public interface.
type loginForm struct {
	Username string `form:"username"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

// loginGet shows the form, also to someone signed in (to switch accounts):
// signing in always replaces the browser's session.
func (a *App) loginGet(c echo.Context) error {
	data := a.newPageData(c)
	data.Form["next"] = localPath(c.QueryParam("next"))
	return a.loginPage(c, http.StatusOK, data)
}

func (a *App) loginPage(c echo.Context, status int, data *pageData) error {
	data.Title = data.T("login.title")
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.page(c, status, "login", data)
}

// loginPost checks the password and always goes on to the code step, also for
// an unknown username or a wrong password: the outcome is told only after the
// code, in one message, so that neither step reveals whether a username
// exists or a password is right. An unknown username costs the same hashing
// time. ASVS 6.3.8.
func (a *App) loginPost(c echo.Context) error {
	var f loginForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["username"], data.Form["next"] = f.Username, localPath(f.Next)
	if strings.TrimSpace(f.Username) == "" || f.Password == "" {
		if strings.TrimSpace(f.Username) == "" {
			data.Errors["username"] = data.T("login.username_missing")
		}
		if f.Password == "" {
			data.Errors["password"] = data.T("login.password_missing")
		}
		return a.loginPage(c, http.StatusUnprocessableEntity, data)
	}
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()

	canonical, _, nameErr := auth.NormalizeUsername(f.Username)
	if nameErr != nil {
		canonical = strings.ToLower(strings.TrimSpace(f.Username))
	}
	keys, err := a.throttleKeys(c, canonical)
	if err != nil {
		return err
	}
	var acct *models.Account
	if nameErr == nil {
		acct, err = models.AccountByUsername(db, canonical)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	known := acct != nil && a.knownDevice(c, acct.ID)
	if until, err := a.throttledUntil(c, keys, known); err != nil {
		return err
	} else if !until.IsZero() {
		return a.throttledPage(c, data, until)
	}

	encoded := ""
	if acct != nil {
		encoded = acct.PasswordHash
	}
	password, prepErr := auth.PreparePassword(f.Password)
	if prepErr != nil {
		password = f.Password
	}
	ok, rehash, err := a.verifyPassword(c, password, encoded)
	if err != nil && !errors.Is(err, auth.ErrMalformedHash) {
		return err
	}
	ok = ok && prepErr == nil && acct != nil
	if ok && rehash {
		if hash, err := a.hashPassword(c, password); err == nil {
			_ = models.SetPasswordHash(db, acct.ID, hash, now)
		}
	}

	// An account that has never confirmed an authenticator has no second
	// factor yet: the password signs it in to enrollment only.
	if ok && acct.TOTPConfirmedAt == nil && acct.TOTPSecret == nil {
		if err := a.clearSignInFailures(c, keys); err != nil {
			return err
		}
		if err := a.startSession(c, acct); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/account/totp")
	}

	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	ch := &models.LoginChallenge{
		TokenHash: hash, PasswordOK: ok, ClientHash: keys.clientAccount, AccountKey: keys.account,
		NextPath:  localPath(f.Next),
		CreatedAt: now, ExpiresAt: now.Add(models.ChallengeLifetime),
	}
	if acct != nil {
		ch.AccountID = &acct.ID
	}
	if err := models.CreateChallenge(db, ch); err != nil {
		return err
	}
	a.setCookie(c, challengeCookie, token, 0)
	return c.Redirect(http.StatusSeeOther, "/login/code")
}

// throttledPage says, in the same words for every account and whether or
// not it exists, when to try again.
func (a *App) throttledPage(c echo.Context, data *pageData, until time.Time) error {
	minutes := int(math.Ceil(until.Sub(a.now().UTC()).Minutes()))
	data.Errors[""] = data.T("login.throttled", "Count", max(minutes, 1))
	a.log.Warn("sign-in throttled")
	return a.loginPage(c, http.StatusTooManyRequests, data)
}
