package web

import (
	"context"
	"time"

	"buyright/internal/store"
)

// allower limits attempts per key (a visitor's address).
type allower interface {
	Allow(key string) bool
}

// sharedLimit is a rate limit kept in the database (store.RateAllow), so
// that every app server counts the same attempts.
type sharedLimit struct {
	db    *store.DB
	name  string
	burst int
	every time.Duration
	warn  func(msg string, args ...any)
}

func (s *Server) sharedLimit(name string, burst int, every time.Duration) *sharedLimit {
	return &sharedLimit{db: s.db, name: name, burst: burst, every: every, warn: func(msg string, args ...any) { s.log.Warn(msg, args...) }}
}

// Allow lets the attempt through when the database cannot be asked: the
// request would need the database anyway, and refusing everyone while it
// is away would turn an outage into a lock-out.
func (l *sharedLimit) Allow(key string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ok, err := l.db.RateAllow(ctx, l.name, key, l.burst, l.every)
	if err != nil {
		l.warn("rate limit not checked", "limit", l.name, "err", err)
		return true
	}
	return ok
}
