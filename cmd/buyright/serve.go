package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"buyright/internal/auth"
	"buyright/internal/demo"
	"buyright/internal/store"
	"buyright/internal/web"
)

func init() {
	register(command{name: "serve", summary: "run the web application", run: runServe})
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve", "[--addr 127.0.0.1:8080] [--db URL] [--demo]", e.stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbURL := dbFlag(fs, e)
	withDemo := fs.Bool("demo", false, "load demo organisations, people and purchases into an empty database and print the sign-ins")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	db, err := openDB(ctx, *dbURL, true)
	if err != nil {
		return err
	}
	defer db.Close()
	hasher := auth.Hasher{P: auth.DefaultParams}
	if *withDemo {
		if err := loadDemo(ctx, e, db, hasher); err != nil {
			return err
		}
	}
	srv, err := web.New(web.Config{DB: db, Hasher: hasher, Logger: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", *addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	jctx, stopJanitor := context.WithCancel(ctx)
	defer stopJanitor()
	go srv.Janitor(jctx)
	logger.Info("buyright is listening", "url", "http://"+ln.Addr().String(), "db", db.Dialect(), "version", versionString())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo seeds an empty database; on one that already has people it says
// so and carries on, so `serve --demo` can be run again on the same file.
func loadDemo(ctx context.Context, e *env, db *store.DB, h auth.Hasher) error {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(e.stderr, "demo: the database already has people; not loading the demo again (the earlier passwords still work)")
		return nil
	}
	accounts, err := demo.Seed(ctx, db, h)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Demo loaded. Sign in with any of these (passwords are random and shown only now):")
	fmt.Fprintln(e.stdout)
	for _, a := range accounts {
		fmt.Fprintf(e.stdout, "  %-28s %-22s %s\n      %s, %s\n", a.Email, a.Password, a.Role, a.Org, a.What)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
