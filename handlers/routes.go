package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// bodyLimit caps every request body; the longest form (a post of 20,000
// characters, up to 4 bytes each, plus fields) fits well inside it.
const bodyLimit = "256K"

// Router builds the Echo instance with every route in one place.
func (a *App) Router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = ipExtractor(a.cfg.TrustedProxies)

	e.Use(middleware.RequestID())
	e.Use(a.accessLog())
	e.Use(a.recoverPanics())
	e.Use(a.securityHeaders)
	e.Use(a.admit)
	e.Use(middleware.BodyLimit(bodyLimit))
	e.Use(crossOrigin())
	e.Use(a.loadSession)
	e.Use(a.csrfProtect)

	e.GET("/healthz", a.healthz)
	e.GET("/static/*", a.assets.serve)
	e.GET("/", a.home)
	e.POST("/language", a.languageSet)
	e.GET("/help", a.help)
	e.GET("/privacy", a.privacy)
	e.GET("/legal", a.legal)

	a.accountRoutes(e)
	a.groupRoutes(e)
	a.topicRoutes(e)

	a.adminRoutes(e)
	a.safetyRoutes(e)
	a.modRoutes(e)
	return e
}

// healthz answers 200 when the database answers, 503 otherwise.
func (a *App) healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if err := pingDB(c, a); err != nil {
		a.log.Warn("health check: database does not answer", "error", err.Error())
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	return c.String(http.StatusOK, "ok\n")
}
