package models

import (
	"fmt"
	"regexp"
	"time"

	"gorm.io/gorm"
)

// Draft is the sealed text of a post that arrived without a live session
// (the session expired while the member was writing). It is keyed by the hash
// of a random id kept in a cookie, and read once after sign-in.
type Draft struct {
	IDHash    []byte `gorm:"column:id_hash;primaryKey"`
	Sealed    string
	CreatedAt time.Time
}

// TableName pins the table name.
func (Draft) TableName() string { return "drafts" }

// DraftLifetime is how long a draft can be taken back after it was saved;
// the purge job removes every draft after 24 hours whatever this is.
const DraftLifetime = 2 * time.Hour

// SaveDraft stores a sealed draft.
func SaveDraft(db *gorm.DB, idHash []byte, sealed string, now time.Time) error {
	if err := db.Create(&Draft{IDHash: idHash, Sealed: sealed, CreatedAt: now}).Error; err != nil {
		return fmt.Errorf("models: save draft: %w", err)
	}
	return nil
}

// DraftByID returns a live draft's sealed text; a missing or stale draft is
// ErrNotFound.
func DraftByID(db *gorm.DB, idHash []byte, now time.Time) (string, error) {
	var list []Draft
	if err := db.Where("id_hash = ? AND created_at > ?", idHash, now.Add(-DraftLifetime)).Limit(1).Find(&list).Error; err != nil {
		return "", fmt.Errorf("models: find draft: %w", err)
	}
	if len(list) == 0 {
		return "", ErrNotFound
	}
	return list[0].Sealed, nil
}

// DraftsSince counts the drafts saved since a moment, for the site-wide
// ceiling that keeps anonymous requests from filling the table.
func DraftsSince(db *gorm.DB, since time.Time) (int64, error) {
	var n int64
	err := db.Model(&Draft{}).Where("created_at > ?", since).Count(&n).Error
	return n, err
}

// DeleteDraft removes a draft once it has filled its form: a draft is
// given back once.
func DeleteDraft(db *gorm.DB, idHash []byte) error {
	return db.Where("id_hash = ?", idHash).Delete(&Draft{}).Error
}

// PostsSince counts the posts the member wrote since a moment. The posting
// rate limit counts in the database, so that it holds across instances.
func PostsSince(db *gorm.DB, accountID int64, since time.Time) (int64, error) {
	var n int64
	err := db.Model(&Post{}).Where("author_id = ? AND created_at > ?", accountID, since).Count(&n).Error
	return n, err
}

// mentionPattern finds @name where name is made of the characters a
// username may hold; it must start the text or follow a character that
// cannot be part of a username or an e-mail address.
var mentionPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_.@-])@([\p{L}\p{N}_.-]{1,64})`)

// maxMentions caps the names one post can notify, so that a post cannot
// notify a whole group.
const maxMentions = 20

// MentionedNames returns the raw names after "@" in a body, in order, each
// once, at most 20. The caller normalises them.
func MentionedNames(body string) []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range mentionPattern.FindAllStringSubmatch(body, -1) {
		name := trimTrailingDots(m[1])
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		names = append(names, name)
		if len(names) == maxMentions {
			break
		}
	}
	return names
}

// trimTrailingDots drops sentence punctuation after a name ("thanks @anna.").
func trimTrailingDots(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '.' || s[len(s)-1] == '-') {
		s = s[:len(s)-1]
	}
	return s
}

// GroupMemberIDsByUsername returns the ids of the accounts with these
// canonical usernames that are members of the group — nobody outside it.
func GroupMemberIDsByUsername(db *gorm.DB, groupID int64, usernames []string) ([]int64, error) {
	if len(usernames) == 0 {
		return nil, nil
	}
	var ids []int64
	err := db.Table("accounts").Select("accounts.id").
		Joins("JOIN group_members ON group_members.account_id = accounts.id AND group_members.group_id = ?", groupID).
		Where("accounts.username IN ?", usernames).Order("accounts.id").Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: mentioned members: %w", err)
	}
	return ids, nil
}

// RerenderCounts counts what `hearth rerender` will go through.
func RerenderCounts(db *gorm.DB) (posts, groups int64, err error) {
	if err = db.Model(&Post{}).Where("erased_at IS NULL").Count(&posts).Error; err != nil {
		return 0, 0, err
	}
	err = db.Model(&Group{}).Count(&groups).Error
	return posts, groups, err
}

// RerenderPosts re-renders the stored HTML of up to limit posts with ids
// above afterID, in one transaction, and returns the last id seen (0 when
// there were none). Erased posts have no text and are skipped.
func RerenderPosts(db *gorm.DB, afterID int64, limit int, render func(string) (string, error)) (int64, int, error) {
	var last int64
	var n int
	err := db.Transaction(func(tx *gorm.DB) error {
		var rows []Post
		if err := tx.Select("id", "body").Where("id > ? AND erased_at IS NULL", afterID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
			return err
		}
		for _, p := range rows {
			html, err := render(p.Body)
			if err != nil {
				return fmt.Errorf("post %d: %w", p.ID, err)
			}
			if err := tx.Model(&Post{}).Where("id = ?", p.ID).Update("body_html", html).Error; err != nil {
				return err
			}
			last = p.ID
		}
		n = len(rows)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("models: rerender posts after %d: %w", afterID, err)
	}
	return last, n, nil
}

// RerenderGroups does for groups' about text what RerenderPosts does for
// posts.
func RerenderGroups(db *gorm.DB, afterID int64, limit int, render func(string) (string, error)) (int64, int, error) {
	var last int64
	var n int
	err := db.Transaction(func(tx *gorm.DB) error {
		var rows []Group
		if err := tx.Select("id", "about").Where("id > ?", afterID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
			return err
		}
		for _, g := range rows {
			html, err := render(g.About)
			if err != nil {
				return fmt.Errorf("group %d: %w", g.ID, err)
			}
			if err := tx.Model(&Group{}).Where("id = ?", g.ID).Update("about_html", html).Error; err != nil {
				return err
			}
			last = g.ID
		}
		n = len(rows)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("models: rerender groups after %d: %w", afterID, err)
	}
	return last, n, nil
}
