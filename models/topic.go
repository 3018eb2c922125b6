package models

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// Page sizes.
const (
	TopicsPerPage = 25
	PostsPerPage  = 25
)

// ErrTopicLocked means a locked topic takes no replies.
var ErrTopicLocked = errors.New("topic locked")

// Topic is a thread in a group. PostCount is also the position of its last
// post: positions are 1, 2, … and never reused, so page N of a topic is found
// by seeking on position, not by OFFSET.
type Topic struct {
	ID         int64
	GroupID    int64
	AuthorID   *int64
	Title      string
	Pinned     bool
	Locked     bool
	PostCount  int
	CreatedAt  time.Time
	LastPostAt time.Time
}

// TableName pins the table name.
func (Topic) TableName() string { return "topics" }

// Pages is the number of pages of the topic.
func (t *Topic) Pages() int { return max(1, (t.PostCount+PostsPerPage-1)/PostsPerPage) }

// Post is one post; position 1 opens the topic. Body is the author's
// Markdown; BodyHTML its sanitized rendering (internal/markup), stored so
// that reading never renders.
type Post struct {
	ID             int64
	TopicID        int64
	GroupID        int64
	AuthorID       *int64
	Position       int
	Body           string
	BodyHTML       string `gorm:"column:body_html"`
	ContentWarning string
	SearchLanguage string
	CreatedAt      time.Time
	EditedAt       *time.Time
	ErasedAt       *time.Time
}

// TableName pins the table name.
func (Post) TableName() string { return "posts" }

// Page is the page of the topic the post is on.
func (p *Post) Page() int { return (p.Position-1)/PostsPerPage + 1 }

// PostVersion is an earlier version of an edited post, visible to its
// author and moderators only.
type PostVersion struct {
	ID             int64
	PostID         int64
	Body           string
	ContentWarning string
	CreatedAt      time.Time
}

// TableName pins the table name.
func (PostVersion) TableName() string { return "post_versions" }

// NewPost is what a member writes.
type NewPost struct {
	AuthorID       int64
	Body, BodyHTML string
	ContentWarning string
	SearchLanguage string
}

// CreateTopic starts a topic with its first post, in the caller's
// transaction.
func CreateTopic(tx *gorm.DB, groupID int64, title string, p NewPost, now time.Time) (*Topic, *Post, error) {
	t := &Topic{GroupID: groupID, AuthorID: &p.AuthorID, Title: title, PostCount: 1, CreatedAt: now, LastPostAt: now}
	if err := tx.Create(t).Error; err != nil {
		return nil, nil, fmt.Errorf("models: create topic: %w", err)
	}
	post := &Post{TopicID: t.ID, GroupID: groupID, AuthorID: &p.AuthorID, Position: 1, Body: p.Body, BodyHTML: p.BodyHTML,
		ContentWarning: p.ContentWarning, SearchLanguage: p.SearchLanguage, CreatedAt: now}
	if err := tx.Create(post).Error; err != nil {
		return nil, nil, fmt.Errorf("models: create first post: %w", err)
	}
	return t, post, nil
}

// Reply appends a post to a topic, taking the next position under the
// topic's row lock (PostgreSQL) or the write lock (SQLite).
func Reply(tx *gorm.DB, t *Topic, p NewPost, now time.Time) (*Post, error) {
	var position int
	err := tx.Raw("UPDATE topics SET post_count = post_count + 1, last_post_at = ? WHERE id = ? AND locked = ? RETURNING post_count",
		now, t.ID, false).Scan(&position).Error
	if err != nil {
		return nil, fmt.Errorf("models: reply position: %w", err)
	}
	if position == 0 {
		return nil, ErrTopicLocked
	}
	post := &Post{TopicID: t.ID, GroupID: t.GroupID, AuthorID: &p.AuthorID, Position: position, Body: p.Body,
		BodyHTML: p.BodyHTML, ContentWarning: p.ContentWarning, SearchLanguage: p.SearchLanguage, CreatedAt: now}
	if err := tx.Create(post).Error; err != nil {
		return nil, fmt.Errorf("models: create reply: %w", err)
	}
	t.PostCount, t.LastPostAt = position, now
	return post, nil
}

// PostWithAuthor is a post as a topic page shows it.
type PostWithAuthor struct {
	Post
	AuthorName string
	Versions   int64
}

// TopicPage returns page n (1-based) of a topic by seeking on position.
// Two queries whatever the page or the topic's length.
func TopicPage(db *gorm.DB, t *Topic, page int) ([]PostWithAuthor, error) {
	page = max(page, 1)
	first := (page-1)*PostsPerPage + 1
	var list []PostWithAuthor
	err := db.Table("posts").
		Select(postColumns()+", COALESCE(accounts.username, '') AS author_name, "+
			"(SELECT COUNT(*) FROM post_versions v WHERE v.post_id = posts.id) AS versions").
		Joins("LEFT JOIN accounts ON accounts.id = posts.author_id").
		Where("posts.topic_id = ? AND posts.position BETWEEN ? AND ?", t.ID, first, first+PostsPerPage-1).
		Order("posts.position").Scan(&list).Error
	return list, err
}

// TopicListing is a topic as a group page lists it.
type TopicListing struct {
	Topic
	AuthorName   string
	LastRead     int
	HasReadState bool
}

// Replies is the number of replies (posts after the first).
func (t *TopicListing) Replies() int { return t.PostCount - 1 }

// Unread reports whether the topic has posts the reader has not seen.
func (t *TopicListing) Unread() bool { return !t.HasReadState || t.LastRead < t.PostCount }

// GroupTopics returns page n of a group's topics, pinned first, then by last
// activity, with the reader's read state.
func GroupTopics(db *gorm.DB, groupID, readerID int64, page int) ([]TopicListing, int64, error) {
	var total int64
	if err := db.Model(&Topic{}).Where("group_id = ?", groupID).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var list []TopicListing
	err := db.Table("topics").
		Select("topics.*, COALESCE(accounts.username, '') AS author_name, "+
			"COALESCE(topic_reads.last_position, 0) AS last_read, topic_reads.topic_id IS NOT NULL AS has_read_state").
		Joins("LEFT JOIN accounts ON accounts.id = topics.author_id").
		Joins("LEFT JOIN topic_reads ON topic_reads.topic_id = topics.id AND topic_reads.account_id = ?", readerID).
		Where("topics.group_id = ?", groupID).
		Order("topics.pinned DESC, topics.last_post_at DESC, topics.id DESC").
		Limit(TopicsPerPage).Offset((max(page, 1) - 1) * TopicsPerPage).Scan(&list).Error
	return list, total, err
}

// topicRead is how far a member has read a topic.
type topicRead struct {
	AccountID    int64 `gorm:"primaryKey"`
	TopicID      int64 `gorm:"primaryKey"`
	LastPosition int
}

func (topicRead) TableName() string { return "topic_reads" }

// MarkRead records that the member has seen the topic up to position (never
// moving backwards). Reading a page again writes nothing: the update is
// conditional, so PostgreSQL makes no new row version and no WAL for it.
func MarkRead(db *gorm.DB, accountID, topicID int64, position int) error {
	return db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "account_id"}, {Name: "topic_id"}},
		DoUpdates: clause.Assignments(map[string]any{"last_position": position}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "topic_reads.last_position < ?", Vars: []any{position}}}},
	}).Create(&topicRead{AccountID: accountID, TopicID: topicID, LastPosition: position}).Error
}

// EditPost keeps the current version and replaces it, in the caller's
// transaction.
func EditPost(tx *gorm.DB, p *Post, body, bodyHTML, warning string, now time.Time) error {
	written := p.CreatedAt
	if p.EditedAt != nil {
		written = *p.EditedAt
	}
	if err := tx.Create(&PostVersion{PostID: p.ID, Body: p.Body, ContentWarning: p.ContentWarning, CreatedAt: written}).Error; err != nil {
		return fmt.Errorf("models: keep version: %w", err)
	}
	p.Body, p.BodyHTML, p.ContentWarning, p.EditedAt = body, bodyHTML, warning, &now
	return tx.Model(&Post{}).Where("id = ?", p.ID).Updates(map[string]any{
		"body": body, "body_html": bodyHTML, "content_warning": warning, "edited_at": now,
	}).Error
}

// PostVersions lists a post's earlier versions, newest first.
func PostVersions(db *gorm.DB, postID int64) ([]PostVersion, error) {
	var list []PostVersion
	err := db.Where("post_id = ?", postID).Order("id DESC").Find(&list).Error
	return list, err
}

// ErasePost removes a post's text, every earlier version and its search
// entry; the thread keeps its place, shown as removed by its author.
func ErasePost(tx *gorm.DB, p *Post, now time.Time) error {
	if err := tx.Where("post_id = ?", p.ID).Delete(&PostVersion{}).Error; err != nil {
		return err
	}
	if err := tx.Where("post_id = ?", p.ID).Delete(&Reaction{}).Error; err != nil {
		return err
	}
	return tx.Model(&Post{}).Where("id = ?", p.ID).Updates(map[string]any{
		"body": "", "body_html": "", "content_warning": "", "erased_at": now,
	}).Error
}

// postColumns lists the posts columns the Post model has, qualified, for
// queries that join posts with other tables. "posts.*" would also fetch
// search_vector, a column PostgreSQL keeps for search (0011) that is as
// large as the text and never shown.
var postColumns = sync.OnceValue(func() string {
	s, err := schema.Parse(&Post{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("models: parse Post: %v", err))
	}
	cols := make([]string, 0, len(s.DBNames))
	for _, name := range s.DBNames {
		cols = append(cols, "posts."+name)
	}
	return strings.Join(cols, ", ")
})
