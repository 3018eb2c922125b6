package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"hearth/internal/config"
	"hearth/internal/secrets"
	"hearth/migrations"
	"hearth/models"
)

// runtime is what every command that touches the database shares.
type runtime struct {
	cfg     config.Config
	log     *slog.Logger
	db      *gorm.DB
	box     *secrets.Box
	keyPath string
}

func (rt *runtime) close() {
	if rt.db != nil {
		_ = models.Close(rt.db)
	}
}

// newLogger writes text or JSON lines to stderr.
func newLogger(cfg config.Config, env cliEnv) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.stderr, nil))
}

// openRuntime reads the configuration, loads (or creates) the secret key,
// opens the database, applies pending migrations when migrate is true, and
// checks that the key matches the database. Any failure is one clear error.
func openRuntime(ctx context.Context, env cliEnv, migrate bool) (*runtime, error) {
	cfg, err := config.FromEnv(env.getenv)
	if err != nil {
		return nil, err
	}
	rt := &runtime{cfg: cfg, log: newLogger(cfg, env)}
	if err := ensureDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	key, keyPath, created, err := secrets.LoadOrCreateKey(cfg.SecretKey, cfg.SecretKeyFile, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	rt.keyPath = keyPath
	if created {
		rt.log.Warn("generated a new secret key: back it up apart from the database; without it the encrypted secrets cannot be read",
			"path", keyPath)
	}
	rt.box, err = secrets.NewBox(key)
	if err != nil {
		return nil, err
	}
	clear(key)

	rt.db, err = models.Open(ctx, models.DBOptions{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath()})
	if err != nil {
		return nil, err
	}
	if migrate {
		applied, err := migrations.Apply(ctx, rt.db)
		if err != nil {
			rt.close()
			return nil, err
		}
		for _, name := range applied {
			rt.log.Info("applied migration", "name", name)
		}
	} else if pending, err := migrations.Pending(ctx, rt.db); err != nil {
		rt.close()
		return nil, err
	} else if len(pending) > 0 {
		rt.close()
		return nil, fmt.Errorf("the database needs %d migration(s): run \"hearth migrate\" first", len(pending))
	}
	if err := models.VerifySecretKey(rt.db, rt.box, time.Now()); err != nil {
		rt.close()
		if errors.Is(err, models.ErrKeyMismatch) {
			return nil, fmt.Errorf("%w. Restore the secret key this database was created with (HEARTH_SECRET_KEY, HEARTH_SECRET_KEY_FILE or %s); Hearth will not start with another key",
				err, filepath.Join(cfg.DataDir, secrets.DefaultKeyFileName))
		}
		return nil, err
	}
	return rt, nil
}

// ensureDataDir creates the data directory (0700) and proves it is writable.
func ensureDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("HEARTH_DATA_DIR: cannot create %s: %w", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("HEARTH_DATA_DIR: %s is not writable: %w", dir, err)
	}
	name := probe.Name()
	_ = probe.Close()
	return os.Remove(name)
}

func cmdMigrate(ctx context.Context, env cliEnv, args []string) error {
	fs := newFlagSet(env, "hearth migrate", "Apply pending database migrations and exit. Running it again is a no-op.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()
	fmt.Fprintln(env.stdout, "database is up to date")
	return nil
}
