package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// modMemberData is a member as a moderator sees them.
type modMemberData struct {
	Member  *models.MemberForMod
	Presets []string
	Days    []int
	Report  string
}

func (a *App) modMemberGet(c echo.Context) error {
	return a.modMemberPage(c, http.StatusOK, a.newPageData(c))
}

func (a *App) modMemberPage(c echo.Context, status int, data *pageData) error {
	mm, err := models.MemberSeenBy(a.db.WithContext(c.Request().Context()), currentMod(c), c.Param("username"))
	if err != nil {
		return err
	}
	d := modMemberData{Member: mm, Presets: modPresets, Days: modDurations, Report: c.QueryParam("report")}
	if r, ok := data.Form["report"]; ok {
		d.Report = r
	}
	data.Title = data.T("mod.member.title", "Name", mm.Account.Username)
	data.Data = d
	return a.page(c, status, "member_mod", data)
}

// modMemberActionPost warns, mutes, removes, suspends or bans a member, or
// adds a moderators' note.
func (a *App) modMemberActionPost(c echo.Context) error {
	actions := map[string]string{"warn": models.ModWarn, "mute": models.ModMute, "remove": models.ModRemove,
		"suspend": models.ModSuspend, "ban": models.ModBan, "note": models.ModNoted}
	action, ok := actions[c.Param("action")]
	if !ok {
		return models.ErrNotFound
	}
	db := a.db.WithContext(c.Request().Context())
	m := currentMod(c)
	mm, err := models.MemberSeenBy(db, m, c.Param("username"))
	if err != nil {
		return err
	}
	var f modForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data)
	var groupID *int64
	for _, g := range mm.Groups {
		if g.Slug == f.Group {
			groupID = &g.ID
		}
	}
	now := a.now().UTC()
	if action == models.ModNoted {
		body := strings.TrimSpace(f.Body)
		if body == "" || len([]rune(body)) > models.ModNoteMax || !models.PrintableText(body) {
			data.Errors["body"] = data.T("mod.error.body")
			return a.modMemberPage(c, http.StatusUnprocessableEntity, data)
		}
		if err := models.AddModNote(db, m, mm.Account.ID, groupID, body, now); err != nil {
			return modRefused(err)
		}
		a.flash(c, "flash.mod.noted")
		return c.Redirect(http.StatusSeeOther, "/mod/members/"+mm.Account.Username)
	}
	in := a.modInput(c, &f, data)
	in.Action = action
	switch action {
	case models.ModMute, models.ModSuspend:
		in.Until = a.modUntil(&f, data)
	}
	if (action == models.ModMute || action == models.ModRemove) && groupID == nil {
		data.Errors["group"] = data.T("mod.error.group_missing")
	}
	if (action == models.ModSuspend || action == models.ModBan) && !m.Staff() {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if data.HasErrors() {
		return a.modMemberPage(c, http.StatusUnprocessableEntity, data)
	}
	err = models.MemberAction(db, m, mm.Account.ID, groupID, in, now)
	if errors.Is(err, models.ErrModInput) {
		data.Errors["group"] = data.T("mod.error.group_missing")
		return a.modMemberPage(c, http.StatusUnprocessableEntity, data)
	}
	if err != nil {
		return modRefused(err)
	}
	a.flash(c, "flash.mod.done")
	return c.Redirect(http.StatusSeeOther, "/mod/members/"+mm.Account.Username)
}
