package handlers

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// countStatements counts every SQL statement run through db from now on,
// with a GORM callback after each kind of statement.
func countStatements(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	testdb.OnStatement(t, db, "hearth:count_statements", func(*gorm.DB) { n.Add(1) })
	return &n
}

// statementsFor returns how many statements one GET of path runs, after a
// first GET that warms whatever a first visit writes (read state, session).
func statementsFor(t *testing.T, c *testClient, n *atomic.Int64, path string) int64 {
	t.Helper()
	wantStatus(t, c.get(path), http.StatusOK)
	before := n.Load()
	wantStatus(t, c.get(path), http.StatusOK)
	return n.Load() - before
}

// TestQueryCountDoesNotGrowWithContent: the topic page and the group page
// run the same number of SQL statements for 3 posts or topics as for 60 (a
// full page, posts by several authors with reactions), and a deep page runs
// no more than the first: no N+1. ASVS 2.4.1
func TestQueryCountDoesNotGrowWithContent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		reader := ts.createMember("anna", models.RoleMember)
		authors := []*testMember{reader, ts.createMember("bodhi", models.RoleMember), ts.createMember("cleo", models.RoleMember)}
		few, many := ts.makeGroup("few", true), ts.makeGroup("many", true)
		for _, g := range []*models.Group{few, many} {
			for _, m := range authors {
				ts.join(g, m, models.GroupRoleMember)
			}
		}
		now := ts.clock.Now()
		topicOf := func(g *models.Group, title string, posts int) *models.Topic {
			var topic *models.Topic
			err := db.Transaction(func(tx *gorm.DB) error {
				body := func(i int) models.NewPost {
					text := fmt.Sprintf("post %d of %s", i, title)
					return models.NewPost{AuthorID: authors[i%len(authors)].acct.ID, Body: text, BodyHTML: "<p>" + text + "</p>", SearchLanguage: "english"}
				}
				t, first, err := models.CreateTopic(tx, g.ID, title, body(0), now)
				if err != nil {
					return err
				}
				topic = t
				ids := []int64{first.ID}
				for i := 1; i < posts; i++ {
					p, err := models.Reply(tx, t, body(i), now)
					if err != nil {
						return err
					}
					ids = append(ids, p.ID)
				}
				for i, id := range ids {
					if _, err := models.ToggleReaction(tx, id, authors[(i+1)%len(authors)].acct.ID, models.ReactionKinds()[i%3], now); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return topic
		}
		short := topicOf(few, "Short", 3)
		long := topicOf(many, "Long", 60)
		for i := range 2 {
			topicOf(few, fmt.Sprintf("Few %d", i), 1)
		}
		for i := range 59 {
			topicOf(many, fmt.Sprintf("Many %d", i), 2)
		}
		n := countStatements(t, db)
		c := ts.signedIn(reader)

		shortTopic := statementsFor(t, c, n, topicURL(few.Slug, short.ID, 1))
		longTopic := statementsFor(t, c, n, topicURL(many.Slug, long.ID, 1))
		deepTopic := statementsFor(t, c, n, topicURL(many.Slug, long.ID, 3))
		fewGroup := statementsFor(t, c, n, "/groups/"+few.Slug)
		manyGroup := statementsFor(t, c, n, "/groups/"+many.Slug)
		manyGroupPage2 := statementsFor(t, c, n, "/groups/"+many.Slug+"?page=2")
		t.Logf("statements: topic page %d (3 posts) / %d (60 posts) / %d (page 3); group page %d (3 topics) / %d (60 topics) / %d (page 2)",
			shortTopic, longTopic, deepTopic, fewGroup, manyGroup, manyGroupPage2)
		if shortTopic != longTopic || deepTopic != longTopic {
			t.Errorf("topic page statements grow with posts: %d for 3 posts, %d for 60, %d on page 3", shortTopic, longTopic, deepTopic)
		}
		if fewGroup != manyGroup || manyGroupPage2 != manyGroup {
			t.Errorf("group page statements grow with topics: %d for 3 topics, %d for 60, %d on page 2", fewGroup, manyGroup, manyGroupPage2)
		}
	})
}

// seedModQueue adds open items of every kind, numbered from..to-1, for the
// moderators of circle: reports of anna's post, anna's replies held for
// review, requests to join circle, and anna's appeals of warnings the second
// administrator gave her.
func seedModQueue(t *testing.T, f *modFixture, from, to int) {
	t.Helper()
	db, now := f.ts.db, f.ts.clock.Now()
	steward, err := models.ModOf(db, f.admin2.acct)
	if err != nil {
		t.Fatal(err)
	}
	for i := from; i < to; i++ {
		name := fmt.Sprintf("asker%d", i)
		applicant := &models.Account{Username: name, UsernameSkeleton: name, PasswordHash: "x", Role: models.RoleMember}
		warning := models.ActionInput{Action: models.ModWarn, Reason: "rules", Note: fmt.Sprintf("warning %d", i)}
		var action models.ModAction
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Create(&models.Report{ReporterID: &f.bodhi.acct.ID, SubjectID: &f.anna.acct.ID, PostID: &f.annaPost.ID,
				GroupID: &f.circle.ID, Reason: models.ReasonSpam, CreatedAt: now}).Error; err != nil {
				return err
			}
			if err := models.HoldPost(tx, &models.HeldPost{GroupID: f.circle.ID, TopicID: &f.topic.ID, AuthorID: f.anna.acct.ID,
				Body: name, BodyHTML: "<p>" + name + "</p>", Reason: models.HoldPremod, CreatedAt: now}); err != nil {
				return err
			}
			if err := models.CreateAccount(tx, applicant); err != nil {
				return err
			}
			if _, err := models.RequestJoin(tx, f.circle.ID, applicant.ID, "hello", now); err != nil {
				return err
			}
			if err := models.MemberAction(tx, steward, f.anna.acct.ID, &f.circle.ID, warning, now); err != nil {
				return err
			}
			return tx.Where("note = ?", warning.Note).First(&action).Error
		})
		if err == nil {
			err = models.FileAppeal(db, f.anna.acct.ID, action.ID, "I did not mean it that way.", now)
		}
		if err != nil {
			t.Fatalf("seed queue item %d: %v", i, err)
		}
	}
}

// TestModQueryCountDoesNotGrowWithQueue: the moderation queue runs the same
// number of SQL statements for 3 items of every kind as for 30 (and, for
// staff, for 2 groups as for 6), and so does an ordinary page a moderator
// opens (the header's count of waiting items), which runs no more statements
// than the same page for a member: the count is one statement. No N+1.
func TestModQueryCountDoesNotGrowWithQueue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		n := countStatements(t, db)
		gale, warden, bodhi := f.ts.signedIn(f.gmod), f.ts.signedIn(f.site), f.ts.signedIn(f.bodhi)
		type counts struct{ groupQueue, staffQueue, page, memberPage int64 }
		measure := func(items int) counts {
			t.Helper()
			for _, c := range []*testClient{gale, warden} {
				res := c.get("/mod")
				if got := queueItemsListed(res.body); got != 4*items {
					t.Fatalf("/mod lists %d items, want %d", got, 4*items)
				}
				wantContains(t, res, headerCount(4*items))
			}
			return counts{statementsFor(t, gale, n, "/mod"), statementsFor(t, warden, n, "/mod"),
				statementsFor(t, gale, n, "/groups"), statementsFor(t, bodhi, n, "/groups")}
		}
		seedModQueue(t, f, 0, 3)
		few := measure(3)
		seedModQueue(t, f, 3, 30)
		for i := range 4 {
			f.ts.makeGroup(fmt.Sprintf("more-%d", i), true)
		}
		many := measure(30)
		t.Logf("statements: /mod %d (3 of each kind) / %d (30 of each) for a group moderator, %d / %d for a site moderator; "+
			"/groups for the moderator %d / %d, for a member %d", few.groupQueue, many.groupQueue, few.staffQueue, many.staffQueue,
			few.page, many.page, many.memberPage)
		if few.groupQueue != many.groupQueue || few.staffQueue != many.staffQueue {
			t.Errorf("/mod statements grow with the queue: %+v for 3 items of each kind, %+v for 30", few, many)
		}
		if few.page != many.page || many.page != many.memberPage {
			t.Errorf("the header count costs more than one statement: %+v for 3 items of each kind, %+v for 30", few, many)
		}
	})
}
