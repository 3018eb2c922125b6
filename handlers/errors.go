package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
	"hearth/models"
)

// errorPage maps a status to the translation keys of its page.
var errorPages = map[int]string{
	http.StatusBadRequest:            "error.badrequest",
	http.StatusForbidden:             "error.forbidden",
	http.StatusNotFound:              "error.notfound",
	http.StatusMethodNotAllowed:      "error.notfound",
	http.StatusRequestEntityTooLarge: "error.badrequest",
	http.StatusTooManyRequests:       "error.toomany",
	http.StatusServiceUnavailable:    "error.busy",
}

// handleError is the one HTTPErrorHandler: it renders a calm error page in
// the reader's language, logs server errors with the request ID, and never
// shows an internal message to the client (ASVS 16.5.1).
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	key := "error.server"
	var he *echo.HTTPError
	switch {
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, auth.ErrBusy):
		status = http.StatusServiceUnavailable
		c.Response().Header().Set("Retry-After", "5")
	case errors.As(err, &he):
		status = he.Code
		if he.Message == "csrf" {
			key = "error.csrf"
		}
	}
	if k, ok := errorPages[status]; ok && key != "error.csrf" {
		key = k
	}
	if status >= 500 && status != http.StatusServiceUnavailable {
		a.log.Error("request failed", "request_id", requestID(c), "route", c.Path(), "status", status, "error", err.Error())
		key = "error.server"
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	data := a.newPageData(c)
	data.Title = data.T(key + ".title")
	data.Data = map[string]string{"Key": key, "Status": strconv.Itoa(status)}
	if rerr := a.page(c, status, "error", data); rerr != nil {
		a.log.Error("render error page", "request_id", requestID(c), "error", rerr.Error())
		_ = c.String(status, http.StatusText(status))
	}
}
