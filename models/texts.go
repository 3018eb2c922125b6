package models

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Audit actions of the administrators' own wording. The detail names the
// language and message id, never the text.
const (
	AuditTextOverridden = "text.overridden"
	AuditTextReset      = "text.reset"
)

// MaxTextOverrideLen is the longest override, in characters.
const MaxTextOverrideLen = 2000

// Reasons an override is refused, stable keys for translated messages.
const (
	TextTooLong            = "too_long"
	TextInvalidCharacters  = "invalid_characters"
	TextUnknownPlaceholder = "unknown_placeholder"
)

// TextOverride is an administrator's wording of one message in one
// language, shown instead of the text in the locale file. It is plain text:
// it passes through the same escaping as every other message.
type TextOverride struct {
	Language  string `gorm:"primaryKey"`
	MessageID string `gorm:"primaryKey"`
	Text      string
	UpdatedAt time.Time
}

// TableName pins the table name.
func (TextOverride) TableName() string { return "text_overrides" }

// TextOverrides returns the overrides of one language as message id → text,
// in one query on the primary key: every page asks for them.
func TextOverrides(db *gorm.DB, language string) (map[string]string, error) {
	var rows []TextOverride
	if err := db.Select("message_id", "text").Where("language = ?", language).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: load text overrides for %q: %w", language, err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.MessageID] = r.Text
	}
	return out, nil
}

// ParseTextOverride checks what an administrator typed as the text of a
// message whose placeholders (names, as in {{.Name}}) are allowed. It returns
// the text with its line breaks made "\n" and its ends trimmed, and a reason
// (one of the Text* constants) when it is refused. An empty text is allowed:
// it hides the message. The only thing in double braces an override may hold
// is one of the allowed placeholders, written exactly as "{{.Name}}": that is
// all the localizer fills in, and anything else would show up as braces.
func ParseTextOverride(text string, allowed []string) (string, string) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case !plainText(text, true):
		return text, TextInvalidCharacters
	case utf8.RuneCountInString(text) > MaxTextOverrideLen:
		return text, TextTooLong
	}
	for rest := text; ; {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		rest = rest[i:]
		name, ok := leadingPlaceholder(rest)
		if !ok || !slices.Contains(allowed, name) {
			return text, TextUnknownPlaceholder
		}
		rest = rest[len("{{."+name+"}}"):]
	}
	return text, ""
}

// leadingPlaceholder reads the name of a "{{.Name}}" at the start of s.
func leadingPlaceholder(s string) (string, bool) {
	if !strings.HasPrefix(s, "{{.") {
		return "", false
	}
	name, _, ok := strings.Cut(s[len("{{."):], "}}")
	if !ok || name == "" {
		return "", false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "", false
		}
	}
	return name, true
}

// SetTextOverride saves the text of one message in one language (replacing
// an earlier one) and audits it by language and message id, in one
// transaction. The caller checks the text with ParseTextOverride first.
func SetTextOverride(db *gorm.DB, language, messageID, text string, actorID *int64, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		row := TextOverride{Language: language, MessageID: messageID, Text: text, UpdatedAt: now}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "language"}, {Name: "message_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"text", "updated_at"}),
		}).Create(&row).Error
		if err != nil {
			return fmt.Errorf("models: save text override %s %s: %w", language, messageID, err)
		}
		return Audit(tx, actorID, AuditTextOverridden, nil, textAuditDetail(language, messageID), now)
	})
}

// ResetTextOverride deletes the override of one message in one language, so
// that the default shows again, and audits it. Resetting a message without
// an override changes nothing and is not audited; it reports false.
func ResetTextOverride(db *gorm.DB, language, messageID string, actorID *int64, now time.Time) (bool, error) {
	var removed bool
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Where("language = ? AND message_id = ?", language, messageID).Delete(&TextOverride{})
		if res.Error != nil {
			return fmt.Errorf("models: reset text override %s %s: %w", language, messageID, res.Error)
		}
		if removed = res.RowsAffected > 0; !removed {
			return nil
		}
		return Audit(tx, actorID, AuditTextReset, nil, textAuditDetail(language, messageID), now)
	})
	return removed, err
}

// TextOverrideFor returns the override of one message, or ErrNotFound.
func TextOverrideFor(db *gorm.DB, language, messageID string) (*TextOverride, error) {
	var row TextOverride
	err := db.Where("language = ? AND message_id = ?", language, messageID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("models: load text override %s %s: %w", language, messageID, err)
	}
	return &row, nil
}

// textAuditDetail names the message, never its text: an organisation's
// wording is no secret, but the log records who changed what, not prose.
func textAuditDetail(language, messageID string) string {
	return "language: " + language + ", message: " + messageID
}
