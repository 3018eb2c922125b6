package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// The device cookie marks a browser that has signed in to an account before.
// It is signed (not stored): "accountID.random.mac". It exempts that browser
// from the account-wide throttle, so that an attacker failing from many
// addresses cannot lock the owner out, and it tells a sign-in from a new
// device apart for the in-app notice. It holds no session and grants nothing.
const (
	deviceCookie = "hearth_device"
	deviceMaxAge = 90 * 24 * 3600
)

func (a *App) deviceMAC(payload string) string {
	mac := hmac.New(sha256.New, a.keys.device)
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// knownDevice reports whether the browser carries a valid device cookie for
// the account.
func (a *App) knownDevice(c echo.Context, accountID int64) bool {
	ck, err := c.Cookie(a.cookieName(deviceCookie))
	if err != nil {
		return false
	}
	parts := strings.Split(ck.Value, ".")
	if len(parts) != 3 || parts[0] != strconv.FormatInt(accountID, 10) {
		return false
	}
	want := a.deviceMAC(parts[0] + "." + parts[1])
	return hmac.Equal([]byte(want), []byte(parts[2]))
}

// rememberDevice sets the device cookie for the account.
func (a *App) rememberDevice(c echo.Context, accountID int64) {
	random := make([]byte, 16)
	_, _ = rand.Read(random)
	payload := strconv.FormatInt(accountID, 10) + "." + base64.RawURLEncoding.EncodeToString(random)
	a.setCookie(c, deviceCookie, payload+"."+a.deviceMAC(payload), deviceMaxAge)
}
