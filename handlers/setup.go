package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

// setupForm creates the first administrator from the one-time setup link.
type setupForm struct {
	Token    string `form:"token"`
	Username string `form:"username"`
	Password string `form:"password"`
}

// errSetupUsed means the link was used or an administrator exists.
var errSetupUsed = errors.New("setup link used")

// setupGet shows the form when the token is a live setup token and no
// administrator exists; anything else is a plain 404.
func (a *App) setupGet(c echo.Context) error {
	token := c.QueryParam("token")
	ok, err := models.SetupTokenValid(a.db.WithContext(c.Request().Context()), auth.HashToken(token))
	if err != nil {
		return err
	}
	if !ok {
		return echo.ErrNotFound
	}
	data := a.newPageData(c)
	data.Form["token"] = token
	return a.setupPage(c, http.StatusOK, data)
}

func (a *App) setupPage(c echo.Context, status int, data *pageData) error {
	data.Title = data.T("setup.title")
	c.Response().Header().Set("Cache-Control", "no-store")
	return a.page(c, status, "setup", data)
}

func (a *App) setupPost(c echo.Context) error {
	var f setupForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	tokenHash := auth.HashToken(f.Token)
	ok, err := models.SetupTokenValid(db, tokenHash)
	if err != nil {
		return err
	}
	if !ok {
		return echo.ErrNotFound
	}
	data := a.newPageData(c)
	data.Form["token"], data.Form["username"] = f.Token, f.Username
	canonical, skeleton, err := auth.NormalizeUsername(f.Username)
	if err != nil {
		data.Errors["username"] = data.T(usernameMessage(err), "Min", auth.MinUsernameLen, "Max", auth.MaxUsernameLen)
	}
	password, err := auth.CheckPassword(f.Password)
	if err != nil {
		data.Errors["password"] = data.T(passwordMessage(err), "Min", auth.MinPasswordLen, "Max", auth.MaxPasswordLen)
	}
	if data.HasErrors() {
		return a.setupPage(c, http.StatusUnprocessableEntity, data)
	}
	hash, err := a.hashPassword(c, password)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	acct := &models.Account{Username: canonical, UsernameSkeleton: skeleton, PasswordHash: hash, Role: models.RoleAdmin,
		Language: data.L.Lang()}
	err = db.Transaction(func(tx *gorm.DB) error {
		used, err := models.UseSetupToken(tx, tokenHash, now)
		if err != nil {
			return err
		}
		if !used {
			return errSetupUsed
		}
		if err := models.CreateAccount(tx, acct); err != nil {
			return err
		}
		return models.Audit(tx, &acct.ID, "admin.created_by_setup", &acct.ID, "", now)
	})
	switch {
	case errors.Is(err, errSetupUsed):
		return echo.ErrNotFound
	case errors.Is(err, models.ErrUsernameTaken):
		data.Errors["username"] = data.T("register.username_taken")
		return a.setupPage(c, http.StatusUnprocessableEntity, data)
	case err != nil:
		return err
	}
	a.log.Info("first administrator created through the setup link", "account_id", acct.ID)
	if err := a.startSession(c, acct); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/totp")
}
