package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// eachDatabase runs the benchmark on SQLite and, when
// HEARTH_TEST_DATABASE_URL is set, on PostgreSQL.
func eachDatabase(b *testing.B, fn func(b *testing.B, db *gorm.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, testdb.SQLite(b)) })
	if testdb.PostgresURLConfigured() {
		b.Run("postgres", func(b *testing.B) { fn(b, testdb.Postgres(b)) })
	}
}

// benchForum is a signed-in member of a group with a full topic page (25
// posts of a few paragraphs by three authors, with reactions) and a full
// group page.
func benchForum(b *testing.B, db *gorm.DB) (c *testClient, topicPath, groupPath string) {
	b.Helper()
	ts := newTestServer(b, db)
	authors := []*testMember{ts.createMember("anna", models.RoleMember), ts.createMember("bodhi", models.RoleMember), ts.createMember("cleo", models.RoleMember)}
	g := ts.makeGroup("bench", true)
	for _, m := range authors {
		ts.join(g, m, models.GroupRoleMember)
	}
	now := ts.clock.Now()
	paragraph := strings.Repeat("What helped me most was writing everything down, with dates. ", 6)
	var topic *models.Topic
	err := db.Transaction(func(tx *gorm.DB) error {
		post := func(i int) models.NewPost {
			body := fmt.Sprintf("%s\n\n- a list item\n- another one %d\n\n> a quote\n\n%s", paragraph, i, paragraph)
			html, err := ts.app.markup.Render(body)
			if err != nil {
				b.Fatal(err)
			}
			return models.NewPost{AuthorID: authors[i%3].acct.ID, Body: body, BodyHTML: string(html), SearchLanguage: "english"}
		}
		for n := range models.TopicsPerPage {
			t, first, err := models.CreateTopic(tx, g.ID, fmt.Sprintf("Topic %d", n), post(0), now)
			if err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			topic = t
			ids := []int64{first.ID}
			for i := 1; i < models.PostsPerPage; i++ {
				p, err := models.Reply(tx, t, post(i), now)
				if err != nil {
					return err
				}
				ids = append(ids, p.ID)
			}
			for i, id := range ids {
				if _, err := models.ToggleReaction(tx, id, authors[(i+1)%3].acct.ID, models.ReactionKinds()[i%3], now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	c = ts.signedIn(authors[0])
	topicPath, groupPath = topicURL(g.Slug, topic.ID, 1), "/groups/"+g.Slug
	wantStatus(b, c.get(topicPath), http.StatusOK)
	wantStatus(b, c.get(groupPath), http.StatusOK)
	return c, topicPath, groupPath
}

// BenchmarkTopicPage is one signed-in request of a full topic page through
// the whole stack (router, session, gate, queries, templates). The load
// benchmark (make bench) measures the same on a seeded PostgreSQL under load.
func BenchmarkTopicPage(b *testing.B) {
	eachDatabase(b, func(b *testing.B, db *gorm.DB) {
		c, topicPath, _ := benchForum(b, db)
		benchGet(b, c, topicPath)
	})
}

// BenchmarkGroupPage is one signed-in request of a full group page.
func BenchmarkGroupPage(b *testing.B) {
	eachDatabase(b, func(b *testing.B, db *gorm.DB) {
		c, _, groupPath := benchForum(b, db)
		benchGet(b, c, groupPath)
	})
}

func benchGet(b *testing.B, c *testClient, path string) {
	b.ReportAllocs()
	for b.Loop() {
		if res := c.get(path); res.StatusCode != http.StatusOK {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
