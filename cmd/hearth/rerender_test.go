package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"hearth/internal/markup"
	"hearth/models"
)

// TestRerenderCommand: `hearth rerender` replaces every post's stored HTML
// (and the groups' about text) with a fresh rendering, in batches of 500,
// with links signed by the key the server verifies; erased posts stay
// empty.
func TestRerenderCommand(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := cliRun(t, env, "migrate"); code != 0 {
				t.Fatalf("migrate: %s", errOut)
			}
			db, box := openCLIDatabase(t, env)
			now := time.Now().UTC()
			acct := &models.Account{Username: "anna", UsernameSkeleton: "anna", PasswordHash: "x", Role: models.RoleMember}
			if err := models.CreateAccount(db, acct); err != nil {
				t.Fatal(err)
			}
			g := &models.Group{Slug: "circle", Name: "Circle", About: "see https://example.org", AboutHTML: "stale",
				JoinPolicy: models.JoinPolicyRequest, Listed: true, CreatedAt: now, UpdatedAt: now}
			if err := models.CreateGroup(db, g); err != nil {
				t.Fatal(err)
			}
			topic, _, err := models.CreateTopic(db, g.ID, "many", models.NewPost{AuthorID: acct.ID, Body: "first", BodyHTML: "stale"}, now)
			if err != nil {
				t.Fatal(err)
			}
			posts := make([]models.Post, 0, 1100)
			for i := 2; i <= 1101; i++ {
				posts = append(posts, models.Post{TopicID: topic.ID, GroupID: g.ID, AuthorID: &acct.ID, Position: i,
					Body: fmt.Sprintf("post %d [link](https://example.org/%d)", i, i), BodyHTML: "stale", SearchLanguage: "english", CreatedAt: now})
			}
			if err := db.CreateInBatches(&posts, 200).Error; err != nil {
				t.Fatal(err)
			}
			if err := models.ErasePost(db, &posts[0], now); err != nil {
				t.Fatal(err)
			}

			code, out, errOut := cliRun(t, env, "rerender")
			if code != 0 {
				t.Fatalf("rerender: %d %s", code, errOut)
			}
			if !strings.Contains(out, "re-rendered 1101 post(s) and group text(s)") {
				t.Fatalf("output %q", out)
			}
			var stale int64
			db.Model(&models.Post{}).Where("body_html = ?", "stale").Count(&stale)
			if stale != 0 {
				t.Fatalf("%d posts not re-rendered", stale)
			}
			var last models.Post
			db.Where("position = ?", 1101).First(&last)
			want := markup.New(box.DeriveKey("outbound link v1")).OutURL("https://example.org/1101")
			if !strings.Contains(last.BodyHTML, strings.ReplaceAll(want, "&", "&amp;")) {
				t.Fatalf("link not signed with the server's key: %s", last.BodyHTML)
			}
			var erased models.Post
			db.First(&erased, posts[0].ID)
			if erased.BodyHTML != "" {
				t.Fatal("an erased post got text back")
			}
			db.First(g, g.ID)
			if !strings.Contains(g.AboutHTML, "/out?") {
				t.Fatalf("group about text not re-rendered: %q", g.AboutHTML)
			}
		})
	}
}

// TestRerenderProgress: on a terminal a bar redraws itself; otherwise a
// line comes every few seconds.
func TestRerenderProgress(t *testing.T) {
	clock := time.Unix(0, 0)
	now := func() time.Time { clock = clock.Add(2 * time.Second); return clock }
	var lines bytes.Buffer
	p := &progress{out: &lines, total: 2000, now: now, last: clock}
	for range 4 {
		p.add(500)
	}
	p.finish()
	if got := strings.Count(lines.String(), "\n"); got < 2 || got > 4 || strings.Contains(lines.String(), "\r") {
		t.Fatalf("line progress:\n%s", lines.String())
	}
	var bar bytes.Buffer
	p = &progress{out: &bar, tty: true, total: 2000, now: now, last: clock}
	p.add(1000)
	if !strings.Contains(bar.String(), "\r[###############...............]  50% 1000/2000") {
		t.Fatalf("bar %q", bar.String())
	}
}
