package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/secrets"
	"hearth/migrations"
	"hearth/models"
	"hearth/models/testdb"
)

// TestScaleOutTwoInstancesOnePostgres: Hearth keeps nothing in the process
// that another instance needs. Two App instances, each with its own
// connection pool, share one PostgreSQL schema and one secret key; one
// member signs in on the first, posts on the second, signs out on the first,
// and the second then refuses the old session cookie. ASVS 7.4.1
func TestScaleOutTwoInstancesOnePostgres(t *testing.T) {
	if !testdb.PostgresURLConfigured() {
		t.Skip("HEARTH_TEST_DATABASE_URL is not set: the scale-out test needs PostgreSQL")
	}
	dsn := testdb.PostgresURL(t)
	open := func() *gorm.DB {
		db, err := models.Open(context.Background(), models.DBOptions{PostgresURL: dsn, ConnectTimeout: 10 * time.Second, MaxOpenConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = models.Close(db) })
		return db
	}
	dbA, dbB := open(), open()
	// Both instances migrate at start, as two replicas would (advisory lock).
	for _, db := range []*gorm.DB{dbA, dbB} {
		if _, err := migrations.Apply(context.Background(), db); err != nil {
			t.Fatal(err)
		}
	}
	key, err := secrets.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	box, err := secrets.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestServer(t, dbA, func(o *Options) { o.Box = box })
	b := newTestServer(t, dbB, func(o *Options) { o.Box = box; o.Now = a.clock.Now })

	m := a.createMember("rowan", models.RoleMember)
	g := a.makeGroup("circle", true)
	a.join(g, m, models.GroupRoleMember)
	topic, _ := a.seedTopic(g, m, "Shared evening", 2)

	// Sign in through the real journey on A.
	onA := a.client()
	res := onA.signIn(m.acct.Username, m.password, m.code(a))
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); strings.HasPrefix(loc, "/login") {
		t.Fatalf("sign-in on A went to %s", loc)
	}
	// B gets the same browser: one cookie jar (cookies ignore the port).
	onB := &testClient{ts: b, http: onA.http, header: http.Header{}}
	page := onB.get(topicURL(g.Slug, topic.ID, 1))
	wantStatus(t, page, http.StatusOK)
	reply := onB.post(topicURL(g.Slug, topic.ID, 1)+"/reply", url.Values{"body": {"Written through the second instance."},
		"submit_token": {submitToken(t, page)}})
	wantStatus(t, reply, http.StatusSeeOther)
	if n := countRows(t, dbA, &models.Post{}, "topic_id = ? AND body = ?", topic.ID, "Written through the second instance."); n != 1 {
		t.Fatalf("the reply made on B is seen %d times through A's pool, want 1", n)
	}
	wantContains(t, onA.get(topicURL(g.Slug, topic.ID, 1)), "Written through the second instance.")

	// Keep the session cookie, as a second tab or a thief would, then sign
	// out on A.
	u, _ := url.Parse(b.srv.URL)
	kept := onA.http.Jar.Cookies(u)
	onA.get("/account/security")
	wantStatus(t, onA.post("/logout", nil), http.StatusSeeOther)
	stale := b.client()
	stale.http.Jar.SetCookies(u, kept)
	res = stale.get(topicURL(g.Slug, topic.ID, 1))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("B after sign-out on A: status %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	before := countRows(t, dbB, &models.Post{}, "topic_id = ?", topic.ID)
	stale.post(topicURL(g.Slug, topic.ID, 1)+"/reply", url.Values{"body": {"after sign-out"}, "csrf_token": {onB.csrf}})
	if after := countRows(t, dbB, &models.Post{}, "topic_id = ?", topic.ID); after != before {
		t.Fatalf("a reply with the ended session was written on B")
	}
}
