package models

import (
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Moderation of posts and topics: hide, delete, redact, lock, pin, move.

// postInReach loads a post the moderator may act on: ErrNotFound for a post
// outside their groups, ErrSelf for their own, ErrNotAllowed when its
// author outranks them.
func postInReach(db *gorm.DB, m *Mod, postID int64) (*Post, error) {
	var p Post
	if err := db.First(&p, postID).Error; err != nil {
		return nil, notFound(err)
	}
	if !m.InGroup(p.GroupID) {
		return nil, ErrNotFound
	}
	if p.AuthorID != nil {
		if err := m.MayActOn(db, *p.AuthorID, &p.GroupID); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// HidePost hides a post: its text moves to post_flags, where its author and
// moderators still read it, and the post itself is emptied.
func HidePost(db *gorm.DB, m *Mod, postID int64, in ActionInput, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		p, err := postInReach(tx, m, postID)
		if err != nil {
			return err
		}
		if p.ErasedAt != nil {
			return ErrNotFound
		}
		flag := PostFlag{PostID: p.ID, HiddenAt: &now, HiddenBody: p.Body, HiddenHTML: p.BodyHTML}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "post_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"hidden_at", "hidden_body", "hidden_html"})}).Create(&flag).Error; err != nil {
			return err
		}
		if p.Body != "" {
			if err := tx.Model(&Post{}).Where("id = ?", p.ID).Updates(map[string]any{"body": "", "body_html": ""}).Error; err != nil {
				return err
			}
		}
		in.Action, in.GroupID, in.TargetID, in.PostID, in.TopicID = ModHide, &p.GroupID, p.AuthorID, &p.ID, &p.TopicID
		_, err = recordAction(tx, m, in, now)
		return err
	})
}

// restorePost brings a hidden post back (an appeal that was upheld).
func restorePost(tx *gorm.DB, postID int64) error {
	var f PostFlag
	if err := tx.Where("post_id = ? AND hidden_at IS NOT NULL", postID).First(&f).Error; err != nil {
		return notFound(err)
	}
	if err := tx.Model(&Post{}).Where("id = ? AND erased_at IS NULL", postID).
		Updates(map[string]any{"body": f.HiddenBody, "body_html": f.HiddenHTML}).Error; err != nil {
		return err
	}
	return tx.Model(&PostFlag{}).Where("post_id = ?", postID).
		Updates(map[string]any{"hidden_at": nil, "hidden_body": "", "hidden_html": ""}).Error
}

// DeletePost erases a post as its author could, marked as removed by a
// moderator; a hidden copy goes too.
func DeletePost(db *gorm.DB, m *Mod, postID int64, in ActionInput, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		p, err := postInReach(tx, m, postID)
		if err != nil {
			return err
		}
		if err := ErasePost(tx, p, now); err != nil {
			return err
		}
		flag := PostFlag{PostID: p.ID, DeletedAt: &now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "post_id"}},
			DoUpdates: clause.Assignments(map[string]any{"deleted_at": now, "hidden_body": "", "hidden_html": ""})}).
			Create(&flag).Error; err != nil {
			return err
		}
		in.Action, in.GroupID, in.TargetID, in.PostID, in.TopicID = ModDelete, &p.GroupID, p.AuthorID, &p.ID, &p.TopicID
		_, err = recordAction(tx, m, in, now)
		return err
	})
}

// RedactPost removes a passage from a post. The removed text is kept only in
// the moderation record (an administrator can purge it); the post's earlier
// versions go, since they hold it too. render turns Markdown into the
// sanitized HTML (internal/markup, which models may not import).
func RedactPost(db *gorm.DB, m *Mod, postID int64, remove string, render func(string) (string, error), in ActionInput, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		p, err := postInReach(tx, m, postID)
		if err != nil {
			return err
		}
		if remove == "" || p.ErasedAt != nil || !strings.Contains(p.Body, remove) {
			return ErrModInput
		}
		body := strings.ReplaceAll(p.Body, remove, "[…]")
		html, err := render(body)
		if err != nil {
			return err
		}
		if err := tx.Where("post_id = ?", p.ID).Delete(&PostVersion{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Post{}).Where("id = ?", p.ID).Updates(map[string]any{"body": body, "body_html": html}).Error; err != nil {
			return err
		}
		flag := PostFlag{PostID: p.ID, RedactedAt: &now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "post_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"redacted_at"})}).Create(&flag).Error; err != nil {
			return err
		}
		in.Action, in.GroupID, in.TargetID, in.PostID, in.TopicID, in.RemovedText = ModRedact, &p.GroupID, p.AuthorID, &p.ID, &p.TopicID, remove
		_, err = recordAction(tx, m, in, now)
		return err
	})
}

// PurgeRedaction forgets the text a redaction removed: administrators only.
func PurgeRedaction(db *gorm.DB, m *Mod, actionID int64, now time.Time) error {
	if !m.Admin() {
		return ErrNotFound
	}
	return db.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&ModAction{}).Where("id = ? AND action = ? AND removed_text <> ''", actionID, ModRedact).
			Update("removed_text", "")
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		_, err := recordAction(tx, m, ActionInput{Action: ModPurge, Reason: "action:" + strconv.FormatInt(actionID, 10)}, now)
		return err
	})
}

// TopicAction locks, unlocks, pins or unpins a topic of the moderator's
// groups. Nobody acts on their own topic.
func TopicAction(db *gorm.DB, m *Mod, topicID int64, action string, in ActionInput, now time.Time) (*Topic, error) {
	var t Topic
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&t, topicID).Error; err != nil {
			return notFound(err)
		}
		if !m.InGroup(t.GroupID) {
			return ErrNotFound
		}
		if t.AuthorID != nil {
			if err := m.MayActOn(tx, *t.AuthorID, &t.GroupID); err != nil {
				return err
			}
		}
		update := map[string]any{}
		switch action {
		case ModLock:
			update["locked"] = true
		case ModUnlock:
			update["locked"] = false
		case ModPin:
			update["pinned"] = true
		case ModUnpin:
			update["pinned"] = false
		default:
			return ErrModInput
		}
		if err := tx.Model(&Topic{}).Where("id = ?", t.ID).Updates(update).Error; err != nil {
			return err
		}
		in.Action, in.GroupID, in.TargetID, in.TopicID = action, &t.GroupID, t.AuthorID, &t.ID
		_, err := recordAction(tx, m, in, now)
		return err
	})
	return &t, err
}

// MoveTopic moves a topic and its posts to another group; the moderator
// must moderate both.
func MoveTopic(db *gorm.DB, m *Mod, topicID int64, toSlug string, in ActionInput, now time.Time) (*Group, error) {
	var to Group
	err := db.Transaction(func(tx *gorm.DB) error {
		var t Topic
		if err := tx.First(&t, topicID).Error; err != nil {
			return notFound(err)
		}
		if !m.InGroup(t.GroupID) {
			return ErrNotFound
		}
		if err := tx.Where("slug = ?", toSlug).First(&to).Error; err != nil || !m.InGroup(to.ID) || to.ID == t.GroupID {
			return ErrModInput
		}
		if t.AuthorID != nil {
			if err := m.MayActOn(tx, *t.AuthorID, &t.GroupID); err != nil {
				return err
			}
		}
		for _, table := range []string{"topics", "posts", "held_posts", "reports"} {
			col := "topic_id"
			if table == "topics" {
				col = "id"
			}
			if table == "reports" {
				if err := tx.Exec("UPDATE reports SET group_id = ? WHERE post_id IN (SELECT id FROM posts WHERE topic_id = ?)", to.ID, t.ID).Error; err != nil {
					return err
				}
				continue
			}
			if err := tx.Table(table).Where(col+" = ?", t.ID).Update("group_id", to.ID).Error; err != nil {
				return err
			}
		}
		in.Action, in.GroupID, in.TargetID, in.TopicID = ModMove, &t.GroupID, t.AuthorID, &t.ID
		in.Reason = strings.TrimSpace(in.Reason + " → " + to.Slug)
		_, err := recordAction(tx, m, in, now)
		return err
	})
	return &to, err
}
