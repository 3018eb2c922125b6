package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

// Leaving the forum (issue 3, item 9): a member downloads their data and
// deletes their account with their password and a code, choosing what
// happens to their posts.

// Choices for the member's posts when they leave.
const (
	postsErase = "erase"
	postsKeep  = "keep"
)

// exportFileName is neutral on purpose: on a shared device, a download
// called "hearth-anna-export.json" would tell someone where she goes.
const exportFileName = "data.json"

// leaveForm is the delete form.
type leaveForm struct {
	Password string `form:"password"`
	Code     string `form:"code"`
	Posts    string `form:"posts"`
}

// leaveData is what the delete page needs besides the form.
type leaveData struct {
	// LastAdmin is true when the reader is the only confirmed administrator:
	// the page explains why the account cannot be deleted now.
	LastAdmin bool
}

func (a *App) accountDeleteGet(c echo.Context) error {
	data := a.newPageData(c)
	// "erase" is preselected: when someone leaves in a hurry, the choice that
	// protects them most is the one they get without thinking about it.
	data.Form["posts"] = postsErase
	return a.accountDeletePage(c, http.StatusOK, data)
}

func (a *App) accountDeletePage(c echo.Context, status int, data *pageData) error {
	last, err := models.IsLastAdministrator(a.db.WithContext(c.Request().Context()), currentAccount(c))
	if err != nil {
		return err
	}
	data.Title = data.T("leave.title")
	data.Data = leaveData{LastAdmin: last}
	return a.page(c, status, "account_delete", data)
}

// accountDeletePost deletes the account after the password and a fresh code.
// The account and everything hanging on it go in one transaction; every
// session of it ends at once (ASVS 7.4.2); the audit log keeps only the id.
func (a *App) accountDeletePost(c echo.Context) error {
	acct := currentAccount(c)
	var f leaveForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	data := a.newPageData(c)
	data.Form["posts"] = f.Posts
	if f.Posts != postsErase && f.Posts != postsKeep {
		data.Errors["posts"] = data.T("leave.posts_missing")
	}
	// Checked before any code is spent: a recovery code used up on a
	// refusal would be a loss for nothing.
	if last, err := models.IsLastAdministrator(db, acct); err != nil {
		return err
	} else if last {
		data.Errors[""] = data.T("leave.last_admin")
		return a.accountDeletePage(c, http.StatusUnprocessableEntity, data)
	}

	// A wrong password counts towards the sign-in throttle like a wrong
	// code: whoever holds a stolen session must not get a free
	// password-guessing form.
	keys, err := a.throttleKeys(c, acct.Username)
	if err != nil {
		return err
	}
	if until, err := a.throttledUntil(c, keys, a.knownDevice(c, acct.ID)); err != nil {
		return err
	} else if !until.IsZero() {
		minutes := int(until.Sub(a.now().UTC()).Minutes()) + 1
		data.Errors[""] = data.T("login.throttled", "Count", minutes)
		return a.accountDeletePage(c, http.StatusTooManyRequests, data)
	}
	password, _ := auth.PreparePassword(f.Password)
	ok, _, err := a.verifyPassword(c, password, acct.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		if err := a.recordSignInFailure(c, keys); err != nil {
			return err
		}
		data.Errors["password"] = data.T("security.current_password_wrong")
	}
	if data.HasErrors() {
		return a.accountDeletePage(c, http.StatusUnprocessableEntity, data)
	}
	if ok, err := a.checkFreshFactor(c, acct, f.Code); err != nil {
		return err
	} else if !ok {
		data.Errors["code"] = data.T("security.code_wrong")
		return a.accountDeletePage(c, http.StatusUnprocessableEntity, data)
	}

	err = db.Transaction(func(tx *gorm.DB) error {
		return models.EraseAccount(tx, acct.ID, f.Posts == postsErase, a.now().UTC())
	})
	if errors.Is(err, models.ErrLastAdministrator) {
		// Another administrator left in the same moment.
		data.Errors[""] = data.T("leave.last_admin")
		return a.accountDeletePage(c, http.StatusUnprocessableEntity, data)
	}
	if err != nil {
		return err
	}
	a.log.Info("account deleted", "account_id", acct.ID, "posts", f.Posts)

	// The session row went with the account; this clears the cookie. The
	// device cookie names the old account id: nothing on this browser
	// should point back at it.
	if err := a.endSession(c); err != nil {
		return err
	}
	a.clearCookie(c, deviceCookie)
	c.Response().Header().Set("Clear-Site-Data", `"cache"`)
	a.flash(c, "flash.leave.deleted")
	return c.Redirect(http.StatusSeeOther, "/")
}

// The export names every field one by one: a column added to a model later
// never reaches the file by accident, and no secret is ever in it — not the
// password hash, the TOTP secret, recovery code hashes or token hashes.
type (
	exportFile struct {
		ExportedAt time.Time       `json:"exported_at"`
		Profile    exportProfile   `json:"profile"`
		Settings   exportSettings  `json:"settings"`
		Sessions   []exportSession `json:"sessions"`
		Events     []exportEvent   `json:"auth_events"`
		Notices    []exportNotice  `json:"notices"`
		// Posts is empty until the groups issue adds posts; it must then
		// fill it with the member's own posts (group, topic, text, written,
		// edited), and never with anyone else's.
		Posts []exportPost `json:"posts"`
	}
	exportProfile struct {
		Username string    `json:"username"`
		Role     string    `json:"role"`
		Joined   time.Time `json:"joined"`
		Bio      string    `json:"bio"`
		// BioWaiting is a new bio waiting for a moderator's review.
		BioWaiting *string `json:"bio_waiting_for_review,omitempty"`
	}
	exportSettings struct {
		Language string `json:"language"`
		TimeZone string `json:"time_zone"`
		Discreet bool   `json:"discreet"`
	}
	exportSession struct {
		Device      string    `json:"device"`
		Started     time.Time `json:"started"`
		LastActive  time.Time `json:"last_active"`
		ThisSession bool      `json:"this_session"`
	}
	exportEvent struct {
		Kind   string    `json:"kind"`
		Device string    `json:"device"`
		At     time.Time `json:"at"`
	}
	exportNotice struct {
		Kind   string     `json:"kind"`
		At     time.Time  `json:"at"`
		ReadAt *time.Time `json:"read_at"`
	}
	// exportPost is filled by the groups issue.
	exportPost struct{}
)

// accountExport sends the member their own data as a JSON download under a
// neutral file name, never cached. ASVS 14.3.2.
func (a *App) accountExport(c echo.Context) error {
	pd, err := models.PersonalDataOf(a.db.WithContext(c.Request().Context()), currentAccount(c).ID)
	if err != nil {
		return err
	}
	current := currentSession(c).ID
	out := exportFile{
		ExportedAt: a.now().UTC().Truncate(time.Second),
		Profile:    exportProfile{Username: pd.Account.Username, Role: pd.Account.Role, Joined: pd.Account.CreatedAt.UTC(), Bio: pd.Account.Bio},
		Settings:   exportSettings{Language: pd.Account.Language, TimeZone: pd.Account.TimeZone, Discreet: pd.Account.Discreet},
		Sessions:   make([]exportSession, 0, len(pd.Sessions)),
		Events:     make([]exportEvent, 0, len(pd.Events)),
		Notices:    make([]exportNotice, 0, len(pd.Notices)),
		Posts:      []exportPost{},
	}
	if pd.PendingBio != nil {
		out.Profile.BioWaiting = &pd.PendingBio.Bio
	}
	for _, s := range pd.Sessions {
		out.Sessions = append(out.Sessions, exportSession{Device: s.Device, Started: s.CreatedAt.UTC(), LastActive: s.LastActiveAt.UTC(), ThisSession: s.ID == current})
	}
	for _, e := range pd.Events {
		out.Events = append(out.Events, exportEvent{Kind: e.Kind, Device: e.Device, At: e.CreatedAt.UTC()})
	}
	for _, n := range pd.Notices {
		out.Notices = append(out.Notices, exportNotice{Kind: n.Kind, At: n.CreatedAt.UTC(), ReadAt: n.ReadAt})
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+exportFileName+`"`)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, append(body, '\n'))
}
