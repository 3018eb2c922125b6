package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
)

// bindForm binds the request body (never the query string or path) into a
// small form struct with `form:"…"` tags. Forms are never bound straight into
// a GORM model (mass assignment).
func bindForm(c echo.Context, dst any) error {
	if err := (&echo.DefaultBinder{}).BindBody(c, dst); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	return nil
}

// usernameMessage is the translation key for a refused username.
func usernameMessage(err error) string {
	var ue *auth.UsernameError
	if errors.As(err, &ue) {
		return "form.username." + ue.Reason
	}
	return "form.username.invalid_characters"
}

// passwordMessage is the translation key for a refused password.
func passwordMessage(err error) string {
	var pe *auth.PasswordError
	if errors.As(err, &pe) {
		return "form.password." + pe.Reason
	}
	return "form.password.invalid"
}

// hashPassword hashes in the bounded pool; a full queue is auth.ErrBusy,
// which the error handler answers with 503 and Retry-After.
func (a *App) hashPassword(c echo.Context, password string) (string, error) {
	var hash string
	var hashErr error
	err := a.hashPool.Do(c.Request().Context(), func() { hash, hashErr = auth.HashPassword(password, a.params) })
	if err != nil {
		return "", err
	}
	return hash, hashErr
}

// verifyPassword checks a password in the bounded pool. An empty encoded hash
// (unknown username) is checked against a dummy hash, so that it costs the
// same time. ASVS 6.3.8.
func (a *App) verifyPassword(c echo.Context, password, encoded string) (ok, needsRehash bool, err error) {
	if encoded == "" {
		encoded = a.dummyHash
	}
	var verifyErr error
	err = a.hashPool.Do(c.Request().Context(), func() {
		ok, needsRehash, verifyErr = auth.VerifyPassword(password, encoded, a.params)
	})
	if err != nil {
		return false, false, err
	}
	if verifyErr != nil {
		return false, false, verifyErr
	}
	return ok && encoded != a.dummyHash, needsRehash, nil
}
