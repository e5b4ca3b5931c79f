package sso

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"buyright/internal/model"
)

// BenchmarkSignInRoundTrip is one sign-in's work against a provider on
// loopback, discovery cached: the redirect prepared, the provider's
// authorize step, the code redeemed with PKCE and the ID token verified.
func BenchmarkSignInRoundTrip(b *testing.B) {
	m, err := mockoidc.Run()
	if err != nil {
		b.Fatal(err)
	}
	defer m.Shutdown()
	pr := &Provider{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret, Domains: []string{"example.com"}, Role: model.RoleViewer}
	c := NewClient([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx := context.Background()
	const redirect = "http://127.0.0.1:1/signin/sso/callback"
	b.ReportAllocs()
	for b.Loop() {
		st, err := c.Begin(ctx, pr, redirect)
		if err != nil {
			b.Fatal(err)
		}
		resp, err := noFollow.Get(st.URL)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		id, err := c.Finish(ctx, pr, redirect, loc.Query().Get("code"), st.Verifier, st.Nonce)
		if err != nil {
			b.Fatal(err)
		}
		if err := pr.Admit(id); err != nil {
			b.Fatal(err)
		}
	}
}
