package handlers

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/internal/identify"
	"hearth/models"
)

// topicNewData is what the new-topic page shows.
type topicNewData struct {
	Group         *models.Group
	DraftRestored bool
	// Findings are identifying details the protective hold found: the
	// form warns and offers to post anyway.
	Findings []identify.Finding
}

// ctxFindings carries the protective hold's findings to the page.
const ctxFindings = "hearth.findings"

// writableGroup opens a group through the gate for writing in it: only
// members write; staff who may read without being members get 403.
func (a *App) writableGroup(c echo.Context) (*models.Access, error) {
	acc, err := models.ReadGroup(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)),
		c.Param("slug"), a.now().UTC())
	if err != nil {
		return nil, err
	}
	if !acc.Member {
		return nil, echo.NewHTTPError(http.StatusForbidden)
	}
	return acc, nil
}

func (a *App) topicNewGet(c echo.Context) error {
	acc, err := a.writableGroup(c)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	restored := a.restoreDraft(c, data, "/groups/"+url.PathEscape(acc.Group.Slug)+"/new", true)
	data.Form[submitField] = newSubmitToken()
	return a.topicNewPage(c, http.StatusOK, data, acc, restored)
}

func (a *App) topicNewPage(c echo.Context, status int, data *pageData, acc *models.Access, restored bool) error {
	data.Title = data.T("topic.new.title")
	findings, _ := c.Get(ctxFindings).([]identify.Finding)
	data.Data = topicNewData{Group: acc.Group, DraftRestored: restored, Findings: findings}
	return a.page(c, status, "topic_new", data)
}

// topicNewPost starts a topic. A failed form keeps the text; a second
// submit of the same form goes to the first post; too many posts in a
// minute answer 429 with the text kept.
func (a *App) topicNewPost(c echo.Context) error {
	acc, err := a.writableGroup(c)
	if err != nil {
		return err
	}
	return a.publishPost(c, postTarget{
		acc:     acc,
		again:   func(data *pageData, status int) error { return a.topicNewPage(c, status, data, acc, false) },
		pending: "/groups/" + url.PathEscape(acc.Group.Slug),
		heldTo:  "/appeals",
		done:    "flash.posts.topic_created",
	})
}

// postTarget is where a new post goes — a new topic in a group, or a reply
// to a topic — and what differs between the two; publishPost does the rest.
type postTarget struct {
	acc *models.Access
	// topic is the topic replied to; nil starts a new topic.
	topic *models.Topic
	// again shows the form again, with the text kept and the errors.
	again func(data *pageData, status int) error
	// pending is where a second submit goes while the first is still
	// being saved.
	pending string
	// heldTo is where the author goes when the post waits for a moderator.
	heldTo string
	// done is the flash message of a published post.
	done string
}

// publishPost checks a new topic or reply, runs the protective hold and
// pre-moderation, and in one transaction claims the form's submit token,
// then holds the post for a moderator or publishes it with its
// notifications; then it redirects. A failed form keeps the text.
func (a *App) publishPost(c echo.Context, to postTarget) error {
	newTopic := to.topic == nil
	var f postForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data := a.newPageData(c)
	f.keep(data, newTopic)
	f.check(data, newTopic)
	title := ""
	if newTopic {
		title = f.Title
	} else if to.topic.Locked {
		data.Errors[""] = data.T("post.error.locked")
	}
	group := to.acc.Group
	if err := a.mutedError(c, data, group.ID); err != nil {
		return err
	}
	var hold holdCheck
	var err error
	if !data.HasErrors() {
		if hold, err = a.checkBeforePublishing(c, data, group.ID, title, f.Body); err != nil {
			return err
		}
	}
	if data.HasErrors() || len(hold.Warn) > 0 {
		c.Set(ctxFindings, hold.Warn)
		return to.again(data, http.StatusUnprocessableEntity)
	}
	html, err := a.markup.Render(f.Body)
	if err != nil {
		return err
	}
	acct := currentAccount(c)
	now := a.now().UTC()
	np := models.NewPost{AuthorID: acct.ID, Body: f.Body, BodyHTML: string(html), ContentWarning: f.ContentWarning,
		SearchLanguage: models.SearchLanguage(a.cfg.DefaultLanguage)}
	var post *models.Post
	var earlier int64
	err = a.db.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		tokenHash, prev, err := a.claimSubmit(tx, acct, f.SubmitToken, now)
		if err != nil {
			earlier = prev
			return err
		}
		if hold.Reason != "" {
			h := &models.HeldPost{GroupID: group.ID, AuthorID: acct.ID, Title: title, Body: f.Body, BodyHTML: np.BodyHTML,
				ContentWarning: f.ContentWarning, Reason: hold.Reason, Findings: hold.Findings, CreatedAt: now}
			if !newTopic {
				h.TopicID = &to.topic.ID
			}
			return models.HoldPost(tx, h)
		}
		t := to.topic
		if newTopic {
			t, post, err = models.CreateTopic(tx, group.ID, title, np, now)
		} else {
			post, err = models.Reply(tx, t, np, now)
		}
		if err != nil {
			return err
		}
		if tokenHash != nil {
			if err := models.RecordSubmitToken(tx, tokenHash, post.ID); err != nil {
				return err
			}
		}
		return notifyPost(tx, t, post, acct, now)
	})
	switch {
	case errors.Is(err, errDuplicateSubmit):
		return a.goToEarlier(c, earlier, to.pending)
	case errors.Is(err, errRateLimited):
		data.Errors["body"] = data.T("post.error.rate", "Max", a.postsPerMinute)
		return to.again(data, http.StatusTooManyRequests)
	case errors.Is(err, models.ErrTopicLocked) && !newTopic:
		to.topic.Locked = true
		data.Errors[""] = data.T("post.error.locked")
		return to.again(data, http.StatusUnprocessableEntity)
	case err != nil:
		return err
	}
	if hold.Reason != "" {
		a.flash(c, "flash.mod.held")
		return c.Redirect(http.StatusSeeOther, to.heldTo)
	}
	a.flash(c, to.done)
	return c.Redirect(http.StatusSeeOther, postURL(group.Slug, post))
}

// goToEarlier answers a second submit of one form: to the post the first
// submit made, or to fallback when that one is still running.
func (a *App) goToEarlier(c echo.Context, postID int64, fallback string) error {
	if postID != 0 {
		return c.Redirect(http.StatusSeeOther, "/posts/"+strconv.FormatInt(postID, 10))
	}
	return c.Redirect(http.StatusSeeOther, fallback)
}

// topicData is what the topic page shows.
type topicData struct {
	Group          *models.Group
	Topic          *models.Topic
	Posts          []postView
	Page, Pages    int
	PrevURL        string
	NextURL        string
	Member         bool
	Moderator      bool
	ExpandWarnings bool
	DraftRestored  bool
	// LockedText is true when a reply to a locked topic came back: the
	// text is shown to copy, without a form.
	LockedText bool
	// Held are the reader's own replies waiting for review.
	Held []models.HeldPost
	// Findings are identifying details in a reply that came back.
	Findings []identify.Finding
}

// postView is one post as the topic page shows it. Its fields are flat and
// its texts finished in Go: a page shows 25 posts, and every field a
// template reaches through an embedded struct, and every function it calls,
// costs reflection per post.
type postView struct {
	ID             int64
	AuthorName     string
	ContentWarning string
	Versions       int64
	// Time is the machine-readable time, When the reader's wording of it.
	Time, When string
	// Erased: the author erased it; Edited: changed after posting.
	Erased, Edited bool
	// HTML is the stored rendering: only ever the output of internal/markup.
	HTML      template.HTML
	Mine      bool
	Reactions []reactionView
	// Folded: the reader blocked the author; the post shows as one line
	// that can be opened.
	Folded bool
	// Hidden: a moderator hid the post; only its author and moderators
	// read it (HTML), marked hidden. ModDeleted: a moderator removed it.
	// Redacted: a moderator removed part of it.
	Hidden, ModDeleted, Redacted bool
}

// reactionView is one reaction button: the count and whether it is mine;
// never who reacted.
type reactionView struct {
	Kind    string
	Label   string
	Count   int
	Pressed bool
}

// topicURL is the address of a page of a topic.
func topicURL(slug string, topicID int64, page int) string {
	u := fmt.Sprintf("/groups/%s/topics/%d", url.PathEscape(slug), topicID)
	if page > 1 {
		u += "?page=" + strconv.Itoa(page)
	}
	return u
}

// readTopic opens the topic of the route through the gate.
func (a *App) readTopic(c echo.Context) (*models.Topic, *models.Access, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	return models.ReadTopic(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)),
		c.Param("slug"), id, a.now().UTC())
}

// topicGet shows a page of a topic: 25 posts found by seeking on position.
func (a *App) topicGet(c echo.Context) error {
	t, acc, err := a.readTopic(c)
	if err != nil {
		return err
	}
	page := 1
	if raw := c.QueryParam("page"); raw != "" {
		page, err = strconv.Atoi(raw)
		if err != nil || page < 1 || page > t.Pages() {
			return models.ErrNotFound
		}
	}
	data := a.newPageData(c)
	restored := false
	if acc.Member && !t.Locked {
		restored = a.restoreDraft(c, data, topicURL(acc.Group.Slug, t.ID, 1), false)
	}
	data.Form[submitField] = newSubmitToken()
	return a.topicPage(c, http.StatusOK, data, t, acc, page, restored)
}

func (a *App) topicPage(c echo.Context, status int, data *pageData, t *models.Topic, acc *models.Access, page int, restored bool) error {
	acct := currentAccount(c)
	db := a.db.WithContext(c.Request().Context())
	posts, err := models.TopicPage(db, t, page)
	if err != nil {
		return fmt.Errorf("handlers: topic %d page %d: %w", t.ID, page, err)
	}
	ids := make([]int64, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	reactions, err := models.ReactionsFor(db, ids, acct.ID)
	if err != nil {
		return err
	}
	blocked, blockedBy, err := models.BlockRelations(db, acct.ID)
	if err != nil {
		return err
	}
	flags, err := models.PostFlagsFor(db, ids)
	if err != nil {
		return err
	}
	held, err := models.HeldByAuthor(db, acc.Group.ID, t.ID, acct.ID)
	if err != nil {
		return err
	}
	findings, _ := c.Get(ctxFindings).([]identify.Finding)
	td := topicData{Group: acc.Group, Topic: t, Page: page, Pages: t.Pages(), Member: acc.Member, Moderator: acc.Moderator,
		ExpandWarnings: acct.ExpandWarnings, DraftRestored: restored, Held: held, Findings: findings}
	if page > 1 {
		td.PrevURL = topicURL(acc.Group.Slug, t.ID, page-1)
	}
	if page < td.Pages {
		td.NextURL = topicURL(acc.Group.Slug, t.ID, page+1)
	}
	kinds := models.ReactionKinds()
	labels := make([]string, len(kinds))
	for i, kind := range kinds {
		labels[i] = data.T("reaction.kind." + kind)
	}
	for _, p := range posts {
		// A member who blocked the reader: the reader does not see their
		// posts at all, and is not told (moderators still see everything
		// they need to moderate).
		if p.AuthorID != nil && blockedBy[*p.AuthorID] && !acc.Moderator {
			continue
		}
		v := postView{ID: p.ID, AuthorName: p.AuthorName, ContentWarning: p.ContentWarning, Versions: p.Versions,
			Time: p.CreatedAt.UTC().Format(time.RFC3339), When: data.When(p.CreatedAt),
			Erased: p.ErasedAt != nil, Edited: p.EditedAt != nil && p.ErasedAt == nil,
			HTML: storedHTML(p.BodyHTML), Mine: p.AuthorID != nil && *p.AuthorID == acct.ID,
			Folded: p.AuthorID != nil && blocked[*p.AuthorID], Reactions: make([]reactionView, len(kinds))}
		if fl, ok := flags[p.ID]; ok {
			v.Hidden, v.ModDeleted, v.Redacted = fl.HiddenAt != nil, fl.DeletedAt != nil, fl.RedactedAt != nil
			v.HTML = ""
			if v.Hidden && (v.Mine || acc.Moderator) {
				v.HTML = storedHTML(fl.HiddenHTML)
			} else if !v.Hidden {
				v.HTML = storedHTML(p.BodyHTML)
			}
		}
		rc := reactions[p.ID]
		for i, kind := range kinds {
			v.Reactions[i] = reactionView{Kind: kind, Label: labels[i]}
			if rc != nil {
				v.Reactions[i].Count, v.Reactions[i].Pressed = rc.Counts[kind], rc.Mine[kind]
			}
		}
		td.Posts = append(td.Posts, v)
	}
	if len(posts) > 0 && acc.Member {
		if err := models.MarkRead(db, acct.ID, t.ID, posts[len(posts)-1].Position); err != nil {
			return err
		}
	}
	td.LockedText = t.Locked && data.Form["body"] != ""
	data.Title = t.Title
	data.Data = td
	return a.page(c, status, "topic", data)
}

// replyPost adds a reply. Like topicNewPost, it keeps the text on every
// failure and makes one post of a double submit.
func (a *App) replyPost(c echo.Context) error {
	t, acc, err := a.readTopic(c)
	if err != nil {
		return err
	}
	if !acc.Member {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	last := topicURL(acc.Group.Slug, t.ID, t.Pages())
	return a.publishPost(c, postTarget{
		acc:     acc,
		topic:   t,
		again:   func(data *pageData, status int) error { return a.topicPage(c, status, data, t, acc, t.Pages(), false) },
		pending: last,
		heldTo:  last,
		done:    "flash.posts.replied",
	})
}

// postGoto answers /posts/{id} with 303 to the post's page and anchor.
func (a *App) postGoto(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, _, acc, err := models.ReadPost(a.db.WithContext(c.Request().Context()), models.ReaderOf(currentAccount(c)), id, a.now().UTC())
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, postURL(acc.Group.Slug, p))
}
