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
// PostgreSQL uses full-text search with a GIN index, SQLite FTS5 over
// stemmed text (StemText); both stem in the site's language (language:
// "english" or "german").
func Search(db *gorm.DB, readerID int64, query, language string) ([]SearchResult, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	var list []SearchResult
	base := db.Table("posts").
		Select("posts.id AS post_id, posts.topic_id, posts.position, topics.title AS topic_title, groups.slug AS group_slug, "+
			"groups.name AS group_name, posts.body, posts.created_at").
		Joins("JOIN topics ON topics.id = posts.topic_id").
		Joins("JOIN groups ON groups.id = posts.group_id").
		Joins("JOIN group_members ON group_members.group_id = posts.group_id AND group_members.account_id = ?", readerID).
		Where("posts.erased_at IS NULL")
	var err error
	if db.Dialector.Name() == "postgres" {
		if language != "german" {
			language = "english"
		}
		// The constant config matches the partial GIN index of the language.
		err = base.Where(fmt.Sprintf("posts.search_language = ? AND to_tsvector('%s', posts.body) @@ plainto_tsquery('%s', ?)", language, language),
			language, query).
			Order("posts.created_at DESC").Limit(SearchLimit).Scan(&list).Error
	} else {
		match := ftsQuery(StemText(query, language))
		if match == "" {
			return nil, nil
		}
		err = base.Joins("JOIN posts_fts ON posts_fts.rowid = posts.id").
			Where("posts_fts MATCH ?", match).
			Order("posts.created_at DESC").Limit(SearchLimit).Scan(&list).Error
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
