package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// inviteExpiries are the lifetimes the invite form offers, by form value.
var inviteExpiries = map[string]time.Duration{
	"24h": 24 * time.Hour,
	"72h": 72 * time.Hour,
	"7d":  7 * 24 * time.Hour,
	"30d": 30 * 24 * time.Hour,
}

const defaultInviteExpiry = "7d"

// inviteForm makes an invite.
type inviteForm struct {
	Uses    string `form:"uses"`
	Expires string `form:"expires"`
}

// inviteRow is one invite as the list shows it: never its code, only the
// first characters (the hint) to tell invites apart.
type inviteRow struct {
	ID               int64
	Hint             string
	Uses, MaxUses    int
	Created, Expires string
	CreatedISO       string
	ExpiresISO       string
	State            string
	CreatedByCLI     bool
	Usable           bool
}

// invitesData is the invites page: the list, and the link of an invite
// just made (shown this once).
type invitesData struct {
	adminNav
	Invites []inviteRow
	NewLink string
}

// adminInvitesGet lists invites and offers a form to make one.
func (a *App) adminInvitesGet(c echo.Context) error {
	data := a.newPageData(c)
	data.Form["uses"] = "1"
	data.Form["expires"] = defaultInviteExpiry
	return a.adminInvitesPage(c, http.StatusOK, data, "")
}

func (a *App) adminInvitesPage(c echo.Context, status int, data *pageData, newLink string) error {
	list, err := models.Invites(a.db.WithContext(c.Request().Context()))
	if err != nil {
		return err
	}
	now := a.now()
	loc := accountLocation(currentAccount(c))
	rows := make([]inviteRow, 0, len(list))
	for _, inv := range list {
		state := inv.State(now)
		rows = append(rows, inviteRow{
			ID: inv.ID, Hint: inv.Hint, Uses: inv.Uses, MaxUses: inv.MaxUses,
			Created: adminTime(inv.CreatedAt, loc), Expires: adminTime(inv.ExpiresAt, loc),
			CreatedISO: inv.CreatedAt.UTC().Format(time.RFC3339), ExpiresISO: inv.ExpiresAt.UTC().Format(time.RFC3339),
			State: state, CreatedByCLI: inv.CreatedBy == nil, Usable: state == models.InviteUsable,
		})
	}
	data.Title = data.T("admin.invites.title")
	data.Data = invitesData{adminNav: adminNav{Current: "invites"}, Invites: rows, NewLink: newLink}
	return a.page(c, status, "admin_invites", data)
}

// adminInviteCreate makes an invite and answers 200 with its link, shown this
// once: the code is in no redirect, no URL and no log, and only its hash is
// stored.
func (a *App) adminInviteCreate(c echo.Context) error {
	var f inviteForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["uses"], data.Form["expires"] = f.Uses, f.Expires
	uses, err := strconv.Atoi(strings.TrimSpace(f.Uses))
	if err != nil || uses < models.MinInviteUses || uses > models.MaxInviteUses {
		data.Errors["uses"] = data.T("admin.invites.error.uses", "Min", models.MinInviteUses, "Max", models.MaxInviteUses)
	}
	ttl, ok := inviteExpiries[f.Expires]
	if !ok {
		data.Errors["expires"] = data.T("admin.invites.error.expires")
	}
	if data.HasErrors() {
		return a.adminInvitesPage(c, http.StatusUnprocessableEntity, data, "")
	}
	actor := currentAccount(c).ID
	code, _, err := models.NewInvite(a.db.WithContext(c.Request().Context()), uses, ttl, &actor, a.now().UTC())
	if err != nil {
		return err
	}
	data.Form["uses"], data.Form["expires"] = "1", defaultInviteExpiry
	return a.adminInvitesPage(c, http.StatusOK, data, inviteLink(a.siteBaseURL(), code))
}

// siteBaseURL is HEARTH_BASE_URL, the public address links are made with.
func (a *App) siteBaseURL() string {
	if a.cfg.BaseURL == nil {
		return ""
	}
	return a.cfg.BaseURL.String()
}

// inviteLink is the sign-up link carrying an invite code.
func inviteLink(base, code string) string {
	return strings.TrimSuffix(base, "/") + "/register?invite=" + code
}

// adminInviteRevoke revokes an invite; revoking it twice changes nothing.
func (a *App) adminInviteRevoke(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	actor := currentAccount(c).ID
	if err := models.RevokeInvite(a.db.WithContext(c.Request().Context()), id, &actor, a.now().UTC()); err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return echo.NewHTTPError(http.StatusNotFound)
		}
		return err
	}
	a.flash(c, "flash.admin.invite_revoked")
	return c.Redirect(http.StatusSeeOther, "/admin/invites")
}

// accountLocation is the account's time zone, or UTC.
func accountLocation(acct *models.Account) *time.Location {
	if acct != nil && acct.TimeZone != "" {
		if loc, err := time.LoadLocation(acct.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// adminTime formats a time for the administration pages, in a form that
// reads the same in every language.
func adminTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
