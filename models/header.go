package models

import "gorm.io/gorm"

// HeaderCounts is what every signed-in page's header shows: unread notices
// and notifications, and whether an administrator reset of the account is
// open (its id; nil when none).
type HeaderCounts struct {
	Notices       int64
	Notifications int64
	OpenResetID   *int64
}

// HeaderCountsFor reads the header's counts in one statement; every page
// a member opens asks. (The moderation count is QueueCount.)
func HeaderCountsFor(db *gorm.DB, accountID int64) (HeaderCounts, error) {
	var h HeaderCounts
	err := db.Raw(`SELECT
		(SELECT COUNT(*) FROM notices WHERE account_id = ? AND read_at IS NULL) AS notices,
		(SELECT COUNT(*) FROM notifications WHERE account_id = ? AND read_at IS NULL) AS notifications,
		(SELECT id FROM account_resets WHERE account_id = ? AND cancelled_at IS NULL AND used_at IS NULL
			ORDER BY id DESC LIMIT 1) AS open_reset_id`, accountID, accountID, accountID).Scan(&h).Error
	return h, err
}
