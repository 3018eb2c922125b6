// Package models holds Hearth's GORM models and the queries and rules on them.
// Functions take a *gorm.DB so that callers can run them inside a transaction.
package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNotFound is returned by every lookup that finds nothing, and by every
// lookup the reader is not allowed to make: handlers answer both with 404.
var ErrNotFound = errors.New("not found")

// DBOptions says which database to open and how.
type DBOptions struct {
	// PostgresURL selects PostgreSQL when not empty.
	PostgresURL string
	// SQLitePath is the SQLite file used when PostgresURL is empty.
	SQLitePath string
	// MaxOpenConns bounds the pool; 0 picks a default per database.
	MaxOpenConns int
	// ConnectTimeout bounds the wait for an unreachable PostgreSQL (retried
	// with back-off so that docker-compose start-up order does not matter).
	ConnectTimeout time.Duration
}

// Open connects to the database described by opts and checks that it answers.
func Open(ctx context.Context, opts DBOptions) (*gorm.DB, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         true,
	}
	if opts.PostgresURL != "" {
		return openPostgres(ctx, opts, gcfg)
	}
	return openSQLite(opts, gcfg)
}

func openPostgres(ctx context.Context, opts DBOptions, gcfg *gorm.Config) (*gorm.DB, error) {
	if _, err := url.Parse(opts.PostgresURL); err != nil {
		return nil, errors.New("HEARTH_DATABASE_URL: not a valid postgres:// URL")
	}
	timeout := opts.ConnectTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// Retry with back-off until the deadline, so that docker-compose start-up
	// order does not matter. gorm.Open already connects once.
	deadline := time.Now().Add(timeout)
	wait := 250 * time.Millisecond
	for {
		db, err := tryPostgres(ctx, opts, gcfg)
		if err == nil {
			return db, nil
		}
		remaining := time.Until(deadline)
		if remaining <= 0 || ctx.Err() != nil {
			return nil, fmt.Errorf("models: PostgreSQL did not answer within %s: %w", timeout, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(min(wait, remaining)):
		}
		wait = min(wait*2, 4*time.Second)
	}
}

func tryPostgres(ctx context.Context, opts DBOptions, gcfg *gorm.Config) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(opts.PostgresURL), gcfg)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	maxOpen := opts.MaxOpenConns
	if maxOpen <= 0 {
		maxOpen = 16
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxOpen)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	sqlDB.SetConnMaxLifetime(time.Hour)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return db, nil
}

func openSQLite(opts DBOptions, gcfg *gorm.Config) (*gorm.DB, error) {
	if err := registerSQLiteFunctions(); err != nil {
		return nil, fmt.Errorf("models: register SQLite functions: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(opts.SQLitePath), 0o700); err != nil {
		return nil, fmt.Errorf("models: create data directory for %s: %w", opts.SQLitePath, err)
	}
	// WAL lets readers run beside the one writer; foreign keys are off by
	// default in SQLite; the busy timeout makes writers wait instead of
	// failing; BEGIN IMMEDIATE takes the write lock at the start of a
	// transaction, so two transactions never deadlock upgrading a read lock.
	dsn := "file:" + filepath.ToSlash(opts.SQLitePath) +
		"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := gorm.Open(sqlite.Open(dsn), gcfg)
	if err != nil {
		return nil, fmt.Errorf("models: open SQLite %s: %w", opts.SQLitePath, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("models: SQLite pool: %w", err)
	}
	maxOpen := opts.MaxOpenConns
	if maxOpen <= 0 {
		maxOpen = 4
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxOpen)
	if err := sqlDB.Ping(); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("models: SQLite %s cannot be opened (is the data directory writable?): %w", opts.SQLitePath, err)
	}
	// Touch the file with a write so that a read-only directory fails now,
	// with a clear message, not at the first sign-up.
	if err := db.Exec("PRAGMA user_version = 0").Error; err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("models: SQLite %s is not writable: %w", opts.SQLitePath, err)
	}
	return db, nil
}

// Ping reports whether the database answers; /healthz uses it.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the pool.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
