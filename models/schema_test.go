package models_test

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"hearth/migrations"
	"hearth/models"
	"hearth/models/testdb"
)

// TestModelsMatchMigratedSchema fails when a GORM model and the migrated
// schema disagree: a field without a column, a column without a field, or a
// pointer field on a NOT NULL column (or the reverse).
// databaseKept lists the columns PostgreSQL computes and keeps itself, that
// no model writes or reads: the search vector (0011) is generated from the
// text and only ever used inside the search query.
var databaseKept = map[string]bool{"posts.search_vector": true}

func TestModelsMatchMigratedSchema(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		tables, err := db.Migrator().GetTables()
		if err != nil {
			t.Fatal(err)
		}
		modelled := map[string]bool{"schema_migrations": true, "sqlite_sequence": true}
		for _, model := range models.AllModels() {
			stmt := &gorm.Statement{DB: db}
			if err := stmt.Parse(model); err != nil {
				t.Fatalf("parse %T: %v", model, err)
			}
			modelled[stmt.Schema.Table] = true
		}
		for _, table := range tables {
			if !modelled[table] && !strings.HasPrefix(table, "posts_fts") { // FTS5 and its shadow tables
				t.Errorf("table %s has no GORM model in models.AllModels", table)
			}
		}
		for _, model := range models.AllModels() {
			stmt := &gorm.Statement{DB: db}
			if err := stmt.Parse(model); err != nil {
				t.Fatalf("parse %T: %v", model, err)
			}
			table := stmt.Schema.Table
			columns, err := db.Migrator().ColumnTypes(model)
			if err != nil {
				t.Fatalf("%s: column types: %v", table, err)
			}
			if len(columns) == 0 {
				t.Fatalf("%s: table missing from the migrated schema", table)
			}
			byName := map[string]gorm.ColumnType{}
			for _, col := range columns {
				byName[col.Name()] = col
			}
			fields := map[string]*schema.Field{}
			for _, f := range stmt.Schema.Fields {
				if f.DBName == "" {
					continue
				}
				fields[f.DBName] = f
				col, ok := byName[f.DBName]
				if !ok {
					t.Errorf("%s: model field %s has no column %q", table, f.Name, f.DBName)
					continue
				}
				nullable, known := col.Nullable()
				kind := f.FieldType.Kind().String()
				// A pointer maps to a nullable column; a byte slice may be either
				// (nil is NULL); everything else is NOT NULL.
				if known && !f.PrimaryKey && kind != "slice" && nullable != (kind == "ptr") {
					t.Errorf("%s.%s: column nullable=%v but field %s is %s", table, f.DBName, nullable, f.Name, f.FieldType)
				}
			}
			for name := range byName {
				if databaseKept[table+"."+name] && db.Dialector.Name() == "postgres" {
					continue
				}
				if _, ok := fields[name]; !ok {
					t.Errorf("%s: column %q has no model field", table, name)
				}
			}
		}
	})
}

// TestMigrateTwiceIsNoOp applies the migrations again on a migrated database.
func TestMigrateTwiceIsNoOp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		applied, err := migrations.Apply(context.Background(), db)
		if err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v, want nothing", applied)
		}
		pending, err := migrations.Pending(context.Background(), db)
		if err != nil || len(pending) != 0 {
			t.Fatalf("pending = %v, %v; want none", pending, err)
		}
	})
}

// TestConcurrentMigrationsOnPostgres starts several migrators on one empty
// database at once: the advisory lock lets each migration run exactly once.
func TestConcurrentMigrationsOnPostgres(t *testing.T) {
	if !testdb.PostgresURLConfigured() {
		t.Skip("PostgreSQL only: set " + testdb.EnvPostgres)
	}
	url := testdb.PostgresURL(t)
	const instances = 4
	var wg sync.WaitGroup
	results := make([][]string, instances)
	errs := make([]error, instances)
	for i := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := models.Open(context.Background(), models.DBOptions{PostgresURL: url})
			if err != nil {
				errs[i] = err
				return
			}
			defer models.Close(db)
			results[i], errs[i] = migrations.Apply(context.Background(), db)
		}()
	}
	wg.Wait()
	var all []string
	for i := range instances {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		all = append(all, results[i]...)
	}
	list, _ := migrations.Load("postgres")
	if len(all) != len(list) {
		sort.Strings(all)
		t.Fatalf("applied %v across instances, want each of %d migrations exactly once", all, len(list))
	}
}
