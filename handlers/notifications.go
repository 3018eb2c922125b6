package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// notificationsShown caps the list; older notifications stay in the
// database until their post, topic or group goes.
const notificationsShown = 100

// notificationView is one line of the notifications page: the message key
// and where it leads.
type notificationView struct {
	models.NotificationView
	Key    string
	Link   string
	Unread bool
}

// notificationsGet lists the member's notifications, unread first.
func (a *App) notificationsGet(c echo.Context) error {
	acct := currentAccount(c)
	list, err := models.NotificationsOf(a.db.WithContext(c.Request().Context()), acct.ID, notificationsShown)
	if err != nil {
		return err
	}
	views := make([]notificationView, 0, len(list))
	for _, n := range list {
		v := notificationView{NotificationView: n, Key: "notifications.kind." + n.Kind, Unread: n.ReadAt == nil}
		switch {
		case n.PostID != nil:
			v.Link = "/posts/" + strconv.FormatInt(*n.PostID, 10)
		case n.GroupSlug != "":
			v.Link = "/groups/" + url.PathEscape(n.GroupSlug)
		}
		views = append(views, v)
	}
	data := a.newPageData(c)
	data.Title = data.T("notifications.title")
	data.Data = views
	return a.page(c, http.StatusOK, "notifications", data)
}

// notificationsReadPost marks every notification read.
func (a *App) notificationsReadPost(c echo.Context) error {
	acct := currentAccount(c)
	if err := models.MarkNotificationsRead(a.db.WithContext(c.Request().Context()), acct.ID, nil, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.posts.notifications_read")
	return c.Redirect(http.StatusSeeOther, "/notifications")
}
