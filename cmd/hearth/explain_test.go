package main

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/seed"
	"hearth/models"
	"hearth/models/testdb"
)

// largeTables grow with the forum: a sequential scan of one of them on a
// page is a page that slows down as members write.
var largeTables = map[string]bool{
	"posts": true, "topics": true, "reactions": true, "post_versions": true,
	"topic_reads": true, "notifications": true, "post_flags": true, "held_posts": true,
}

// TestMainQueriesUseIndexesOnPostgres seeds a forum on PostgreSQL, runs
// ANALYZE, then runs the queries behind the topic page (first and deep
// page), the group page and search, captures every statement they send,
// and asks PostgreSQL for its plan of each: none may read one of the large
// tables from start to end, and for each an index must exist that would
// replace such a scan. Issue 8: "indexes that EXPLAIN shows are used".
func TestMainQueriesUseIndexesOnPostgres(t *testing.T) {
	if !testdb.PostgresURLConfigured() {
		t.Skip("PostgreSQL only: set " + testdb.EnvPostgres)
	}
	env := map[string]string{"HEARTH_DATA_DIR": t.TempDir(), "HEARTH_DATABASE_URL": testdb.PostgresURL(t)}
	// Large enough that a sequential scan of posts costs the planner more
	// than an index (some thousand pages), small enough for a test.
	code, _, errOut := cliRun(t, env, "seed", "--members", "60", "--groups", "6", "--topics", "600", "--posts", "30000")
	if code != 0 {
		t.Fatalf("seed: %d %s", code, errOut)
	}
	db, _ := openCLIDatabase(t, env)
	if err := db.Exec("ANALYZE").Error; err != nil {
		t.Fatal(err)
	}

	var reader models.Account
	if err := db.Where("username = ?", seed.Username(1)).First(&reader).Error; err != nil {
		t.Fatal(err)
	}
	var long models.Topic
	if err := db.Raw("SELECT topics.* FROM topics JOIN group_members gm ON gm.group_id = topics.group_id AND gm.account_id = ? "+
		"ORDER BY topics.post_count DESC LIMIT 1", reader.ID).Scan(&long).Error; err != nil || long.ID == 0 {
		t.Fatalf("no topic in the reader's groups: %v", err)
	}
	var group models.Group
	if err := db.First(&group, long.GroupID).Error; err != nil {
		t.Fatal(err)
	}
	deepPage := (long.PostCount + models.PostsPerPage - 1) / models.PostsPerPage
	if deepPage < 3 {
		t.Fatalf("the longest topic has only %d posts", long.PostCount)
	}

	statements := captureStatements(t, db)
	r := models.ReaderOf(&reader)
	now := time.Now().UTC()
	if _, _, err := models.ReadTopic(db, r, group.Slug, long.ID, now); err != nil {
		t.Fatal(err)
	}
	for _, page := range []int{1, deepPage} {
		posts, err := models.TopicPage(db, &long, page)
		if err != nil || len(posts) == 0 {
			t.Fatalf("page %d: %d posts, %v", page, len(posts), err)
		}
		ids := make([]int64, len(posts))
		for i, p := range posts {
			ids[i] = p.ID
		}
		if _, err := models.ReactionsFor(db, ids, reader.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := models.PostFlagsFor(db, ids); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := models.HeldByAuthor(db, group.ID, long.ID, reader.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.GroupTopics(db, group.ID, reader.ID, 1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := models.GroupTopics(db, group.ID, reader.ID, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := models.HeaderCountsFor(db, &reader); err != nil {
		t.Fatal(err)
	}
	// A common word of the seeded vocabulary, a rarer one, and both.
	for _, q := range []string{seed.Word(40), seed.Word(2500), seed.Word(40) + " " + seed.Word(300)} {
		if _, err := models.Search(db, reader.ID, q, "english"); err != nil {
			t.Fatal(err)
		}
	}

	list := statements()
	if len(list) < 12 {
		t.Fatalf("captured only %d statements", len(list))
	}
	pages := map[string]int64{}
	var sizes []struct {
		Relname  string
		Relpages int64
	}
	if err := db.Raw("SELECT relname, relpages FROM pg_class WHERE relkind = 'r' " +
		"AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())").Scan(&sizes).Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range sizes {
		pages[s.Relname] = s.Relpages
	}
	if pages["posts"] < 256 {
		t.Fatalf("posts has only %d pages: too small to tell an index from a scan", pages["posts"])
	}
	for _, sql := range list {
		// As PostgreSQL would run it: a large table of this size read
		// from start to end is a missing or unusable index.
		for _, table := range seqScans(t, db, sql, false) {
			if largeTables[table] && pages[table] >= 64 {
				t.Errorf("a sequential scan of %s (%d pages):\n%s", table, pages[table], sql)
			}
		}
		// With sequential scans priced out, a scan that remains is one no
		// index can replace: on a large table that is a missing index,
		// however small the table is in this test.
		for _, table := range seqScans(t, db, sql, true) {
			if largeTables[table] {
				t.Errorf("no index serves %s in:\n%s", table, sql)
			}
		}
	}
	t.Logf("%d statements explained on %d seeded posts", len(list), 30000)
}

// seqScans asks PostgreSQL for its plan of sql and lists the tables it
// would read sequentially; noSeqScan prices sequential scans out first.
func seqScans(t *testing.T, db *gorm.DB, sql string, noSeqScan bool) []string {
	t.Helper()
	var plan string
	err := db.Transaction(func(tx *gorm.DB) error {
		if noSeqScan {
			if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
				return err
			}
		}
		return tx.Raw("EXPLAIN (FORMAT JSON) " + sql).Row().Scan(&plan)
	})
	if err != nil {
		t.Fatalf("explain %s: %v", sql, err)
	}
	var nodes []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &nodes); err != nil || len(nodes) == 0 {
		t.Fatalf("plan of %s: %v", sql, err)
	}
	return nodes[0].Plan.seqScans()
}

// planNode is one node of a PostgreSQL JSON plan.
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Plans    []planNode `json:"Plans"`
}

// seqScans lists the tables the plan reads sequentially.
func (n planNode) seqScans() []string {
	var tables []string
	if n.NodeType == "Seq Scan" {
		tables = append(tables, n.Relation)
	}
	for _, child := range n.Plans {
		tables = append(tables, child.seqScans()...)
	}
	return tables
}

// captureStatements records every SELECT db runs from now on, with its
// arguments written in, and returns a function that lists them.
func captureStatements(t *testing.T, db *gorm.DB) func() []string {
	t.Helper()
	var mu sync.Mutex
	var list []string
	record := func(tx *gorm.DB) {
		sql := tx.Statement.SQL.String()
		if !strings.HasPrefix(strings.TrimSpace(strings.ToUpper(sql)), "SELECT") {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		list = append(list, tx.Dialector.Explain(sql, tx.Statement.Vars...))
	}
	testdb.OnStatement(t, db, "hearth:capture_statements", record)
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), list...)
	}
}
