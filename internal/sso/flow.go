package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Client runs the authorization code flow against providers. It keeps each
// issuer's discovery document (and through it the signing keys) for a
// while, so a sign-in does not fetch them every time.
type Client struct {
	HTTP *http.Client
	TTL  time.Duration

	mu    sync.Mutex
	known map[string]discovered
}

type discovered struct {
	p  *oidc.Provider
	at time.Time
}

// NewClient returns a client whose calls to providers time out after 10
// seconds and reach public addresses only, and those in allow.
func NewClient(allow []netip.Prefix) *Client {
	return &Client{HTTP: guardedHTTP(allow), TTL: time.Hour, known: map[string]discovered{}}
}

func (c *Client) discover(ctx context.Context, issuer string) (*oidc.Provider, error) {
	c.mu.Lock()
	d, ok := c.known[issuer]
	c.mu.Unlock()
	if ok && time.Since(d.at) < c.TTL {
		return d.p, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, c.HTTP), issuer)
	if err != nil {
		// The discovery error names the URL and status only.
		return nil, &Refusal{Reason: "provider", Detail: err.Error()}
	}
	c.mu.Lock()
	c.known[issuer] = discovered{p: p, at: time.Now()}
	c.mu.Unlock()
	return p, nil
}

func (c *Client) config(p *oidc.Provider, pr *Provider, redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: pr.ClientID, ClientSecret: pr.ClientSecret, RedirectURL: redirect,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
	}
}

// Start is one sign-in begun: the provider's URL to send the browser to,
// and the values the callback must match. State goes to the browser (in
// the URL and a cookie) and, hashed, to the database; Nonce and Verifier
// stay in the database only.
type Start struct {
	URL      string
	State    string
	Nonce    string
	Verifier string
}

// Begin prepares the redirect to the provider.
func (c *Client) Begin(ctx context.Context, pr *Provider, redirect string) (*Start, error) {
	p, err := c.discover(ctx, pr.Issuer)
	if err != nil {
		return nil, err
	}
	s := &Start{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	s.URL = c.config(p, pr, redirect).AuthCodeURL(s.State, oidc.Nonce(s.Nonce), oauth2.S256ChallengeOption(s.Verifier))
	return s, nil
}

// Finish redeems the code with the PKCE verifier, verifies the ID token
// (signature, issuer, audience, expiry) and its nonce, and reads the
// identity. Every error is a *Refusal without tokens in it.
func (c *Client) Finish(ctx context.Context, pr *Provider, redirect, code, verifier, nonce string) (*Identity, error) {
	if pr.SecretUnreadable {
		return nil, refuse("provider", "%v; the organisation's administrator must enter it again", ErrSecretUnreadable)
	}
	p, err := c.discover(ctx, pr.Issuer)
	if err != nil {
		return nil, err
	}
	ctx = oidc.ClientContext(ctx, c.HTTP)
	tok, err := c.config(p, pr, redirect).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			// Only the status and error code: the body is the provider's.
			return nil, refuse("exchange", "the provider refused the code: %d %s", re.Response.StatusCode, re.ErrorCode)
		}
		return nil, refuse("exchange", "the provider could not be reached to redeem the code")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, refuse("token", "the provider returned no ID token")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: pr.ClientID}).Verify(ctx, raw)
	if err != nil {
		// go-oidc's messages name the check that failed and the claims'
		// values (issuer, audience, expiry), never the token itself.
		return nil, refuse("token", "%s", err.Error())
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return nil, refuse("nonce", "the ID token's nonce is not the one this sign-in sent")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, refuse("token", "the ID token's claims cannot be read")
	}
	if err := c.addUserInfo(ctx, p, pr, tok, idt.Subject, claims); err != nil {
		return nil, err
	}
	id := &Identity{Issuer: idt.Issuer, Subject: idt.Subject, Claims: claims}
	id.Email, _ = claims["email"].(string)
	if v, ok := claims["email_verified"].(bool); ok {
		id.EmailVerified = &v
	}
	for _, k := range []string{"name", "preferred_username"} {
		if s, ok := claims[k].(string); ok && s != "" {
			id.Name = s
			break
		}
	}
	return id, nil
}

// addUserInfo completes the ID token's claims from the provider's user
// info endpoint when the token lacks the e-mail address or the claim the
// organisation requires (some providers put only the subject in the ID
// token). The user info must be about the token's subject; the token's
// own claims win over the user info's.
func (c *Client) addUserInfo(ctx context.Context, p *oidc.Provider, pr *Provider, tok *oauth2.Token, subject string, claims map[string]any) error {
	_, hasEmail := claims["email"]
	_, hasClaim := claims[pr.ClaimName]
	if (hasEmail && (pr.ClaimName == "" || hasClaim)) || p.UserInfoEndpoint() == "" {
		return nil
	}
	ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return refuse("userinfo", "the provider's user info could not be read")
	}
	if subtle.ConstantTimeCompare([]byte(ui.Subject), []byte(subject)) != 1 {
		return refuse("userinfo", "the user info is about another subject than the ID token")
	}
	var more map[string]any
	if err := ui.Claims(&more); err != nil {
		return refuse("userinfo", "the user info cannot be read")
	}
	for k, v := range more {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
	return nil
}

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
