package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestNoAddressStoredOrLogged: a busy run in which every request carries
// X-Forwarded-For and X-Real-IP (from a trusted proxy, so Hearth uses the
// address for throttling) leaves the address in no table and no log line.
// PRODUCT: raw IP addresses never stored. ASVS 14.2.3, 16.2.5.
func TestNoAddressStoredOrLogged(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db, withTrustedProxies("127.0.0.1/32"))
		const xff, realIP = "198.51.100.77", "203.0.113.99"
		admin := ts.createMember("greta", models.RoleAdmin)
		member := ts.createMember("hanna", models.RoleMember)
		g := ts.makeGroup("circle", true)
		ts.join(g, admin, models.GroupRoleModerator)
		ts.join(g, member, models.GroupRoleMember)
		withHeaders := func(c *testClient) *testClient {
			c.header.Set("X-Forwarded-For", xff)
			c.header.Set("X-Real-IP", realIP)
			return c
		}
		c := withHeaders(ts.client())
		c.signIn("hanna", "wrong password entirely", "123456")
		c.signIn("hanna", member.password, member.code(ts))
		topicID, postID := c.newTopic("circle", url.Values{"title": {"Hello there"}, "body": {"first words"}})
		c.reply("circle", topicID, url.Values{"body": {"more words"}})
		c.post(fmt.Sprintf("/posts/%d/react", postID), url.Values{"kind": {"support"}})
		c.get("/search?q=words")
		c.get("/account/sessions")
		c.get("/account/settings")
		c.post("/account/settings", url.Values{"language": {"de"}})
		ac := withHeaders(ts.client())
		ac.signIn("greta", admin.password, admin.code(ts))
		ac.get("/admin/invites")
		ac.post("/admin/invites", url.Values{"uses": {"1"}, "expires": {"168h"}})
		ac.get("/admin/resets")
		ac.post("/admin/resets", url.Values{"username": {"hanna"}, "verified": {"yes"}})
		withHeaders(ts.client()).get("/register")

		tables, err := db.Migrator().GetTables()
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for _, table := range tables {
			var records []map[string]any
			if err := db.Table(table).Find(&records).Error; err != nil {
				t.Fatalf("dump %s: %v", table, err)
			}
			for _, rec := range records {
				rows++
				for col, v := range rec {
					s := fmt.Sprint(v)
					if b, ok := v.([]byte); ok {
						s = string(b)
					}
					if strings.Contains(s, xff) || strings.Contains(s, realIP) {
						t.Errorf("%s.%s holds an address: %q", table, col, s)
					}
				}
			}
		}
		if rows < 20 {
			t.Fatalf("only %d rows dumped: the run did not happen", rows)
		}
		if log := ts.logBuf.String(); strings.Contains(log, xff) || strings.Contains(log, realIP) {
			t.Fatal("the log holds an address")
		}
	})
}
