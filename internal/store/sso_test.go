package store_test

import (
	"testing"
	"time"

	"buyright/internal/model"
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
