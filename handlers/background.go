package handlers

import (
	"context"
	"time"

	"hearth/models"
)

// purgeInterval is how often the retention job runs.
const purgeInterval = 10 * time.Minute

// RunBackground runs the retention job until ctx ends: at once, then every
// ten minutes. Several instances may run it at the same time; every step is
// an idempotent DELETE.
func (a *App) RunBackground(ctx context.Context) {
	ticker := time.NewTicker(purgeInterval)
	defer ticker.Stop()
	for {
		a.PurgeOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// PurgeOnce applies the retention table once.
func (a *App) PurgeOnce(ctx context.Context) {
	db := a.db.WithContext(ctx)
	settings, err := models.LoadSiteSettings(db)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("retention purge: load settings", "error", err.Error())
		}
		return
	}
	counts, err := models.Purge(db, a.now().UTC(), settings.SessionPolicy())
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("retention purge failed", "error", err.Error())
		}
		return
	}
	a.log.Debug("retention purge", "sessions", counts.Sessions, "challenges", counts.Challenges,
		"throttles", counts.Throttles, "client_keys", counts.ClientKeys)
}
