package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// Sign-in throttling, kept in the database so that it holds across restarts
// and instances. It must not become a weapon: a stalker who knows a member's
// username must not be able to lock her out. So the tight limit is per
// account *and client*; the account alone has a much higher limit, and a
// browser that has signed in to the account before (a signed device cookie)
// is exempt from it. ASVS 6.1.1, 6.3.1, 2.4.1.
var (
	// clientAccountRule: 5 free failures, then 30 s doubling up to 15 min.
	clientAccountRule = models.ThrottleRule{Scope: "client+account", Free: 5, Base: 30 * time.Second, Max: 15 * time.Minute}
	// accountRule: 50 free failures from anywhere, then 1 min doubling up to
	// 30 min — for clients never seen signing in to this account.
	accountRule = models.ThrottleRule{Scope: "account", Free: 50, Base: time.Minute, Max: 30 * time.Minute}
)

// throttleKeys are keyed hashes: the key of the day lives in the database
// and is deleted after 24 hours, so no stored value leads back to an address
// or, after a day, even links two attempts.
type throttleKeys struct {
	clientAccount, account, client []byte
}

func (a *App) throttleKeys(c echo.Context, canonicalUsername string) (throttleKeys, error) {
	dayKey, err := models.ClientHashKey(a.db.WithContext(c.Request().Context()), a.now().UTC())
	if err != nil {
		return throttleKeys{}, err
	}
	sum := func(parts ...string) []byte {
		mac := hmac.New(sha256.New, dayKey)
		for _, p := range parts {
			mac.Write([]byte(p))
			mac.Write([]byte{0})
		}
		return mac.Sum(nil)
	}
	ip := c.RealIP()
	return throttleKeys{
		clientAccount: sum("client+account", ip, canonicalUsername),
		account:       sum("account", canonicalUsername),
		client:        sum("client", ip),
	}, nil
}

// throttledUntil returns when this attempt may go ahead (zero: now).
func (a *App) throttledUntil(c echo.Context, keys throttleKeys, knownDevice bool) (time.Time, error) {
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	until, err := models.ThrottledUntil(db, clientAccountRule.Scope, keys.clientAccount, now)
	if err != nil || !until.IsZero() || knownDevice {
		return until, err
	}
	return models.ThrottledUntil(db, accountRule.Scope, keys.account, now)
}

// recordSignInFailure counts a failed sign-in for both scopes.
func (a *App) recordSignInFailure(c echo.Context, keys throttleKeys) error {
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	if err := models.RecordFailure(db, clientAccountRule, keys.clientAccount, now); err != nil {
		return err
	}
	return models.RecordFailure(db, accountRule, keys.account, now)
}

// clearSignInFailures forgets the failures after a successful sign-in.
func (a *App) clearSignInFailures(c echo.Context, keys throttleKeys) error {
	db := a.db.WithContext(c.Request().Context())
	if err := models.ClearThrottle(db, clientAccountRule.Scope, keys.clientAccount); err != nil {
		return err
	}
	return models.ClearThrottle(db, accountRule.Scope, keys.account)
}
