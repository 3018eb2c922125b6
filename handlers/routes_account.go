package handlers

import "github.com/labstack/echo/v4"

// accountRoutes are the routes of accounts: first administrator, sign-up,
// enrollment, sign-in, sessions and account security. Field names and paths
// are the public interface (PRODUCT.md).
func (a *App) accountRoutes(e *echo.Echo) {
	e.GET("/setup", a.setupGet)
	e.POST("/setup", a.setupPost)
	e.GET("/register", a.registerGet)
	e.POST("/register", a.registerPost)
	e.GET("/login", a.loginGet)
	e.POST("/login", a.loginPost)
	e.GET("/login/code", a.loginCodeGet)
	e.POST("/login/code", a.loginCodePost)
	// A suspended or banned member appeals from the page shown at sign-in,
	// with the pass it gave her instead of a session.
	e.POST("/login/appeal", a.barredAppealPost)
	e.POST("/logout", a.logout)

	// Enrollment: the only pages a half-registered account may open.
	e.GET("/account/totp", a.totpGet, a.requireSignedIn)
	e.POST("/account/totp", a.totpPost, a.requireSignedIn)
	e.GET("/account/totp/qr.png", a.totpQR, a.requireSignedIn)
	e.GET("/account/recovery-codes", a.recoveryCodesGet, a.requireSignedIn)
	e.GET("/account/recovery-codes/download", a.recoveryCodesDownload, a.requireSignedIn)
	e.POST("/account/recovery-codes", a.recoveryCodesPost, a.requireSignedIn)

	e.GET("/account/settings", a.memberSettingsGet, a.requireAccount)
	e.POST("/account/settings", a.memberSettingsPost, a.requireAccount)
	e.GET("/account/security", a.securityGet, a.requireAccount)
	e.POST("/account/security/password", a.passwordPost, a.requireAccount)
	e.POST("/account/security/totp", a.newAuthenticatorPost, a.requireAccount)
	e.POST("/account/security/recovery-codes", a.newRecoveryCodesPost, a.requireAccount)
	e.POST("/account/notices/read", a.noticesReadPost, a.requireAccount)
	e.GET("/account/sessions", a.sessionsGet, a.requireAccount)
	e.POST("/account/sessions/end-others", a.sessionsEndOthersPost, a.requireAccount)
	e.POST("/account/sessions/end-all", a.signOutEverywherePost, a.requireAccount)
	e.POST("/account/sessions/:id/end", a.sessionEndPost, a.requireAccount)

	// Delayed administrator reset of a lost authenticator.
	e.GET("/reset", a.resetGet)
	e.POST("/reset", a.resetPost)
	e.POST("/account/reset/cancel", a.resetCancelPost, a.requireSignedIn)
	e.GET("/admin/resets", a.resetsGet, a.requireAdmin)
	e.POST("/admin/resets", a.resetRequestPost, a.requireAdmin)
	e.POST("/admin/resets/:id/approve", a.resetApprovePost, a.requireAdmin)
	e.POST("/admin/resets/:id/link", a.resetLinkPost, a.requireAdmin)

	// Leaving: export first, then delete (issue 3, item 9).
	e.GET("/account/export", a.accountExport, a.requireAccount)
	e.GET("/account/delete", a.accountDeleteGet, a.requireAccount)
	e.POST("/account/delete", a.accountDeletePost, a.requireAccount)
}
