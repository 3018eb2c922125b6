package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/models"
)

// modHeldData is one held post for a moderator.
type modHeldData struct {
	Held    models.HeldView
	HTML    template.HTML
	Presets []string
}

func (a *App) modHeldGet(c echo.Context) error {
	return a.modHeldPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) modHeldPage(c echo.Context, status int, data *pageData) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := models.HeldFor(a.db.WithContext(c.Request().Context()), currentMod(c), "held_posts.id = ?", id)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return models.ErrNotFound
	}
	data.Title = data.T("hold.mod.title")
	data.Data = modHeldData{Held: list[0], HTML: storedHTML(list[0].BodyHTML), Presets: modPresets}
	return a.page(c, status, "mod_held", data)
}

// modHeldDecidePost approves a held post (it is published now, as a topic
// or a reply) or rejects it (it is deleted; its author is told).
func (a *App) modHeldDecidePost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	action := c.Param("action")
	if action != "approve" && action != "reject" {
		return models.ErrNotFound
	}
	var f modForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data)
	f.Report = ""
	if action == "approve" && f.Reason == "" && f.Preset == "" {
		f.Reason = data.T("hold.mod.approved_reason")
	}
	in := a.modInput(c, &f, data)
	if data.HasErrors() {
		return a.modHeldPage(c, http.StatusUnprocessableEntity, data)
	}
	now := a.now().UTC()
	publish := func(tx *gorm.DB, h *models.HeldPost) (*models.Post, error) {
		author, err := models.AccountByID(tx, h.AuthorID)
		if err != nil {
			return nil, err
		}
		np := models.NewPost{AuthorID: h.AuthorID, Body: h.Body, BodyHTML: h.BodyHTML, ContentWarning: h.ContentWarning,
			SearchLanguage: models.SearchLanguage(a.cfg.DefaultLanguage)}
		var t *models.Topic
		var p *models.Post
		if h.TopicID == nil {
			t, p, err = models.CreateTopic(tx, h.GroupID, h.Title, np, now)
		} else {
			t = &models.Topic{}
			if err = tx.First(t, *h.TopicID).Error; err == nil {
				p, err = models.Reply(tx, t, np, now)
			}
		}
		if err != nil {
			return nil, err
		}
		return p, notifyPost(tx, t, p, author, now)
	}
	_, err = models.DecideHeld(a.db.WithContext(c.Request().Context()), currentMod(c), id, action == "approve", in, publish, now)
	if errors.Is(err, models.ErrTopicLocked) {
		data.Errors[""] = data.T("hold.mod.locked")
		return a.modHeldPage(c, http.StatusUnprocessableEntity, data)
	}
	if err != nil {
		return modRefused(err)
	}
	a.flash(c, "flash.mod.done")
	return c.Redirect(http.StatusSeeOther, "/mod")
}

// modPremodPost sets how many first posts of a new member the group holds.
func (a *App) modPremodPost(c echo.Context) error {
	db := a.db.WithContext(c.Request().Context())
	acc, err := models.ModerateGroup(db, models.ReaderOf(currentAccount(c)), c.Param("slug"), a.now().UTC())
	if err != nil {
		return err
	}
	var f struct {
		Posts string `form:"premod_posts"`
	}
	if err := bindForm(c, &f); err != nil {
		return err
	}
	n, err := strconv.Atoi(f.Posts)
	if err != nil || n < 0 || n > 50 {
		a.flash(c, "flash.mod.premod_invalid")
		return c.Redirect(http.StatusSeeOther, "/mod")
	}
	if err := models.SetPremodPosts(db, currentMod(c), acc.Group.ID, n, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.mod.premod_saved")
	return c.Redirect(http.StatusSeeOther, "/mod")
}
