package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"hearth/handlers"
	"hearth/internal/i18n"
	"hearth/models"
)

// shutdownGrace is how long in-flight requests may take after SIGINT/SIGTERM.
const shutdownGrace = 20 * time.Second

func cmdServe(ctx context.Context, env cliEnv, args []string) error {
	fs := newFlagSet(env, "hearth serve", "Run the web server on HEARTH_ADDR. Pending migrations are applied first.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	limitMemory(env.getenv)
	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()

	catalog, err := i18n.NewCatalog(rt.cfg.DefaultLanguage)
	if err != nil {
		return err
	}
	app, err := handlers.New(handlers.Options{
		Config:  rt.cfg,
		DB:      rt.db,
		Box:     rt.box,
		Catalog: catalog,
		Logger:  rt.log,
		// Groups hold a new member's first posts for review unless they set
		// their own number (0 turns it off).
		PremodFirstPosts: models.DefaultPremodPosts,
	})
	if err != nil {
		return err
	}
	if !rt.cfg.HTTPS() && !rt.cfg.ListensOnLoopback() {
		rt.log.Warn("serving plain http on a non-loopback address: put an https reverse proxy in front and set HEARTH_BASE_URL to its https address",
			"addr", rt.cfg.Addr)
	}
	if err := offerSetup(ctx, rt, env); err != nil {
		return err
	}

	listener, err := net.Listen("tcp", rt.cfg.Addr)
	if err != nil {
		return fmt.Errorf("HEARTH_ADDR: cannot listen on %s: %w", rt.cfg.Addr, err)
	}
	server := app.Server(rt.cfg.Addr)
	go app.RunBackground(ctx)
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	settleMemory()
	rt.log.Info("hearth is ready", "addr", listener.Addr().String(), "base_url", rt.cfg.BaseURL.String())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	rt.log.Info("shutting down: letting requests in flight finish")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	rt.log.Info("stopped")
	return nil
}
