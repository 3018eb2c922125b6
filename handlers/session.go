package handlers

import (
	"errors"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
	"hearth/models"
)

const (
	sessionCookie = "hearth_session"
	ctxSession    = "hearth.session"
	ctxAccount    = "hearth.account"
)

// loadSession finds the session named by the session cookie, if any, and
// puts it and its account in the context. An unknown or expired token is
// simply ignored (and its cookie cleared): the request goes on as a visitor.
func (a *App) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(a.cookieName(sessionCookie))
		if err != nil || ck.Value == "" {
			return next(c)
		}
		s, acct, err := models.SessionByToken(a.db.WithContext(c.Request().Context()),
			auth.HashToken(ck.Value), a.now().UTC(), a.sessionPolicy(c))
		switch {
		case errors.Is(err, models.ErrNotFound):
			a.clearCookie(c, sessionCookie)
		case err != nil:
			return err
		case acct.Barred(a.now().UTC()):
			// Suspended or banned since signing in: signed out at once
			// (the moderation action also ended every session).
			if err := models.DeleteOtherSessions(a.db.WithContext(c.Request().Context()), acct.ID, 0); err != nil {
				return err
			}
			a.clearCookie(c, sessionCookie)
		default:
			c.Set(ctxSession, s)
			c.Set(ctxAccount, acct)
		}
		return next(c)
	}
}

// sessionPolicy is the idle timeout and absolute lifetime the
// administrators set (default 30 minutes and 12 hours).
func (a *App) sessionPolicy(c echo.Context) models.SessionPolicy {
	return a.siteSettings(c).SessionPolicy()
}

// currentSession is the signed-in session, or nil for a visitor.
func currentSession(c echo.Context) *models.Session {
	s, _ := c.Get(ctxSession).(*models.Session)
	return s
}

// currentAccount is the signed-in account, or nil for a visitor.
func currentAccount(c echo.Context) *models.Account {
	acct, _ := c.Get(ctxAccount).(*models.Account)
	return acct
}

// startSession signs the account in with a brand-new session token, ending
// any session the browser already had: a token set before sign-in is never
// accepted after it (session fixation; ASVS 7.2.4).
func (a *App) startSession(c echo.Context, acct *models.Account) error {
	db := a.db.WithContext(c.Request().Context())
	if old := currentSession(c); old != nil {
		if err := models.DeleteSession(db, old.ID); err != nil {
			return err
		}
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	s, err := models.CreateSession(db, acct.ID, hash, auth.DeviceLabel(c.Request().UserAgent()), a.now().UTC(), a.sessionPolicy(c))
	if err != nil {
		return err
	}
	a.setCookie(c, sessionCookie, token, 0)
	c.Set(ctxSession, s)
	c.Set(ctxAccount, acct)
	return nil
}

// endSession signs this browser out: the session is deleted on the server
// and the cookie cleared. ASVS 7.4.1.
func (a *App) endSession(c echo.Context) error {
	if s := currentSession(c); s != nil {
		if err := models.DeleteSession(a.db.WithContext(c.Request().Context()), s.ID); err != nil {
			return err
		}
	}
	a.clearCookie(c, sessionCookie)
	c.Set(ctxSession, nil)
	c.Set(ctxAccount, nil)
	return nil
}
