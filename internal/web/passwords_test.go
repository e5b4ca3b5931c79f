package web_test

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
	"buyright/internal/web"
)

// clock is a test clock both the server and the database read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// browser is one visitor's browser: its own cookies, its own address as
// the trusted proxy in front of the test server reports it.
type browser struct {
	w    *world
	addr string
	c    *http.Client
}

func (w *world) browser(addr string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{w: w, addr: addr, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) post(path string, form url.Values) (int, string, http.Header) {
	b.w.t.Helper()
	req, _ := http.NewRequest("POST", b.w.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", b.addr)
	resp, err := b.c.Do(req)
	if err != nil {
		b.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, sb.String(), resp.Header
}

func (b *browser) signIn(email, pw string) (int, string, http.Header) {
	return b.post("/signin", url.Values{"email": {email}, "password": {pw}})
}

// clockedWorld is a world behind a trusted proxy on loopback, on a clock
// the test moves.
func clockedWorld(t *testing.T, db *store.DB) (*world, *clock) {
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = c.now
	w := newWorldWith(t, db, func(cfg *web.Config) {
		loopbackProxy("X-Forwarded-For")(cfg)
		cfg.Now = c.now
	})
	return w, c
}

// Strangers who keep failing to sign in to a known person's account do not
// lock that person out: from the browser they signed in with before, the
// person signs in at once. (Five failures used to lock the account for
// fifteen minutes for everyone.)
func TestStrangersCannotLockOutAPerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, _ := clockedWorld(t, db)
		ana := w.browser("198.51.100.10")
		if s, _, _ := ana.signIn("city_officer@test.example", password); s != 303 {
			t.Fatalf("first sign-in: %d", s)
		}
		refused := 0
		for i := 0; i < 40; i++ {
			stranger := w.browser(fmt.Sprintf("203.0.113.%d", 1+i%3))
			s, _, _ := stranger.signIn("city_officer@test.example", fmt.Sprintf("guess number %d", i))
			if s == 429 {
				refused++
			} else if s != 401 {
				t.Fatalf("stranger's guess %d: %d", i, s)
			}
		}
		if refused == 0 {
			t.Fatal("40 wrong guesses at one account were never slowed down")
		}
		if s, body, _ := ana.signIn("city_officer@test.example", password); s != 303 {
			t.Fatalf("the person, from their own browser, after the strangers' guesses: %d %.300s", s, body)
		}
	})
}

// Each wrong guess from the same place makes the next one wait longer:
// the first few are free, then 1 s, 2 s, 4 s... Even the right password
// is refused while the wait runs, and the page says how long to wait.
func TestSignInDelaysGrow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, clk := clockedWorld(t, db)
		mallory := w.browser("203.0.113.50")
		guess := func() (int, int) {
			s, body, h := mallory.signIn("city_officer@test.example", "not the password at all")
			wait, _ := strconv.Atoi(h.Get("Retry-After"))
			if s == 429 && !strings.Contains(body, "try again in") {
				t.Fatalf("refusal does not say how long to wait: %.500s", body)
			}
			return s, wait
		}
		var waits []int
		for len(waits) < 5 {
			s, wait := guess()
			if s == 429 {
				if s2, _, _ := mallory.signIn("city_officer@test.example", password); s2 != 429 {
					t.Fatalf("the right password went through during the wait: %d", s2)
				}
				waits = append(waits, wait)
				clk.add(time.Duration(wait) * time.Second)
				continue
			}
			if s != 401 {
				t.Fatalf("guess: %d", s)
			}
		}
		for i := 1; i < len(waits); i++ {
			if waits[i] < 2*waits[i-1] {
				t.Fatalf("waits do not grow: %v", waits)
			}
		}
		// After waiting it out, the right password works and the count starts over.
		if s, _, _ := mallory.signIn("city_officer@test.example", password); s != 303 {
			t.Fatalf("right password after the wait: %d", s)
		}
	})
}

// Spraying one guess at many accounts from one address is slowed down too.
func TestSignInSprayFromOneAddressSlowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, _ := clockedWorld(t, db)
		sprayer := w.browser("203.0.113.77")
		for i := 0; i < 30; i++ {
			s, _, _ := sprayer.signIn(fmt.Sprintf("person%d@test.example", i), "Summer2026!")
			if s == 429 {
				// Someone else, elsewhere, is not affected.
				if s, _, _ := w.browser("198.51.100.4").signIn("city_admin@test.example", password); s != 303 {
					t.Fatalf("another visitor after the sprayer was slowed: %d", s)
				}
				return
			}
		}
		t.Fatal("30 accounts tried from one address without a pause")
	})
}

// Guessing the current password on the account page (someone at a
// session left open) is slowed down like a sign-in.
func TestPasswordChangeGuessesLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w, _ := clockedWorld(t, db)
		b := w.browser("198.51.100.20")
		if s, _, _ := b.signIn("city_viewer@test.example", password); s != 303 {
			t.Fatal("sign-in")
		}
		limited := false
		for i := 0; i < 20 && !limited; i++ {
			s, _, _ := b.post("/account/password", url.Values{"current": {fmt.Sprintf("wrong %d", i)}, "new": {"a new long passphrase here"}, "confirm": {"a new long passphrase here"}})
			switch s {
			case 429:
				limited = true
			case 422:
			default:
				t.Fatalf("guess %d: %d", i, s)
			}
		}
		if !limited {
			t.Fatal("20 wrong current passwords were never slowed down")
		}
		if s, _, _ := b.post("/account/password", url.Values{"current": {password}, "new": {"a new long passphrase here"}, "confirm": {"a new long passphrase here"}}); s != 429 {
			t.Fatalf("the right current password during the wait: %d, want 429", s)
		}
	})
}

// New passwords are refused when they are short, common (or a common one
// with digits and symbols), repetitive, or made of the person's own
// e-mail address or organisation's name.
func TestPasswordPolicyOnTheAccountPage(t *testing.T) {
	w := newWorld(t, storetest.Open(t, store.SQLite))
	for pw, want := range map[string]string{
		"aaaaaaaaaaaa":              "repeats",
		"Password2026!":             "common",
		"qwertyuiop123":             "common",
		"123456789012":              "repeats",
		"city_officer@test.example": "e-mail",
		"Org city 2026 passphrase":  "organisation",
		"short":                     "12 characters",
	} {
		s, body, _ := w.do("city_officer", "POST", "/account/password", url.Values{"current": {password}, "new": {pw}, "confirm": {pw}})
		if s != 422 || !strings.Contains(body, want) {
			t.Errorf("new password %q: %d, page does not say %q", pw, s, want)
		}
	}
	if s, body, _ := w.do("city_officer", "POST", "/account/password", url.Values{"current": {password}, "new": {"plum kettle orbit lantern"}, "confirm": {"plum kettle orbit lantern"}}); s != 303 {
		t.Fatalf("a good passphrase: %d %.300s", s, body)
	}
}
