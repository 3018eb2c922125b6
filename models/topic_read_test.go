package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestMarkReadNeverMovesBack: the read position only grows; reading an
// earlier page again changes nothing (and writes no new row version).
func TestMarkReadNeverMovesBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := &fixture{t: t, db: db, now: time.Now().UTC()}
		reader := f.account("reader", models.RoleMember)
		g := f.group("g", true)
		if err := models.AddMember(db, g.ID, reader.ID, models.GroupRoleMember, f.now); err != nil {
			t.Fatal(err)
		}
		topic, _ := f.topic(g, reader, "Title", "body")
		lastRead := func() int {
			t.Helper()
			list, _, err := models.GroupTopics(db, g.ID, reader.ID, 1)
			if err != nil || len(list) != 1 {
				t.Fatalf("group topics: %v %v", list, err)
			}
			return list[0].LastRead
		}
		for _, step := range []struct{ mark, want int }{{10, 10}, {5, 10}, {10, 10}, {12, 12}} {
			if err := models.MarkRead(db, reader.ID, topic.ID, step.mark); err != nil {
				t.Fatal(err)
			}
			if got := lastRead(); got != step.want {
				t.Fatalf("after marking %d: last read %d, want %d", step.mark, got, step.want)
			}
		}
	})
}
