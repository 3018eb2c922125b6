package handlers

import "github.com/labstack/echo/v4"

// adminRoutes registers every administration route. Each passes
// requireAdmin: a visitor is sent to sign in, any other account gets 403.
func (a *App) adminRoutes(e *echo.Echo) {
	e.GET("/admin/settings", a.adminSettingsGet, a.requireAdmin)
	e.POST("/admin/settings", a.adminSettingsPost, a.requireAdmin)
	e.GET("/admin/invites", a.adminInvitesGet, a.requireAdmin)
	e.POST("/admin/invites", a.adminInviteCreate, a.requireAdmin)
	e.POST("/admin/invites/:id/revoke", a.adminInviteRevoke, a.requireAdmin)
	e.GET("/admin/texts", a.adminTextsGet, a.requireAdmin)
	e.GET("/admin/texts/:lang/:id", a.adminTextGet, a.requireAdmin)
	e.POST("/admin/texts/:lang/:id", a.adminTextPost, a.requireAdmin)
	e.POST("/admin/texts/:lang/:id/reset", a.adminTextReset, a.requireAdmin)
}
