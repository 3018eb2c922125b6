package models

import "gorm.io/gorm"

// HeaderCounts is what every signed-in page's header shows: unread notices
// and notifications, whether an administrator reset of the account is open
// (its id; nil when none), and the moderation queue (Moderates false for
// anyone who moderates nothing).
type HeaderCounts struct {
	Notices       int64
	Notifications int64
	OpenResetID   *int64
	ModQueue      int
	Moderates     bool
}

// HeaderCountsFor reads the header's counts in one statement; every page
// a member opens asks. The queue is counted by queueCountExpr, kind by kind as QueueFor lists it.
func HeaderCountsFor(db *gorm.DB, acct *Account) (HeaderCounts, error) {
	queue, queueArgs := queueCountExpr(acct)
	var row struct {
		Notices       int64
		Notifications int64
		OpenResetID   *int64
		ModQueue      int64
	}
	args := append([]any{acct.ID, acct.ID, acct.ID}, queueArgs...)
	err := db.Raw(`SELECT
		(SELECT COUNT(*) FROM notices WHERE account_id = ? AND read_at IS NULL) AS notices,
		(SELECT COUNT(*) FROM notifications WHERE account_id = ? AND read_at IS NULL) AS notifications,
		(SELECT id FROM account_resets WHERE account_id = ? AND cancelled_at IS NULL AND used_at IS NULL
			ORDER BY id DESC LIMIT 1) AS open_reset_id,
		`+queue+` AS mod_queue`, args...).Scan(&row).Error
	if err != nil {
		return HeaderCounts{}, err
	}
	h := HeaderCounts{Notices: row.Notices, Notifications: row.Notifications, OpenResetID: row.OpenResetID}
	h.ModQueue, h.Moderates = queueCountOf(row.ModQueue)
	return h, nil
}
