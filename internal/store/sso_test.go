package store_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"buyright/internal/model"
	"buyright/internal/sso"
	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A sign-in's state works once, and not after it expires.
func TestSSOStateOnceAndExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		st := store.SSOState{OrgID: org.ID, Nonce: "n", Verifier: "v", Next: "/purchases"}
		if err := db.SaveSSOState(ctx, "h1", st, 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		got, err := db.TakeSSOState(ctx, "h1")
		if err != nil || *got != st {
			t.Fatalf("first take: %+v %v", got, err)
		}
		if _, err := db.TakeSSOState(ctx, "h1"); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("second take: %v", err)
		}
		if err := db.SaveSSOState(ctx, "h2", st, 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		now = now.Add(10*time.Minute + time.Second)
		if _, err := db.TakeSSOState(ctx, "h2"); model.ErrorCode(err) != model.ENotFound {
			t.Fatalf("expired take: %v", err)
		}
	})
}

// A client secret is stored sealed with a key derived from the
// installation key: the database alone does not give it away, a server
// with another key says it cannot read it instead of sending garbage to
// the provider, and a secret stored in clear by an earlier version is
// sealed at the next start, with an audit entry that does not carry it.
func TestSSOClientSecretSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		org := storetest.Org(t, db, "city", model.OrgPublicBody)
		p := func(secret string) *sso.Provider {
			return &sso.Provider{OrgID: org.ID, Label: "City ID", Issuer: "https://login.city.example", ClientID: "buyright",
				ClientSecret: secret, Domains: []string{"city.example"}, Role: model.RoleOfficer}
		}
		if err := db.SaveSSOProvider(ctx, store.System, p("the-secret-1")); err == nil {
			t.Fatal("a secret was saved with no key to seal it")
		}
		key := bytes.Repeat([]byte{7}, 32)
		if err := db.SetSecretKey(key); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSSOProvider(ctx, store.System, p("the-secret-1")); err != nil {
			t.Fatal(err)
		}
		var raw string
		if err := db.QueryRowForTest("SELECT client_secret FROM sso_providers", &raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, "the-secret") || !sso.IsSealed(raw) {
			t.Fatalf("stored in clear: %q", raw)
		}
		got, err := db.SSOProvider(ctx, org.ID)
		if err != nil || got.ClientSecret != "the-secret-1" || got.SecretUnreadable {
			t.Fatalf("read back: %+v %v", got, err)
		}

		// Saving other fields with an empty secret keeps the stored one.
		// (Saving fills the provider given with the stored secret, so each
		// save below gets a fresh one.)
		changed := func() *sso.Provider { c := p(""); c.Label = "City staff ID"; return c }
		if err := db.SaveSSOProvider(ctx, store.System, changed()); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SSOProvider(ctx, org.ID); got.ClientSecret != "the-secret-1" {
			t.Fatalf("secret after a label change: %q", got.ClientSecret)
		}

		// A value moved to another organisation's row does not open there.
		other := storetest.Org(t, db, "town", model.OrgPublicBody)
		if err := db.Exec("INSERT INTO sso_providers (org_id, label, issuer, client_id, client_secret, email_domains, claim_name, claim_value, role, passwords_off, updated_at) SELECT $1, 'Town', issuer, client_id, client_secret, 'town.example', '', '', role, passwords_off, updated_at FROM sso_providers WHERE org_id = $2", other.ID, org.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SSOProvider(ctx, other.ID); !got.SecretUnreadable || got.ClientSecret != "" {
			t.Fatalf("a secret copied to another organisation opened: %+v", got)
		}

		// Another key: unreadable, and an empty secret cannot keep it.
		if err := db.SetSecretKey(bytes.Repeat([]byte{8}, 32)); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SSOProvider(ctx, org.ID); !got.SecretUnreadable || got.ClientSecret != "" {
			t.Fatalf("opened with another key: %+v", got)
		}
		if err := db.SaveSSOProvider(ctx, store.System, changed()); model.ErrorCode(err) != model.EInvalid {
			t.Fatalf("kept an unreadable secret: %v", err)
		}
		if err := db.SaveSSOProvider(ctx, store.System, p("the-secret-2")); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.SSOProvider(ctx, org.ID); got.ClientSecret != "the-secret-2" {
			t.Fatalf("a new secret under the new key: %q", got.ClientSecret)
		}

		// A secret in clear from an earlier version is sealed once.
		if err := db.Exec("UPDATE sso_providers SET client_secret = 'old-clear-secret' WHERE org_id = $1", org.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := db.SealStoredSecrets(ctx); err != nil || n != 1 {
			t.Fatalf("sealed %d, %v", n, err)
		}
		if n, err := db.SealStoredSecrets(ctx); err != nil || n != 0 {
			t.Fatalf("sealed again %d, %v", n, err)
		}
		if got, _ := db.SSOProvider(ctx, org.ID); got.ClientSecret != "old-clear-secret" {
			t.Fatalf("after sealing: %q", got.ClientSecret)
		}
		rows, err := db.AuditForTest("sso_provider")
		if err != nil {
			t.Fatal(err)
		}
		sealed := 0
		for _, r := range rows {
			if strings.Contains(r, "secret-") {
				t.Fatalf("an audit entry carries a secret: %s", r)
			}
			if strings.Contains(r, `"client_secret":"sealed"`) {
				sealed++
			}
		}
		if sealed != 1 {
			t.Fatalf("%d entries saying the secret was sealed in %q", sealed, rows)
		}
		if _, _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit chain: %v", err)
		}
	})
}
