package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/secrets"
)

// Session-bound anti-forgery tokens (ASVS 3.5.1), the second layer after
// http.CrossOriginProtection. Echo's CSRF middleware is not used: it is a
// double-submit cookie that is not bound to the session, so a token planted
// before sign-in stays valid after it.
//
// The expected token is an HMAC, under a key derived from the secret key, of
// what the request is bound to: the session (its token hash) when signed in,
// otherwise a random visitor cookie. Forms carry it masked with a fresh random
// pad on every render, so that compressed pages do not leak it (BREACH).

const (
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
	csrfCookie = "hearth_csrf"
	// ctxVisitorCSRF holds a visitor cookie value set during this request.
	ctxVisitorCSRF = "hearth.visitor_csrf"
)

// derivedKeys are purpose-bound keys derived from the secret key.
type derivedKeys struct {
	csrf, device []byte
}

func deriveKeys(box *secrets.Box) (derivedKeys, error) {
	return derivedKeys{
		csrf:   box.DeriveKey("csrf token v1"),
		device: box.DeriveKey("device cookie v1"),
	}, nil
}

// csrfBinding is what this request's token is bound to.
func (a *App) csrfBinding(c echo.Context) (string, bool) {
	if s := currentSession(c); s != nil {
		return "session:" + string(s.TokenHash), true
	}
	if v, ok := c.Get(ctxVisitorCSRF).(string); ok {
		return "visitor:" + v, true
	}
	if ck, err := c.Cookie(a.cookieName(csrfCookie)); err == nil && len(ck.Value) >= 32 {
		return "visitor:" + ck.Value, true
	}
	return "", false
}

func (a *App) csrfExpected(binding string) []byte {
	mac := hmac.New(sha256.New, a.keys.csrf)
	mac.Write([]byte(binding))
	return mac.Sum(nil)
}

// csrfToken returns a masked token for a form on this page, creating the
// visitor cookie when there is neither a session nor one yet.
func (a *App) csrfToken(c echo.Context) string {
	binding, ok := a.csrfBinding(c)
	if !ok {
		raw := make([]byte, 32)
		_, _ = rand.Read(raw)
		value := base64.RawURLEncoding.EncodeToString(raw)
		a.setCookie(c, csrfCookie, value, 0)
		c.Set(ctxVisitorCSRF, value)
		binding = "visitor:" + value
	}
	expected := a.csrfExpected(binding)
	pad := make([]byte, len(expected))
	_, _ = rand.Read(pad)
	masked := make([]byte, 0, 2*len(expected))
	masked = append(masked, pad...)
	for i := range expected {
		masked = append(masked, pad[i]^expected[i])
	}
	return base64.RawURLEncoding.EncodeToString(masked)
}

// csrfValid checks a submitted masked token against this request's binding.
func (a *App) csrfValid(c echo.Context, submitted string) bool {
	binding, ok := a.csrfBinding(c)
	if !ok || submitted == "" {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(submitted)
	if err != nil || len(raw) != 2*sha256.Size {
		return false
	}
	pad, masked := raw[:sha256.Size], raw[sha256.Size:]
	token := make([]byte, sha256.Size)
	for i := range token {
		token[i] = pad[i] ^ masked[i]
	}
	return subtle.ConstantTimeCompare(token, a.csrfExpected(binding)) == 1
}

// csrfProtect refuses every state-changing request without a valid token.
func (a *App) csrfProtect(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		submitted := c.Request().Header.Get(csrfHeader)
		if submitted == "" {
			submitted = c.FormValue(csrfField)
		}
		if !a.csrfValid(c, submitted) {
			if draftRoute(c) {
				// A new topic or reply whose session expired while it was
				// written: its token was bound to that session. Save the
				// text and send the member to sign in; nothing is posted
				// (why this is safe: keepDraft in posts.go).
				return a.keepDraft(c)
			}
			a.log.Warn("csrf token refused", "request_id", requestID(c), "route", c.Path())
			return &echo.HTTPError{Code: http.StatusForbidden, Message: "csrf"}
		}
		return next(c)
	}
}
