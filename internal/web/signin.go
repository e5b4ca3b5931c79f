package web

import (
	"net/http"

	"buyright/internal/auth"
	"buyright/internal/model"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/register", http.StatusSeeOther)
	return nil
}

type signinData struct {
	Email string
	Next  string
	Error string // translation key
	Wait  int    // seconds to wait before the next attempt, when slowed down
	// Single sign-on (sso_signin.go): the providers on offer, the address
	// typed to find one, an error of that form, and the provider a person
	// whose organisation turned passwords off must use.
	Providers []ssoChoice
	SSOEmail  string
	SSOError  string
	SSOLabel  string
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderSignin(w, r, http.StatusOK, signinData{Next: safeNext(r.URL.Query().Get("next"))})
}

// signin checks an e-mail and password. Every failure gives the same
// message and takes about the same time, whether or not the account exists.
// Wrong guesses make the next attempt wait longer (see guessWait); there is
// no lock-out that strangers could use against a person.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := signinData{Email: model.NormalizeEmail(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	fail := func(key string, status int) error {
		d.Error = key
		return s.renderSignin(w, r, status, d)
	}
	if !s.signinIP.Allow(clientIP(r)) {
		return fail("signin.too_many", http.StatusTooManyRequests)
	}
	key, err := s.guessKey(r, d.Email)
	if err != nil {
		return err
	}
	if wait, err := s.guessWait(ctx, key); err != nil {
		return err
	} else if wait > 0 {
		d.Wait = retryAfter(w, wait)
		return fail("signin.too_many", http.StatusTooManyRequests) // the page says how long, from d.Wait
	}
	u, hash, err := s.db.UserForSignIn(ctx, d.Email)
	if err != nil && model.ErrorCode(err) != model.ENotFound {
		return err
	}
	if u == nil || hash == "" {
		hash = s.dummy // an account made by single sign-on has no password
	}
	ok, _ := s.hasher.Verify(password, hash)
	if !ok || u == nil || u.Disabled {
		if err := s.db.RecordSignInFailure(ctx, key); err != nil {
			return err
		}
		return fail("signin.failed", http.StatusUnauthorized)
	}
	if err := s.db.ClearSignInFailures(ctx, key); err != nil {
		return err
	}
	if p, err := s.ssoOnly(r, u); err != nil {
		return err
	} else if p != nil {
		d.SSOLabel = p.Label
		return fail("signin.use_sso", http.StatusForbidden)
	}
	if err := s.rememberBrowser(w, r, u.Email); err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

// startSession issues a fresh session cookie; a new value at every sign-in
// prevents session fixation.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *model.User) error {
	token := auth.NewSecret()
	if err := s.db.CreateSession(r.Context(), u.ID, auth.HashSecret(token), s.ttl); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: int(s.ttl.Seconds()),
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode,
	})
	return nil
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) error {
	if h := sessionHash(r); h != "" {
		if err := s.db.DeleteSession(r.Context(), h); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// setLang remembers the language chosen in the chooser for a year.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.PostFormValue("lang")
	if s.i18n.Catalog(lang).Lang == lang {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
		// A signed-in person also gets their e-mail in this language.
		if u := currentUser(r); u != nil {
			if err := s.db.SetUserLang(r.Context(), u.ID, lang); err != nil {
				return err
			}
		}
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// healthz answers 200 when the database does, for load balancers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Warn("health check failed", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}
