package models

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// SearchLanguage maps the site's default language to the stemming used for
// search: German or English.
func SearchLanguage(lang string) string {
	if strings.HasPrefix(lang, "de") {
		return "german"
	}
	return "english"
}

// SearchResult is one matching post.
type SearchResult struct {
	PostID     int64
	TopicID    int64
	Position   int
	TopicTitle string
	GroupSlug  string
	GroupName  string
	Body       string
	CreatedAt  time.Time
}

// SearchLimit caps the results of one search.
const SearchLimit = 50

// Search finds posts matching query in the groups the reader is a member of
// — never another group, also not for staff (they search as members do).
// PostgreSQL uses full-text search over a stored tsvector column with a GIN
// index, SQLite FTS5 over stemmed text (StemText); both stem in the site's
// language (language: "english" or "german").
func Search(db *gorm.DB, readerID int64, query, language string) ([]SearchResult, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	var list []SearchResult
	// Only the reader's groups, as an array the database computes once: on
	// PostgreSQL the matches of the words are intersected with those groups
	// in the indexes before any row is read.
	base := db.Table("posts").
		Select("posts.id AS post_id, posts.topic_id, posts.position, topics.title AS topic_title, groups.slug AS group_slug, " +
			"groups.name AS group_name, posts.body, posts.created_at").
		Joins("JOIN topics ON topics.id = posts.topic_id").
		Joins("JOIN groups ON groups.id = posts.group_id").
		Where("posts.erased_at IS NULL")
	// Newest first; ids grow with time, and the (group_id, id) index
	// serves the order.
	const newestFirst = "posts.id DESC"
	var err error
	if db.Dialector.Name() == "postgres" {
		if language != "german" {
			language = "english"
		}
		// search_vector is stemmed in the post's own language (0011); the
		// query is stemmed in the site's, and only posts written in it
		// match.
		err = base.Where("posts.group_id = ANY(ARRAY(SELECT group_id FROM group_members WHERE account_id = ?))", readerID).
			Where("posts.search_language = ? AND posts.search_vector @@ plainto_tsquery(CAST(? AS regconfig), ?)", language, language, query).
			Order(newestFirst).Limit(SearchLimit).Scan(&list).Error
	} else {
		match := ftsQuery(StemText(query, language))
		if match == "" {
			return nil, nil
		}
		err = base.Where("posts.group_id IN (SELECT group_id FROM group_members WHERE account_id = ?)", readerID).
			Joins("JOIN posts_fts ON posts_fts.rowid = posts.id").
			Where("posts_fts MATCH ?", match).
			Order(newestFirst).Limit(SearchLimit).Scan(&list).Error
	}
	if err != nil {
		return nil, fmt.Errorf("models: search: %w", err)
	}
	return list, nil
}

// ftsQuery turns free text into an FTS5 query of quoted terms (all must
// match), so that no FTS5 syntax in the input can break the query.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	if len(words) > 12 {
		words = words[:12]
	}
	return strings.Join(words, " ")
}
