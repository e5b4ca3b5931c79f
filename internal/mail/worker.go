package mail

import (
	"context"
	"log/slog"
	"time"
)

// Queued is a message waiting in the outbox.
type Queued struct {
	ID       int64
	Attempts int // deliveries tried so far
	Message
}

// Outbox is where messages wait; internal/store implements it.
type Outbox interface {
	// ClaimMail returns up to limit messages due now, claimed for lease so
	// that another worker does not send them at the same time.
	ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]Queued, error)
	MailSent(ctx context.Context, id int64) error
	// MailFailed records a failed delivery; retryAt zero means give up.
	MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error
}

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Worker queues reminders and sends what is due, every Interval.
type Worker struct {
	Box    Outbox
	Sender Sender // nil: reminders are queued (and shown in the app) but not sent
	// Remind queues the reminders due at a time (internal/reminders); nil
	// queues none.
	Remind   func(ctx context.Context, now time.Time) error
	Interval time.Duration
	Log      *slog.Logger
	Now      func() time.Time
	// Done, when set, hears the outcome of every run (serve counts them).
	Done func(err error)
}

// MaxAttempts is how often a message is tried before it is given up.
const MaxAttempts = 8

// Backoff is the wait after the nth failed attempt (n from 1): a minute,
// then longer, up to a day, so a server that is down for a weekend still
// gets the mail on Monday.
func Backoff(n int) time.Duration {
	steps := []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	if n < 1 {
		n = 1
	}
	if n > len(steps) {
		return steps[len(steps)-1]
	}
	return steps[n-1]
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// RunOnce queues today's reminders and sends every message due.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	if w.Remind != nil {
		if err := w.Remind(ctx, w.now()); err != nil {
			return 0, 0, err
		}
	}
	if w.Sender == nil {
		return 0, 0, nil
	}
	for {
		batch, err := w.Box.ClaimMail(ctx, 20, 10*time.Minute)
		if err != nil || len(batch) == 0 {
			return sent, failed, err
		}
		for _, q := range batch {
			if err := w.Sender.Send(ctx, q.Message); err != nil {
				failed++
				retry := time.Time{}
				if q.Attempts+1 < MaxAttempts {
					retry = w.now().Add(Backoff(q.Attempts + 1))
				}
				if w.Log != nil {
					w.Log.Warn("mail not delivered", "id", q.ID, "attempt", q.Attempts+1, "retry_at", retry, "err", err)
				}
				if err := w.Box.MailFailed(ctx, q.ID, err.Error(), retry); err != nil {
					return sent, failed, err
				}
				continue
			}
			sent++
			if err := w.Box.MailSent(ctx, q.ID); err != nil {
				return sent, failed, err
			}
		}
	}
}

// Run calls RunOnce every Interval until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	iv := w.Interval
	if iv <= 0 {
		iv = time.Minute
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		_, _, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil && w.Log != nil {
			w.Log.Error("mail worker", "err", err)
		}
		if w.Done != nil && ctx.Err() == nil {
			w.Done(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
