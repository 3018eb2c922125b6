package handlers

import "github.com/labstack/echo/v4"

// modRoutes are reports, the moderation queue and its actions, appeals, the
// audit log and the administrators' role and word pages (issue 5). Every
// moderation route needs an account; who may act on what is decided in
// models (models.Mod), which answers 404 outside the moderator's reach.
func (a *App) modRoutes(e *echo.Echo) {
	e.GET("/posts/:id/report", a.reportPostGet, a.requireAccount)
	e.POST("/posts/:id/report", a.reportPostPost, a.requireAccount)
	e.GET("/members/:username/report", a.reportMemberGet, a.requireAccount)
	e.POST("/members/:username/report", a.reportMemberPost, a.requireAccount)

	e.GET("/mod", a.modQueueGet, a.requireAccount, a.requireModerator)
	e.GET("/mod/reports/:id", a.modReportGet, a.requireAccount, a.requireModerator)
	e.POST("/mod/reports/:id/dismiss", a.modReportDismissPost, a.requireAccount, a.requireModerator)
	e.GET("/mod/posts/:id", a.modPostGet, a.requireAccount, a.requireModerator)
	e.GET("/mod/topics/:id", a.modTopicGet, a.requireAccount, a.requireModerator)
	e.POST("/mod/posts/:id/:action", a.modPostActionPost, a.requireAccount, a.requireModerator)
	e.POST("/mod/topics/:id/:action", a.modTopicActionPost, a.requireAccount, a.requireModerator)
	e.GET("/mod/members/:username", a.modMemberGet, a.requireAccount, a.requireModerator)
	e.POST("/mod/members/:username/:action", a.modMemberActionPost, a.requireAccount, a.requireModerator)
	e.GET("/mod/held/:id", a.modHeldGet, a.requireAccount, a.requireModerator)
	e.POST("/mod/held/:id/:action", a.modHeldDecidePost, a.requireAccount, a.requireModerator)
	e.GET("/mod/appeals/:id", a.modAppealGet, a.requireAccount, a.requireModerator)
	e.POST("/mod/appeals/:id/:action", a.modAppealDecidePost, a.requireAccount, a.requireModerator)
	e.POST("/mod/groups/:slug/premod", a.modPremodPost, a.requireAccount, a.requireModerator)
	e.GET("/mod/audit", a.auditGet, a.requireAccount, a.requireModerator)
	e.POST("/mod/audit/:id/purge", a.auditPurgePost, a.requireAdmin)

	e.GET("/appeals", a.appealsGet, a.requireAccount)
	e.POST("/appeals/:id", a.appealPost, a.requireAccount)

	e.GET("/admin/roles", a.rolesGet, a.requireAdmin)
	e.POST("/admin/roles", a.rolesPost, a.requireAdmin)
	e.GET("/admin/words", a.wordsGet, a.requireAdmin)
	e.POST("/admin/words", a.wordsPost, a.requireAdmin)
	e.POST("/admin/words/:id/delete", a.wordsDeletePost, a.requireAdmin)
	e.POST("/admin/alerts", a.alertsPost, a.requireAdmin)
}
