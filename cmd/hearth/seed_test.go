package main

import (
	"bytes"
	"strings"
	"testing"

	"hearth/internal/auth"
	"hearth/internal/seed"
	"hearth/models"
)

// TestSeedCommand: `hearth seed` writes the forum it was asked for, with
// consistent topic counts, the long topic first, members who can sign in
// with the known password and derived TOTP secret, and a record of the
// options; the same seed number writes the same forum; it refuses a
// database seeded before, and one with real accounts unless --force.
func TestSeedCommand(t *testing.T) {
	args := []string{"seed", "--members", "12", "--groups", "3", "--topics", "10", "--posts", "400"}
	fingerprints := map[string]string{}
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := cliRun(t, env, args...)
			if code != 0 {
				t.Fatalf("seed: %d %s", code, errOut)
			}
			if !strings.Contains(out, "seeded seed=1 members=12 groups=3 topics=10 posts=400") {
				t.Fatalf("output %q", out)
			}
			db, box := openCLIDatabase(t, env)
			counts := map[string]int64{}
			for _, table := range []string{"accounts", "groups", "topics", "posts"} {
				var n int64
				db.Table(table).Count(&n)
				counts[table] = n
			}
			if counts["accounts"] != 12 || counts["groups"] != 3 || counts["topics"] != 10 || counts["posts"] != 400 {
				t.Fatalf("counts %v", counts)
			}
			var bad int64
			db.Raw("SELECT COUNT(*) FROM topics t WHERE t.post_count <> (SELECT COUNT(*) FROM posts p WHERE p.topic_id = t.id) " +
				"OR t.post_count <> (SELECT MAX(position) FROM posts p WHERE p.topic_id = t.id)").Scan(&bad)
			if bad != 0 {
				t.Fatalf("%d topic(s) whose post_count does not match their posts", bad)
			}
			var future int64
			db.Model(&models.Post{}).Where("created_at > ?", seed.End).Count(&future)
			if future != 0 {
				t.Fatalf("%d seeded posts are dated after %s", future, seed.End)
			}
			var longest models.Topic
			db.Order("post_count DESC, id").First(&longest)
			if longest.PostCount < 300 {
				t.Fatalf("the longest topic has %d posts; the first topic should take what the others leave", longest.PostCount)
			}
			var record string
			db.Raw("SELECT detail FROM audit_log WHERE action = ?", seed.AuditAction).Scan(&record)
			if o, err := seed.Parse(record); err != nil || o.Posts != 400 || o.Seed != 1 {
				t.Fatalf("seed record %q: %+v %v", record, o, err)
			}
			var acct models.Account
			if err := db.Where("username = ?", seed.Username(7)).First(&acct).Error; err != nil {
				t.Fatal(err)
			}
			if ok, _, err := auth.VerifyPassword(seed.Password, acct.PasswordHash, auth.DefaultParams()); !ok || err != nil {
				t.Fatalf("the seeded password does not verify: %v", err)
			}
			secret, err := box.Open(*acct.TOTPSecret, models.SealedAD("accounts", "totp_secret"))
			if err != nil || !bytes.Equal(secret, seed.TOTPSecret(1, acct.Username)) {
				t.Fatalf("the sealed TOTP secret is not the derived one: %v", err)
			}
			if acct.HalfRegistered() {
				t.Fatal("seeded members must be fully enrolled")
			}
			var bodies []string
			db.Raw("SELECT title FROM topics ORDER BY id").Scan(&bodies)
			var posts []string
			db.Raw("SELECT body FROM posts ORDER BY topic_id, position").Scan(&posts)
			fingerprints[name] = strings.Join(append(bodies, posts...), "\x00")

			code, _, errOut = cliRun(t, env, args...)
			if code == 0 || !strings.Contains(errOut, "seeded before") {
				t.Fatalf("second seed: %d %q", code, errOut)
			}
		})
	}
	if len(fingerprints) == 2 && fingerprints["sqlite"] != fingerprints["postgres"] {
		t.Fatal("one seed number wrote different forums on SQLite and PostgreSQL")
	}
}

// TestSeedRefusesRealAccounts: a database with an account that was not
// seeded is refused, nothing is written, and --force seeds beside it.
func TestSeedRefusesRealAccounts(t *testing.T) {
	env := map[string]string{"HEARTH_DATA_DIR": t.TempDir()}
	if code, _, errOut := cliRun(t, env, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	db, _ := openCLIDatabase(t, env)
	if err := models.CreateAccount(db, &models.Account{Username: "anna", UsernameSkeleton: "anna", PasswordHash: "x", Role: models.RoleMember}); err != nil {
		t.Fatal(err)
	}
	args := []string{"seed", "--members", "3", "--groups", "1", "--topics", "2", "--posts", "5"}
	code, _, errOut := cliRun(t, env, args...)
	if code == 0 || !strings.Contains(errOut, "1 account(s) that were not seeded") || !strings.Contains(errOut, "--force") {
		t.Fatalf("seed beside a real account: %d %q", code, errOut)
	}
	var n int64
	db.Table("posts").Count(&n)
	if n != 0 {
		t.Fatalf("a refused seed wrote %d posts", n)
	}
	if code, _, errOut := cliRun(t, env, append(args, "--force")...); code != 0 {
		t.Fatalf("seed --force: %q", errOut)
	}
}
