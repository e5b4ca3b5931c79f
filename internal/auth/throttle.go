package auth

import "time"

// Throttle is a growing delay instead of a lock-out: the first Free
// failures cost nothing, then each failure doubles the wait before the
// next attempt, from Base up to Max. A stranger who fails at someone's
// account makes only their own next attempts wait; nobody is locked out
// for a fixed time by someone else.
type Throttle struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// Wait is how long to wait from now after n failures, the last at last.
func (t Throttle) Wait(n int, last, now time.Time) time.Duration {
	if n < t.Free || n == 0 {
		return 0
	}
	d := t.Max
	if k := n - t.Free; k < 40 {
		if x := t.Base << k; x > 0 && x < t.Max {
			d = x
		}
	}
	if left := last.Add(d).Sub(now); left > 0 {
		return left
	}
	return 0
}
