package web

import (
	"context"
	"net"
	"net/http"
	"runtime/debug"
	"strings"

	"buyright/internal/auth"
	"buyright/internal/i18n"
	"buyright/internal/model"
)

const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every response carries. There is no
// inline script or style anywhere, so the policy can forbid them.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		// Browsers ignore the header over plain HTTP; it matters on the
		// first TLS answer, which behind a proxy is known only from it.
		if viaTLS(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	langKey
)

const sessionCookie = "buyright_session"
const langCookie = "buyright_lang"

// currentUser is the signed-in person, or nil.
func currentUser(r *http.Request) *model.User {
	u, _ := r.Context().Value(userKey).(*model.User)
	return u
}

func sessionHash(r *http.Request) string {
	s, _ := r.Context().Value(sessionKey).(string)
	return s
}

// withIdentity looks up the session cookie and the language, and stores both
// in the request context.
func (s *Server) withIdentity(r *http.Request) *http.Request {
	ctx := r.Context()
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		h := auth.HashSecret(c.Value)
		if u, err := s.db.SessionUser(ctx, h); err == nil {
			ctx = context.WithValue(ctx, userKey, u)
			ctx = context.WithValue(ctx, sessionKey, h)
		}
	}
	chosen := ""
	if c, err := r.Cookie(langCookie); err == nil {
		chosen = c.Value
	}
	ctx = context.WithValue(ctx, langKey, s.i18n.Match(r, chosen))
	return r.WithContext(ctx)
}

func (s *Server) catalog(r *http.Request) *i18n.Catalog {
	lang, _ := r.Context().Value(langKey).(string)
	return s.i18n.Catalog(lang)
}

// signedIn sends people who are not signed in to the sign-in page, and
// brings them back afterwards.
func (s *Server) signedIn(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if currentUser(r) == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return nil
			}
			return &model.Error{Code: model.EUnauthorized, Key: "error.signin_needed", Message: "please sign in"}
		}
		return h(w, r)
	}
}

// secureRequest reports whether cookies should be marked Secure: always,
// except for plain HTTP on the loopback interface during development.
func secureRequest(r *http.Request) bool {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return true
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

func withUser(ctx context.Context, u *model.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}
