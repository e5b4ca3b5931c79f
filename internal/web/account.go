package web

import (
	"net/http"
	"strconv"
	"time"

	"buyright/internal/auth"
	"buyright/internal/model"
	"buyright/internal/store"
)

type accountData struct {
	Tokens    []store.APIToken
	NewToken  string // shown once
	Errors    map[string]string
	TokenName string
	Scope     string // the token form's choices, kept when it is refused
	Expires   int
	Lifetimes []int
	Scopes    []string
	Now       time.Time
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, status int, d *accountData) error {
	var err error
	if d.Tokens, err = s.db.Tokens(r.Context(), currentUser(r).ID); err != nil {
		return err
	}
	d.Lifetimes, d.Scopes, d.Now = store.TokenLifetimes, []string{store.TokenRead, store.TokenWrite}, s.now()
	if d.Scope == "" {
		d.Scope, d.Expires = store.TokenRead, 90
	}
	return s.render(w, r, status, "account", "account.title", d)
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	return s.accountPage(w, r, http.StatusOK, &accountData{})
}

// passwordChange needs the current password, so a session left open on a
// shared computer cannot be turned into a stolen account; guesses at it
// are slowed down like guesses at sign-in.
func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	fe := model.FieldErrors{}
	key, err := s.guessKey(r, u.Email)
	if err != nil {
		return err
	}
	if wait, err := s.guessWait(r.Context(), key); err != nil {
		return err
	} else if wait > 0 {
		retryAfter(w, wait)
		return s.accountPage(w, r, http.StatusTooManyRequests, &accountData{Errors: model.FieldErrors{"current": "account.too_many_guesses"}})
	}
	_, hash, err := s.db.UserForSignIn(r.Context(), u.Email)
	if err != nil {
		return err
	}
	if ok, _ := s.hasher.Verify(r.PostFormValue("current"), hash); !ok {
		fe.Add("current", "account.wrong_password")
		if err := s.db.RecordSignInFailure(r.Context(), key); err != nil {
			return err
		}
	} else if err := s.db.ClearSignInFailures(r.Context(), key); err != nil {
		return err
	}
	next := r.PostFormValue("new")
	if problem := auth.PasswordProblem(next, auth.Personal{Email: u.Email, OrgName: u.Org.Name, OrgSlug: u.Org.Slug}); problem != "" {
		fe.Add("new", problem)
	}
	if next != r.PostFormValue("confirm") {
		fe.Add("confirm", "account.mismatch")
	}
	if len(fe) > 0 {
		return s.accountPage(w, r, http.StatusUnprocessableEntity, &accountData{Errors: fe})
	}
	h, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(r.Context(), store.ActorOf(u), u.ID, h, sessionHash(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
	return nil
}

// tokenCreate makes a personal API token and shows it once; only its hash
// is kept. It reads only unless write access is chosen, and expires after
// the days chosen.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	name, scope := r.PostFormValue("name"), r.PostFormValue("scope")
	days, _ := strconv.Atoi(r.PostFormValue("expires"))
	// Not chosen (an older form, a script): the narrower access, 90 days.
	if scope == "" {
		scope = store.TokenRead
	}
	if r.PostFormValue("expires") == "" {
		days = 90
	}
	secret := "br_" + auth.NewSecret()
	if _, err := s.db.CreateToken(r.Context(), store.ActorOf(u), u, name, auth.HashSecret(secret), scope, days); err != nil {
		fe := model.FieldErrors{}
		if !mergeErrors(fe, err) {
			return err
		}
		return s.accountPage(w, r, http.StatusUnprocessableEntity, &accountData{Errors: fe, TokenName: name, Scope: scope, Expires: days})
	}
	return s.accountPage(w, r, http.StatusCreated, &accountData{NewToken: secret})
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return model.NotFound("token")
	}
	if err := s.db.RevokeToken(r.Context(), store.ActorOf(u), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=token_revoked", http.StatusSeeOther)
	return nil
}
