package sso

import (
	"fmt"
	"net/mail"
	"strings"

	"buyright/internal/model"
)

// Identity is who a provider says signed in, read from a verified ID token.
type Identity struct {
	Issuer  string
	Subject string
	Email   string
	Name    string
	// EmailVerified is nil when the provider does not say.
	EmailVerified *bool
	Claims        map[string]any
}

// Refusal names why a sign-in was refused, in words fit for the server's
// log: never a token, a code or a secret.
type Refusal struct {
	Reason string // a short category: "state", "nonce", "token", "domain", ...
	Detail string
}

func (r *Refusal) Error() string {
	if r.Detail == "" {
		return "sso: refused: " + r.Reason
	}
	return "sso: refused: " + r.Reason + ": " + r.Detail
}

func refuse(reason, format string, args ...any) *Refusal {
	return &Refusal{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// Admit checks that the provider may sign this identity in: an e-mail
// address the provider has not marked unverified, in an allowed domain,
// and the required claim. It returns nil or a Refusal.
func (p *Provider) Admit(id *Identity) error {
	if id.Subject == "" || len(id.Subject) > 255 {
		return refuse("subject", "the token names no subject")
	}
	id.Email = model.NormalizeEmail(id.Email)
	if a, err := mail.ParseAddress(id.Email); err != nil || a.Address != id.Email || len(id.Email) > 254 {
		return refuse("email", "the token carries no usable e-mail address")
	}
	if id.EmailVerified != nil && !*id.EmailVerified {
		return refuse("email", "the provider says the e-mail address is not verified")
	}
	if len(p.Domains) > 0 && !p.ServesDomain(id.Email) {
		_, domain, _ := strings.Cut(id.Email, "@")
		return refuse("domain", "e-mail domain %q is not one the organisation allows", domain)
	}
	if p.ClaimName != "" && !claimHolds(id.Claims[p.ClaimName], p.ClaimValue) {
		return refuse("claim", "claim %q does not hold the required value", p.ClaimName)
	}
	return nil
}

// claimHolds accepts a string equal to want, a list holding it (groups,
// roles), or a boolean or number written as want.
func claimHolds(v any, want string) bool {
	switch x := v.(type) {
	case string:
		return x == want
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s == want {
				return true
			}
		}
	case bool:
		return fmt.Sprint(x) == want
	case float64:
		return fmt.Sprint(x) == want
	}
	return false
}
