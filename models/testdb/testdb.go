// Package testdb gives tests real, freshly migrated databases: SQLite always,
// and PostgreSQL when HEARTH_TEST_DATABASE_URL is set (CI sets it). A set but
// unreachable PostgreSQL fails the test; it is never skipped.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/migrations"
	"hearth/models"
)

// EnvPostgres names the variable that selects PostgreSQL for tests.
const EnvPostgres = "HEARTH_TEST_DATABASE_URL"

// Each runs fn once per available database, as subtests "sqlite" and
// "postgres", each with its own fresh, migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(EnvPostgres) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// SQLite opens a migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := models.Open(context.Background(), models.DBOptions{SQLitePath: filepath.Join(t.TempDir(), "hearth.db")})
	if err != nil {
		t.Fatalf("open SQLite: %v", err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	migrate(t, db)
	return db
}

// PostgresURL returns a URL for a fresh, empty schema of its own in the test
// PostgreSQL, dropped when the test ends. It fails the test when PostgreSQL
// is not configured or does not answer.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s is not set", EnvPostgres)
	}
	admin, err := models.Open(context.Background(), models.DBOptions{PostgresURL: base, ConnectTimeout: 10 * time.Second, MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL does not answer: %v", EnvPostgres, err)
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	schema := "hearth_test_" + hex.EncodeToString(suffix)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		_ = models.Close(admin)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres opens a migrated database in a fresh schema (see PostgresURL).
func Postgres(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := models.Open(context.Background(), models.DBOptions{PostgresURL: PostgresURL(t), ConnectTimeout: 10 * time.Second, MaxOpenConns: 8})
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	migrate(t, db)
	return db
}

func migrate(t testing.TB, db *gorm.DB) {
	t.Helper()
	if _, err := migrations.Apply(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
}

// PostgresURLConfigured reports whether tests should also run on PostgreSQL.
func PostgresURLConfigured() bool { return os.Getenv(EnvPostgres) != "" }

// OnStatement calls fn after every statement db runs from now on (queries,
// raw SQL, inserts, updates, deletes), for tests that count or inspect the
// statements a page sends. name must be unique per db.
func OnStatement(t testing.TB, db *gorm.DB, name string, fn func(*gorm.DB)) {
	t.Helper()
	cb := db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register(name, fn),
		cb.Query().After("gorm:query").Register(name, fn),
		cb.Update().After("gorm:update").Register(name, fn),
		cb.Delete().After("gorm:delete").Register(name, fn),
		cb.Row().After("gorm:row").Register(name, fn),
		cb.Raw().After("gorm:raw").Register(name, fn),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}
