package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"hearth/internal/identify"
	"hearth/models"
)

// holdCheck is the outcome of the checks before a text is published.
type holdCheck struct {
	// Warn lists identifying details to show the author, who may edit or
	// publish anyway; the text is not stored.
	Warn []identify.Finding
	// Blocked: a blocked word refused the text (the error is beside the
	// field).
	Blocked bool
	// Reason is why the text is held for a moderator ("" publishes it).
	Reason   string
	Findings string
}

// checkHold runs the protective hold on texts about to be published — a
// title and body, an edit, a bio: a blocked word refuses them (the error goes
// beside field); identifying details warn the author unless they chose to
// publish anyway — then the text is held — and a "hold" word holds it. The
// text is never changed.
func (a *App) checkHold(c echo.Context, data *pageData, field string, texts ...string) (holdCheck, error) {
	var out holdCheck
	words, err := a.wordRules(c)
	if err != nil {
		return out, err
	}
	var found []identify.Finding
	for _, text := range texts {
		if text != "" {
			found = append(found, a.detector.Find(text, words)...)
		}
	}
	holdWord := false
	var kinds []string
	for _, f := range found {
		if f.Kind == identify.KindWord {
			if f.Action == identify.ActionBlock {
				data.Errors[field] = data.T("hold.blocked", "Word", f.Text)
				return holdCheck{Blocked: true}, nil
			}
			holdWord = true
			kinds = append(kinds, "word")
			continue
		}
		out.Warn = append(out.Warn, f)
		kinds = append(kinds, f.Kind)
	}
	anyway := c.FormValue("post_anyway") == "1"
	switch {
	case len(out.Warn) > 0 && !anyway:
		return out, nil
	case len(out.Warn) > 0:
		out.Reason = models.HoldIdentify
	case holdWord:
		out.Reason = models.HoldWord
	}
	out.Warn = nil
	// The kinds found, never the text: the audit log must not copy an
	// address or a phone number.
	out.Findings = strings.Join(kinds, ",")
	return out, nil
}

// checkBeforePublishing runs the protective hold (checkHold) and
// pre-moderation for a title and body about to be published in a group: the
// first posts of a new member are held too.
func (a *App) checkBeforePublishing(c echo.Context, data *pageData, groupID int64, title, body string) (holdCheck, error) {
	out, err := a.checkHold(c, data, "body", title, body)
	if err != nil || out.Blocked || len(out.Warn) > 0 || out.Reason != "" {
		return out, err
	}
	premod, err := models.NeedsPremod(a.db.WithContext(c.Request().Context()), groupID, currentAccount(c).ID, a.premodDefault)
	if err != nil {
		return out, err
	}
	if premod {
		out.Reason = models.HoldPremod
	}
	return out, nil
}

// mutedError puts "you are muted until …" on the form when the member is
// muted in the group.
func (a *App) mutedError(c echo.Context, data *pageData, groupID int64) error {
	until, err := models.MutedUntil(a.db.WithContext(c.Request().Context()), groupID, currentAccount(c).ID, a.now().UTC())
	if err != nil {
		return err
	}
	if until != nil {
		data.Errors[""] = data.T("mod.muted", "Until", data.Date(*until))
	}
	return nil
}

// refuseHidden stops the author editing a post a moderator hid back into
// view: 403 (they may still erase it, or appeal).
func (a *App) refuseHidden(c echo.Context, p *models.Post) error {
	hidden, err := models.PostHidden(a.db.WithContext(c.Request().Context()), p.ID)
	if err != nil {
		return err
	}
	if hidden {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	return nil
}

// wordRules is the administrators' word list as the detector takes it.
func (a *App) wordRules(c echo.Context) ([]identify.WordRule, error) {
	rules, err := models.WordRules(a.db.WithContext(c.Request().Context()))
	if err != nil {
		return nil, err
	}
	words := make([]identify.WordRule, len(rules))
	for i, r := range rules {
		words[i] = identify.WordRule{Phrase: r.Phrase, Action: r.Action}
	}
	return words, nil
}
