package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/internal/identify"
	"hearth/models"
)

// Limits of what a member writes (issue 4), in characters.
const (
	titleMin   = 3
	titleMax   = 150
	bodyMax    = 20000
	warningMax = 100
)

const (
	// draftCookie holds the random id of a draft kept after the session
	// expired.
	draftCookie = "hearth_draft"
	// submitField is the hidden one-time token against double submits.
	submitField = "submit_token"
)

// Errors that end a posting transaction without writing anything.
var (
	errDuplicateSubmit = errors.New("handlers: form submitted before")
	errRateLimited     = errors.New("handlers: posting too fast")
)

// postForm is what the new-topic, reply and edit forms send; field names
// are the public interface.
type postForm struct {
	Title          string `form:"title"`
	Body           string `form:"body"`
	ContentWarning string `form:"content_warning"`
	SubmitToken    string `form:"submit_token"`
}

// keep puts what the member typed back into the form, exactly as typed.
func (f *postForm) keep(data *pageData, withTitle bool) {
	if withTitle {
		data.Form["title"] = f.Title
	}
	data.Form["body"] = f.Body
	data.Form["content_warning"] = f.ContentWarning
	data.Form[submitField] = f.SubmitToken
}

// check validates the form and cleans it for storing: the title and the
// warning are trimmed, the body is kept as written. Each error goes beside
// its field.
func (f *postForm) check(data *pageData, withTitle bool) {
	f.Title = strings.TrimSpace(strings.ToValidUTF8(f.Title, "\uFFFD"))
	f.ContentWarning = strings.TrimSpace(strings.ToValidUTF8(f.ContentWarning, "\uFFFD"))
	f.Body = strings.ToValidUTF8(f.Body, "\uFFFD")
	if withTitle {
		switch n := utf8.RuneCountInString(f.Title); {
		case n < titleMin:
			data.Errors["title"] = data.T("post.error.title_short", "Min", titleMin)
		case n > titleMax:
			data.Errors["title"] = data.T("post.error.title_long", "Max", titleMax, "Length", n)
		case strings.ContainsFunc(f.Title, isControl):
			data.Errors["title"] = data.T("post.error.title_control")
		}
	}
	switch n := utf8.RuneCountInString(f.Body); {
	case strings.TrimSpace(f.Body) == "":
		data.Errors["body"] = data.T("post.error.body_empty")
	case n > bodyMax:
		data.Errors["body"] = data.T("post.error.body_long", "Max", bodyMax, "Length", n)
	}
	switch n := utf8.RuneCountInString(f.ContentWarning); {
	case n > warningMax:
		data.Errors["content_warning"] = data.T("post.error.warning_long", "Max", warningMax, "Length", n)
	case strings.ContainsFunc(f.ContentWarning, isControl):
		data.Errors["content_warning"] = data.T("post.error.warning_control")
	}
}

// isControl reports characters that have no place in a one-line field.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// newSubmitToken makes the one-time token of a fresh form.
func newSubmitToken() string {
	token, _, err := auth.NewToken()
	if err != nil {
		return ""
	}
	return token
}

// claimSubmit claims the form's one-time token inside the posting
// transaction and checks the posting rate limit (counted in the database, so
// that it holds across instances; ASVS 2.4.1). A second submit of the same
// form is errDuplicateSubmit with the post the first one made.
func (a *App) claimSubmit(tx *gorm.DB, acct *models.Account, token string, now time.Time) (tokenHash []byte, earlier int64, err error) {
	if token != "" {
		tokenHash = auth.HashToken(token)
		prev, first, err := models.ClaimSubmitToken(tx, tokenHash, acct.ID, now)
		if err != nil {
			return nil, 0, err
		}
		if !first {
			return nil, prev, errDuplicateSubmit
		}
	}
	n, err := models.PostsSince(tx, acct.ID, now.Add(-time.Minute))
	if err != nil {
		return nil, 0, err
	}
	// Posts held for review count too, so holding cannot flood the queue.
	held, err := models.HeldSince(tx, acct.ID, now.Add(-time.Minute))
	if err != nil {
		return nil, 0, err
	}
	if n+held >= int64(a.postsPerMinute) {
		return nil, 0, errRateLimited
	}
	return tokenHash, 0, nil
}

// notifyPost tells the topic's author of a reply (not of their own) and
// every @mentioned member of the group — never anyone outside the group,
// whose name gets no notification and no link. Runs in the posting
// transaction.
//
// Blocking works both ways: nobody the author blocked, and nobody who
// blocked the author, is notified of a reply or a mention.
func notifyPost(tx *gorm.DB, t *models.Topic, p *models.Post, author *models.Account, now time.Time) error {
	notified := map[int64]bool{author.ID: true}
	blocked, blockedBy, err := models.BlockRelations(tx, author.ID)
	if err != nil {
		return err
	}
	var list []models.Notification
	add := func(accountID int64, kind string) {
		if notified[accountID] || blocked[accountID] || blockedBy[accountID] {
			return
		}
		notified[accountID] = true
		list = append(list, models.Notification{AccountID: accountID, Kind: kind, GroupID: &t.GroupID, TopicID: &t.ID,
			PostID: &p.ID, ActorID: &author.ID, CreatedAt: now})
	}
	if p.Position > 1 && t.AuthorID != nil && *t.AuthorID != author.ID {
		m, err := models.Membership(tx, t.GroupID, *t.AuthorID)
		if err != nil {
			return err
		}
		if m != nil {
			add(*t.AuthorID, models.NotifyReply)
		}
	}
	var names []string
	for _, raw := range models.MentionedNames(p.Body) {
		if canonical, _, err := auth.NormalizeUsername(raw); err == nil {
			names = append(names, canonical)
		}
	}
	ids, err := models.GroupMemberIDsByUsername(tx, t.GroupID, names)
	if err != nil {
		return err
	}
	for _, id := range ids {
		add(id, models.NotifyMention)
	}
	return models.AddNotifications(tx, list)
}

// postURL is where a post is shown: its page of the topic and its anchor.
func postURL(slug string, p *models.Post) string {
	return fmt.Sprintf("/groups/%s/topics/%d?page=%d#post-%d", url.PathEscape(slug), p.TopicID, p.Page(), p.ID)
}

// pathID reads a numeric route parameter; anything else is not found.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// ownPost loads a post through the gate for its author: anyone else, and an
// erased post, is not found (ASVS: guessed ids answer 404 for every action).
func (a *App) ownPost(c echo.Context) (*models.Post, *models.Topic, *models.Access, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, nil, err
	}
	acct := currentAccount(c)
	p, t, acc, err := models.ReadPost(a.db.WithContext(c.Request().Context()), models.ReaderOf(acct), id, a.now().UTC())
	if err != nil {
		return nil, nil, nil, err
	}
	if p.AuthorID == nil || *p.AuthorID != acct.ID || p.ErasedAt != nil {
		return nil, nil, nil, models.ErrNotFound
	}
	return p, t, acc, nil
}

// postFormData is what the edit and erase pages show.
type postFormData struct {
	Post  *models.Post
	Topic *models.Topic
	Group *models.Group
	HTML  template.HTML
	Back  string
	// Findings are identifying details the protective hold found in an edit.
	Findings []identify.Finding
	// Waiting is the author's edit of the post waiting for review, if any;
	// Rejected the moderator's recent "not published" on her last one.
	Waiting  *models.HeldPost
	Rejected *models.HeldRejection
}

func (a *App) postEditGet(c echo.Context) error {
	p, t, acc, err := a.ownPost(c)
	if err != nil {
		return err
	}
	if err := a.refuseHidden(c, p); err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Form["body"], data.Form["content_warning"] = p.Body, p.ContentWarning
	return a.postEditPage(c, http.StatusOK, data, p, t, acc)
}

// postEditPage shows the edit form; a fresh form (200) holds the author's
// latest text: an edit still waiting for review, if any.
func (a *App) postEditPage(c echo.Context, status int, data *pageData, p *models.Post, t *models.Topic, acc *models.Access, findings ...identify.Finding) error {
	db := a.db.WithContext(c.Request().Context())
	acct := currentAccount(c)
	waiting, err := models.HeldEditOf(db, p.ID, acct.ID)
	if err != nil {
		return err
	}
	if waiting != nil && status == http.StatusOK {
		data.Form["body"], data.Form["content_warning"] = waiting.Body, waiting.ContentWarning
	}
	changed := p.CreatedAt
	if p.EditedAt != nil {
		changed = *p.EditedAt
	}
	rejected, err := models.LastEditRejection(db, p.ID, acct.ID, changed, a.now().UTC())
	if err != nil {
		return err
	}
	data.Title = data.T("post.edit.title")
	data.Data = postFormData{Post: p, Topic: t, Group: acc.Group, Back: postURL(acc.Group.Slug, p), Findings: findings,
		Waiting: waiting, Rejected: rejected}
	return a.page(c, status, "post_edit", data)
}

// postEditPost replaces a post's text, keeping the earlier version for the
// author and the group's moderators.
func (a *App) postEditPost(c echo.Context) error {
	p, t, acc, err := a.ownPost(c)
	if err != nil {
		return err
	}
	if err := a.refuseHidden(c, p); err != nil {
		return err
	}
	var f postForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data, false)
	f.check(data, false)
	if data.HasErrors() {
		return a.postEditPage(c, http.StatusUnprocessableEntity, data, p, t, acc)
	}
	// The text that already waits for review stays waiting, in its place in
	// the queue.
	waiting, err := models.HeldEditOf(a.db.WithContext(c.Request().Context()), p.ID, currentAccount(c).ID)
	if err != nil {
		return err
	}
	if waiting != nil && waiting.Body == f.Body && waiting.ContentWarning == f.ContentWarning {
		a.flash(c, "flash.hold.edit_waiting")
		return c.Redirect(http.StatusSeeOther, postURL(acc.Group.Slug, p))
	}
	// The protective hold looks at edits too: a blocked word refuses the
	// text; identifying details are shown, and the author may edit or save
	// anyway. Saved anyway, or with a word the administrators hold, the new
	// text waits for a moderator of the group: everyone else reads the
	// earlier text until then.
	hold, err := a.checkHold(c, data, "body", f.Body)
	if err != nil {
		return err
	}
	if hold.Blocked || len(hold.Warn) > 0 {
		return a.postEditPage(c, http.StatusUnprocessableEntity, data, p, t, acc, hold.Warn...)
	}
	html, err := a.markup.Render(f.Body)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	acct := currentAccount(c)
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if hold.Reason != "" {
			return models.HoldEdit(tx, &models.HeldPost{GroupID: p.GroupID, TopicID: &p.TopicID, PostID: &p.ID, AuthorID: acct.ID,
				Body: f.Body, BodyHTML: string(html), ContentWarning: f.ContentWarning, Reason: hold.Reason, Findings: hold.Findings,
				CreatedAt: now})
		}
		// A newer text replaces an edit that was waiting.
		if err := models.DiscardHeldEdit(tx, p.ID); err != nil {
			return err
		}
		return models.EditPost(tx, p, f.Body, string(html), f.ContentWarning, now)
	})
	if err != nil {
		return err
	}
	if hold.Reason != "" {
		a.flash(c, "flash.hold.edit_waiting")
	} else {
		a.flash(c, "flash.posts.edited")
	}
	return c.Redirect(http.StatusSeeOther, postURL(acc.Group.Slug, p))
}

// versionsData is what the earlier-versions page shows.
type versionsData struct {
	Post     *models.Post
	Topic    *models.Topic
	Group    *models.Group
	Versions []models.PostVersion
	Back     string
}

// postVersionsGet shows a post's earlier versions to its author and the
// group's moderators (and staff, whose read is audited by the gate);
// everyone else gets 404.
func (a *App) postVersionsGet(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	p, t, acc, err := models.ReadPost(db, models.ReaderOf(acct), id, a.now().UTC())
	if err != nil {
		return err
	}
	own := p.AuthorID != nil && *p.AuthorID == acct.ID
	if !own && !acc.Moderator {
		return models.ErrNotFound
	}
	versions, err := models.PostVersions(db, p.ID)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("post.versions.title")
	data.Data = versionsData{Post: p, Topic: t, Group: acc.Group, Versions: versions, Back: postURL(acc.Group.Slug, p)}
	return a.page(c, http.StatusOK, "post_versions", data)
}

func (a *App) postEraseGet(c echo.Context) error {
	p, t, acc, err := a.ownPost(c)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	data.Title = data.T("post.erase.title")
	data.Data = postFormData{Post: p, Topic: t, Group: acc.Group, HTML: storedHTML(p.BodyHTML), Back: postURL(acc.Group.Slug, p)}
	return a.page(c, http.StatusOK, "post_erase", data)
}

// postErasePost erases a post: its text, every earlier version, an edit
// waiting for review, its reactions and its search entry go at once; the thread shows "removed by
// its author" in its place. Erasing the first post keeps the topic.
func (a *App) postErasePost(c echo.Context) error {
	p, _, acc, err := a.ownPost(c)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if err := models.DiscardHeldEdit(tx, p.ID); err != nil {
			return err
		}
		return models.ErasePost(tx, p, now)
	})
	if err != nil {
		return err
	}
	a.flash(c, "flash.posts.erased")
	return c.Redirect(http.StatusSeeOther, postURL(acc.Group.Slug, p))
}

// draft is the text of a post kept across an expired session, and the form
// it belongs to.
type draft struct {
	Path           string `json:"path"`
	Title          string `json:"title"`
	Body           string `json:"body"`
	ContentWarning string `json:"content_warning"`
}

var draftAD = models.SealedAD("drafts", "sealed")

// requireAccountKeepDraft guards the new-topic and reply routes like
// requireAccount, except that a post arriving without a session (it expired
// while the member was writing) is not lost: keepDraft saves it first.
func (a *App) requireAccountKeepDraft(next echo.HandlerFunc) echo.HandlerFunc {
	return noStore(func(c echo.Context) error {
		acct := currentAccount(c)
		switch {
		case acct == nil:
			return a.keepDraft(c)
		case acct.HalfRegistered():
			return c.Redirect(http.StatusSeeOther, "/account/totp")
		}
		return next(c)
	})
}

// draftRoute reports whether a request without a session is a post to one
// of the two forms whose text keepDraft saves. The CSRF check calls it: the
// token of such a form was bound to the session that has since expired, so
// it can no longer validate.
func draftRoute(c echo.Context) bool {
	if currentSession(c) != nil || c.Request().Method != http.MethodPost {
		return false
	}
	return c.Path() == routeNewTopic || c.Path() == routeReply
}

// keepDraft stores the text of a post that arrived without a session,
// sealed under the secret key in the drafts table (a post can be 20,000
// characters, too much for a cookie), keyed by a random id in a short-lived
// HttpOnly cookie, and sends the member to sign in; afterwards the form
// comes back filled in, to be sent again.
//
// This runs even when the request's CSRF token does not validate (see
// csrf.go): the token was bound to the dead session. That is safe because
// it changes nothing but the browser's own draft: the origin was still
// checked by http.CrossOriginProtection, nothing is posted, and a draft
// planted by a forged request only pre-fills a form that the member reads
// and must submit themselves, with a fresh token.
func (a *App) keepDraft(c echo.Context) error {
	var target string
	slug := c.Param("slug")
	if c.Path() == routeReply {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		target = fmt.Sprintf("/groups/%s/topics/%d", url.PathEscape(slug), id)
	} else {
		target = fmt.Sprintf("/groups/%s/new", url.PathEscape(slug))
	}
	login := "/login?next=" + url.QueryEscape(target)
	var f postForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	if !a.mayKeepDraft(c, f) {
		return c.Redirect(http.StatusSeeOther, login)
	}
	plain, err := json.Marshal(draft{Path: target, Title: f.Title, Body: f.Body, ContentWarning: f.ContentWarning})
	if err != nil {
		return err
	}
	sealed, err := a.box.Seal(plain, draftAD)
	if err != nil {
		return err
	}
	id, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	if err := models.SaveDraft(a.db.WithContext(c.Request().Context()), hash, sealed, a.now().UTC()); err != nil {
		return err
	}
	a.setCookie(c, draftCookie, id, int(models.DraftLifetime/time.Second))
	a.flash(c, "flash.posts.draft_kept")
	return c.Redirect(http.StatusSeeOther, login)
}

// draftsPerMinute is a site-wide ceiling on saved drafts: they are written
// without a session, so this keeps anyone from filling the table.
const draftsPerMinute = 120

// mayKeepDraft decides whether a post without a session is worth keeping:
// only when the browser still presented a session cookie (it was signed in;
// a visitor's post is not a lost post), there is text, it is within the
// limits (a longer one could not be posted anyway), and the site-wide
// ceiling is not reached.
func (a *App) mayKeepDraft(c echo.Context, f postForm) bool {
	if ck, err := c.Cookie(a.cookieName(sessionCookie)); err != nil || ck.Value == "" {
		return false
	}
	if strings.TrimSpace(f.Title+f.Body+f.ContentWarning) == "" || utf8.RuneCountInString(f.Body) > bodyMax ||
		utf8.RuneCountInString(f.Title) > 4*titleMax || utf8.RuneCountInString(f.ContentWarning) > 4*warningMax {
		return false
	}
	n, err := models.DraftsSince(a.db.WithContext(c.Request().Context()), a.now().UTC().Add(-time.Minute))
	if err != nil {
		a.log.Error("count drafts", "request_id", requestID(c), "error", err.Error())
		return false
	}
	return n < draftsPerMinute
}

// restoreDraft fills the form at path with a kept draft, once, and reports
// whether it did. A draft for another form stays for that form.
func (a *App) restoreDraft(c echo.Context, data *pageData, path string, withTitle bool) bool {
	ck, err := c.Cookie(a.cookieName(draftCookie))
	if err != nil || ck.Value == "" {
		return false
	}
	db := a.db.WithContext(c.Request().Context())
	hash := auth.HashToken(ck.Value)
	sealed, err := models.DraftByID(db, hash, a.now().UTC())
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			a.clearCookie(c, draftCookie)
		}
		return false
	}
	var d draft
	plain, err := a.box.Open(sealed, draftAD)
	if err != nil || json.Unmarshal(plain, &d) != nil {
		// Sealed under a key that has since been rotated: nothing to give
		// back.
		_ = models.DeleteDraft(db, hash)
		a.clearCookie(c, draftCookie)
		return false
	}
	if d.Path != path {
		return false
	}
	if err := models.DeleteDraft(db, hash); err != nil {
		a.log.Error("delete draft", "request_id", requestID(c), "error", err.Error())
	}
	a.clearCookie(c, draftCookie)
	if withTitle {
		data.Form["title"] = d.Title
	}
	data.Form["body"], data.Form["content_warning"] = d.Body, d.ContentWarning
	return true
}
