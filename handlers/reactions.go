package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// reactPost toggles one of the fixed support reactions on a post. Only
// members of the post's group react (a guessed id elsewhere is 404, staff
// reading from outside get 403); reacting to one's own post is allowed, as
// it is harmless. Who reacted is never shown, only counts.
func (a *App) reactPost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	p, _, acc, err := models.ReadPost(db, models.ReaderOf(acct), id, now)
	if err != nil {
		return err
	}
	if p.ErasedAt != nil {
		return models.ErrNotFound
	}
	if !acc.Member {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	// Neither of two members who blocked each other can react to the
	// other; the answer is the same as for a post that does not exist.
	if p.AuthorID != nil {
		if blocked, err := models.BlockedEitherWay(db, acct.ID, *p.AuthorID); err != nil {
			return err
		} else if blocked {
			return models.ErrNotFound
		}
	}
	kind := c.FormValue("kind")
	if !models.ValidReaction(kind) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if _, err := models.ToggleReaction(db, p.ID, acct.ID, kind, now); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, postURL(acc.Group.Slug, p))
}
