package handlers

import "github.com/labstack/echo/v4"

// Route patterns of the two forms whose text is kept when the session has
// expired (see keepDraft): the CSRF check needs to recognise them.
const (
	routeNewTopic = "/groups/:slug/new"
	routeReply    = "/groups/:slug/topics/:id/reply"
)

// topicRoutes are the routes inside groups: topics, posts, reactions, and
// around them notifications, search and the outbound link page. Paths and
// field names are the public interface (PRODUCT.md). The group pages
// themselves (/groups, /groups/:slug) live in the groups routes.
func (a *App) topicRoutes(e *echo.Echo) {
	e.GET(routeNewTopic, a.topicNewGet, a.requireAccount)
	e.POST(routeNewTopic, a.topicNewPost, a.requireAccountKeepDraft)
	e.GET("/groups/:slug/topics/:id", a.topicGet, a.requireAccount)
	e.POST(routeReply, a.replyPost, a.requireAccountKeepDraft)

	e.GET("/posts/:id", a.postGoto, a.requireAccount)
	e.GET("/posts/:id/edit", a.postEditGet, a.requireAccount)
	e.POST("/posts/:id/edit", a.postEditPost, a.requireAccount)
	e.GET("/posts/:id/versions", a.postVersionsGet, a.requireAccount)
	e.GET("/posts/:id/erase", a.postEraseGet, a.requireAccount)
	e.POST("/posts/:id/erase", a.postErasePost, a.requireAccount)
	e.POST("/posts/:id/react", a.reactPost, a.requireAccount)

	e.GET("/notifications", a.notificationsGet, a.requireAccount)
	e.POST("/notifications/read", a.notificationsReadPost, a.requireAccount)
	e.GET("/search", a.searchGet, a.requireAccount)
	// /out only shows where a link leads, but it is for members: links to it
	// exist only inside groups, and a private page keeps it off caches.
	e.GET("/out", a.outGet, a.requireAccount)
}
