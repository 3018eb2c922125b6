package handlers

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/models"
)

// modHeldData is one held text for a moderator: a topic, reply or edit
// (Held), or a bio (Bio).
type modHeldData struct {
	Held *models.HeldView
	Bio  *models.HeldBioView
	// HTML is the held text of a post or edit; Current an edit's post as
	// everyone reads it now. Both only ever the output of internal/markup.
	HTML, Current template.HTML
	Presets       []string
}

// heldRef reads the :id of /mod/held/:id: a held post's number, or "bio-"
// and a held bio's.
func heldRef(c echo.Context) (bio bool, id int64, err error) {
	raw := c.Param("id")
	if rest, ok := strings.CutPrefix(raw, "bio-"); ok {
		bio, raw = true, rest
	}
	id, err = strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return false, 0, models.ErrNotFound
	}
	return bio, id, nil
}

func (a *App) modHeldGet(c echo.Context) error {
	return a.modHeldPage(c, http.StatusOK, a.newPageData(c))
}

// modHeldPage shows one held text with approve and reject. Held posts and
// edits are for the moderators of their group, bios for site moderators and
// administrators; anyone else, and the author herself, gets 404.
func (a *App) modHeldPage(c echo.Context, status int, data *pageData) error {
	bio, id, err := heldRef(c)
	if err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	d := modHeldData{Presets: modPresets}
	if bio {
		list, err := models.HeldBiosFor(db, currentMod(c), "held_bios.id = ?", id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return models.ErrNotFound
		}
		d.Bio = &list[0]
		data.Title = data.T("hold.bio.mod_title")
	} else {
		list, err := models.HeldFor(db, currentMod(c), "held_posts.id = ?", id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return models.ErrNotFound
		}
		d.Held, d.HTML, d.Current = &list[0], storedHTML(list[0].BodyHTML), storedHTML(list[0].CurrentHTML)
		data.Title = data.T("hold.mod.title")
		if d.Held.Kind() == models.HeldEdit {
			data.Title = data.T("hold.edit.mod_title")
		}
	}
	data.Data = d
	return a.page(c, status, "mod_held", data)
}

// modHeldDecidePost approves a held text — a topic or reply is published
// now, an edit becomes the post's text, a bio the member's bio — or rejects
// it: it is deleted, the earlier text stays, and its author is told.
func (a *App) modHeldDecidePost(c echo.Context) error {
	bio, id, err := heldRef(c)
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
	db := a.db.WithContext(c.Request().Context())
	now := a.now().UTC()
	if bio {
		err = models.DecideHeldBio(db, currentMod(c), id, action == "approve", in, now)
	} else {
		_, err = models.DecideHeld(db, currentMod(c), id, action == "approve", in, a.publishHeld(now), now)
	}
	// What cannot be published now is said on the page; it can still be
	// rejected.
	for refusal, why := range map[error]string{models.ErrTopicLocked: "hold.mod.locked", models.ErrHeldPostGone: "hold.edit.gone"} {
		if errors.Is(err, refusal) {
			data.Errors[""] = data.T(why)
			return a.modHeldPage(c, http.StatusUnprocessableEntity, data)
		}
	}
	if err != nil {
		return modRefused(err)
	}
	a.flash(c, "flash.mod.done")
	return c.Redirect(http.StatusSeeOther, "/mod")
}

// publishHeld publishes an approved held post in the deciding transaction:
// an edit becomes its post's text (the earlier one kept as a version, as
// when the author edits); a topic or reply is created and notified. The text
// is rendered again, by the same path as every post, so that it is what the
// renderer makes of it today.
func (a *App) publishHeld(now time.Time) func(tx *gorm.DB, h *models.HeldPost) (*models.Post, error) {
	return func(tx *gorm.DB, h *models.HeldPost) (*models.Post, error) {
		html, err := a.markup.Render(h.Body)
		if err != nil {
			return nil, err
		}
		if h.PostID != nil {
			p, err := models.PublishableForEdit(tx, h)
			if err != nil {
				return nil, err
			}
			return p, models.EditPost(tx, p, h.Body, string(html), h.ContentWarning, now)
		}
		author, err := models.AccountByID(tx, h.AuthorID)
		if err != nil {
			return nil, err
		}
		np := models.NewPost{AuthorID: h.AuthorID, Body: h.Body, BodyHTML: string(html), ContentWarning: h.ContentWarning,
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
