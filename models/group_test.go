package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// fixture makes accounts and groups for gate tests.
type fixture struct {
	t   *testing.T
	db  *gorm.DB
	now time.Time
}

func (f *fixture) account(name, role string) *models.Account {
	f.t.Helper()
	a := &models.Account{Username: name, UsernameSkeleton: name, PasswordHash: "x", Role: role}
	if err := models.CreateAccount(f.db, a); err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) group(slug string, listed bool) *models.Group {
	f.t.Helper()
	g := &models.Group{Slug: slug, Name: slug, JoinPolicy: models.JoinPolicyRequest, Listed: listed, CreatedAt: f.now, UpdatedAt: f.now}
	if err := models.CreateGroup(f.db, g); err != nil {
		f.t.Fatal(err)
	}
	return g
}

func (f *fixture) topic(g *models.Group, author *models.Account, title, body string) (*models.Topic, *models.Post) {
	f.t.Helper()
	t, p, err := models.CreateTopic(f.db, g.ID, title, models.NewPost{AuthorID: author.ID, Body: body, BodyHTML: "<p>" + body + "</p>", SearchLanguage: "english"}, f.now)
	if err != nil {
		f.t.Fatal(err)
	}
	return t, p
}

func auditCount(db *gorm.DB, action string) int64 {
	var n int64
	db.Model(&models.AuditEntry{}).Where("action = ?", action).Count(&n)
	return n
}

// TestGate: members read; non-members, another group's ids and unlisted
// groups give ErrNotFound; staff read and every such read is audited.
func TestGate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := &fixture{t: t, db: db, now: time.Now().UTC()}
		member, outsider, admin := f.account("member", models.RoleMember), f.account("outsider", models.RoleMember), f.account("admin1", models.RoleAdmin)
		open, hidden := f.group("open-group", true), f.group("hidden-group", false)
		if err := models.AddMember(db, open.ID, member.ID, models.GroupRoleMember, f.now); err != nil {
			t.Fatal(err)
		}
		topic, post := f.topic(open, member, "Hello", "first words")
		otherTopic, _ := f.topic(hidden, admin, "Elsewhere", "not for you")

		if _, _, err := models.ReadTopic(db, models.ReaderOf(member), "open-group", topic.ID, f.now); err != nil {
			t.Fatalf("member cannot read: %v", err)
		}
		cases := []struct {
			name string
			run  func() error
		}{
			{"outsider reads topic", func() error {
				_, _, err := models.ReadTopic(db, models.ReaderOf(outsider), "open-group", topic.ID, f.now)
				return err
			}},
			{"outsider reads post", func() error {
				_, _, _, err := models.ReadPost(db, models.ReaderOf(outsider), post.ID, f.now)
				return err
			}},
			{"member guesses another group's topic id", func() error {
				_, _, err := models.ReadTopic(db, models.ReaderOf(member), "open-group", otherTopic.ID, f.now)
				return err
			}},
			{"outsider sees unlisted group", func() error { _, err := models.GroupAccess(db, models.ReaderOf(outsider), "hidden-group"); return err }},
		}
		for _, tc := range cases {
			if err := tc.run(); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", tc.name, err)
			}
		}
		// An outsider sees a listed group's description, not its content.
		a, err := models.GroupAccess(db, models.ReaderOf(outsider), "open-group")
		if err != nil || a.CanRead() {
			t.Fatalf("outsider access %+v %v", a, err)
		}
		before := auditCount(db, "group.read_by_non_member")
		if _, _, err := models.ReadTopic(db, models.ReaderOf(admin), "open-group", topic.ID, f.now); err != nil {
			t.Fatalf("admin cannot read: %v", err)
		}
		if _, _, _, err := models.ReadPost(db, models.ReaderOf(admin), post.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if got := auditCount(db, "group.read_by_non_member"); got != before+2 {
			t.Fatalf("staff reads audited %d times, want 2", got-before)
		}
		if _, _, err := models.ReadTopic(db, models.ReaderOf(member), "open-group", topic.ID, f.now); err != nil || auditCount(db, "group.read_by_non_member") != before+2 {
			t.Fatal("member reads must not be audited")
		}
	})
}

// TestTopicPagesSeekOnPosition: replies get consecutive positions, also when
// written at the same time, and page N holds exactly its positions on both
// sides of a page boundary and deep in a long topic.
func TestTopicPagesSeekOnPosition(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := &fixture{t: t, db: db, now: time.Now().UTC()}
		author := f.account("writer", models.RoleMember)
		g := f.group("long", true)
		topic, _ := f.topic(g, author, "Long", "post 1")
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range 15 {
					err := db.Transaction(func(tx *gorm.DB) error {
						_, err := models.Reply(tx, topic, models.NewPost{AuthorID: author.ID, Body: fmt.Sprintf("reply %d-%d", i, j), SearchLanguage: "english"}, f.now)
						return err
					})
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		var fresh models.Topic
		db.First(&fresh, topic.ID)
		if fresh.PostCount != 61 || fresh.Pages() != 3 {
			t.Fatalf("post count %d pages %d, want 61 and 3", fresh.PostCount, fresh.Pages())
		}
		for page, want := range map[int][2]int{1: {1, 25}, 2: {26, 50}, 3: {51, 61}} {
			list, err := models.TopicPage(db, &fresh, page)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != want[1]-want[0]+1 || list[0].Position != want[0] || list[len(list)-1].Position != want[1] {
				t.Fatalf("page %d: %d posts from %d", page, len(list), list[0].Position)
			}
			if list[0].AuthorName != "writer" {
				t.Fatalf("author name %q", list[0].AuthorName)
			}
		}
	})
}

// TestSearchStaysInsideMyGroups: results never include a group the reader
// is not a member of, and an erased post leaves the index with its
// versions.
func TestSearchStaysInsideMyGroups(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := &fixture{t: t, db: db, now: time.Now().UTC()}
		me, other := f.account("reader", models.RoleMember), f.account("someone", models.RoleAdmin)
		mine, theirs := f.group("mine", true), f.group("theirs", true)
		models.AddMember(db, mine.ID, me.ID, models.GroupRoleMember, f.now)
		models.AddMember(db, theirs.ID, other.ID, models.GroupRoleMember, f.now)
		_, p1 := f.topic(mine, me, "Walking", "I went walking by the river every morning")
		f.topic(theirs, other, "Secret", "walking alone at night by the river")

		results, err := models.Search(db, me.ID, "walk river", "english")
		if err != nil {
			t.Fatal(err)
		}
		if len(results) != 1 || results[0].PostID != p1.ID {
			t.Fatalf("results %+v, want only my post (stemmed: walk → walking)", results)
		}
		// Staff search as members do.
		results, _ = models.Search(db, other.ID, "walking", "english")
		if len(results) != 1 || results[0].GroupSlug != "theirs" {
			t.Fatalf("staff results %+v", results)
		}
		if err := db.Transaction(func(tx *gorm.DB) error {
			if err := models.EditPost(tx, p1, "edited text about rivers", "<p>edited</p>", "", f.now); err != nil {
				return err
			}
			return models.ErasePost(tx, p1, f.now)
		}); err != nil {
			t.Fatal(err)
		}
		if results, _ = models.Search(db, me.ID, "river", "english"); len(results) != 0 {
			t.Fatalf("erased post still found: %+v", results)
		}
		if v, _ := models.PostVersions(db, p1.ID); len(v) != 0 {
			t.Fatal("versions survive erasure")
		}
		if results, _ := models.Search(db, me.ID, `" OR 1=1 --`, "english"); results == nil {
			_ = results // no panic, no error: hostile input is just text
		}
	})
}

// TestSearchGerman stems in German when the site speaks German.
func TestSearchGerman(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := &fixture{t: t, db: db, now: time.Now().UTC()}
		me := f.account("leserin", models.RoleMember)
		g := f.group("gruppe", true)
		models.AddMember(db, g.ID, me.ID, models.GroupRoleMember, f.now)
		_, _, err := models.CreateTopic(db, g.ID, "Hilfe", models.NewPost{AuthorID: me.ID, Body: "Die Beratungsstellen haben mir geholfen", SearchLanguage: "german"}, f.now)
		if err != nil {
			t.Fatal(err)
		}
		results, err := models.Search(db, me.ID, "Beratungsstelle", "german")
		if err != nil || len(results) != 1 {
			t.Fatalf("results %v %v", results, err)
		}
	})
}

// TestDoubleSubmitMakesOnePost claims one token twice.
func TestDoubleSubmitMakesOnePost(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		f := &fixture{t: t, db: db, now: now}
		a := f.account("poster", models.RoleMember)
		hash := []byte(strings.Repeat("k", 32))
		_, first, err := models.ClaimSubmitToken(db, hash, a.ID, now)
		if err != nil || !first {
			t.Fatalf("first claim: %v %v", first, err)
		}
		if err := models.RecordSubmitToken(db, hash, 42); err != nil {
			t.Fatal(err)
		}
		postID, first, err := models.ClaimSubmitToken(db, hash, a.ID, now)
		if err != nil || first || postID != 42 {
			t.Fatalf("second claim: %d %v %v", postID, first, err)
		}
	})
}

// TestEraseAccountPostsChoice: erasing removes the text and versions of the
// member's posts; keeping leaves the text without an author and without
// earlier versions.
func TestEraseAccountPostsChoice(t *testing.T) {
	for _, erase := range []bool{true, false} {
		t.Run(fmt.Sprintf("erase=%v", erase), func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *gorm.DB) {
				f := &fixture{t: t, db: db, now: time.Now().UTC()}
				leaver, stayer := f.account("leaver", models.RoleMember), f.account("stayer", models.RoleMember)
				g := f.group("g", true)
				topic, p := f.topic(g, leaver, "Mine", "my story with details")
				db.Transaction(func(tx *gorm.DB) error {
					return models.EditPost(tx, p, "my story, edited", "<p>edited</p>", "", f.now)
				})
				reply, _ := models.Reply(db, topic, models.NewPost{AuthorID: stayer.ID, Body: "a reply that stays", SearchLanguage: "english"}, f.now)
				if err := models.EraseAccount(db, leaver.ID, erase, f.now); err != nil {
					t.Fatal(err)
				}
				var got models.Post
				db.First(&got, p.ID)
				if got.AuthorID != nil {
					t.Fatal("post still names the erased account")
				}
				if erase != (got.ErasedAt != nil && got.Body == "") {
					t.Fatalf("erase=%v but post is %+v", erase, got)
				}
				if v, _ := models.PostVersions(db, p.ID); len(v) != 0 {
					t.Fatal("earlier versions survive")
				}
				var other models.Post
				db.First(&other, reply.ID)
				if other.Body != "a reply that stays" {
					t.Fatal("another member's reply was touched")
				}
			})
		})
	}
}
