package models

import (
	"time"

	"gorm.io/gorm"
)

// Kinds of notification.
const (
	NotifyReply        = "reply"
	NotifyMention      = "mention"
	NotifyJoinApproved = "join_approved"
	NotifyJoinDeclined = "join_declined"
	NotifyGroupInvite  = "group_invite"
)

// Notification tells a member in the app (there is no e-mail) about a reply
// to their topic, a mention, or a decision on their join request.
type Notification struct {
	ID        int64
	AccountID int64
	Kind      string
	GroupID   *int64
	TopicID   *int64
	PostID    *int64
	ActorID   *int64
	CreatedAt time.Time
	ReadAt    *time.Time
}

// TableName pins the table name.
func (Notification) TableName() string { return "notifications" }

// NotificationView is a notification with the names a page shows.
type NotificationView struct {
	Notification
	GroupSlug  string
	GroupName  string
	TopicTitle string
	ActorName  string
}

// Notify queues notifications in the caller's transaction.
func AddNotifications(db *gorm.DB, list []Notification) error {
	if len(list) == 0 {
		return nil
	}
	return db.Create(&list).Error
}

// NotificationsOf lists the member's latest notifications, unread first.
func NotificationsOf(db *gorm.DB, accountID int64, limit int) ([]NotificationView, error) {
	var list []NotificationView
	err := db.Table("notifications").
		Select("notifications.*, COALESCE(groups.slug, '') AS group_slug, COALESCE(groups.name, '') AS group_name, "+
			"COALESCE(topics.title, '') AS topic_title, COALESCE(accounts.username, '') AS actor_name").
		Joins("LEFT JOIN groups ON groups.id = notifications.group_id").
		Joins("LEFT JOIN topics ON topics.id = notifications.topic_id").
		Joins("LEFT JOIN accounts ON accounts.id = notifications.actor_id").
		Where("notifications.account_id = ?", accountID).
		Order("notifications.read_at IS NOT NULL, notifications.created_at DESC, notifications.id DESC").
		Limit(limit).Scan(&list).Error
	return list, err
}

// MarkNotificationsRead marks all (ids empty) or some notifications read.
func MarkNotificationsRead(db *gorm.DB, accountID int64, ids []int64, now time.Time) error {
	q := db.Model(&Notification{}).Where("account_id = ? AND read_at IS NULL", accountID)
	if len(ids) > 0 {
		q = q.Where("id IN ?", ids)
	}
	return q.Update("read_at", now).Error
}
