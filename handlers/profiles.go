package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// profileGet shows a member's profile to members who share a group with
// them; to everyone else it is 404, so it cannot confirm membership.
func (a *App) profileGet(c echo.Context) error {
	acct := currentAccount(c)
	p, err := models.ProfileFor(a.db.WithContext(c.Request().Context()), models.ReaderOf(acct), c.Param("username"))
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = p.Username
	data.Data = map[string]any{"Profile": p, "Self": p.ID == acct.ID}
	return a.page(c, http.StatusOK, "profile", data)
}

// blockPost blocks a member seen through a shared group. The blocked member
// is never told.
func (a *App) blockPost(c echo.Context) error {
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	p, err := models.ProfileFor(db, models.ReaderOf(acct), c.Param("username"))
	if err != nil {
		return err
	}
	if p.ID == acct.ID {
		return echo.ErrNotFound
	}
	if err := models.AddBlock(db, acct.ID, p.ID, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.blocks.blocked")
	return c.Redirect(http.StatusSeeOther, "/members/"+p.Username)
}

// unblockPost lifts a block by the blocked member's id (from the list in
// settings, also when the two no longer share a group).
func (a *App) unblockPost(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	if err := models.RemoveBlock(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, id); err != nil {
		return err
	}
	a.flash(c, "flash.blocks.unblocked")
	return c.Redirect(http.StatusSeeOther, localPath(c.FormValue("next")))
}
