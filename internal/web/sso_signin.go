package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"buyright/internal/auth"
	"buyright/internal/model"
	"buyright/internal/sso"
	"buyright/internal/store"
)

// ssoCookie carries the state of a sign-in begun in this browser, so a
// callback started in another browser (login CSRF) is refused.
const ssoCookie = "buyright_sso"

// ssoStateTTL is how long a person has at their provider.
const ssoStateTTL = 10 * time.Minute

// ssoChoice is one provider as the sign-in page offers it: never more
// than its label and organisation.
type ssoChoice struct {
	Slug, Label string
}

func (s *Server) ssoChoices(r *http.Request) ([]ssoChoice, error) {
	ps, err := s.db.SSOProviders(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]ssoChoice, len(ps))
	for i, p := range ps {
		out[i] = ssoChoice{Slug: p.OrgSlug, Label: p.Label}
	}
	return out, nil
}

// ssoRedirectURL is the address to register with providers: under
// --base-url when set, else under the address the request came to.
func (s *Server) ssoRedirectURL(r *http.Request) string {
	base := s.baseURL
	if base == "" {
		base = baseURL(r)
	}
	return strings.TrimRight(base, "/") + "/signin/sso/callback"
}

// renderSignin shows the sign-in page with the providers on offer.
func (s *Server) renderSignin(w http.ResponseWriter, r *http.Request, status int, d signinData) error {
	var err error
	if d.Providers, err = s.ssoChoices(r); err != nil {
		return err
	}
	return s.render(w, r, status, "signin", "signin.title", d)
}

// ssoStart begins a sign-in with the provider of the organisation chosen
// from the list, or of the e-mail address's domain.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := signinData{SSOEmail: model.NormalizeEmail(r.PostFormValue("sso_email")), Next: safeNext(r.PostFormValue("next"))}
	if !s.signinIP.Allow(clientIP(r)) {
		d.Error = "signin.too_many"
		return s.renderSignin(w, r, http.StatusTooManyRequests, d)
	}
	ps, err := s.db.SSOProviders(ctx)
	if err != nil {
		return err
	}
	var p *sso.Provider
	org := r.PostFormValue("org")
	for _, x := range ps {
		if (org != "" && x.OrgSlug == org) || (org == "" && d.SSOEmail != "" && x.ServesDomain(d.SSOEmail)) {
			p = x
			break
		}
	}
	if p == nil {
		d.SSOError = "signin.sso_unknown"
		return s.renderSignin(w, r, http.StatusUnprocessableEntity, d)
	}
	st, err := s.sso.Begin(ctx, p, s.ssoRedirectURL(r))
	if err != nil {
		s.log.Warn("single sign-on: provider unavailable", "org", p.OrgSlug, "err", err)
		d.SSOError = "signin.sso_unavailable"
		return s.renderSignin(w, r, http.StatusBadGateway, d)
	}
	if err := s.db.SaveSSOState(ctx, auth.HashSecret(st.State), store.SSOState{OrgID: p.OrgID, Nonce: st.Nonce, Verifier: st.Verifier, Next: d.Next}, ssoStateTTL); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: st.State, Path: "/signin/sso", MaxAge: int(ssoStateTTL.Seconds()),
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, st.URL, http.StatusSeeOther)
	return nil
}

// ssoCallback finishes a sign-in: the state must be the one this browser
// began and not used before, the ID token must verify (signature, issuer,
// audience, expiry, nonce) and the person must be one the organisation
// allows. Any refusal is logged with its reason, never a token or code,
// and creates nothing.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/signin/sso", MaxAge: -1,
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
	refuse := func(org string, err error) error {
		var rf *sso.Refusal
		if !errors.As(err, &rf) {
			return err
		}
		s.log.Warn("single sign-on refused", "org", org, "reason", rf.Reason, "detail", rf.Detail, "addr", clientIP(r))
		return s.renderSignin(w, r, http.StatusForbidden, signinData{Next: "/dashboard", SSOError: "signin.sso_failed"})
	}
	cb, err := sso.ParseCallback(r.URL.Query())
	if err != nil {
		return refuse("", &sso.Refusal{Reason: "callback", Detail: err.Error()})
	}
	c, err := r.Cookie(ssoCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(cb.State)) != 1 {
		return refuse("", &sso.Refusal{Reason: "state", Detail: "the state is not the one this browser began with"})
	}
	st, err := s.db.TakeSSOState(ctx, auth.HashSecret(cb.State))
	if model.ErrorCode(err) == model.ENotFound {
		return refuse("", &sso.Refusal{Reason: "state", Detail: "unknown, already used or expired"})
	} else if err != nil {
		return err
	}
	p, err := s.db.SSOProvider(ctx, st.OrgID)
	if model.ErrorCode(err) == model.ENotFound {
		return refuse("", &sso.Refusal{Reason: "provider", Detail: "the organisation's provider was removed"})
	} else if err != nil {
		return err
	}
	if cb.Error != "" {
		return refuse(p.OrgSlug, &sso.Refusal{Reason: "provider_error", Detail: cb.Error})
	}
	id, err := s.sso.Finish(ctx, p, s.ssoRedirectURL(r), cb.Code, st.Verifier, st.Nonce)
	if err != nil {
		return refuse(p.OrgSlug, err)
	}
	if err := p.Admit(id); err != nil {
		return refuse(p.OrgSlug, err)
	}
	u, created, err := s.db.SSOSignIn(ctx, p, id)
	if err != nil {
		return refuse(p.OrgSlug, err)
	}
	if created {
		s.log.Info("single sign-on created an account", "org", p.OrgSlug, "user", u.ID, "role", u.Role)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, safeNext(st.Next), http.StatusSeeOther)
	return nil
}

// ssoOnly returns the provider a person must sign in with, when their
// organisation turned passwords off; site administrators keep their
// password, so a broken provider cannot lock the operators out.
func (s *Server) ssoOnly(r *http.Request, u *model.User) (*sso.Provider, error) {
	if u.SiteAdmin {
		return nil, nil
	}
	p, err := s.db.SSOProvider(r.Context(), u.OrgID)
	if model.ErrorCode(err) == model.ENotFound {
		return nil, nil
	}
	if err != nil || !p.PasswordsOff {
		return nil, err
	}
	return p, nil
}
