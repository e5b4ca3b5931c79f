package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"buyright/internal/auth"
	"buyright/internal/store"
)

// Password guessing, at sign-in and on the account page, is slowed down by
// growing delays rather than stopped by a lock-out (which let anyone lock
// a known person out by failing five times). Each delay counts one kind of
// failure; an attempt waits for the longest that applies:
var (
	// one account from one address, in a browser the account does not know:
	// the plain guesser.
	pairLimit = auth.Throttle{Free: 3, Base: time.Second, Max: 15 * time.Minute}
	// one account from browsers it does not know, wherever they are: a
	// guesser with many addresses.
	accountLimit = auth.Throttle{Free: 10, Base: time.Second, Max: 15 * time.Minute}
	// any account from one address: one guess at many accounts.
	addrLimit = auth.Throttle{Free: 10, Base: time.Second, Max: 15 * time.Minute}
	// one account from a browser that signed in to it before. Only this one
	// applies there, so strangers' failures never slow the person down in
	// their own browser (OWASP's "device cookies").
	deviceLimit = auth.Throttle{Free: 5, Base: time.Second, Max: 15 * time.Minute}
)

const (
	deviceCookie = "buyright_device"
	deviceTTL    = 180 * 24 * time.Hour
)

// guessKey says who is guessing at email's password: the visitor's address
// (as a hash: failures are kept, not addresses) and, when this browser
// signed in to the account before, the browser.
func (s *Server) guessKey(r *http.Request, email string) (store.SignInKey, error) {
	k := store.SignInKey{Email: email, Addr: auth.HashSecret("signin-address:" + clientIP(r))}
	if c, err := r.Cookie(deviceCookie); err == nil && c.Value != "" {
		h := auth.HashSecret(c.Value)
		known, err := s.db.KnownDevice(r.Context(), h, email)
		if err != nil {
			return k, err
		}
		if known {
			k.Device = h
		}
	}
	return k, nil
}

// guessWait is how long the visitor must wait before trying k's password.
func (s *Server) guessWait(ctx context.Context, k store.SignInKey) (time.Duration, error) {
	f, err := s.db.SignInHistory(ctx, k)
	if err != nil {
		return 0, err
	}
	now := s.now()
	if k.Device != "" {
		return deviceLimit.Wait(f.Device.N, f.Device.Last, now), nil
	}
	return max(pairLimit.Wait(f.Pair.N, f.Pair.Last, now), accountLimit.Wait(f.Account.N, f.Account.Last, now),
		addrLimit.Wait(f.Addr.N, f.Addr.Last, now)), nil
}

// rememberBrowser marks this browser as known for the account after the
// right password, giving it a device token when it has none.
func (s *Server) rememberBrowser(w http.ResponseWriter, r *http.Request, email string) error {
	token := ""
	if c, err := r.Cookie(deviceCookie); err == nil && len(c.Value) >= 43 && len(c.Value) <= 64 {
		token = c.Value
	} else {
		token = auth.NewSecret()
	}
	if err := s.db.RememberDevice(r.Context(), auth.HashSecret(token), email, deviceTTL); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: token, Path: "/", MaxAge: int(deviceTTL.Seconds()),
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
	return nil
}

// retryAfter sets the Retry-After header and returns the wait in whole
// seconds, rounded up.
func retryAfter(w http.ResponseWriter, d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(n))
	return n
}
