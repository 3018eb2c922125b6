// Command profserve is `hearth serve` with Go's profiler on a second,
// loopback-only listener (HEARTH_BENCH_PPROF_ADDR), for `go run ./bench
// -pprof DIR`. It exists only for the benchmark: the real binary carries no
// profiler.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"hearth/handlers"
	"hearth/internal/config"
	"hearth/internal/i18n"
	"hearth/internal/secrets"
	"hearth/models"
)

func main() {
	if err := serve(); err != nil {
		fmt.Fprintln(os.Stderr, "profserve:", err)
		os.Exit(1)
	}
}

func serve() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	key, _, _, err := secrets.LoadOrCreateKey(cfg.SecretKey, cfg.SecretKeyFile, cfg.DataDir)
	if err != nil {
		return err
	}
	box, err := secrets.NewBox(key)
	if err != nil {
		return err
	}
	db, err := models.Open(ctx, models.DBOptions{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath()})
	if err != nil {
		return err
	}
	defer models.Close(db)
	catalog, err := i18n.NewCatalog(cfg.DefaultLanguage)
	if err != nil {
		return err
	}
	app, err := handlers.New(handlers.Options{Config: cfg, DB: db, Box: box, Catalog: catalog,
		Logger: slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go func() { _ = http.ListenAndServe(os.Getenv("HEARTH_BENCH_PPROF_ADDR"), mux) }()
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	server := app.Server(cfg.Addr)
	go app.RunBackground(ctx)
	go func() { _ = server.Serve(listener) }()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return server.Shutdown(shutdown)
}
