package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/internal/markup"
	"hearth/internal/secrets"
	"hearth/internal/seed"
	"hearth/migrations"
	"hearth/models"
)

// bodyPoolSize is how many distinct post bodies are generated and rendered:
// rendering 500,000 posts one by one would measure goldmark, not the seeder,
// so posts reuse a pool rendered once through the real renderer.
const bodyPoolSize = 4000

func cmdSeed(ctx context.Context, env cliEnv, args []string) error {
	fs := newFlagSet(env, "hearth seed [--seed N] [--members 1000] [--groups 30] [--topics 20000] [--posts 500000] [--force]",
		"Fill the database with a realistic forum for benchmarks, the same for the same seed number.\n"+
			"Defaults: 1,000 members, 30 groups, 20,000 topics and 500,000 posts on PostgreSQL; a twentieth\n"+
			"of the topics and posts (and 200 members) on SQLite. Seeded members are named seed-00001 …,\n"+
			"share the password in internal/seed and have TOTP secrets derived from the seed number:\n"+
			"seeded data is for benchmark databases only. It refuses a database that holds other accounts\n"+
			"unless --force, and a database that was seeded before. Everything is written in one\n"+
			"transaction: stopped half-way, nothing is kept.")
	number := fs.Int64("seed", 1, "the seed number: the same number writes the same forum")
	members := fs.Int("members", 0, "members (0: the default for the database)")
	groups := fs.Int("groups", 0, "groups (0: the default)")
	topics := fs.Int("topics", 0, "topics (0: the default)")
	posts := fs.Int("posts", 0, "posts, opening posts included (0: the default)")
	force := fs.Bool("force", false, "seed even though the database holds accounts that were not seeded")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()
	o := seed.Defaults(migrations.Dialect(rt.db) == "postgres")
	o.Seed = *number
	for _, f := range []struct{ flag, into *int }{{members, &o.Members}, {groups, &o.Groups}, {topics, &o.Topics}, {posts, &o.Posts}} {
		if *f.flag != 0 {
			*f.into = *f.flag
		}
	}
	if err := o.Check(); err != nil {
		return usageProblem(env, "hearth seed", "%s", err.Error())
	}
	renderer := markup.New(rt.box.DeriveKey(outboundLinkPurpose))
	start := time.Now()
	err = seedForum(ctx, rt.db.WithContext(ctx), rt.box, o, *force, func(md string) (string, error) {
		html, err := renderer.Render(md)
		return string(html), err
	}, newSeedProgress(env.stdout, isTerminal(env.stdout)))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "seeded %s in %s; members sign in as %s00001 … with the password in internal/seed\n",
		o, time.Since(start).Round(time.Second), seed.UsernamePrefix)
	return nil
}

// seedForum checks the database may be seeded, then writes the forum in one
// transaction.
func seedForum(ctx context.Context, db *gorm.DB, box *secrets.Box, o seed.Options, force bool,
	render func(string) (string, error), p *seedProgress) error {
	var other, seeded int64
	if err := db.Model(&models.Account{}).Where("username NOT LIKE ?", seed.UsernamePrefix+"%").Count(&other).Error; err != nil {
		return err
	}
	if err := db.Model(&models.Account{}).Where("username LIKE ?", seed.UsernamePrefix+"%").Count(&seeded).Error; err != nil {
		return err
	}
	switch {
	case seeded > 0:
		return errors.New("this database was seeded before; seed a fresh database (nothing was changed)")
	case other > 0 && !force:
		return fmt.Errorf("this database holds %d account(s) that were not seeded, and seeding is for benchmark databases only; "+
			"use a fresh database, or --force to seed beside them (nothing was changed)", other)
	}
	// One password hash for every seeded member: hashing 1,000 passwords
	// with argon2id would take minutes and prove nothing.
	hash, err := auth.HashPassword(seed.Password, auth.DefaultParams())
	if err != nil {
		return err
	}
	bodies := make([]string, min(bodyPoolSize, o.Posts))
	htmls := make([]string, len(bodies))
	r := seed.Rand(o.Seed, 2)
	for i := range bodies {
		bodies[i] = seed.Body(r)
		if htmls[i], err = render(bodies[i]); err != nil {
			return fmt.Errorf("render seeded post: %w", err)
		}
	}
	p.total = int64(o.Members + o.Groups + o.Topics + o.Posts)
	w := &seedWriter{o: o, box: box, hash: hash, bodies: bodies, htmls: htmls, p: p, now: time.Now().UTC(),
		r: seed.Rand(o.Seed, 3)}
	err = db.Transaction(func(tx *gorm.DB) error {
		w.batch = 2000
		if err := w.members(tx); err != nil {
			return err
		}
		if err := w.groups(tx); err != nil {
			return err
		}
		if err := w.topicsAndPosts(ctx, tx); err != nil {
			return err
		}
		return models.Audit(tx, nil, seed.AuditAction, nil, o.String(), w.now)
	})
	p.finish()
	if err != nil {
		return fmt.Errorf("seeding stopped and nothing was kept: %w", err)
	}
	return nil
}

// seedWriter writes one seeded forum.
type seedWriter struct {
	o             seed.Options
	box           *secrets.Box
	hash          string
	bodies, htmls []string
	p             *seedProgress
	now           time.Time
	r             *rand.Rand
	batch         int
	memberIDs     []int64
	groupIDs      []int64
	// groupMembers lists each group's members, so authors write in groups
	// they belong to.
	groupMembers [][]int64
}

func (w *seedWriter) members(tx *gorm.DB) error {
	accts := make([]models.Account, w.o.Members)
	for i := range accts {
		name := seed.Username(i + 1)
		canonical, skeleton, err := auth.NormalizeUsername(name)
		if err != nil {
			return fmt.Errorf("seeded username %q: %w", name, err)
		}
		sealed, err := w.box.Seal(seed.TOTPSecret(w.o.Seed, canonical), models.SealedAD("accounts", "totp_secret"))
		if err != nil {
			return err
		}
		accts[i] = models.Account{Username: canonical, UsernameSkeleton: skeleton, PasswordHash: w.hash, Role: models.RoleMember,
			TOTPSecret: &sealed, TOTPConfirmedAt: &w.now, RecoveryCodesSeenAt: &w.now, CreatedAt: seed.Epoch, UpdatedAt: seed.Epoch}
	}
	if err := tx.CreateInBatches(accts, 500).Error; err != nil {
		return fmt.Errorf("seed members: %w", err)
	}
	for _, a := range accts {
		w.memberIDs = append(w.memberIDs, a.ID)
	}
	w.p.add(int64(len(accts)))
	return nil
}

func (w *seedWriter) groups(tx *gorm.DB) error {
	list := make([]models.Group, w.o.Groups)
	for i := range list {
		name := seed.GroupNames[i%len(seed.GroupNames)]
		if i >= len(seed.GroupNames) {
			name = fmt.Sprintf("%s %d", name, i/len(seed.GroupNames)+1)
		}
		about := seed.Body(w.r)
		list[i] = models.Group{Slug: seed.GroupSlug(i + 1), Name: name, Description: "A seeded group for benchmarks.",
			About: about, JoinPolicy: models.JoinPolicyRequest, Listed: true, CreatedAt: seed.Epoch, UpdatedAt: seed.Epoch}
	}
	if err := tx.CreateInBatches(list, 500).Error; err != nil {
		return fmt.Errorf("seed groups: %w", err)
	}
	w.groupMembers = make([][]int64, len(list))
	var rows []models.GroupMember
	for gi, g := range list {
		w.groupIDs = append(w.groupIDs, g.ID)
		for mi, id := range w.memberIDs {
			// Group 1 holds everyone; each member is in a few others.
			if gi != 0 && w.r.IntN(len(list)) >= 4 {
				continue
			}
			role := models.GroupRoleMember
			if mi == gi%len(w.memberIDs) {
				role = models.GroupRoleModerator
			}
			rows = append(rows, models.GroupMember{GroupID: g.ID, AccountID: id, Role: role, JoinedAt: seed.Epoch})
			w.groupMembers[gi] = append(w.groupMembers[gi], id)
		}
		if len(w.groupMembers[gi]) == 0 {
			rows = append(rows, models.GroupMember{GroupID: g.ID, AccountID: w.memberIDs[0], Role: models.GroupRoleModerator, JoinedAt: seed.Epoch})
			w.groupMembers[gi] = []int64{w.memberIDs[0]}
		}
	}
	if err := tx.CreateInBatches(rows, w.batch).Error; err != nil {
		return fmt.Errorf("seed memberships: %w", err)
	}
	w.p.add(int64(len(list)))
	return nil
}

// topicsAndPosts writes the topics with their final post counts, then their
// posts in batches of multi-row INSERTs, and reactions on some posts.
func (w *seedWriter) topicsAndPosts(ctx context.Context, tx *gorm.DB) error {
	sizes := seed.TopicSizes(w.o)
	span := 600 * 24 * time.Hour
	topics := make([]models.Topic, len(sizes))
	postTimes := make([][]time.Time, len(sizes))
	for i, n := range sizes {
		gi := 0
		if i >= 6 {
			gi = w.r.IntN(len(w.groupIDs))
		}
		author := w.author(gi)
		created := seed.Epoch.Add(time.Duration(int64(span) / int64(len(sizes)) * int64(i)))
		times := make([]time.Time, n)
		at := created
		// Replies come 1 to 180 minutes apart, closer in a long topic
		// that would otherwise run past seed.End.
		gap := max(1, min(180, int(seed.End.Sub(created)/time.Minute)/n))
		for k := range times {
			times[k] = at
			at = at.Add(time.Duration(1+w.r.IntN(gap)) * time.Minute)
		}
		postTimes[i] = times
		topics[i] = models.Topic{GroupID: w.groupIDs[gi], AuthorID: &author, Title: seed.Title(w.r), PostCount: n,
			CreatedAt: created, LastPostAt: times[n-1], Pinned: i%997 == 5}
	}
	if err := tx.CreateInBatches(topics, w.batch).Error; err != nil {
		return fmt.Errorf("seed topics: %w", err)
	}
	w.p.add(int64(len(topics)))
	posts := make([]models.Post, 0, w.batch)
	var reactions []models.Reaction
	flush := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(posts) > 0 {
			if err := tx.CreateInBatches(posts, w.batch).Error; err != nil {
				return fmt.Errorf("seed posts: %w", err)
			}
		}
		for _, p := range posts {
			reactions = append(reactions, w.reactions(p)...)
		}
		if len(reactions) > 0 {
			if err := tx.CreateInBatches(reactions, w.batch).Error; err != nil {
				return fmt.Errorf("seed reactions: %w", err)
			}
		}
		w.p.add(int64(len(posts)))
		posts, reactions = posts[:0], reactions[:0]
		return nil
	}
	for i, t := range topics {
		gi := indexOf(w.groupIDs, t.GroupID)
		for k, at := range postTimes[i] {
			author := *t.AuthorID
			if k > 0 {
				author = w.author(gi)
			}
			b := w.r.IntN(len(w.bodies))
			posts = append(posts, models.Post{TopicID: t.ID, GroupID: t.GroupID, AuthorID: &author, Position: k + 1,
				Body: w.bodies[b], BodyHTML: w.htmls[b], SearchLanguage: "english", CreatedAt: at})
			if len(posts) == w.batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// author picks a member of group gi.
func (w *seedWriter) author(gi int) int64 {
	m := w.groupMembers[gi]
	return m[w.r.IntN(len(m))]
}

// reactions gives about one post in six one to three reactions from
// distinct members.
func (w *seedWriter) reactions(p models.Post) []models.Reaction {
	if w.r.IntN(6) != 0 {
		return nil
	}
	kinds := models.ReactionKinds()
	var list []models.Reaction
	seen := map[int64]bool{}
	for range 1 + w.r.IntN(3) {
		id := w.memberIDs[w.r.IntN(len(w.memberIDs))]
		if seen[id] {
			continue
		}
		seen[id] = true
		list = append(list, models.Reaction{PostID: p.ID, AccountID: id, Kind: kinds[w.r.IntN(len(kinds))], CreatedAt: p.CreatedAt})
	}
	return list
}

func indexOf(ids []int64, id int64) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return 0
}

// seedProgress shows how far seeding is: a redrawn bar on a terminal,
// otherwise a line every few seconds.
type seedProgress struct {
	out         io.Writer
	tty         bool
	done, total int64
	last        time.Time
}

func newSeedProgress(out io.Writer, tty bool) *seedProgress {
	return &seedProgress{out: out, tty: tty, last: time.Now()}
}

func (p *seedProgress) add(n int64) {
	p.done += n
	switch {
	case p.tty:
		const width = 30
		pct := min(100, p.done*100/max(1, p.total))
		filled := int(pct * width / 100)
		fmt.Fprintf(p.out, "\r[%s%s] %3d%% %d/%d rows", strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, p.done, p.total)
	case time.Since(p.last) >= lineEvery:
		p.last = time.Now()
		fmt.Fprintf(p.out, "seeded %d of %d rows\n", p.done, p.total)
	}
}

func (p *seedProgress) finish() {
	if p.tty {
		fmt.Fprintln(p.out)
	}
}
