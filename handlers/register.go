package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

// registerForm is the sign-up form; field names are the public interface.
type registerForm struct {
	Invite   string `form:"invite"`
	Username string `form:"username"`
	Password string `form:"password"`
	Accept   string `form:"accept"`
}

// registerGet shows the sign-up form; an invite code from the link is kept.
func (a *App) registerGet(c echo.Context) error {
	if currentAccount(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	data := a.newPageData(c)
	data.Form["invite"] = strings.TrimSpace(c.QueryParam("invite"))
	return a.registerPage(c, http.StatusOK, data)
}

func (a *App) registerPage(c echo.Context, status int, data *pageData) error {
	data.Title = data.T("register.title")
	return a.page(c, status, "register", data)
}

// registerPost creates a pseudonymous account: no e-mail, no real name.
// Whether a username is taken is revealed only to someone holding a valid
// invite (or when the administrators opened registration to everyone).
func (a *App) registerPost(c echo.Context) error {
	if currentAccount(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	var f registerForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.Invite = strings.TrimSpace(f.Invite)
	data.Form["invite"], data.Form["username"] = f.Invite, f.Username
	if f.Accept != "" {
		data.Form["accept"] = "yes"
	}
	site := data.Site
	if site.RegistrationMode == models.RegistrationClosed {
		return a.registerPage(c, http.StatusForbidden, data)
	}
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()

	var invite *models.Invite
	if site.RegistrationMode == models.RegistrationInvite {
		inv, err := models.InviteByCode(db, models.InviteCodeHash(f.Invite), now)
		switch {
		case f.Invite == "":
			data.Errors["invite"] = data.T("register.invite_missing")
		case errors.Is(err, models.ErrNotFound):
			data.Errors["invite"] = data.T("register.invite_invalid")
		case err != nil:
			return err
		default:
			invite = inv
		}
	}
	canonical, skeleton, err := auth.NormalizeUsername(f.Username)
	if err != nil {
		data.Errors["username"] = data.T(usernameMessage(err), "Min", auth.MinUsernameLen, "Max", auth.MaxUsernameLen)
	} else if !data.HasErrors() {
		taken, err := models.UsernameTaken(db, canonical, skeleton)
		if err != nil {
			return err
		}
		if taken {
			data.Errors["username"] = data.T("register.username_taken")
		}
	}
	password, err := auth.CheckPassword(f.Password)
	if err != nil {
		data.Errors["password"] = data.T(passwordMessage(err), "Min", auth.MinPasswordLen, "Max", auth.MaxPasswordLen)
	}
	if f.Accept != "yes" {
		data.Errors["accept"] = data.T("register.accept_missing")
	}
	if data.HasErrors() {
		return a.registerPage(c, http.StatusUnprocessableEntity, data)
	}

	hash, err := a.hashPassword(c, password)
	if err != nil {
		return err
	}
	acct := &models.Account{Username: canonical, UsernameSkeleton: skeleton, PasswordHash: hash, Role: models.RoleMember,
		Language: data.L.Lang()}
	err = db.Transaction(func(tx *gorm.DB) error {
		if invite != nil {
			ok, err := models.UseInvite(tx, invite.ID, now)
			if err != nil {
				return err
			}
			if !ok {
				return models.ErrNotFound
			}
		}
		return models.CreateAccount(tx, acct)
	})
	switch {
	case errors.Is(err, models.ErrNotFound):
		data.Errors["invite"] = data.T("register.invite_invalid")
		return a.registerPage(c, http.StatusUnprocessableEntity, data)
	case errors.Is(err, models.ErrUsernameTaken):
		data.Errors["username"] = data.T("register.username_taken")
		return a.registerPage(c, http.StatusUnprocessableEntity, data)
	case err != nil:
		return err
	}
	a.log.Info("account registered", "account_id", acct.ID)
	if err := a.startSession(c, acct); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/totp")
}
