package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// Admission defaults: how many requests run at once, how many may wait for
// a turn, and how long one waits before it is told the forum is busy.
const (
	defaultMaxRunning = 32
	defaultMaxWaiting = 512
	admissionWait     = 5 * time.Second
)

// admission bounds the requests the server works on at once. Beyond what
// the database pool and the cores can serve, more concurrent requests only
// add memory (each holds its page, its rows and its buffers) and make every
// one of them slower; under an overload the benchmark server grew to
// hundreds of megabytes and answered nobody in time. Requests over the
// limit wait in line; when the line is full, or a turn does not come within
// a few seconds, the answer is a short "busy" page with Retry-After.
type admission struct {
	running chan struct{}
	waiting atomic.Int64
	max     int64
	wait    time.Duration
}

func newAdmission(running, waiting int) *admission {
	return &admission{running: make(chan struct{}, running), max: int64(waiting), wait: admissionWait}
}

// admit is the middleware. Static files and the health check skip the line:
// they cost nothing, and a load balancer must not take a busy instance for
// a dead one.
func (a *App) admit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if path := c.Request().URL.Path; path == "/healthz" || strings.HasPrefix(path, "/static/") {
			return next(c)
		}
		ad := a.admission
		select {
		case ad.running <- struct{}{}:
		default:
			if ad.waiting.Add(1) > ad.max {
				ad.waiting.Add(-1)
				return a.busyPage(c)
			}
			timer := time.NewTimer(ad.wait)
			select {
			case ad.running <- struct{}{}:
				timer.Stop()
				ad.waiting.Add(-1)
			case <-timer.C:
				ad.waiting.Add(-1)
				return a.busyPage(c)
			case <-c.Request().Context().Done():
				timer.Stop()
				ad.waiting.Add(-1)
				return c.Request().Context().Err()
			}
		}
		defer func() { <-ad.running }()
		return next(c)
	}
}

// busyPage answers 503 with Retry-After without touching the database: the
// reader's language from her browser, the built-in site texts, no session.
func (a *App) busyPage(c echo.Context) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(5))
	if c.Request().Method == http.MethodHead {
		return c.NoContent(http.StatusServiceUnavailable)
	}
	l := a.catalog.Localizer(a.catalog.Negotiate(c.Request().Header.Get("Accept-Language")))
	data := &pageData{L: l, Site: models.DefaultSiteSettings(), Path: c.Request().URL.RequestURI(),
		Form: map[string]string{}, Errors: map[string]string{}, now: a.now(), ModQueue: -1}
	data.Title = data.T("error.busy.title")
	data.Data = map[string]string{"Key": "error.busy", "Status": strconv.Itoa(http.StatusServiceUnavailable)}
	return a.page(c, http.StatusServiceUnavailable, "error", data)
}
