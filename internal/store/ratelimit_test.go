package store_test

import (
	"testing"
	"time"

	"buyright/internal/store"
	"buyright/internal/store/storetest"
)

// A limit kept in the database lets a key through burst times, then
// refuses it until a token comes back; other keys and limits are apart.
func TestRateAllowSharedBucket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Now()
		db.Now = func() time.Time { return now }
		try := func(name, key string) bool {
			t.Helper()
			ok, err := db.RateAllow(ctx, name, key, 3, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for i := range 3 {
			if !try("signin", "192.0.2.1") {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		if try("signin", "192.0.2.1") {
			t.Fatal("the fourth attempt within the minute went through")
		}
		if !try("signin", "192.0.2.2") || !try("complaint", "192.0.2.1") {
			t.Fatal("another address or another limit was refused")
		}
		now = now.Add(61 * time.Second)
		if !try("signin", "192.0.2.1") || try("signin", "192.0.2.1") {
			t.Fatal("a minute later one attempt, and only one, should go through")
		}
	})
}
