package migrations

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// advisoryLockKey identifies Hearth's migration lock in PostgreSQL's advisory
// lock space; two instances starting at once serialise on it.
const advisoryLockKey = 7_480_117_251_339_001

// Migration is one versioned schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Dialect returns "postgres" or "sqlite" for the given connection.
func Dialect(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// Load returns the embedded migrations for dialect, ordered by version.
func Load(dialect string) ([]Migration, error) {
	entries, err := fs.ReadDir(files, dialect)
	if err != nil {
		return nil, fmt.Errorf("migrations: read %s: %w", dialect, err)
	}
	var list []Migration
	seen := map[int]string{}
	for _, entry := range entries {
		name := entry.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		number, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migrations: %s/%s: name must start with a positive number and an underscore", dialect, name)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations: %s: version %d used by %s and %s", dialect, version, other, name)
		}
		seen[version] = name
		body, err := fs.ReadFile(files, path.Join(dialect, name))
		if err != nil {
			return nil, fmt.Errorf("migrations: read %s: %w", name, err)
		}
		list = append(list, Migration{Version: version, Name: strings.TrimSuffix(name, ".sql"), SQL: string(body)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	return list, nil
}

// Apply brings the schema up to date and returns the names of the migrations
// it applied (none when the schema is current, so running it twice is a
// no-op). On PostgreSQL it holds an advisory lock on one connection for the
// whole run, so concurrent starts of several instances apply each migration
// exactly once.
func Apply(ctx context.Context, db *gorm.DB) ([]string, error) {
	dialect := Dialect(db)
	list, err := Load(dialect)
	if err != nil {
		return nil, err
	}
	var applied []string
	err = db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		if dialect == "postgres" {
			if err := conn.Exec("SELECT pg_advisory_lock(?)", advisoryLockKey).Error; err != nil {
				return fmt.Errorf("migrations: take advisory lock: %w", err)
			}
			defer conn.Exec("SELECT pg_advisory_unlock(?)", advisoryLockKey)
		}
		if err := conn.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at TIMESTAMP NOT NULL)`).Error; err != nil {
			return fmt.Errorf("migrations: create schema_migrations: %w", err)
		}
		done, err := appliedVersions(conn)
		if err != nil {
			return err
		}
		for _, m := range list {
			if done[m.Version] {
				continue
			}
			if err := applyOne(conn, m); err != nil {
				return err
			}
			applied = append(applied, m.Name)
		}
		return nil
	})
	return applied, err
}

// Pending returns the migrations not yet applied.
func Pending(ctx context.Context, db *gorm.DB) ([]Migration, error) {
	list, err := Load(Dialect(db))
	if err != nil {
		return nil, err
	}
	if !db.Migrator().HasTable("schema_migrations") {
		return list, nil
	}
	done, err := appliedVersions(db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var pending []Migration
	for _, m := range list {
		if !done[m.Version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

func appliedVersions(db *gorm.DB) (map[int]bool, error) {
	var versions []int
	if err := db.Raw("SELECT version FROM schema_migrations").Scan(&versions).Error; err != nil {
		return nil, fmt.Errorf("migrations: read schema_migrations: %w", err)
	}
	done := make(map[int]bool, len(versions))
	for _, v := range versions {
		done[v] = true
	}
	return done, nil
}

func applyOne(conn *gorm.DB, m Migration) error {
	return conn.Transaction(func(tx *gorm.DB) error {
		for _, stmt := range splitStatements(m.SQL) {
			if err := tx.Exec(stmt).Error; err != nil {
				return fmt.Errorf("migrations: %s: %w", m.Name, err)
			}
		}
		if err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, time.Now().UTC()).Error; err != nil {
			return fmt.Errorf("migrations: record %s: %w", m.Name, err)
		}
		return nil
	})
}

// splitStatements splits a migration on lines that end with ";". Our
// migrations keep one statement per such line ending and use no
// semicolon-terminated lines inside bodies, which keeps the runner free of a
// SQL parser. Comment-only chunks are dropped.
func splitStatements(sql string) []string {
	var out []string
	var current strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		current.WriteString(line)
		current.WriteString("\n")
		if strings.HasSuffix(trimmed, ";") {
			if stmt := strings.TrimSpace(current.String()); stmt != ";" {
				out = append(out, stmt)
			}
			current.Reset()
		}
	}
	if stmt := strings.TrimSpace(current.String()); stmt != "" {
		out = append(out, stmt)
	}
	return out
}
