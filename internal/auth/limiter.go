package auth

import (
	"sync"
	"time"
)

// Limiter is a token bucket per key (an IP address, a receipt-code guess):
// each key may make Burst attempts at once and regains one every Every.
// It lives in memory: with several app servers each keeps its own, which
// multiplies the allowance but still stops brute force. Per-account limits
// that must hold across servers live in the database instead.
type Limiter struct {
	Burst int
	Every time.Duration
	Now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter makes a limiter.
func NewLimiter(burst int, every time.Duration) *Limiter {
	return &Limiter{Burst: burst, Every: every, Now: time.Now, buckets: map[string]*bucket{}}
}

// Allow takes one token for key and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	l.forgetIdle(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens += now.Sub(b.last).Seconds() / l.Every.Seconds()
	if b.tokens > float64(l.Burst) {
		b.tokens = float64(l.Burst)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetIdle drops full buckets now and then, so memory stays bounded
// whatever the number of distinct keys.
func (l *Limiter) forgetIdle(now time.Time) {
	if now.Sub(l.sweep) < time.Minute {
		return
	}
	l.sweep = now
	full := time.Duration(l.Burst) * l.Every
	for k, b := range l.buckets {
		if now.Sub(b.last) > full {
			delete(l.buckets, k)
		}
	}
}
