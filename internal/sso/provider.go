// Package sso signs people in through their organisation's OpenID Connect
// provider: what an organisation records about its provider, who the
// provider may sign in, the callback's parameters, and the authorization
// code flow with PKCE, state and nonce.
package sso

import (
	"net"
	"net/url"
	"strings"
	"time"

	"buyright/internal/model"
)

// Provider is an organisation's identity provider. ClientSecret is written
// and read by the store and the flow only: no page, log line or audit
// entry carries it.
type Provider struct {
	OrgID        int64
	OrgSlug      string // filled by the store, for the sign-in page
	OrgName      string
	Label        string // shown as "Sign in with <Label>"
	Issuer       string
	ClientID     string
	ClientSecret string
	Domains      []string // e-mail domains it may sign in; empty: any the claim allows
	ClaimName    string   // a claim the ID token must carry...
	ClaimValue   string   // ...with this value (or a list holding it)
	Role         model.Role
	PasswordsOff bool // members sign in through the provider only (site administrators excepted)
	UpdatedAt    time.Time
	// SecretUnreadable says the stored client secret does not open with
	// this server's key (ClientSecret is then empty): sign-in refuses with
	// that reason, and the administrator's page asks for the secret again.
	SecretUnreadable bool
}

// Validate checks the fields an administrator typed. New accounts never
// become administrators by signing in: an organisation's administrator
// raises a role by hand. hasSecret says a secret is already stored, so an
// empty one keeps it.
func (p *Provider) Validate(k model.OrgKind, hasSecret bool) model.FieldErrors {
	fe := model.FieldErrors{}
	p.Label = model.CleanLine(p.Label)
	p.Issuer = strings.TrimSpace(p.Issuer)
	p.ClientID = strings.TrimSpace(p.ClientID)
	p.ClientSecret = strings.TrimSpace(p.ClientSecret)
	p.ClaimName = strings.TrimSpace(p.ClaimName)
	p.ClaimValue = strings.TrimSpace(p.ClaimValue)
	switch {
	case p.Label == "":
		fe.Add("sso_label", "invalid.required")
	case len(p.Label) > 100:
		fe.Add("sso_label", "invalid.too_long")
	}
	if msg := checkIssuer(p.Issuer); msg != "" {
		fe.Add("issuer", msg)
	}
	switch {
	case p.ClientID == "":
		fe.Add("client_id", "invalid.required")
	case len(p.ClientID) > 500 || strings.ContainsFunc(p.ClientID, isSpaceOrControl):
		fe.Add("client_id", "invalid.sso_client_id")
	}
	switch {
	case p.ClientSecret == "" && !hasSecret:
		fe.Add("client_secret", "invalid.required")
	case len(p.ClientSecret) > 1000 || strings.ContainsFunc(p.ClientSecret, isSpaceOrControl) || IsSealed(p.ClientSecret):
		fe.Add("client_secret", "invalid.sso_client_secret")
	}
	for _, d := range p.Domains {
		if !validDomain(d) {
			fe.Add("email_domains", "invalid.sso_domain")
			break
		}
	}
	if len(p.Domains) > 50 {
		fe.Add("email_domains", "invalid.too_long")
	}
	if (p.ClaimName == "") != (p.ClaimValue == "") {
		fe.Add("claim_name", "invalid.sso_claim_pair")
	} else if len(p.ClaimName) > 100 || len(p.ClaimValue) > 200 || strings.ContainsFunc(p.ClaimName, isSpaceOrControl) {
		fe.Add("claim_name", "invalid.too_long")
	}
	if len(p.Domains) == 0 && p.ClaimName == "" {
		// Without either, anyone the provider knows would get an account.
		fe.Add("email_domains", "invalid.sso_domains_or_claim")
	}
	if p.Role == model.RoleAdmin || !p.Role.Valid() || !model.RoleAllowed(k, p.Role) {
		fe.Add("role", "invalid.role_for_org")
	}
	return fe
}

// checkIssuer wants an https URL without query or fragment; plain http is
// accepted for a provider on the loopback interface only (development and
// tests), since the flow's secrets travel to it.
func checkIssuer(s string) string {
	if s == "" {
		return "invalid.required"
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || len(s) > 500 {
		return "invalid.sso_issuer"
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return ""
		}
	}
	return "invalid.sso_issuer"
}

// ParseDomains reads the domains an administrator typed, separated by
// spaces, commas or new lines, lower-cased, without a leading "@" and
// without repeats.
func ParseDomains(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		f = strings.TrimPrefix(f, "@")
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func validDomain(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// ServesDomain reports whether the provider lists the domain of an e-mail
// address.
func (p *Provider) ServesDomain(email string) bool {
	_, domain, ok := strings.Cut(model.NormalizeEmail(email), "@")
	if !ok {
		return false
	}
	for _, d := range p.Domains {
		if d == domain {
			return true
		}
	}
	return false
}
