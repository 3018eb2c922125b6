package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Why a post waits for a moderator.
const (
	HoldPremod   = "premod"
	HoldIdentify = "identify"
	HoldWord     = "word"
)

// DefaultPremodPosts is how many first posts of a new member a group holds
// for review unless its moderators chose otherwise (0 turns it off).
const DefaultPremodPosts = 3

// Actions of the word list.
const (
	WordBlock = "block"
	WordHold  = "hold"
)

// ErrWordBlocked refuses a text with a blocked word.
var ErrWordBlocked = errors.New("text has a blocked word")

// HeldPost is a topic, reply or edit waiting for a moderator. It is not a
// post yet: nothing of it reaches topic pages, search or notifications until
// a moderator approves it. TopicID nil means a new topic with Title; PostID
// set means a new text for that post (an edit), whose earlier text everyone
// else reads meanwhile.
type HeldPost struct {
	ID             int64
	GroupID        int64
	TopicID        *int64
	PostID         *int64
	AuthorID       int64
	Title          string
	Body           string
	BodyHTML       string `gorm:"column:body_html"`
	ContentWarning string
	Reason         string
	Findings       string
	CreatedAt      time.Time
}

// TableName pins the table name.
func (HeldPost) TableName() string { return "held_posts" }

// Kinds of held post.
const (
	HeldTopic = "topic"
	HeldReply = "reply"
	HeldEdit  = "edit"
)

// Kind says what the held post becomes when approved: a topic, a reply or
// a new text of a post.
func (h HeldPost) Kind() string {
	switch {
	case h.PostID != nil:
		return HeldEdit
	case h.TopicID == nil:
		return HeldTopic
	}
	return HeldReply
}

// Edits reports whether this is a new text of the post (templates mark the
// post "waiting for review" for its author).
func (h HeldPost) Edits(postID int64) bool { return h.PostID != nil && *h.PostID == postID }

type groupPremod struct {
	GroupID    int64 `gorm:"primaryKey"`
	FirstPosts int
}

func (groupPremod) TableName() string { return "group_premods" }

// WordRule is one word or phrase of the administrators' list.
type WordRule struct {
	ID        int64
	Phrase    string
	Action    string
	CreatedAt time.Time
}

// TableName pins the table name.
func (WordRule) TableName() string { return "word_rules" }

// WordRules lists the word list.
func WordRules(db *gorm.DB) ([]WordRule, error) {
	var list []WordRule
	err := db.Order("phrase").Find(&list).Error
	return list, err
}

// SaveWordRule adds a phrase (or changes its action), audited.
func SaveWordRule(db *gorm.DB, actorID int64, phrase, action string, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&WordRule{}).Where("phrase = ?", phrase).Update("action", action)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if err := tx.Create(&WordRule{Phrase: phrase, Action: action, CreatedAt: now}).Error; err != nil {
				return err
			}
		}
		return Audit(tx, &actorID, "words.saved", nil, action+": "+phrase, now)
	})
}

// DeleteWordRule removes a phrase, audited.
func DeleteWordRule(db *gorm.DB, actorID, id int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		var w WordRule
		if err := tx.First(&w, id).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Delete(&WordRule{}, id).Error; err != nil {
			return err
		}
		return Audit(tx, &actorID, "words.deleted", nil, w.Phrase, now)
	})
}

// HeldSince counts the member's posts held for review since a time (the
// posting rate limit counts them).
func HeldSince(db *gorm.DB, accountID int64, since time.Time) (int64, error) {
	var n int64
	err := db.Model(&HeldPost{}).Where("author_id = ? AND created_at > ?", accountID, since).Count(&n).Error
	return n, err
}

// PremodPosts is the group's number of held first posts; a group without
// its own setting has fallback (the site's default).
func PremodPosts(db *gorm.DB, groupID int64, fallback int) (int, error) {
	var list []groupPremod
	if err := db.Where("group_id = ?", groupID).Limit(1).Find(&list).Error; err != nil {
		return 0, err
	}
	if len(list) == 0 {
		return fallback, nil
	}
	return list[0].FirstPosts, nil
}

// SetPremodPosts sets the group's number of held first posts, audited.
func SetPremodPosts(db *gorm.DB, m *Mod, groupID int64, n int, now time.Time) error {
	if !m.InGroup(groupID) {
		return ErrNotFound
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Save(&groupPremod{GroupID: groupID, FirstPosts: n}).Error; err != nil {
			return err
		}
		_, err := recordAction(tx, m, ActionInput{Action: "mod.premod_set", Reason: fmt.Sprint(n), GroupID: &groupID}, now)
		return err
	})
}

// NeedsPremod reports whether the member's next post in the group waits for
// review: fewer published posts than the group holds. Moderators of the
// group are never held.
func NeedsPremod(db *gorm.DB, groupID, accountID int64, fallback int) (bool, error) {
	n, err := PremodPosts(db, groupID, fallback)
	if err != nil || n == 0 {
		return false, err
	}
	gm, err := Membership(db, groupID, accountID)
	if err != nil || (gm != nil && gm.Role == GroupRoleModerator) {
		return false, err
	}
	var posted int64
	if err := db.Model(&Post{}).Where("group_id = ? AND author_id = ?", groupID, accountID).Count(&posted).Error; err != nil {
		return false, err
	}
	return posted < int64(n), nil
}

// HoldPost stores a post (or an edit) for review and audits the automatic
// hold: the kinds found, never the text.
func HoldPost(tx *gorm.DB, h *HeldPost) error {
	if err := tx.Create(h).Error; err != nil {
		return fmt.Errorf("models: hold post: %w", err)
	}
	detail := "group:" + fmt.Sprint(h.GroupID)
	if h.PostID != nil {
		detail += " post:" + fmt.Sprint(*h.PostID) + " " + HeldEdit
	}
	return Audit(tx, nil, ModHold, &h.AuthorID, detail+" "+h.Reason+" "+h.Findings, h.CreatedAt)
}

// HeldByAuthor lists the member's posts waiting in a group (and topic, when
// topicID is not 0) — with a topic, her edits of its posts too: only their
// author sees them.
func HeldByAuthor(db *gorm.DB, groupID, topicID, authorID int64) ([]HeldPost, error) {
	q := db.Where("group_id = ? AND author_id = ?", groupID, authorID)
	if topicID != 0 {
		q = q.Where("topic_id = ?", topicID)
	} else {
		q = q.Where("topic_id IS NULL")
	}
	var list []HeldPost
	err := q.Order("created_at").Find(&list).Error
	return list, err
}

// HeldOf lists every new topic and reply of the member waiting for review
// (her waiting edits are marked on their posts instead).
func HeldOf(db *gorm.DB, authorID int64) ([]HeldPost, error) {
	var list []HeldPost
	err := db.Where("author_id = ? AND post_id IS NULL", authorID).Order("created_at").Find(&list).Error
	return list, err
}

// HeldView is a held post as the queue shows it. For an edit, CurrentHTML
// is the post's text as everyone else reads it now.
type HeldView struct {
	HeldPost
	Username    string
	GroupName   string
	GroupSlug   string
	TopicTitle  string
	CurrentHTML string `gorm:"column:current_html"`
}

// Ref is the held post's address under /mod/held/.
func (h HeldView) Ref() string { return fmt.Sprint(h.ID) }

// HeldFor lists held posts and edits the moderator may decide (never their
// own), oldest first.
func HeldFor(db *gorm.DB, m *Mod, where string, args ...any) ([]HeldView, error) {
	var rows []HeldView
	q := db.Table("held_posts").
		Select("held_posts.*, COALESCE(accounts.username, '') AS username, groups.name AS group_name, groups.slug AS group_slug, "+
			"COALESCE(topics.title, '') AS topic_title, COALESCE(posts.body_html, '') AS current_html").
		Joins("LEFT JOIN accounts ON accounts.id = held_posts.author_id").
		Joins("JOIN groups ON groups.id = held_posts.group_id").
		Joins("LEFT JOIN topics ON topics.id = held_posts.topic_id").
		Joins("LEFT JOIN posts ON posts.id = held_posts.post_id").
		Where("held_posts.author_id <> ?", m.AccountID)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Order("held_posts.created_at, held_posts.id").Limit(200).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: held posts: %w", err)
	}
	var out []HeldView
	for _, h := range rows {
		if m.InGroup(h.GroupID) {
			out = append(out, h)
		}
	}
	return out, nil
}

// DecideHeld approves a held post (publishing it as a topic or reply, or
// its new text when it is an edit) or rejects it (it is deleted; an edit's
// post keeps its earlier text). publish writes the post in the caller's
// transaction (handlers own rendering and notifications); it returns the
// post.
func DecideHeld(db *gorm.DB, m *Mod, heldID int64, approve bool, in ActionInput, publish func(tx *gorm.DB, h *HeldPost) (*Post, error), now time.Time) (*Post, error) {
	var post *Post
	err := db.Transaction(func(tx *gorm.DB) error {
		list, err := HeldFor(tx, m, "held_posts.id = ?", heldID)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return ErrNotFound
		}
		h := list[0].HeldPost
		reject := ModReject
		if h.PostID != nil {
			reject = ModRejectEdit
			in.PostID, in.TopicID = h.PostID, h.TopicID
		}
		d := heldDecision{authorID: h.AuthorID, groupID: &h.GroupID, heldReason: h.Reason, reject: reject,
			take: func() *gorm.DB { return tx.Delete(&HeldPost{}, h.ID) },
			publish: func() error {
				if post, err = publish(tx, &h); err != nil {
					return err
				}
				in.PostID, in.TopicID = &post.ID, &post.TopicID
				return nil
			}}
		return d.decide(tx, m, approve, &in, now)
	})
	return post, err
}

// HeldBiosWhere is the condition on held_bios that says which waiting bios
// (models/held_edits.go) a reader may see in the queue: site moderators and
// administrators every bio but their own; anyone else none. HeldBiosFor
// lists with it (QueueFor's Bios); the header's count of the queue
// (queueCountExpr) is to count with it, so that the two agree. Held edits are
// held_posts rows and already counted with held posts.
func HeldBiosWhere(accountID int64, staff bool) (string, []any) {
	if !staff {
		return "1 = 0", nil
	}
	return "held_bios.account_id <> ?", []any{accountID}
}
