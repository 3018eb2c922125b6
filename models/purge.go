package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// PurgeCounts says how many rows each retention rule removed.
type PurgeCounts struct {
	Sessions, Challenges, Throttles, ClientKeys, SetupTokens, SubmitTokens, Drafts, BarredPasses int64
	// HeldEdits are edits waiting for review of posts erased since (a
	// moderator's delete leaves them; the author's own erase does not).
	HeldEdits int64
}

// Purge enforces the retention table in PRODUCT.md: expired and idle
// sessions, sign-in challenges and throttling counters older than 24 hours,
// client-hash keys older than a day, used setup tokens, submit tokens and
// drafts of posts after 24 hours, and expired appeal passes of sign-in.
func Purge(db *gorm.DB, now time.Time, p SessionPolicy) (PurgeCounts, error) {
	var counts PurgeCounts
	dayAgo := now.Add(-24 * time.Hour)
	steps := []struct {
		count *int64
		run   func() *gorm.DB
	}{
		{&counts.Sessions, func() *gorm.DB {
			return db.Where("expires_at <= ? OR last_active_at <= ?", now, now.Add(-p.Idle)).Delete(&Session{})
		}},
		{&counts.Challenges, func() *gorm.DB {
			return db.Where("expires_at <= ? OR created_at <= ?", now, dayAgo).Delete(&LoginChallenge{})
		}},
		{&counts.Throttles, func() *gorm.DB { return db.Where("updated_at <= ?", dayAgo).Delete(&throttle{}) }},
		{&counts.ClientKeys, func() *gorm.DB { return db.Where("created_at <= ?", dayAgo).Delete(&clientHashKey{}) }},
		{&counts.SetupTokens, func() *gorm.DB { return db.Where("used_at IS NOT NULL").Delete(&setupToken{}) }},
		{&counts.SubmitTokens, func() *gorm.DB { return db.Where("created_at <= ?", dayAgo).Delete(&submitToken{}) }},
		{&counts.Drafts, func() *gorm.DB { return db.Where("created_at <= ?", dayAgo).Delete(&Draft{}) }},
		{&counts.BarredPasses, func() *gorm.DB { return db.Where("expires_at <= ?", now).Delete(&BarredPass{}) }},
		{&counts.HeldEdits, func() *gorm.DB {
			return db.Where("post_id IN (?)", db.Model(&Post{}).Select("id").Where("erased_at IS NOT NULL")).Delete(&HeldPost{})
		}},
	}
	for _, step := range steps {
		res := step.run()
		if res.Error != nil {
			return counts, fmt.Errorf("models: purge: %w", res.Error)
		}
		*step.count = res.RowsAffected
	}
	return counts, nil
}
