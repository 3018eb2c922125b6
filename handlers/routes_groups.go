package handlers

import "github.com/labstack/echo/v4"

// groupRoutes are the routes of groups, membership and the administration
// of groups (issue 4). Every member page passes requireAccount (a visitor is
// sent to sign in, nothing is cached); who may see what inside a group is
// decided by the gate in models, not here.
func (a *App) groupRoutes(e *echo.Echo) {
	e.GET("/groups", a.groupsGet, a.requireAccount)
	e.GET("/groups/:slug", a.groupGet, a.requireAccount)
	e.POST("/groups/:slug/join", a.groupJoinPost, a.requireAccount)
	e.GET("/groups/:slug/invite/:code", a.groupInviteLinkGet, a.requireAccount)
	e.POST("/groups/:slug/invite/:code", a.groupInviteLinkPost, a.requireAccount)
	e.GET("/groups/:slug/leave", a.groupLeaveGet, a.requireAccount)
	e.POST("/groups/:slug/leave", a.groupLeavePost, a.requireAccount)
	e.GET("/groups/:slug/members", a.groupMembersGet, a.requireAccount)

	// Moderation of one group: its moderators, site moderators and
	// administrators (models.ModerateGroup).
	e.GET("/groups/:slug/moderate", a.groupModerateGet, a.requireAccount)
	e.POST("/groups/:slug/requests/:id/approve", a.groupRequestApprovePost, a.requireAccount)
	e.POST("/groups/:slug/requests/:id/decline", a.groupRequestDeclinePost, a.requireAccount)
	e.POST("/groups/:slug/invitations", a.groupInvitationPost, a.requireAccount)
	e.POST("/groups/:slug/invite-links", a.groupInviteLinkCreatePost, a.requireAccount)

	e.GET("/admin/groups", a.adminGroupsGet, a.requireAdmin)
	e.GET("/admin/groups/new", a.adminGroupNewGet, a.requireAdmin)
	e.POST("/admin/groups/new", a.adminGroupNewPost, a.requireAdmin)
	e.GET("/admin/groups/:slug/edit", a.adminGroupEditGet, a.requireAdmin)
	e.POST("/admin/groups/:slug/edit", a.adminGroupEditPost, a.requireAdmin)
	e.POST("/admin/groups/:slug/moderators", a.adminGroupModeratorPost, a.requireAdmin)
	e.POST("/admin/groups/:slug/moderators/:id/remove", a.adminGroupModeratorRemovePost, a.requireAdmin)
}
