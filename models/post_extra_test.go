package models_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestMentionedNames: @names at the start or after a space or punctuation,
// each once, trailing dots dropped; e-mail addresses are not mentions.
func TestMentionedNames(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"start and middle", "@anna hi, and @ben.", []string{"anna", "ben"}},
		{"each once", "@anna @anna (@Anna)", []string{"anna", "Anna"}},
		{"not an e-mail address", "write to me@example.org", nil},
		{"unicode", "danke @jürgen!", []string{"jürgen"}},
		{"nothing", "no mention here @", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := models.MentionedNames(tc.body); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	var many strings.Builder
	for i := range 30 {
		fmt.Fprintf(&many, "@member%d ", i)
	}
	if n := len(models.MentionedNames(many.String())); n != 20 {
		t.Fatalf("%d mentions, want at most 20", n)
	}
}

// TestDraftsOnceAndPurged: a draft is found while live, not after its
// lifetime, and the purge job removes drafts older than 24 hours.
func TestDraftsOnceAndPurged(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		if err := models.SaveDraft(db, []byte("draft-a"), "sealed-a", now); err != nil {
			t.Fatal(err)
		}
		if got, err := models.DraftByID(db, []byte("draft-a"), now.Add(time.Minute)); err != nil || got != "sealed-a" {
			t.Fatalf("live draft: %q %v", got, err)
		}
		if _, err := models.DraftByID(db, []byte("draft-a"), now.Add(models.DraftLifetime+time.Minute)); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("stale draft: %v", err)
		}
		if err := models.DeleteDraft(db, []byte("draft-a")); err != nil {
			t.Fatal(err)
		}
		if _, err := models.DraftByID(db, []byte("draft-a"), now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleted draft: %v", err)
		}
		if err := models.SaveDraft(db, []byte("draft-b"), "sealed-b", now); err != nil {
			t.Fatal(err)
		}
		counts, err := models.Purge(db, now.Add(25*time.Hour), models.DefaultSessionPolicy())
		if err != nil || counts.Drafts != 1 {
			t.Fatalf("purge: %+v %v", counts, err)
		}
	})
}

// TestMentionsStayInsideTheGroup: only members of the group are found by
// name. TestPostsSince counts a member's recent posts for the rate limit.
func TestMentionsStayInsideTheGroupAndPostsSince(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := &fixture{t: t, db: db, now: time.Now().UTC()}
		anna, ben, olga := f.account("anna", models.RoleMember), f.account("ben", models.RoleMember), f.account("olga", models.RoleMember)
		g := f.group("circle", true)
		for _, a := range []*models.Account{anna, ben} {
			if err := models.AddMember(db, g.ID, a.ID, models.GroupRoleMember, f.now); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := models.GroupMemberIDsByUsername(db, g.ID, []string{"ben", "olga", "nobody"})
		if err != nil || !reflect.DeepEqual(ids, []int64{ben.ID}) {
			t.Fatalf("mentioned members %v %v, want only ben (%d); olga (%d) is outside", ids, err, ben.ID, olga.ID)
		}
		f.topic(g, anna, "one", "first")
		n, err := models.PostsSince(db, anna.ID, f.now.Add(-time.Minute))
		if err != nil || n != 1 {
			t.Fatalf("posts since: %d %v", n, err)
		}
	})
}

// TestRerenderBatches: posts and group texts are re-rendered in batches by
// id; erased posts are skipped.
func TestRerenderBatches(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := &fixture{t: t, db: db, now: time.Now().UTC()}
		anna := f.account("anna", models.RoleMember)
		g := f.group("circle", true)
		_, p1 := f.topic(g, anna, "one", "first")
		_, p2 := f.topic(g, anna, "two", "second")
		_, p3 := f.topic(g, anna, "three", "third")
		if err := models.ErasePost(db, p3, f.now); err != nil {
			t.Fatal(err)
		}
		render := func(md string) (string, error) { return "<p>new " + md + "</p>", nil }
		last, n, err := models.RerenderPosts(db, 0, 1, render)
		if err != nil || n != 1 || last != p1.ID {
			t.Fatalf("first batch: %d %d %v", last, n, err)
		}
		last, n, err = models.RerenderPosts(db, last, 10, render)
		if err != nil || n != 1 || last != p2.ID {
			t.Fatalf("second batch: %d %d %v", last, n, err)
		}
		if _, n, _ = models.RerenderPosts(db, last, 10, render); n != 0 {
			t.Fatalf("third batch has %d rows", n)
		}
		var html []string
		db.Model(&models.Post{}).Order("id").Pluck("body_html", &html)
		if !reflect.DeepEqual(html, []string{"<p>new first</p>", "<p>new second</p>", ""}) {
			t.Fatalf("body_html after rerender: %q", html)
		}
		if _, n, err := models.RerenderGroups(db, 0, 500, render); err != nil || n != 1 {
			t.Fatalf("groups: %d %v", n, err)
		}
		posts, groups, err := models.RerenderCounts(db)
		if err != nil || posts != 2 || groups != 1 {
			t.Fatalf("counts %d %d %v", posts, groups, err)
		}
	})
}
