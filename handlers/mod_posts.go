package handlers

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// modPostData is a post with the actions a moderator may take on it and on
// its topic.
type modPostData struct {
	Post    *models.Post
	Topic   *models.Topic
	Group   *models.Group
	Flag    models.PostFlag
	HTML    template.HTML
	Presets []string
	Days    []int
	Report  string
}

// modPost loads a post the moderator may act on: through the gate (a read
// by staff outside the group is audited), then the models' rule on its
// author. Outside the reach: 404; about oneself or a higher rank: 403.
func (a *App) modPost(c echo.Context, id int64) (*modPostData, error) {
	db := a.db.WithContext(c.Request().Context())
	m := currentMod(c)
	p, t, acc, err := models.ReadPost(db, models.ReaderOf(currentAccount(c)), id, a.now().UTC())
	if err != nil {
		return nil, err
	}
	if !acc.Moderator {
		return nil, models.ErrNotFound
	}
	if p.AuthorID != nil {
		if err := m.MayActOn(db, *p.AuthorID, &p.GroupID); err != nil {
			return nil, modRefused(err)
		}
	}
	flags, err := models.PostFlagsFor(db, []int64{p.ID})
	if err != nil {
		return nil, err
	}
	d := &modPostData{Post: p, Topic: t, Group: acc.Group, Flag: flags[p.ID], HTML: storedHTML(p.BodyHTML),
		Presets: modPresets, Days: modDurations, Report: c.QueryParam("report")}
	if d.Flag.HiddenAt != nil {
		d.HTML = storedHTML(d.Flag.HiddenHTML)
	}
	return d, nil
}

func (a *App) modPostGet(c echo.Context) error {
	return a.modPostPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) modPostPage(c echo.Context, status int, data *pageData) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := a.modPost(c, id)
	if err != nil {
		return err
	}
	if r, ok := data.Form["report"]; ok {
		d.Report = r
	}
	data.Title = data.T("mod.post.title")
	data.Data = d
	return a.page(c, status, "mod_post", data)
}

// modPostActionPost hides, deletes or redacts a post.
func (a *App) modPostActionPost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	action := c.Param("action")
	if action != "hide" && action != "delete" && action != "redact" {
		return models.ErrNotFound
	}
	var f modForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data)
	in := a.modInput(c, &f, data)
	if action == "redact" && f.Remove == "" {
		data.Errors["remove"] = data.T("mod.error.remove_missing")
	}
	if data.HasErrors() {
		return a.modPostPage(c, http.StatusUnprocessableEntity, data)
	}
	db := a.db.WithContext(c.Request().Context())
	m, now := currentMod(c), a.now().UTC()
	switch action {
	case "hide":
		err = models.HidePost(db, m, id, in, now)
	case "delete":
		err = models.DeletePost(db, m, id, in, now)
	case "redact":
		render := func(s string) (string, error) {
			h, err := a.markup.Render(s)
			return string(h), err
		}
		err = models.RedactPost(db, m, id, f.Remove, render, in, now)
		if errors.Is(err, models.ErrModInput) {
			data.Errors["remove"] = data.T("mod.error.remove_not_found")
			return a.modPostPage(c, http.StatusUnprocessableEntity, data)
		}
	}
	if err != nil {
		return modRefused(err)
	}
	a.flash(c, "flash.mod.done")
	return c.Redirect(http.StatusSeeOther, "/mod")
}

// modTopicData is a topic with lock, pin and move.
type modTopicData struct {
	Topic   *models.Topic
	Group   *models.Group
	Groups  []models.GroupListing
	Presets []string
}

func (a *App) modTopicGet(c echo.Context) error {
	return a.modTopicPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) modTopicPage(c echo.Context, status int, data *pageData) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	m := currentMod(c)
	var t models.Topic
	if err := db.First(&t, id).Error; err != nil || !m.InGroup(t.GroupID) {
		return models.ErrNotFound
	}
	all, err := models.AllGroups(db)
	if err != nil {
		return err
	}
	d := modTopicData{Topic: &t, Presets: modPresets}
	for i := range all {
		switch {
		case all[i].ID == t.GroupID:
			d.Group = &all[i].Group
		case m.InGroup(all[i].ID):
			d.Groups = append(d.Groups, all[i])
		}
	}
	data.Title = data.T("mod.topic.title")
	data.Data = d
	return a.page(c, status, "mod_topic", data)
}

// modTopicActionPost locks, unlocks, pins, unpins or moves a topic.
func (a *App) modTopicActionPost(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	actions := map[string]string{"lock": models.ModLock, "unlock": models.ModUnlock, "pin": models.ModPin,
		"unpin": models.ModUnpin, "move": models.ModMove}
	action, ok := actions[c.Param("action")]
	if !ok {
		return models.ErrNotFound
	}
	var f modForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data)
	in := a.modInput(c, &f, data)
	if action == models.ModMove && f.Group == "" {
		data.Errors["group"] = data.T("mod.error.group_missing")
	}
	if data.HasErrors() {
		return a.modTopicPage(c, http.StatusUnprocessableEntity, data)
	}
	db := a.db.WithContext(c.Request().Context())
	if action == models.ModMove {
		_, err = models.MoveTopic(db, currentMod(c), id, f.Group, in, a.now().UTC())
		if errors.Is(err, models.ErrModInput) {
			data.Errors["group"] = data.T("mod.error.group_missing")
			return a.modTopicPage(c, http.StatusUnprocessableEntity, data)
		}
	} else {
		_, err = models.TopicAction(db, currentMod(c), id, action, in, a.now().UTC())
	}
	if err != nil {
		return modRefused(err)
	}
	a.flash(c, "flash.mod.done")
	return c.Redirect(http.StatusSeeOther, "/mod/topics/"+c.Param("id"))
}
