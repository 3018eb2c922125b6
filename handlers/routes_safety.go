package handlers

import "github.com/labstack/echo/v4"

// safetyRoutes are the help directory, profiles and blocking.
func (a *App) safetyRoutes(e *echo.Echo) {
	e.GET("/admin/help", a.adminHelpGet, a.requireAdmin)
	e.POST("/admin/help", a.adminHelpSavePost, a.requireAdmin)
	e.GET("/admin/help/:id/edit", a.adminHelpEditGet, a.requireAdmin)
	e.POST("/admin/help/:id", a.adminHelpSavePost, a.requireAdmin)
	e.POST("/admin/help/:id/delete", a.adminHelpDeletePost, a.requireAdmin)

	e.GET("/members/:username", a.profileGet, a.requireAccount)
	e.POST("/members/:username/block", a.blockPost, a.requireAccount)
	e.POST("/account/blocks/:id/remove", a.unblockPost, a.requireAccount)
}
